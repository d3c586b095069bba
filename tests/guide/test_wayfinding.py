"""Issue 16: patients find the urgent answer first, on a phone, without JavaScript."""
import re

import pytest

from pages.content import load_content
from pages.models import Condition, FaqEntry, Topic

RED_FLAG_PAGES = [
    "/after-care/", "/safety-and-side-effects/",
    "/faq/collapsed-lung/", "/faq/feeling-unwell/", "/faq/what-are-the-risks/",
    "/faq/when-to-call-the-clinic/", "/faq/when-to-call-911/",
    "/conditions/upper-back-and-shoulder-blade-pain/", "/conditions/neck-pain/",
    "/conditions/low-back-pain/", "/conditions/buttock-pain-and-sciatica-like-pain/",
    "/conditions/whiplash/",
]


def red_flag_box(html):
    match = re.search(r'<aside class="red-flags".*?</aside>', html, re.S)
    return match.group(0) if match else None


@pytest.mark.parametrize("url", RED_FLAG_PAGES)
def test_flagged_pages_show_the_911_box_before_their_text(client, site_content, url):
    html = client.get(url).content.decode()
    box = red_flag_box(html)
    assert box, f"{url} has no red-flag box"
    assert '<h2 id="red-flags-heading">' in box
    assert 'href="tel:911"' in box
    assert "emergency department" in box and "urgent care" in box  # 911 first, the clinic for the rest
    assert html.index(box) < html.index('class="prose"'), f"the box on {url} comes after the page's text"


@pytest.mark.parametrize("url", ["/what-is-dry-needling/", "/faq/does-it-hurt/", "/conditions/tennis-elbow/"])
def test_pages_without_the_flag_have_no_box(client, site_content, url):
    assert red_flag_box(client.get(url).content.decode()) is None


def test_red_flags_front_matter_sets_the_flag_and_removing_it_clears_it(db, content_dir):
    faq = content_dir / "faq" / "does-it-hurt.md"
    faq.write_text(faq.read_text().replace("order: 10\n", "order: 10\nred_flags: true\n", 1))
    load_content(content_dir)
    assert FaqEntry.objects.get(slug="does-it-hurt").red_flags
    faq.write_text(faq.read_text().replace("red_flags: true\n", ""))
    load_content(content_dir)
    assert not FaqEntry.objects.get(slug="does-it-hurt").red_flags


def test_the_flag_is_set_on_every_page_the_issue_lists(site_content):
    assert set(Topic.objects.filter(red_flags=True, language="en").values_list("slug", flat=True)) == {
        "after-care", "safety-and-side-effects"}
    flagged = FaqEntry.objects.filter(red_flags=True, language="en").values_list("slug", flat=True)
    assert {"collapsed-lung", "feeling-unwell", "what-are-the-risks", "when-to-call-the-clinic",
            "when-to-call-911"} <= set(flagged)
    assert set(Condition.objects.filter(red_flags=True, language="en").values_list("slug", flat=True)) == {
        "upper-back-and-shoulder-blade-pain", "neck-pain", "low-back-pain",
        "buttock-pain-and-sciatica-like-pain", "whiplash",
        # Issue 23: pages that discuss needling at the shoulder, head, jaw and calf warn about the
        # lungs or give 911 advice, so they show the box too.
        "shoulder-pain", "tension-type-headache", "jaw-pain-tmj", "calf-tightness-and-cramps"}


def test_home_page_links_the_urgent_answer_before_anything_else_in_main(client, site_content):
    html = client.get("/").content.decode()
    main = html[html.index('<main'):]
    first_link = re.search(r'<a href="([^"]+)"', main).group(1)
    assert first_link == "/faq/when-to-call-911/"
    assert "Call 911" in main[:main.index("/faq/when-to-call-911/") + 200]


# The words patients type for red flags (issue 16); each must put the urgent answer first.
RED_FLAG_WORDS = [
    "breathe", "breath", "breathing", "can't breathe", "hurts to breathe", "short of breath",
    "shortness of breath", "out of breath", "chest", "chest pain", "tight chest", "lung",
    "collapsed lung", "cough", "numb", "numbness", "bladder", "bowel", "bowels", "pee", "sob",
]
# The signs that need a call to the clinic (issue 24): the answer that speaks about them comes
# first, with the clinic and when to go to the emergency department instead, never the 911 card.
CLINIC_WORDS = ["fever", "feverish", "pus", "swelling", "swollen", "infected"]
# Other symptoms the guide covers: never "No pages match".
OTHER_SYMPTOM_WORDS = [
    "sore", "soreness", "ache", "aching", "bruise", "bruising", "bleeding", "dizzy", "faint",
    "twitch", "cramp", "stiff", "headache", "hurt", "painful", "red", "warm",
]


