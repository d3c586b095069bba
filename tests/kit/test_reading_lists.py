"""Reading lists: one short link /r/<code>/ to the pages a therapist picked, printable as a handout."""
import html
import io
import re

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from pages.kit import reading_lists
from pages.kit.qr import qr_code
from pages.models import Condition, FaqEntry, ReadingList, RedFlagList, Topic, parse_signs
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db

SITE = "https://clinic.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def keys(*objects):
    kind = {Topic: "topic", FaqEntry: "faq", Condition: "condition"}
    return [f"{kind[type(o)]}:{o.pk}" for o in objects]


def three_items():
    return (Topic.objects.get(slug="after-care"), FaqEntry.objects.get(slug="will-i-be-sore"),
            Condition.objects.published().first())


def make(staff_client, items):
    return staff_client.post("/staff/links/", {"item": items, "action": "make"})


def test_the_same_selection_in_the_same_order_gives_the_same_code(staff_client, site_content):
    a, b, c = three_items()
    first = make(staff_client, keys(a, b, c))
    second = make(staff_client, keys(a, b, c))
    assert first["Location"] == second["Location"]
    assert ReadingList.objects.count() == 1
    code = ReadingList.objects.get().code
    assert re.fullmatch(f"[{reading_lists.CODE_ALPHABET}]{{{reading_lists.CODE_LENGTH}}}", code)
    make(staff_client, keys(a, b))
    assert ReadingList.objects.count() == 2  # another selection, another list


def item_paths(page):
    return re.findall(r'<h2><a href="([^"]+)">', page.split('class="reading-items"')[1].split("</ol>")[0])


def test_a_list_keeps_the_order_the_therapist_ticked(client, site_content):
    topic, entry, condition = three_items()
    in_order = reading_lists.reading_list_for(keys(condition, entry, topic))
    page = client.get(f"/r/{in_order.code}/").content.decode()
    assert item_paths(page) == [condition.get_absolute_url(), entry.get_absolute_url(), topic.get_absolute_url()]
    # The same pages in another order are another list, in that order.
    other = reading_lists.reading_list_for(keys(entry, topic, condition))
    assert other.code != in_order.code
    page = client.get(f"/r/{other.code}/").content.decode()
    assert item_paths(page) == [entry.get_absolute_url(), topic.get_absolute_url(), condition.get_absolute_url()]


def test_a_spanish_list_keeps_the_order_too(client, site_content):
    topic, entry, condition = three_items()
    reading_list = reading_lists.reading_list_for(keys(condition, entry, topic))
    paths = item_paths(client.get(f"/es/r/{reading_list.code}/").content.decode())
    assert [path.split("/")[2] for path in paths] == ["afecciones", "preguntas", "cuidados-despues"]


def test_the_builder_keeps_the_order_of_the_ticks(staff_client, site_content):
    topic, entry, condition = three_items()
    # The form sends ticked boxes in page order; link-builder.js adds the order they were ticked in.
    ticked = keys(condition, topic, entry)
    response = staff_client.post("/staff/links/", {"item": keys(topic, entry, condition), "action": "make",
                                                   "order": " ".join(ticked)})
    reading_list = ReadingList.objects.get()
    assert response["Location"].endswith(f"?list={reading_list.code}")
    assert reading_list.order.split() == ticked
    # Without JavaScript (no order): the page order. An order that names other pages is ignored.
    staff_client.post("/staff/links/", {"item": keys(topic, condition), "action": "make",
                                        "order": " ".join(keys(entry, condition))})
    assert ReadingList.objects.get(code__in=[r.code for r in ReadingList.objects.exclude(pk=reading_list.pk)]
                                   ).order.split() == keys(topic, condition)


def test_codes_are_random_not_counted(site_content):
    topics = list(Topic.objects.published()[:4])
    codes = {reading_lists.reading_list_for(keys(topic)).code for topic in topics}
    assert len(codes) == 4
    assert not any(code.isdigit() for code in codes)


def test_the_list_page_shows_each_item_with_its_summary(client, site_content):
    topic, entry, condition = three_items()
    reading_list = reading_lists.reading_list_for(keys(topic, entry, condition))
    page = client.get(f"/r/{reading_list.code}/").content.decode()
    assert "<h1>Your reading from Example Physical Therapy (demo)</h1>" in page
    assert f'<a href="/after-care/">{topic.title}</a>' in page
    assert '<a href="/faq/will-i-be-sore/">Will I be sore afterward?</a>' in page
    assert f'<a href="{condition.get_absolute_url()}">{condition.name}</a>' in page
    assert topic.summary[:40] in page
    assert condition.summary[:40] in page
    assert reading_lists.answer_summary(entry.answer)[:40] in page


