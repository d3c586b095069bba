"""Issue 12: the clinical sign-off flow in Chromium, as front desk and a clinical editor do it."""
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.helpers import left_the_document, resize

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "what-are-the-risks"
PASSWORD = "a-long-test-password-1"


def make_user(django_user_model, username, *codenames):
    # Permissions, not the migration's groups: a transactional test database starts empty.
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="pages", codename__in=codenames))
    return user


def click_and_wait(driver, element):
    """Click a submit button and wait for the next page (a read before then sees the old one)."""
    element.click()
    WebDriverWait(driver, 15).until(left_the_document(element))


def sign_in(driver, base, username):
    driver.delete_all_cookies()
    driver.get(base + "/admin/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "input[type=submit]"))


def patient_sees(driver, base):
    driver.delete_all_cookies()
    driver.get(f"{base}/faq/{SLUG}/")
    return driver.find_element(By.TAG_NAME, "main").text


def test_front_desk_edit_waits_for_a_clinical_editor_then_goes_live(
    live_server, site_content, browser, django_user_model
):
    from pages.models import FaqEntry

    base = live_server.url
    make_user(django_user_model, "desk", "view_faqentry", "change_faqentry")
    make_user(django_user_model, "clin", "view_faqentry", "change_faqentry", "approve_pendingchange")
    entry = FaqEntry.objects.get(slug=SLUG)
    resize(browser, 1280, 900)

    # Front desk mistypes a risk figure in a safety answer (1 in 2,500 becomes 1 in 250) and saves.
    sign_in(browser, base, "desk")
    browser.get(f"{base}/admin/pages/faqentry/{entry.pk}/change/")
    answer = browser.find_element(By.ID, "id_answer")
    answer.clear()
    answer.send_keys(entry.answer.replace("1 in 2,500", "1 in 250"))
    click_and_wait(browser, browser.find_element(By.NAME, "_save"))
    errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".errornote, .errorlist")]
    assert not errors
    assert "Saved. A clinical editor will check it before patients see it." in browser.page_source

    # Patients still read the approved figure.
    text = patient_sees(browser, base)
    assert "1 in 2,500" in text and "1 in 250" not in text

    # The clinical editor finds it on the admin home, reads the diff, approves.
    sign_in(browser, base, "clin")
    queue = browser.find_element(By.ID, "waiting-for-approval")
    assert "waiting for your approval (1)" in queue.text.lower()  # the admin shows captions in capitals
    if os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(str(Path(os.environ["SCREENSHOT_DIR"]) / "approval-queue.png"))
    click_and_wait(browser, queue.find_element(By.LINK_TEXT, entry.question))
    assert browser.find_element(By.CSS_SELECTOR, ".word-diff del").text == "2,500"
    assert browser.find_element(By.CSS_SELECTOR, ".word-diff ins").text == "250"
    if os.environ.get("SCREENSHOT_DIR"):  # README picture: SCREENSHOT_DIR=docs/screenshots
        browser.save_screenshot(str(Path(os.environ["SCREENSHOT_DIR"]) / "approval-review.png"))
    click_and_wait(browser, browser.find_element(By.NAME, "_approve"))
    assert "Approved: patients now see this change." in browser.page_source

    # History says who approved it.
    browser.get(f"{base}/admin/pages/faqentry/{entry.pk}/history/")
    assert "Approved by clin (written by desk)" in browser.page_source

    text = patient_sees(browser, base)
    assert "1 in 250" in text and "1 in 2,500" not in text


def fits(driver, selector):
    """Neither the page nor the box scrolls sideways (the admin lets its result table scroll)."""
    return driver.execute_script(
        "const box = document.querySelector(arguments[0]);"
        "return document.documentElement.scrollWidth <= innerWidth && box.scrollWidth <= box.clientWidth",
        selector)


