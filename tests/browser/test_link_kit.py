"""The therapists' kit in Chromium: filter as you type, make one link, both copy buttons.

The clipboard is read back in the page (navigator.clipboard) after granting clipboard access
through CDP (Browser.grantPermissions). The test also times a therapist's usual job, sending
three pages (search, tick, make the link, copy), and prints the figure for the report.
"""
import time

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pages.models import ReadingList
from tests.helpers import axe_violations, describe, resize

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READ_TEXT = """
const done = arguments[0];
navigator.clipboard.readText().then(done, (error) => done("ERROR " + error));
"""
READ_HTML = """
const done = arguments[0];
navigator.clipboard.read()
  .then((items) => items[0].getType("text/html"))
  .then((blob) => blob.text())
  .then(done, (error) => done("ERROR " + error));
"""


@pytest.fixture
def therapist(site, desktop, django_user_model):
    """The browser, signed in as staff, allowed to read and write the clipboard."""
    user = django_user_model.objects.create_user("therapist", password="a-long-test-password", is_staff=True)
    client = Client()
    client.force_login(user)
    desktop.get(site.url + "/robots.txt")
    desktop.delete_all_cookies()
    desktop.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
    desktop.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": site.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
    })
    yield desktop
    desktop.execute_cdp_cmd("Browser.resetPermissions", {})
    desktop.delete_all_cookies()


def wait(driver, condition, message):
    return WebDriverWait(driver, 10, poll_frequency=0.05).until(condition, message)


def tick(driver, search, words, label):
    search.clear()
    search.send_keys(words)
    driver.find_element(By.XPATH, f'//label[normalize-space()="{label}"]').click()


def test_therapist_sends_three_pages_with_both_copy_buttons(site, therapist):
    driver = therapist
    started = time.monotonic()
    driver.get(site.url + "/staff/links/")
    search = driver.find_element(By.ID, "pick-search")
    assert not driver.find_element(By.ID, "filter-button").is_displayed()  # JS filters as you type

    tick(driver, search, "after", "After-care sheet")
    tick(driver, search, "sore", "Will I be sore afterward?")
    tick(driver, search, "whiplash", "Whiplash")
    driver.find_element(By.CSS_SELECTOR, 'button[value="make"]').click()
    copy = wait(driver, lambda d: d.find_element(By.ID, "copy-text"), "no Copy button after making the link")
    copy.click()
    wait(driver, lambda d: d.find_element(By.ID, "copy-status").text, "no message after copying")
    text = driver.execute_async_script(READ_TEXT)
    elapsed = time.monotonic() - started

    code = ReadingList.objects.get().code
    lines = text.splitlines()
    assert lines[0] == f"Your reading from Example Physical Therapy (demo) — {settings.SITE_URL.rstrip('/')}/r/{code}/"
    assert [line.split(" — ")[0] for line in lines[1:]] == ["After-care sheet", "Will I be sore afterward?", "Whiplash"]
    assert driver.find_element(By.ID, "copy-status").text == "Copied. Paste it into your email or message."

    driver.find_element(By.ID, "copy-html").click()
    # The message is emptied when a copy starts and comes back once the clipboard holds the HTML.
    wait(driver, lambda d: d.find_element(By.ID, "copy-status").text, "no message after copying for email")
    html = driver.execute_async_script(READ_HTML)
    assert f'<a href="{settings.SITE_URL.rstrip("/")}/r/{code}/">' in html
    assert ">Whiplash</a>" in html
    print(f"\nSending three pages (open the builder, search and tick 3 items, make the link, copy): "
          f"{elapsed:.2f} s in headless Chromium")


def test_typing_in_the_search_box_filters_the_list_without_a_round_trip(site, therapist):
    driver = therapist
    driver.get(site.url + "/staff/links/")
    before = driver.execute_script("return performance.getEntriesByType('navigation').length")
    driver.find_element(By.ID, "pick-search").send_keys("sore")
    shown = [row.text for row in driver.find_elements(By.CSS_SELECTOR, ".check") if row.is_displayed()]
    assert shown and all("sore" in label.lower() for label in shown)
    assert driver.execute_script("return performance.getEntriesByType('navigation').length") == before
    assert driver.current_url == site.url + "/staff/links/"


@pytest.mark.usefixtures("axe_browser")  # axe-core in every page of the same browser
def test_builder_and_reading_list_have_no_axe_violations_on_a_phone(site, therapist):
    from pages.kit import reading_lists
    from pages.models import Condition, FaqEntry, Topic

    picks = [f"topic:{Topic.objects.get(slug='after-care').pk}", f"faq:{FaqEntry.objects.published().first().pk}",
             f"condition:{Condition.objects.published().first().pk}"]
    code = reading_lists.reading_list_for(picks).code
    resize(therapist, 390)
    problems = []
    for path in (f"/staff/links/?list={code}", f"/r/{code}/"):
        problems += [describe(path, axe_violations(therapist, site.url + path))]
        width = therapist.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
    assert not any(problems), "\n".join(problems)


def test_the_list_keeps_the_order_the_therapist_ticked(site, therapist):
    driver = therapist
    driver.get(site.url + "/staff/links/")
    search = driver.find_element(By.ID, "pick-search")
    tick(driver, search, "whiplash", "Whiplash")
    tick(driver, search, "sore", "Will I be sore afterward?")
    tick(driver, search, "after", "After-care sheet")
    driver.find_element(By.CSS_SELECTOR, 'button[value="make"]').click()
    wait(driver, lambda d: "?list=" in d.current_url, "no list was made")
    reading_list = ReadingList.objects.get()
    driver.get(site.url + reading_list.get_absolute_url())
    titles = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".reading-items h2")]
    assert titles == ["Whiplash", "Will I be sore afterward?", "After-care sheet"]