def test_a_renamed_page_follows(client, site_content):
    topic, entry, _condition = three_items()
    reading_list = reading_lists.reading_list_for(keys(topic, entry))
    with as_loaded():
        topic.slug, topic.title = "looking-after-yourself", "Looking after yourself"
    with as_loaded():
        topic.save()
    page = client.get(f"/r/{reading_list.code}/").content.decode()
    assert '<a href="/looking-after-yourself/">Looking after yourself</a>' in page
    assert "/after-care/" not in page.split('class="reading-items"')[1].split("</ol>")[0]


def test_a_deleted_or_unpublished_item_drops_out_without_error(client, site_content):
    topic, entry, condition = three_items()
    reading_list = reading_lists.reading_list_for(keys(topic, entry, condition))
    with as_loaded():
        entry.delete()
    with as_loaded():
        Condition.objects.filter(pk=condition.pk).update(published=False)
    response = client.get(f"/r/{reading_list.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Will I be sore afterward?" not in page
    assert condition.name not in page.split('class="reading-items"')[1]
    assert f'<a href="/after-care/">{topic.title}</a>' in page
    with as_loaded():
        topic.delete()
    page = client.get(f"/r/{reading_list.code}/").content.decode()
    assert "ask your therapist for a new link" in page


def test_unknown_code_is_the_helpful_404_with_search(client, site_content):
    response = client.get("/r/zzzzzzz/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We can&#x27;t find that page" in page or "We can't find that page" in page
    assert 'id="not-found-q"' in page


def test_list_page_is_cached_and_a_content_change_clears_it(client, site_content):
    topic, entry, _condition = three_items()
    reading_list = reading_lists.reading_list_for(keys(topic, entry))
    url = f"/r/{reading_list.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0  # served from the page cache
    with as_loaded():
        entry.question = "Will I feel sore after dry needling?"
    with as_loaded():
        entry.save()
    assert "Will I feel sore after dry needling?" in client.get(url).content.decode()


# No patient data: the list and the form hold page references and nothing typed.

def test_the_model_has_no_field_that_can_hold_patient_data():
    fields = {f.name: f for f in ReadingList._meta.get_fields()}
    assert set(fields) == {"id", "code", "selection", "order", "created", "topics", "faq_entries", "conditions"}
    for name in ("topics", "faq_entries", "conditions"):
        assert isinstance(fields[name], models.ManyToManyField)
        assert fields[name].related_model in (Topic, FaqEntry, Condition)
    # The text fields are made by the site, never typed: random code, hash of the selection.
    assert not fields["code"].editable and not fields["selection"].editable and not fields["order"].editable
    assert fields["selection"].max_length == 64
    # The order is the ticked items' keys ("faq:7"), at most 20 of them.
    assert fields["order"].max_length <= 20 * 24


def test_the_form_has_only_ticks_of_published_pages(site_content):
    form = reading_lists.ReadingListForm()
    assert set(form.fields) == {"item"}
    values = [value for value, _label in form.fields["item"].choices]
    assert values and all(re.fullmatch(r"(topic|faq|condition):\d+", value) for value in values)


def test_the_handout_blanks_are_outside_any_form_and_have_no_name(client, site_content):
    reading_list = reading_lists.reading_list_for(keys(Topic.objects.get(slug="after-care")))
    page = client.get(f"/r/{reading_list.code}/").content.decode()
    before, rest = page.split('<section class="handout-blanks"')
    blanks = rest.split("</section>")[0]
    assert len(re.findall(r"<input ", blanks)) == 3
    assert " name=" not in blanks  # a control without a name is never submitted
    assert before.count("<form") == before.count("</form>")  # not inside a form
    assert "<form" not in blanks


# Bad input: a clear message, no list made.

@pytest.mark.parametrize("case", ["empty", "unknown", "unpublished", "too many"])
def test_bad_selections_make_no_list_and_say_why(staff_client, site_content, case):
    topic = Topic.objects.get(slug="after-care")
    items, message = {
        "empty": ([], "Tick at least one page, answer or condition."),
        "unknown": (keys(topic) + ["topic:999999"], "is not published any more"),
        "unpublished": (keys(topic) + [f"faq:{FaqEntry.objects.get(slug='will-i-bruise').pk}"],
                        "is not published any more"),
        "too many": (keys(*FaqEntry.objects.published()[:21]), "A list can hold at most 20 items; 21 are ticked."),
    }[case]
    if case == "unpublished":
        with as_loaded():
            FaqEntry.objects.filter(slug="will-i-bruise").update(published=False)
    response = make(staff_client, items)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "No link was made" in page
    assert message in page.replace("&#x27;", "'")
    assert not ReadingList.objects.exists()


def test_twenty_items_are_allowed(staff_client, site_content):
    assert make(staff_client, keys(*FaqEntry.objects.published()[:20])).status_code == 302


# The handout's QR codes.

def test_list_qr_code_decodes_to_the_lists_address(client, site_content):
    from PIL import Image
    try:
        from pyzbar.pyzbar import decode
    except ImportError as error:  # pyzbar loads Debian's libzbar0
        pytest.fail(f"cannot read QR codes ({error}): run `make zbar` (apt-get install libzbar0)")

    reading_list = reading_lists.reading_list_for(keys(Topic.objects.get(slug="after-care")))
    page = client.get(f"/r/{reading_list.code}/").content.decode()
    assert '<svg role="img" viewBox=' in page and "<title>QR code: the link to this list</title>" in page
    # The SVG on the page is segno's drawing of this very code: the same path, drawn again as PNG.
    url = f"{SITE}/r/{reading_list.code}/"
    code = qr_code(url)
    drawn = re.search(r'<svg role="img"[^>]*class="qr">.*?</svg>', page, re.S).group(0)
    assert re.search(r' d="([^"]+)"', drawn).group(1) in code.svg_inline(scale=1, border=4, lineclass=None)
    png = io.BytesIO()
    code.save(png, kind="png", scale=6, border=4)
    png.seek(0)
    assert [symbol.data.decode() for symbol in decode(Image.open(png))] == [url]


def test_after_care_sheet_prints_a_qr_code_of_its_own_address(client, site_content):
    page = client.get("/after-care/").content.decode()
    section = page.split('class="print-only print-links"')[1].split("</section>")[0]
    drawn = re.search(r' d="([^"]+)"', section).group(1)
    assert drawn in qr_code(f"{SITE}/after-care/").svg_inline(scale=1, border=4, lineclass=None)


def test_the_spanish_link_lists_the_spanish_pages_and_the_english_ones_not_translated_yet(client, site_content):
    after_care = Topic.objects.get(slug="after-care", language="en")  # has a Spanish version
    bruise = FaqEntry.objects.get(slug="will-i-bruise", language="en")
    reading_list = reading_lists.reading_list_for(keys(after_care, bruise))
    html = client.get(f"/es/r/{reading_list.code}/").content.decode()
    assert 'href="/es/preguntas/me-saldra-un-moreton/"' in html
    # Every page is translated; take one translation away to see a page not translated yet.
    with as_loaded():
        FaqEntry.objects.filter(language="es", translation_key=bruise.translation_key).delete()
    html = client.get(f"/es/r/{reading_list.code}/").content.decode()
    assert 'lang="es"' in html
    assert 'href="/es/cuidados-despues/"' in html and "Hoja de cuidados después" in html
    assert 'href="/es/preguntas/will-i-bruise/"' in html  # the English answer under the Spanish notice
    assert re.search(r'<li lang="en">\s*<h2><a href="/es/preguntas/will-i-bruise/"', html)  # read out in English
    assert 'href="/after-care/"' not in html


def test_the_builder_gives_the_same_list_as_spanish_links(staff_client, site_content):
    after_care = Topic.objects.get(slug="after-care", language="en")
    reading_list = reading_lists.reading_list_for(keys(after_care))
    html = staff_client.get(f"/staff/links/?list={reading_list.code}&language=es").content.decode()
    assert f"{SITE}/es/r/{reading_list.code}/" in html
    assert f"{SITE}/es/cuidados-despues/" in html
    assert f'href="/staff/links/?list={reading_list.code}&amp;language=en"' in html  # back to English links


# --- Guessing codes (issue 21) ----------------------------------------------------------------

def test_codes_are_ten_characters_long(site_content):
    code = reading_lists.reading_list_for(keys(Topic.objects.published().first())).code
    assert len(code) == 10 and set(code) <= set(reading_lists.CODE_ALPHABET)


@pytest.fixture
def one_minute(monkeypatch):
    """The limiter's clock, stopped in the middle of a minute (no test straddles two)."""
    from serving import rate_limit

    monkeypatch.setattr(rate_limit, "now", lambda: 1_800_000_030.0)


def test_guessing_codes_is_slowed_after_a_burst_of_misses(client, site_content, settings, one_minute):
    settings.READING_LIST_MISSES_PER_MINUTE = 5
    real = reading_lists.reading_list_for(keys(Topic.objects.published().first())).code
    for n in range(5):
        assert client.get(f"/r/zzzzzzzz{n}/").status_code == 404
    refused = client.get("/r/zzzzzzzzz9/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many tries" in refused.content.decode()
    # While refused, a real code answers the same: a guess tells nothing.
    assert client.get(f"/r/{real}/").status_code == 429
    # Another address is not slowed by this one's guesses.
    assert client.get(f"/r/{real}/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_opening_real_lists_is_never_slowed(client, site_content, settings, one_minute):
    settings.READING_LIST_MISSES_PER_MINUTE = 5
    real = reading_lists.reading_list_for(keys(Topic.objects.published().first())).code
    for n in range(10):
        # ?n=: a parameter the page cache does not store, so the view answers every time.
        assert client.get(f"/r/{real}/?n={n}").status_code == 200


def red_flag_signs(html):
    """The signs listed in the page's "Call 911" box, as plain text."""
    box = html.split('class="red-flag-signs"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"\s+", " ", sign).strip() for sign in re.findall(r"<li>(.*?)</li>", box, re.S)]


@pytest.mark.parametrize("language, answer", [("en", "/faq/when-to-call-911/"),
                                              ("es", "/es/preguntas/cuando-llamar-al-911/")])
def test_a_list_with_the_911_answer_shows_the_whole_call_911_box(client, site_content, language, answer):
    entry = FaqEntry.objects.get(slug="when-to-call-911")
    reading_list = reading_lists.reading_list_for(keys(entry, three_items()[1]))
    prefix = "/es" if language == "es" else ""
    page = client.get(f"{prefix}/r/{reading_list.code}/").content.decode()
    signs = red_flag_signs(client.get(answer).content.decode())
    assert len(signs) >= 5
    assert red_flag_signs(page) == signs
    assert 'href="tel:911"' in page
    # No cut summary of the answer: the box is its summary.
    assert reading_lists.answer_summary(entry.answer)[:60] not in page


def test_a_list_without_red_flag_pages_has_no_call_911_box(client, site_content):
    reading_list = reading_lists.reading_list_for(keys(FaqEntry.objects.get(slug="will-i-be-sore")))
    assert 'class="red-flags"' not in client.get(f"/r/{reading_list.code}/").content.decode()


def test_without_javascript_the_list_and_the_after_care_sheet_say_how_to_print(client, site_content):
    reading_list = reading_lists.reading_list_for(keys(FaqEntry.objects.get(slug="will-i-be-sore")))
    for path in [f"/r/{reading_list.code}/", "/after-care/"]:
        response = client.get(path)
        page = response.content.decode()
        assert "use your browser&#x27;s Print" in page or "use your browser's Print" in page
        # The button comes from a script file on this site, which the CSP allows; no inline script.
        assert re.search(r'<script src="/static/pages/print-button(\.[0-9a-f]+)?\.js" defer></script>', page)
        assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_list_holding_the_911_answer_shows_and_prints_every_sign_of_the_list(client, site_content, language):
    answer = FaqEntry.objects.get(slug="when-to-call-911")
    reading_list = reading_lists.reading_list_for(keys(answer, Topic.objects.get(slug="what-is-dry-needling")))
    prefix = "/es" if language == "es" else ""
    page = html.unescape(client.get(f"{prefix}/r/{reading_list.code}/").content.decode())
    assert page.count('<aside class="red-flags"') == 1  # one box, however many pages on the list have it
    box = re.search(r'<aside class="red-flags".*?</aside>', page, re.S).group(0)
    row = RedFlagList.objects.get(language=language)
    for sign, _areas in parse_signs(row.emergency_signs) + parse_signs(row.clinic_signs):
        assert f"<li>{sign}</li>" in box, sign
    assert row.when_signs_start in box and 'href="tel:911"' in box


def test_a_list_without_a_red_flag_page_has_no_box(client, site_content):
    reading_list = reading_lists.reading_list_for(keys(Topic.objects.get(slug="what-is-dry-needling")))
    assert 'class="red-flags"' not in client.get(f"/r/{reading_list.code}/").content.decode()
