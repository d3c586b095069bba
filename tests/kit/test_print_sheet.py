"""The after-care sheet printed to PDF by Debian's headless Chromium fits on two pages."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from scripts.chromium import CHROMIUM
from scripts.chromium import FLAGS as CHROMIUM_FLAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAGS = [*CHROMIUM_FLAGS, "--no-pdf-header-footer"]


def page_count(pdf):
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


def test_after_care_sheet_prints_on_at_most_two_pages(live_server, site_content):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: run `make browser` (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "after-care.pdf"
        subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}",
             live_server.url + "/after-care/"],
            check=True, capture_output=True, timeout=120,
        )
        assert pdf.exists() and pdf.stat().st_size > 1000
        assert 1 <= page_count(pdf) <= 2


def print_pdf(url, pdf):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: run `make browser` (apt-get install chromium)")
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={pdf.parent}/profile", f"--print-to-pdf={pdf}", url],
                   check=True, capture_output=True, timeout=120)


def page_texts(pdf):
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext not found: run `make poppler` (apt-get install poppler-utils)")
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, page_count(pdf) + 1)]


@pytest.mark.parametrize("electric", [False, True], ids=["needles", "electric-current"])
def test_a_neck_and_low_back_sheet_in_both_languages_prints_on_letter_two_pages_a_language(
        live_server, site_content, electric, settings):
    from pages.kit import visit_sheets
    settings.SITE_URL = "https://clinic.example"  # the address the QR code and its caption show
    from pages.models import ELECTRIC, RedFlagList, VisitNote
    sheet = visit_sheets.visit_sheet_for(["neck", "low-back"], electric, "both")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "visit-sheet.pdf"
        print_pdf(live_server.url + sheet.get_absolute_url(), pdf)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "(letter)" in info
        texts = page_texts(pdf)
        if not electric and os.environ.get("VISIT_SHEET_PDF"):
            # docs/visit-sheet-print.pdf: VISIT_SHEET_PDF=docs/visit-sheet-print.pdf pytest <this test>
            shutil.copy(pdf, os.environ["VISIT_SHEET_PDF"])
    # Each area's note is printed, and the electric-current note only when current was used.
    printed = " ".join(" ".join(texts).split())
    for language in ("en", "es"):
        for area in ("neck", "low-back"):
            assert VisitNote.objects.get(language=language, area=area).title in printed
        assert (VisitNote.objects.get(language=language, area=ELECTRIC).title in printed) is electric
    starts = [n for n, text in enumerate(texts) if "Your after-care sheet" in text or "Su hoja de cuidados" in text]
    assert len(starts) == 2, starts
    english, spanish = texts[starts[0]:starts[1]], texts[starts[1]:]
    for pages, language in ((english, "en"), (spanish, "es")):
        assert 1 <= len(pages) <= 2, (language, len(pages))
        heading = RedFlagList.objects.get(language=language).emergency_heading
        assert heading in " ".join(pages[0].split()), (language, pages[0][:300])


def test_a_four_area_sheet_never_prints_the_qr_code_alone_on_a_page(live_server, site_content, settings):
    # Neck, upper back, chest and low back with current printed a third page holding only
    # the QR code (a patient review): the code keeps company with the notes lines.
    from pages.kit import visit_sheets
    settings.SITE_URL = "https://clinic.example"
    sheet = visit_sheets.visit_sheet_for(["neck", "upper-back", "chest", "low-back"], True, "en")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "visit-sheet.pdf"
        print_pdf(live_server.url + sheet.get_absolute_url(), pdf)
        texts = page_texts(pdf)
    [with_code] = [text for text in texts if "Scan with your phone's camera" in text]
    assert "Notes from your therapist" in with_code, [len(text) for text in texts]
