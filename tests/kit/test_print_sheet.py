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