def test_topic_list_fits_a_1280_px_screen(live_server, site_content, browser, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    resize(browser, 1280, 900)
    sign_in(browser, live_server.url, "boss")
    browser.get(live_server.url + "/admin/pages/topic/")
    assert browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert fits(browser, "#changelist .results")


@pytest.mark.parametrize("width", [1280, 390])
def test_conflict_diff_fits_and_takes_their_text_into_the_form(live_server, site_content, browser,
                                                              django_user_model, width):
    from django.test import Client

    from pages.models import FaqEntry

    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    other = django_user_model.objects.create_superuser("ana", "ana@example.org", PASSWORD)
    entry = FaqEntry.objects.get(slug=SLUG)
    resize(browser, width, 900)
    sign_in(browser, live_server.url, "boss")
    browser.get(f"{live_server.url}/admin/pages/faqentry/{entry.pk}/change/")
    # Ana saves a long change after this form was opened.
    theirs = entry.answer.replace("Mild side effects are common.", "Mild side effects, such as soreness, are common.")
    ana = Client()
    ana.force_login(other)
    from tests.helpers import change_form_data

    url = f"/admin/pages/faqentry/{entry.pk}/change/"
    assert ana.post(url, {**change_form_data(ana, url), "answer": theirs}).status_code == 302

    answer = browser.find_element(By.ID, "id_answer")
    answer.send_keys(" My addition.")
    click_and_wait(browser, browser.find_element(By.NAME, "_save"))
    box = browser.find_element(By.CSS_SELECTOR, ".edit-conflict")
    assert "Answer" in box.text and "Take their text into the form" in box.text
    assert fits(browser, ".edit-conflict")
    assert box.size["width"] <= width
    mine = browser.find_element(By.ID, "id_answer").get_property("value")
    assert mine.endswith(" My addition.")
    box.find_element(By.CSS_SELECTOR, "button.take-theirs").click()
    assert browser.find_element(By.ID, "id_answer").get_property("value") == theirs
    # Their text in the form never loses the editor's own: it is shown beside, to copy from,
    # with a button that puts it back.
    kept = box.find_element(By.CSS_SELECTOR, ".your-text")
    assert kept.is_displayed() and "Your text" in kept.text
    assert kept.find_element(By.TAG_NAME, "textarea").get_property("value") == mine
    kept.find_element(By.CSS_SELECTOR, "button.put-mine-back").click()
    assert browser.find_element(By.ID, "id_answer").get_property("value") == mine


CUT_OFF = """
const inner = document.documentElement.clientWidth;
return [...document.querySelectorAll('#content-main *')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => el.getBoundingClientRect().right > inner + 1)
  .filter(el => !el.closest('.results, .vTextField'))  // the admin's own scrolling tables
  .map(el => el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).join('.')
       + ' right ' + Math.round(el.getBoundingClientRect().right))
  .slice(0, 5);
"""


def test_an_answers_form_and_its_preview_fit_a_390_px_phone(live_server, site_content, browser, django_user_model):
    # The owner on a phone: the Markdown preview under the answer was 610px wide in a 360px
    # column and cut off mid-word (a staff review).
    from pages.models import FaqEntry

    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    resize(browser, 390, 844)
    sign_in(browser, live_server.url, "boss")
    entry = FaqEntry.objects.get(slug=SLUG)
    browser.get(f"{live_server.url}/admin/pages/faqentry/{entry.pk}/change/")
    preview_drawn = "const p = document.querySelector('.markdownx-preview'); return p && p.innerHTML.length > 0"
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(preview_drawn))
    cut = browser.execute_script(CUT_OFF)
    assert cut == [], "; ".join(cut)


def test_the_line_above_save_changes_when_a_time_is_typed_in_goes_live_at(live_server, site_content, browser,
                                                                            django_user_model):
    # It kept saying "goes live now" with a time typed, until a round trip (a staff review).
    from pages.models import FaqEntry

    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    resize(browser, 1280, 900)
    sign_in(browser, live_server.url, "boss")
    entry = FaqEntry.objects.get(slug=SLUG)
    browser.get(f"{live_server.url}/admin/pages/faqentry/{entry.pk}/change/")

    def shown_line():
        return [line.text for line in browser.find_elements(By.CSS_SELECTOR, ".save-does, .save-at-time")
                if line.is_displayed()]

    assert shown_line() == ["Save: goes live now. Patients see your change at once."]
    typed = "const box = document.querySelector('input[name=\"go_live_at\"]'); box.value = arguments[0];" \
            "box.dispatchEvent(new Event('input', {bubbles: true}));"
    browser.execute_script(typed, "2027-01-01T08:00")
    assert shown_line() == ["Save: goes live at the time in “Goes live at”. Patients see the current text until then."]
    browser.execute_script(typed, "")
    assert shown_line() == ["Save: goes live now. Patients see your change at once."]