def result_urls(client, query):
    html = client.get("/search/", {"q": query}).content.decode()
    if '<ol class="search-results">' not in html:
        return html, []
    results = html.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]
    return results, re.findall(r'<h3><a href="([^"]+)"[^>]*>', results)


def test_every_red_flag_word_puts_the_urgent_answer_first_with_its_911_line(client, site_content):
    wrong = {}
    for word in RED_FLAG_WORDS:
        results, urls = result_urls(client, word)
        if not urls or urls[0] != "/faq/when-to-call-911/":
            wrong[word] = urls[:3] or "no results"
        elif 'href="tel:911"' not in results.split("</li>", 1)[0]:
            wrong[word] = "no tel:911 link in the first result"
    assert not wrong, f"red-flag searches without the urgent answer first: {wrong}"


def test_every_clinic_sign_puts_the_answer_on_calling_the_clinic_first(client, site_content):
    wrong = {}
    for word in CLINIC_WORDS:
        results, urls = result_urls(client, word)
        first = results.split("</li>", 1)[0]
        if not urls or urls[0] != "/faq/when-to-call-the-clinic/":
            wrong[word] = urls[:3] or "no results"
        elif 'class="clinic-line"' not in first or "emergency department" not in first:
            wrong[word] = "no clinic line in the first result"
        elif "/faq/when-to-call-911/" in urls[:1] or 'href="tel:911"' in first:
            wrong[word] = "the 911 card first"
    assert not wrong, f"clinic-sign searches without the clinic answer first: {wrong}"


def test_no_symptom_word_the_guide_covers_finds_nothing(client, site_content):
    empty = [word for word in OTHER_SYMPTOM_WORDS if not result_urls(client, word)[1]]
    assert not empty, f"'No pages match' for: {empty}"


def test_ordinary_searches_do_not_show_the_urgent_answer_first(client, site_content):
    for word in ["insurance", "bruise", "jaw", "cost", "what is dry needling"]:
        results, urls = result_urls(client, word)
        assert urls and urls[0] != "/faq/when-to-call-911/", (word, urls[:3])
        assert 'href="tel:911"' not in results


def test_the_results_heading_takes_focus_after_a_search(client, site_content):
    for query in ["bruise", "zzzqqq"]:
        html = client.get("/search/", {"q": query}).content.decode()
        heading = re.search(r'<h2 class="search-count" id="search-results"[^>]*>', html).group(0)
        assert 'tabindex="-1"' in heading and "autofocus" in heading
    # Only one element may have autofocus; the search box must not take it back.
    assert html.count("autofocus") == 1


def test_faq_page_opens_with_every_question_grouped_each_linking_to_its_answer(client, site_content):
    html = client.get("/faq/").content.decode()
    toc = html.split('<nav class="toc faq-questions"', 1)[1].split("</nav>", 1)[0]
    published = list(FaqEntry.objects.published().filter(language="en").values_list("slug", flat=True))
    assert sorted(re.findall(r'<a href="#([\w-]+)">', toc)) == sorted(published)
    english = FaqEntry.objects.published().filter(language="en")
    assert toc.count("<h3>") == len(set(english.values_list("category", flat=True)))
    assert html.index("faq-questions") < html.index('<article class="faq"')


def test_each_faq_answer_costs_one_tab_stop_and_citations_are_text(client, site_content):
    html = client.get("/faq/").content.decode()
    articles = re.findall(r'<article class="faq".*?</article>', html, re.S)
    assert len(articles) == FaqEntry.objects.published().filter(language="en").count()
    assert any("(Kalichman 2010)" in article for article in articles)  # the citation stays, as text
    for article in articles:
        assert 'class="cite"' not in article
        # Links the answer's own text makes are content; besides them, one link per answer.
        outside_text = re.sub(r'<div class="prose">.*?</div>', "", article, flags=re.S)
        assert len(re.findall(r"<a\s[^>]*href=", outside_text)) == 1, outside_text
    # The single answer page keeps its citation links to its Sources list.
    assert '<a class="cite" href="#ref-kalichman-2010">' in client.get("/faq/collapsed-lung/").content.decode()


def test_every_condition_page_links_does_it_hurt_is_it_safe_and_how_many_visits(client, site_content):
    for condition in Condition.objects.published().filter(language="en"):
        html = client.get(condition.get_absolute_url()).content.decode()
        for url in ["/faq/does-it-hurt/", "/faq/what-are-the-risks/", "/faq/how-many-visits/"]:
            assert f'href="{url}"' in html, (condition.slug, url)
