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
    return re.findall(r'<h3><a href="([^"]+)"[^>]*>', block[1].split("</ol>", 1)[0])


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


def test_a_snippet_has_no_space_where_a_citation_was_and_list_items_stay_apart(loaded):
    # "after-effect of needling ." and "...gets worse a bruise that keeps growing" (a patient review).
    text = site_search.searchable_text(
        "Soreness is a common after-effect of needling [@martin-pintado-zugasti-2016].\n\n"
        "- soreness that gets worse\n- a bruise that keeps growing\n")
    assert "needling." in text and "needling ." not in text
    assert "gets worse; a bruise" in text


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


# --- Issue 24: every patient reaches the urgent answer, whatever the patient types --------------
# Each box (/search/ and /es/buscar/) is asked every query; the FIRST result is what matters.

BOXES = {"en": "/search/", "es": "/es/buscar/"}
EMERGENCY_ANSWER = {"en": "/faq/when-to-call-911/", "es": "/es/preguntas/cuando-llamar-al-911/"}
CLINIC_ANSWER = {"en": "/faq/when-to-call-the-clinic/", "es": "/es/preguntas/cuando-llamar-a-la-clinica/"}
FAINT_ANSWER = {"en": "/faq/what-if-i-feel-faint/", "es": "/es/preguntas/si-siento-que-me-desmayo/"}
OTHER_BOX_LINK = {"en": ('href="/es/buscar/?q=', "Buscar en español"), "es": ('href="/search/?q=', "Search in English")}


def box_page(client, box, query):
    """(the results part of the page, the result links in order) for `query` in `box`."""
    html = client.get(BOXES[box], {"q": query}).content.decode()
    main = html.split('id="main"', 1)[1].split("</main>", 1)[0]
    return main, result_urls(main)


def first_result_block(main):
    return main.split('<ol class="search-results">', 1)[1].split("</li>", 1)[0]


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("query, patients_language", [
    ("me falta el aire", "es"), ("dolor de pecho", "es"),
    ("tengo un dolor fuerte en el pecho y no puedo respirar bien", "es"),
    ("chest pain", "en"), ("shortness of breath", "en"), ("pnuemothorax", "en"), ("sob", "en"), ("SOB", "en"),
])
def test_red_flag_words_of_either_language_put_the_urgent_answer_in_the_patients_language_first(
        client, site_content, box, query, patients_language):
    main, urls = box_page(client, box, query)
    assert urls and urls[0] == EMERGENCY_ANSWER[patients_language], f"{query!r} in {box}: {urls[:3]}"
    first = first_result_block(main)
    assert 'href="tel:911"' in first
    # In the patient's words, marked as that language where the box is the other one's.
    assert ("emergency department" if patients_language == "en" else "sala de emergencias") in first
    assert (f'lang="{patients_language}"' in first.split(">", 1)[0]) == (box != patients_language)
    # The box's own urgent answer follows, for whoever reads that language.
    assert EMERGENCY_ANSWER[box] in urls[:2]


KIND_LINES = {"en": {"Guide page", "Question and answer", "Condition"},
              "es": {"Página de la guía", "Pregunta y respuesta", "Problema de salud"}}


@pytest.mark.parametrize("box, query", [
    ("en", "dolor de pecho"), ("es", "chest pain"), ("en", "sore"), ("es", "dolor")])
def test_each_result_names_its_kind_in_the_language_it_is_written_in(client, site_content, box, query):
    main, urls = box_page(client, box, query)
    items = main.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0].split("</li>")[:-1]
    assert len(items) == len(urls) > 3
    for item in items:
        language = re.search(r'<li[^>]* lang="(\w+)"', item)
        kind = re.search(r'<p class="search-kind">([^<]*)</p>', item).group(1)
        assert kind in KIND_LINES[language.group(1) if language else box], item[:200]


def test_every_sign_on_the_one_list_puts_the_urgent_answer_first_in_either_box(client, site_content):
    # The red-flag list patients read (content/red-flags.md and its Spanish) is the list the
    # search must know: each of its 911 signs, typed as the list words it, in either box.
    from pages.models import RedFlagList, parse_signs

    missed = []
    for flags in RedFlagList.objects.published():
        for sign, _areas in parse_signs(flags.emergency_signs):
            for box in BOXES:
                urls = box_page(client, box, sign)[1]
                if not urls or urls[0] != EMERGENCY_ANSWER[flags.language]:
                    missed.append((box, sign, urls[:1]))
    assert not missed, missed


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("query, patients_language", [
    ("passed out", "en"), ("I fainted at home", "en"), ("blacked out", "en"), ("lost consciousness", "en"),
    ("weak leg", "en"), ("my arm feels weak", "en"), ("severe back pain after needling", "en"),
    ("me desmayé", "es"), ("desmayo", "es"), ("perdí el conocimiento", "es"), ("pierna débil", "es"),
    ("dolor fuerte de espalda", "es"), ("entumecimiento que se extiende", "es"),
])
def test_fainting_weakness_and_severe_spine_pain_in_patients_words_put_the_urgent_answer_first(
        client, site_content, box, query, patients_language):
    urls = box_page(client, box, query)[1]
    assert urls and urls[0] == EMERGENCY_ANSWER[patients_language], f"{query!r} in {box}: {urls[:3]}"


