"""Issue 16 on a 390x844 phone (Chromium mobile emulation): the 911 link on the first screen,
a compact header, finger-sized body map targets, and focus on the results after a search."""
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from pages.feedback import recording
from pages.models import SearchCount
from tests.helpers import AXE_TAGS, RUN_AXE, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
FLAGGED = ["/after-care/", "/conditions/upper-back-and-shoulder-blade-pain/", "/conditions/neck-pain/",
           "/conditions/low-back-pain/", "/conditions/buttock-pain-and-sciatica-like-pain/",
           "/conditions/whiplash/"]


def box(driver, selector):
    return driver.execute_script(
        "const el = document.querySelector(arguments[0]); if (!el) return null;"
        "const r = el.getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, width: r.width, height: r.height};",
        selector)


@pytest.mark.parametrize("path", FLAGGED)
def test_the_911_link_is_on_the_first_screen_of_flagged_pages(site, phone, path):
    phone.get(site.url + path)
    assert phone.execute_script("return innerWidth") == WIDTH
    link = box(phone, '.red-flags a[href="tel:911"]')
    assert link, f"no tel:911 link on {path}"
    assert 0 <= link["top"] and link["bottom"] <= HEIGHT, f"the 911 link on {path} is at {link}, below the first screen"
    assert link["height"] >= 44 and link["width"] >= 44, link


def test_the_home_page_first_screen_links_the_urgent_answer(site, phone):
    phone.get(site.url + "/")
    line = box(phone, '.home-urgent a[href="/faq/when-to-call-911/"]')
    assert line and line["bottom"] <= HEIGHT, line


@pytest.mark.parametrize("path", ["/", "/after-care/", "/faq/"])
def test_the_phone_header_is_compact_and_never_hides_the_title(site, phone, path):
    phone.get(site.url + path)
    header = box(phone, "header.site-header")
    assert header["height"] <= 0.2 * HEIGHT, f"header {header['height']} px of {HEIGHT} at normal text on {path}"
    phone.execute_script("document.documentElement.style.fontSize = '200%'")
    title = box(phone, "main h1")
    assert title["top"] < HEIGHT - 40, f"at 200% text the page title starts at {title['top']} px on {path}"
    # The menu control works without JavaScript: a link to the guide's menu on this page.
    assert phone.execute_script("return !!document.querySelector(document.querySelector('.menu-link').hash)")


@pytest.mark.parametrize("path", ["/", "/conditions/"])
def test_every_body_map_target_is_at_least_44_by_44(site, phone, path):
    phone.get(site.url + path)
    targets = phone.execute_script("""
        return [...document.querySelectorAll('.body-map a')].filter(a => a.getClientRects().length)
          .map(a => { const r = a.getBoundingClientRect();
                      return {href: a.getAttribute('href'), width: r.width, height: r.height}; });""")
    assert len(targets) >= 9, targets
    small = [t for t in targets if t["width"] < 44 or t["height"] < 44]
    assert not small, f"body map targets under 44x44 on {path}: {small}"
    assert all(t["href"].startswith("/conditions/#") for t in targets)


def test_a_region_link_leads_to_its_conditions_one_tap_from_each_page(site, phone):
    phone.get(site.url + "/")
    phone.find_element("css selector", '.body-map .regions a[href="/conditions/#neck"]').click()
    links = phone.execute_script(
        "return [...document.getElementById('neck').closest('section').querySelectorAll('a')]"
        ".map(a => a.getAttribute('href'))")
    assert "/conditions/neck-pain/" in links


def test_after_a_search_focus_is_on_the_results_heading(site, phone):
    phone.get(site.url + "/")
    phone.find_element("id", "site-search-q").send_keys("bruise", Keys.ENTER)
    WebDriverWait(phone, 10).until(lambda d: "/search/" in d.current_url and d.execute_script(
        "return document.readyState") == "complete")
    assert phone.execute_script("return document.activeElement.id") == "search-results"
    ActionChains(phone).send_keys(Keys.TAB).perform()
    assert phone.execute_script("return document.activeElement.getAttribute('href')") == "/faq/will-i-bruise/"


def test_the_911_box_and_urgent_search_have_no_axe_violations(site, phone, axe_source):
    failures = []
    # Issue 24's pages too: the clinic answer, the other box's link, a corrected word, what the
    # guide does not cover, nothing found.
    for path in ["/after-care/", "/faq/when-to-call-911/", "/search/?q=chest+pain", "/",
                 "/search/?q=fever", "/search/?q=dolor+de+pecho", "/es/buscar/?q=brusing", "/search/?q=cupping",
                 "/search/?q=zzzqqq"]:
        phone.get(site.url + path)
        phone.execute_script(axe_source)
        result = phone.execute_async_script(RUN_AXE, AXE_TAGS)
        if result["violations"]:
            failures.append(describe(path, result["violations"]))
    assert not failures, "\n".join(failures)


def test_following_a_search_result_is_counted_by_its_ping_without_javascript(site, phone, settings):
    """Chromium sends the result link's ping (<a ping>) as it follows the link, whose address is
    the page's own: the clinic learns which searches nobody opened."""
    settings.SITE_URL = site.url  # the ping's address is absolute, on the site's public address
    recording.forget_counts()
    phone.get(site.url + "/search/?q=bruise")
    link = phone.find_element("css selector", ".search-results h3 a")
    assert link.get_attribute("href") == site.url + "/faq/will-i-bruise/"  # what a therapist copies
    link.click()
    WebDriverWait(phone, 10).until(lambda d: d.current_url.endswith("/faq/will-i-bruise/"))

    def counted(_driver):
        recording.flush_counts()
        return SearchCount.objects.filter(query="bruise", clicks=1).exists()

    WebDriverWait(phone, 10, poll_frequency=0.2).until(counted)
    assert SearchCount.objects.get(query="bruise").searches == 1
