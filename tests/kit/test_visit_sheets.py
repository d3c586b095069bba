"""Issue 25: the therapist's visit sheet: the warning signs for the areas needled today first."""
import html
import io
import re

import pytest

from pages.kit import visit_sheets
from pages.kit.qr import qr_code
from pages.models import Area, RedFlagList, VisitSheet, parse_signs

pytestmark = pytest.mark.django_db

SITE = "https://clinic.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def sheet_page(client, areas, electric=False, languages="en"):
    sheet = visit_sheets.visit_sheet_for(areas, electric, languages)
    return sheet, html.unescape(client.get(sheet.get_absolute_url()).content.decode())


def signs_for(language, area):
    row = RedFlagList.objects.get(language=language)
    return [sign for sign, areas in parse_signs(row.emergency_signs) if area in areas]


def text_of(page):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1]))


@pytest.mark.parametrize("area", Area.values)
def test_each_area_lists_its_warning_signs_before_anything_else(client, site_content, area):
    _sheet, page = sheet_page(client, [area])
    main = page.split('<section class="red-flags sheet-warnings"', 1)
    assert len(main) == 2, "no warning box"
    before = text_of(main[0])
    assert "Soreness" not in before and "sore" not in before  # nothing of the after-care comes first
    warnings = main[1].split("</ul>", 1)[0]
    own = signs_for("en", area)
    if own:
        for sign in own:
            assert f"<li>{sign}</li>" in warnings, (area, sign)
    assert page.index('href="tel:911"') < page.index('class="sheet-after-care')


def test_a_neck_and_low_back_sheet_has_both_areas_signs_first(client, site_content):
    _sheet, page = sheet_page(client, ["neck", "low-back"])
    first = page.split('<section class="red-flags sheet-warnings"', 1)[1].split("</ul>", 1)[0]
    for sign in ["chest pain, or pain when you breathe in",
                 "numbness between your legs (your groin, genitals, bottom or inner thighs)",
                 "new trouble controlling your bladder or bowels (when you pee or poop)"]:
        assert f"<li>{sign}</li>" in first
    assert "These signs can start hours after needling, or even a day or more later." in page
    assert "Areas treated today:</strong> neck, low back" in page


def test_the_after_care_text_says_where_the_sheet_tells_when_to_call_the_clinic(client, site_content):
    # The sheet's warning box holds the 911 signs only; the signs to call the clinic for are in
    # its clinic part further down. The after-care text, shared with the after-care page, says
    # "this sheet", not "the same list" (the box it follows on the sheet).
    _sheet, page = sheet_page(client, ["neck"], languages="both")
    for language, pointer in (("en", "This sheet also says when to call the clinic"),
                              ("es", "Esta hoja también dice cuándo llamar a la clínica")):
        after_care = page.split(f'id="sheet-after-care-{language}"', 1)[1].split("</section>", 1)[0]
        assert pointer in after_care and "same list" not in after_care and "misma lista" not in after_care
        assert page.index(f'id="sheet-clinic-{language}"') > page.index(f'id="sheet-after-care-{language}"')


@pytest.mark.parametrize("languages, expected", [("es", ["es"]), ("both", ["en", "es"])])
def test_spanish_and_both_are_each_complete(client, site_content, languages, expected):
    _sheet, page = sheet_page(client, ["neck", "low-back"], languages=languages)
    articles = re.findall(r'<article class="visit-sheet handout" lang="(\w+)".*?</article>', page, re.S)
    assert articles == expected
    for language, article in zip(expected, re.findall(r'<article class="visit-sheet.*?</article>', page, re.S),
                                 strict=True):
        row = RedFlagList.objects.get(language=language)
        for sign, _areas in parse_signs(row.emergency_signs) + parse_signs(row.clinic_signs):
            assert f"<li>{sign}</li>" in article, (language, sign)
        assert row.when_signs_start in article and row.clinic_closed in article
        assert 'href="tel:911"' in article and 'class="qr"' in article
        assert 'class="sheet-after-care' in article
    if languages == "es":
        assert "Áreas tratadas hoy:</strong> cuello, parte baja de la espalda" in page


def test_nothing_a_therapist_types_is_stored_or_sent(client, site_content):
    _sheet, page = sheet_page(client, ["neck"])
    sheet_html = page.split("<main", 1)[1]
    assert "<form" not in sheet_html and "<input" not in sheet_html and "<textarea" not in sheet_html
    assert 'class="ruled-lines"' in sheet_html


def test_the_link_stores_only_the_areas_and_options(staff_client, site_content):
    fields = {f.name for f in VisitSheet._meta.get_fields()}
    assert fields == {"id", "code", "selection", "created", "areas", "electric", "languages"}
    response = staff_client.post("/staff/visit-sheet/", {
        "areas": ["neck", "low-back"], "electric": "on", "languages": "both", "name": "Jane Doe", "note": "x"})
    assert response.status_code == 302
    sheet = VisitSheet.objects.get()
    assert (sheet.areas, sheet.electric, sheet.languages) == ("neck,low-back", True, "both")
    page = staff_client.get(response["Location"]).content.decode()
    assert f"{SITE}/v/{sheet.code}/" in page and "Jane Doe" not in page
    again = staff_client.post("/staff/visit-sheet/", {"areas": ["low-back", "neck"], "electric": "on",
                                                      "languages": "both"})
    assert again["Location"] == response["Location"] and VisitSheet.objects.count() == 1


def test_the_builder_needs_an_area_and_says_so(staff_client, site_content):
    response = staff_client.post("/staff/visit-sheet/", {"languages": "en"})
    assert response.status_code == 200 and not VisitSheet.objects.exists()
    assert "Tick at least one area treated today; no sheet was made." in response.content.decode()


def test_patients_cannot_open_the_builder(client, site_content):
    assert client.get("/staff/visit-sheet/").status_code == 404  # as /staff/links/: hidden from patients


def test_the_sheet_qr_code_decodes_to_its_address(client, site_content):
    from PIL import Image
    try:
        from pyzbar.pyzbar import decode
    except ImportError as error:  # pyzbar loads Debian's libzbar0
        pytest.fail(f"cannot read QR codes ({error}): run `make zbar` (apt-get install libzbar0)")

    sheet, page = sheet_page(client, ["neck"])
    url = f"{SITE}/v/{sheet.code}/"
    assert url in page
    code = qr_code(url)
    drawn = re.search(r'<svg role="img"[^>]*class="qr">.*?</svg>', page, re.S).group(0)
    assert re.search(r' d="([^"]+)"', drawn).group(1) in code.svg_inline(scale=1, border=4, lineclass=None)
    png = io.BytesIO()
    code.save(png, kind="png", scale=6, border=4)
    png.seek(0)
    assert [symbol.data.decode() for symbol in decode(Image.open(png))] == [url]


def test_a_spanish_sheet_opens_under_es_and_the_english_address_leads_there(client, site_content):
    sheet = visit_sheets.visit_sheet_for(["neck"], False, "es")
    assert sheet.get_absolute_url() == f"/es/v/{sheet.code}/"
    response = client.get(f"/v/{sheet.code}/")
    assert response.status_code == 302 and response["Location"] == f"/es/v/{sheet.code}/"
    assert '<html lang="es">' in client.get(f"/es/v/{sheet.code}/").content.decode()


def test_the_link_builder_links_to_the_visit_sheet(staff_client, site_content):
    assert 'href="/staff/visit-sheet/"' in staff_client.get("/staff/links/").content.decode()
