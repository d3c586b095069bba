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
    assert set(Topic.objects.filter(red_flags=True).values_list("slug", flat=True)) == {
        "after-care", "safety-and-side-effects"}
    assert {"collapsed-lung", "feeling-unwell", "what-are-the-risks", "when-to-call-the-clinic",
            "when-to-call-911"} <= set(FaqEntry.objects.filter(red_flags=True).values_list("slug", flat=True))
    assert set(Condition.objects.filter(red_flags=True).values_list("slug", flat=True)) == {
        "upper-back-and-shoulder-blade-pain", "neck-pain", "low-back-pain",
        "buttock-pain-and-sciatica-like-pain", "whiplash"}


def test_home_page_links_the_urgent_answer_before_anything_else_in_main(client, site_content):
    html = client.get("/").content.decode()
    main = html[html.index('<main'):]
    first_link = re.search(r'<a href="([^"]+)"', main).group(1)
    assert first_link == "/faq/when-to-call-911/"
    assert "Call 911" in main[:main.index("/faq/when-to-call-911/") + 200]
