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


def test_the_same_selection_in_any_order_gives_the_same_code(staff_client, site_content):
    a, b, c = three_items()
    first = make(staff_client, keys(a, b, c))
    second = make(staff_client, keys(c, a, b))
    assert first["Location"] == second["Location"]
    assert ReadingList.objects.count() == 1
    code = ReadingList.objects.get().code
    assert re.fullmatch(f"[{reading_lists.CODE_ALPHABET}]{{{reading_lists.CODE_LENGTH}}}", code)
    make(staff_client, keys(a, b))
    assert ReadingList.objects.count() == 2  # another selection, another list


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
    topic.slug, topic.title = "looking-after-yourself", "Looking after yourself"
    topic.save()
    page = client.get(f"/r/{reading_list.code}/").content.decode()
    assert '<a href="/looking-after-yourself/">Looking after yourself</a>' in page
    assert "/after-care/" not in page.split('class="reading-items"')[1].split("</ol>")[0]


def test_a_deleted_or_unpublished_item_drops_out_without_error(client, site_content):
    topic, entry, condition = three_items()
    reading_list = reading_lists.reading_list_for(keys(topic, entry, condition))
    entry.delete()
    Condition.objects.filter(pk=condition.pk).update(published=False)
    response = client.get(f"/r/{reading_list.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Will I be sore afterward?" not in page
    assert condition.name not in page.split('class="reading-items"')[1]
    assert f'<a href="/after-care/">{topic.title}</a>' in page
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
    entry.question = "Will I feel sore after dry needling?"
    entry.save()
    assert "Will I feel sore after dry needling?" in client.get(url).content.decode()


# No patient data: the list and the form hold page references and nothing typed.

def test_the_model_has_no_field_that_can_hold_patient_data():
    fields = {f.name: f for f in ReadingList._meta.get_fields()}
    assert set(fields) == {"id", "code", "selection", "created", "topics", "faq_entries", "conditions"}
    for name in ("topics", "faq_entries", "conditions"):
        assert isinstance(fields[name], models.ManyToManyField)
        assert fields[name].related_model in (Topic, FaqEntry, Condition)
    # The text fields are made by the site, never typed: random code, hash of the selection.
    assert not fields["code"].editable and not fields["selection"].editable
    assert fields["selection"].max_length == 64


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


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_list_holding_the_911_answer_shows_and_prints_every_sign_of_the_list(client, site_content, language):
    answer = FaqEntry.objects.get(slug="when-to-call-911")
    reading_list = reading_lists.reading_list_for(keys(answer, Topic.objects.get(slug="what-is-dry-needling")))
    prefix = "/es" if language == "es" else ""
    page = html.unescape(client.get(f"{prefix}/r/{reading_list.code}/").content.decode())
    box = re.search(r'<aside class="red-flags".*?</aside>', page, re.S).group(0)
    row = RedFlagList.objects.get(language=language)
    for sign, _areas in parse_signs(row.emergency_signs) + parse_signs(row.clinic_signs):
        assert f"<li>{sign}</li>" in box, sign
    assert row.when_signs_start in box and 'href="tel:911"' in box


def test_a_list_without_a_red_flag_page_has_no_box(client, site_content):
    reading_list = reading_lists.reading_list_for(keys(Topic.objects.get(slug="what-is-dry-needling")))
    assert 'class="red-flags"' not in client.get(f"/r/{reading_list.code}/").content.decode()
