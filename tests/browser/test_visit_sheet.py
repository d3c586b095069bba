"""Issue 25: the visit sheet passes axe and the Nu checker, and a phone shows its 911 button at once."""
import pytest
from selenium.webdriver.common.by import By

from pages.kit import visit_sheets
from tests.helpers import axe_violations, describe, page_html, require_vnu, resize, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sheets(live_server, site_content):
    return [visit_sheets.visit_sheet_for(["neck", "low-back"], True, languages) for languages in ("both", "es")]


def test_the_visit_sheet_has_no_axe_violations(live_server, sheets, axe_browser):
    failures = [describe(sheet.get_absolute_url(), violations) for sheet in sheets
                if (violations := axe_violations(axe_browser, live_server.url + sheet.get_absolute_url()))]
    assert not failures, "\n".join(failures)


def test_the_visit_sheet_passes_the_nu_html_checker(live_server, sheets, tmp_path):
    require_vnu()
    files = []
    for number, sheet in enumerate(sheets):
        files.append(tmp_path / f"sheet-{number}.html")
        files[-1].write_bytes(page_html(live_server.url + sheet.get_absolute_url()))
    assert vnu_errors(files) == {}


@pytest.mark.parametrize("number", [0, 1])
def test_a_phone_opening_the_link_sees_the_tap_to_call_911_button_on_the_first_screen(
        live_server, sheets, desktop, number):
    resize(desktop, 360, 640)
    desktop.get(live_server.url + sheets[number].get_absolute_url())
    button = desktop.find_element(By.CSS_SELECTOR, '.sheet-warnings a[href="tel:911"]')
    top = desktop.execute_script("return arguments[0].getBoundingClientRect().bottom", button)
    assert button.is_displayed() and top <= 640, top