@pytest.mark.parametrize("box, query", [
    ("en", "me falta el aire"), ("en", "dolor de pecho"), ("en", "mareo"), ("en", "punsion seca"), ("en", "fiebre"),
    ("es", "chest pain"), ("es", "shortness of breath"), ("es", "brusing"), ("es", "fever"),
])
def test_words_of_the_other_language_offer_the_other_box_with_the_same_query(client, site_content, box, query):
    main, _urls = box_page(client, box, query)
    href, label = OTHER_BOX_LINK[box]
    assert f'{href}{query.replace(" ", "+")}"' in main and label in main, f"{query!r} in {box}"


@pytest.mark.parametrize("box, query", [("en", "neck"), ("en", "will I be sore"), ("es", "cuello"),
                                        ("es", "me va a doler")])
def test_words_of_the_boxs_own_language_offer_no_other_box(client, site_content, box, query):
    main, _urls = box_page(client, box, query)
    assert OTHER_BOX_LINK[box][1] not in main


@pytest.mark.parametrize("box, stop_word", [("en", "de"), ("en", "el"), ("en", "los"), ("es", "the"), ("es", "how")])
def test_stop_words_of_the_other_language_never_match(client, site_content, box, stop_word):
    assert box_page(client, box, stop_word)[1] == []


def test_de_in_dolor_de_pecho_is_never_looked_for_in_the_english_box(loaded):
    # "de" found "deep", so "dolor de pecho" found "How many needles...".
    assert "de" not in site_search.weighted_terms("dolor de pecho", "en")
    assert "the" not in site_search.weighted_terms("the jaw", "es")


@pytest.mark.parametrize("box, query, first, shown", [
    ("en", "brusing", "/faq/will-i-bruise/", "bruising"),
    ("es", "brusing", "/es/preguntas/me-saldra-un-moreton/", "bruising"),
    ("en", "sholder", "/conditions/shoulder-pain/", "shoulder"),
    ("es", "sholder", "/es/afecciones/dolor-de-hombro/", "shoulder"),
    ("en", "pnuemothorax", EMERGENCY_ANSWER["en"], "pneumothorax"),
    ("es", "pnuemothorax", EMERGENCY_ANSWER["en"], "pneumothorax"),  # the patient's language first
    ("es", "moreton grande", "/es/preguntas/me-saldra-un-moreton/", None),
])
def test_typos_are_corrected_to_the_sites_own_words(client, site_content, box, query, first, shown):
    main, urls = box_page(client, box, query)
    assert urls and urls[0] == first, f"{query!r} in {box}: {urls[:3]}"
    if shown:
        assert re.search(r"Showing results for|Resultados de", main)
        assert f"“{shown}”" in main
    else:
        assert "Showing results for" not in main and "Resultados de" not in main


@pytest.mark.parametrize("box, first_title", [("en", "dry needling"), ("es", "punción seca")])
def test_a_misspelled_spanish_name_of_dry_needling_finds_a_dry_needling_page_in_each_box(client, site_content, box,
                                                                                        first_title):
    main, urls = box_page(client, box, "punsion seca")
    assert urls and urls[0].startswith("/es/") == (box == "es")
    first = re.search(r"<h3><a [^>]+>(.*?)</a></h3>", main).group(1)
    assert first_title in re.sub(r"</?mark>", "", first).lower()
    assert "“punción seca”" in main  # Showing results for / Resultados de


@pytest.mark.parametrize("box", BOXES)
def test_nauseous_finds_the_answer_on_feeling_faint_and_sick(client, site_content, box):
    assert box_page(client, box, "nauseous")[1][0] == FAINT_ANSWER[box]


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("query", ["sob", "pnuemothorax", "fever", "fiebre", "mareo", "brusing", "sholder",
                                   "nauseous", "punsion seca"])
