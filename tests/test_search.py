"""Site search: ranking, synonyms, snippets, odd input, unpublished rows."""
import datetime
import re

import pytest

from pages import search as site_search
from pages.models import Condition, FaqEntry, Topic

pytestmark = pytest.mark.django_db


def result_urls(html):
    """The result links on a search page, in order."""
    block = html.split('<ol class="search-results">', 1)
    if len(block) < 2:
        return []
    return re.findall(r'<h2><a href="([^"]+)">', block[1].split("</ol>", 1)[0])


def make_topic(slug, title, body, published=True, summary="A plain summary."):
    return Topic.objects.create(
        slug=slug, title=title, summary=summary, body=body, published=published,
        last_reviewed=datetime.date(2026, 1, 1), reviewed_by="Physical therapist",
    )


def test_title_match_ranks_above_body_only_match(client, loaded):
    # The FAQ "Does it hurt?" has the word in its question; the topic only in its body.
    assert "hurt" in Topic.objects.get(slug="what-is-dry-needling").body.lower()
    urls = result_urls(client.get("/search/", {"q": "hurt"}).content.decode())
    assert urls[:2] == ["/faq/does-it-hurt/", "/what-is-dry-needling/"]


def test_title_match_beats_many_body_matches(loaded):
    make_topic("bruise-body", "Something else", "Bruise bruise bruise. A bruise here and a bruise there.")
    make_topic("bruise-title", "Bruises", "Nothing more to say.")
    titles = [r.title for r in site_search.search("bruise")]
    assert titles.index("Bruises") < titles.index("Something else")


def test_results_link_each_kind_to_its_page(client, loaded):
    html = client.get("/search/", {"q": "neck"}).content.decode()
    assert "/conditions/neck-pain/" in result_urls(html)
    assert "Condition" in html


@pytest.mark.parametrize("query, expected", [
    ("jaw", "/conditions/jaw-pain-tmj/"),
    ("sore", "/after-care/"),
    ("soreness", "/faq/will-i-be-sore/"),
    ("bruise", "/faq/will-i-bruise/"),
    ("headache", "/conditions/tension-type-headache/"),
    ("sciatica", "/conditions/buttock-pain-and-sciatica-like-pain/"),
    ("needle fear", "/faq/scared-of-needles/"),
])
def test_patient_words_find_the_right_page_in_the_real_content(client, site_content, query, expected):
    urls = result_urls(client.get("/search/", {"q": query}).content.decode())
    assert expected in urls[:5], f"{query!r} gave {urls}"


def test_synonym_finds_a_page_that_never_uses_the_patients_word(loaded):
    Condition.objects.create(
        slug="tmd", name="TMD", body_region="head", summary="Problems of the joint in front of the ear.",
        text="The TMJ and the chewing muscles.",
    )
    assert "jaw" not in "TMD Problems of the joint in front of the ear. The TMJ and the chewing muscles.".lower()
    assert [r.url for r in site_search.search("jaw")] == ["/conditions/tmd/"]
    assert site_search.search("zzzz-no-such-word") == []


def test_matches_are_highlighted_in_title_and_snippet(client, loaded):
    html = client.get("/search/", {"q": "prick"}).content.decode()
    assert "small <mark>prick</mark>" in html


def test_snippet_is_built_from_plain_text_and_escaped(loaded):
    FaqEntry.objects.create(
        slug="odd", question="Odd answer", category="safety", order=1,
        answer='Use ice & heat. <img src="x" onerror="alert(1)"> **Ice** helps. [A link](https://example.org)',
    )
    result = next(r for r in site_search.search("ice") if r.url == "/faq/odd/")
    snippet = str(result.snippet_html)
    assert "<img" not in snippet and "<strong>" not in snippet and "<a " not in snippet
    assert "ice</mark> &amp; " in snippet  # the & of the text, escaped once
    assert "<mark>Ice</mark> helps" in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_highlight_escapes_everything_but_its_own_mark():
    pattern = site_search._pattern({"script": 2})
    out = str(site_search.highlight('<script>alert("x")</script>', pattern))
    assert out == '&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;'


@pytest.mark.parametrize("query", [
    "",
    "   ",
    "a" * 10_000,
    "' OR 1=1 --",
    "'; DROP TABLE pages_topic; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "%",
    "_",
    "needle\x00sore",
    "🙂 needle",
])
def test_odd_queries_give_a_calm_page(client, loaded, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "a" * (site_search.MAX_QUERY_LENGTH + 1) not in html
    assert html.count("<h1") == 1
    assert Topic.objects.filter(slug="what-is-dry-needling").exists()  # nothing was dropped


def test_html_in_the_query_is_shown_escaped(client, loaded):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_query_used_is_capped():
    assert len(site_search.clean_query("x " * 10_000)) <= site_search.MAX_QUERY_LENGTH
    assert site_search.clean_query("  a \n\t b\x00c ") == "a b c"
    assert len(site_search.terms_for("word " * 1000)) <= site_search.MAX_TERMS


def test_search_without_a_query_asks_for_one(client, loaded):
    response = client.get("/search/")
    assert response.status_code == 200
    assert result_urls(response.content.decode()) == []
    assert b'name="q"' in response.content


def test_unpublished_rows_are_never_found(client, loaded):
    FaqEntry.objects.filter(slug="does-it-hurt").update(published=False)
    make_topic("hidden-prick", "Prick and hurt", "A prick that may hurt.", published=False)
    Condition.objects.filter(slug="neck-pain").update(published=False)
    for query in ("hurt", "prick", "neck"):
        urls = result_urls(client.get("/search/", {"q": query}).content.decode())
        assert "/faq/does-it-hurt/" not in urls
        assert "/hidden-prick/" not in urls
        assert "/conditions/neck-pain/" not in urls
    assert all(r.url != "/hidden-prick/" for r in site_search.search("prick hurt neck"))


@pytest.mark.parametrize("url", ["/", "/faq/", "/what-is-dry-needling/", "/conditions/"])
def test_every_page_has_a_search_box_in_the_header(client, loaded, url):
    html = client.get(url).content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    form = re.search(
        r'<form class="site-search" role="search" action="/search/" method="get">(.*?)</form>', header, re.S
    )
    assert form, "no GET search form in the header"
    field = re.search(r'<input id="([^"]+)" type="search" name="q"', form.group(1))
    assert field and f'<label for="{field.group(1)}"' in form.group(1)
    assert '<button type="submit">Search</button>' in form.group(1)


def test_404_page_offers_a_search_box_with_a_visible_label(client, loaded):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    main = html.split('<main', 1)[1]
    assert '<label for="not-found-q">Search the guide</label>' in main
    assert 'action="/search/"' in main


def test_the_search_index_follows_edits_and_unpublishing(client, loaded):
    from pages.models import FaqEntry

    assert "/faq/does-it-hurt/" in client.get("/search/?q=prick").content.decode()
    entry = FaqEntry.objects.get()
    entry.answer = "Most people feel a quick sting."
    entry.save()
    assert "/faq/does-it-hurt/" in client.get("/search/?q=sting").content.decode()
    assert "/faq/does-it-hurt/" not in client.get("/search/?q=prick").content.decode()
    entry.published = False
    entry.save()
    assert "/faq/does-it-hurt/" not in client.get("/search/?q=sting").content.decode()
