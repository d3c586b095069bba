"""Site search: ranking, synonyms, snippets, odd input, unpublished rows."""
import bisect
import datetime
import re

import pytest

from pages.guide import search as site_search
from pages.models import Condition, FaqEntry, Topic
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db


def result_urls(html):
    """The result links on a search page, in order."""
    block = html.split('<ol class="search-results">', 1)
    if len(block) < 2:
        return []
    return re.findall(r'<h3><a href="([^"]+)">', block[1].split("</ol>", 1)[0])


def make_topic(slug, title, body, published=True, summary="A plain summary."):
    with as_loaded():
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
    with as_loaded():
        Condition.objects.create(
            slug="tmd", name="TMD", body_region="head", summary="Problems of the joint in front of the ear.",
            text="The TMJ and the chewing muscles.", last_reviewed=datetime.date(2026, 1, 1), reviewed_by="PT",
        )
    assert "jaw" not in "TMD Problems of the joint in front of the ear. The TMJ and the chewing muscles.".lower()
    assert [r.url for r in site_search.search("jaw")] == ["/conditions/tmd/"]
    assert site_search.search("zzzz-no-such-word") == []


def test_matches_are_highlighted_in_title_and_snippet(client, loaded):
    html = client.get("/search/", {"q": "prick"}).content.decode()
    assert "small <mark>prick</mark>" in html


def test_snippet_is_built_from_plain_text_and_escaped(loaded):
    with as_loaded():
        FaqEntry.objects.create(
            slug="odd", question="Odd answer", category="safety", order=1,
            answer='Use ice & heat. <img src="x" onerror="alert(1)"> **Ice** helps. [A link](https://example.org)',
            last_reviewed=datetime.date(2026, 1, 1), reviewed_by="PT",
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
    with as_loaded():
        FaqEntry.objects.filter(slug="does-it-hurt").update(published=False)
    make_topic("hidden-prick", "Prick and hurt", "A prick that may hurt.", published=False)
    with as_loaded():
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
    with as_loaded():
        entry.answer = "Most people feel a quick sting."
    with as_loaded():
        entry.save()
    assert "/faq/does-it-hurt/" in client.get("/search/?q=sting").content.decode()
    assert "/faq/does-it-hurt/" not in client.get("/search/?q=prick").content.decode()
    entry.published = False
    with as_loaded():
        entry.save()
    assert "/faq/does-it-hurt/" not in client.get("/search/?q=sting").content.decode()


def scan_ranking(query):
    """What search() finds, by the plain scan of every row it used before its inverted index."""
    terms = site_search.weighted_terms(query)

    def hits(text):
        words = site_search._word_list(text)
        total = 0
        for term, weight in terms.items():
            if " " in term:
                found = re.search(r"\b" + re.escape(term), text, re.IGNORECASE)
            else:
                at = bisect.bisect_left(words, term)
                found = at < len(words) and words[at].startswith(term)
            total += weight if found else 0
        return total

    scored = []
    for row in site_search.search_index().rows if terms else ():
        title_hits, text_hits = hits(row.title), hits(row.text)
        if title_hits or text_hits:
            key = (-title_hits, -text_hits, site_search.KIND_ORDER[row.kind], row.title.lower())
            scored.append((key, row.slug, title_hits, text_hits))
    scored.sort(key=lambda item: item[0])
    return [(slug, title_hits, text_hits) for _key, slug, title_hits, text_hits in scored[:site_search.MAX_RESULTS]]


@pytest.mark.parametrize("query", [
    "needle", "needles", "fear of needles", "needle fear", "blood thinner", "shoulder blade", "knot", "sore",
    "after-care", "care", "trigger point", "prick hurt neck", "it's", "x", "",
])
def test_inverted_index_finds_and_ranks_as_a_scan_of_every_row(loaded, query):
    for n in range(40):  # more than MAX_RESULTS, with ties in title and in score
        with as_loaded():
            FaqEntry.objects.create(slug=f"sore-{n}", question=f"Sore question {n % 3}", category="safety", order=n,
                                    answer="Sore. " * (n % 4) + "Needles" * (n % 2) + " after-care",
                                    last_reviewed=datetime.date(2026, 1, 1), reviewed_by="PT")
    make_topic("hyphen", "Needle-free x-fear of needles", "A mid-needle point; it's a trigger-point.")
    make_topic("dotless", "Blood th\u0131nner and needling", "The \u017fhoulder blade and a \u212anot.")
    make_topic("dotted", "\u0130nsurance", "Blood thinners, shoulder blades, knots.")
    make_topic("draft", "Needle fear", "Needle fear.", published=False)
    found = [(r.url.strip("/").split("/")[-1], r.title_hits, r.text_hits) for r in site_search.search(query)]
    assert found == scan_ranking(query)


def test_phrase_case_traps_are_all_that_a_case_blind_regex_reads_differently_from_lower():
    # WordIndex.rows_with_phrase reads a phrase only in rows whose lower-cased words have its
    # words, and in rows with one of PHRASE_CASE_TRAPS. That misses nothing if no other
    # character matches an ASCII one under re.IGNORECASE and lower() keeps every other
    # character one character, a word character or not as before.
    chars = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    ascii_alike = {ch for ch in re.findall(r"[\x00-\x7f]", chars, re.IGNORECASE) if not ch.isascii()}
    assert ascii_alike == set(site_search.PHRASE_CASE_TRAPS)
    plain = chars.translate({ord(ch): None for ch in site_search.PHRASE_CASE_TRAPS})
    lower = plain.lower()
    assert len(lower) == len(plain)
    assert [m.start() for m in re.finditer(r"\w", lower)] == [m.start() for m in re.finditer(r"\w", plain)]