def test_each_issue_query_finds_something_in_each_box(client, site_content, box, query):
    assert box_page(client, box, query)[1], f"{query!r} in {box} found nothing"


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("query, patients_language", [
    ("fever", "en"), ("I have a fever", "en"), ("fiebre", "es"), ("tengo fiebre", "es"), ("calentura", "es"),
])
def test_fever_finds_the_answer_that_speaks_about_fever_not_911(client, site_content, box, query,
                                                               patients_language):
    main, urls = box_page(client, box, query)
    assert urls and urls[0] == CLINIC_ANSWER[patients_language], f"{query!r} in {box}: {urls[:3]}"
    first = first_result_block(main)
    # The right place to go: the clinic, or the emergency department if very ill.
    assert 'class="clinic-line"' in first and 'href="tel:' in first
    assert ("emergency department" if patients_language == "en" else "sala de emergencias") in first
    assert 'href="tel:911"' not in first


@pytest.mark.parametrize("box", BOXES)
def test_mareo_finds_the_fainting_answer_first(client, site_content, box):
    assert box_page(client, box, "mareo")[1][0] == FAINT_ANSWER[box]


def test_loose_matches_rank_below_real_matches(loaded):
    # The guide has no "cupping": its stem "cup" in a title is a loose match, below a page
    # that has the other word only in its text.
    make_topic("cup-sizes", "Cup sizes", "Nothing more to say.")
    make_topic("elbow-care", "Arm care", "Elbow pain after a long day.")
    assert [r.url for r in site_search.search("cupping elbow")][:2] == ["/elbow-care/", "/cup-sizes/"]


def test_cupping_in_the_real_guide_finds_neck_pages_before_tennis_elbow(client, site_content):
    _main, urls = box_page(client, "en", "cupping neck")
    assert urls[0] == "/conditions/neck-pain/"
    assert "/conditions/tennis-elbow/" not in urls or urls.index("/conditions/tennis-elbow/") > urls.index(
        "/conditions/neck-pain/")


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("query", ["cupping", "acupuncture needles for weight loss", "botox"])
def test_what_the_clinic_does_not_offer_is_said_plainly_with_the_911_line(client, site_content, box, query):
    main, urls = box_page(client, box, query)
    not_found = re.search(r'<div class="not-offered".*?</div>', main, re.S)
    assert not_found, f"{query!r} in {box}"
    text = not_found.group(0)
    assert f"“{query}”" in text
    assert ("This clinic's guide is about dry needling" if box == "en"
            else "La guía de esta clínica es sobre la punción seca") in text
    assert 'href="/guide/"' in text or 'href="/es/guia/"' in text
    assert 'href="tel:' in text
    assert 'href="tel:911"' in main
    # The guide's own pages that speak about it come after the plain answer, if any.
    assert main.index("not-offered") < (main.index('<ol class="search-results">') if urls else len(main))


@pytest.mark.parametrize("box, query, first", [
    ("en", "will I be sore tomorrow", "/faq/will-i-be-sore/"),
    ("en", "how long does it last", "/faq/how-long-is-a-session/"),
])
def test_a_word_the_guide_lacks_beside_ones_a_title_has_is_not_called_not_found(client, site_content, box, query,
                                                                              first):
    main, urls = box_page(client, box, query)
    assert urls[0] == first
    assert "not-offered" not in main


@pytest.mark.parametrize("box", BOXES)
def test_a_page_with_no_results_still_shows_the_911_line(client, site_content, box):
    main, urls = box_page(client, box, "zzzqqq")
    assert urls == []
    assert 'href="tel:911"' in main


def test_the_urgent_answers_are_found_by_one_function(loaded):
    # One function answers "which page is the answer for this need"; another engineer swaps
    # its slug lookup for the stable key.
    assert site_search.place_to_go_keys.__doc__
    keys = site_search.place_to_go_keys()
    assert set(keys) <= {"emergency", "clinic"}


def test_a_corrected_search_counts_the_pages_matching_the_corrected_words(client, site_content):
    # A patient review: "16 pages match 'brusing'. Showing results for 'bruising'." (no page has "brusing").
    page = client.get("/search/", {"q": "brusing"}).content.decode()
    assert "match “bruising”" in page and "match “brusing”" not in page
    assert "Showing results for “bruising”." in page


def test_fold_takes_off_every_combining_mark_and_keeps_every_other_character():
    # fold() uses str.translate with a table built as characters come (it was half of building
    # the search index); it must fold exactly as a test of each character would.
    import unicodedata

    def each_character(text):
        return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))

    texts = ["Mandíbula moretón ÑANDÚ “quotes” – dash", "ǅemal ﬁ ß İstanbul Ωmega", "e\u0301 a\u0300 n\u0303",
             "\u0915\u093f\u0915\u0947 \u05e9\u05c1\u05b8\u05dc\u05d5\u05b9\u05dd", "plain ascii",
             "".join(chr(code) for code in range(0x20, 0x3000))]
    for text in texts:
        assert site_search.fold(text) == each_character(text)
