"""Browser fixtures: one headless Debian Chromium per test session, driven by Selenium.

The browser is Debian's (`make browser` installs chromium and chromium-driver when they are
missing); nothing is downloaded at run time. axe-core comes from npm (`make axe`), pinned in
package-lock.json. Pages are served by pytest-django's `live_server` on 127.0.0.1 from a test
database holding the real content/ folder.
"""
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings

from scripts.chromium import CHROMEDRIVER, CHROMIUM, FLAGS
from tests.helpers import resize

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1280, 900)
PHONE = (390, 844)

# Pages other engineers may add; each is checked only if it answers 200.
OPTIONAL_PATHS = ["/search/?q=needle", "/providers/", "/locations/"]
# Never crawled: staff-only or not pages.
SKIP_PREFIXES = ("/admin/", "/markdownx/", "/static/", "/media/")
MAX_PAGES = 400


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run, quit at the end."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: run `make browser` (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def desktop(browser):
    """The browser at desktop size, with no media emulation left over from another test."""
    resize(browser, *DESKTOP)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    yield browser
    resize(browser, *DESKTOP)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make axe` (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def status_of(url):
    """HTTP status and content type of a GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), b""


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def local_path(base, href, page="/"):
    """The site path an href points to, or None if it leaves the site or is not a page."""
    url, _ = urldefrag(urljoin(base + page, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != base:
        return None
    if parts.query or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path


def public_pages(base):
    """Every public page that answers 200, as paths; built from the database and the site itself.

    Seeds: the home, FAQ and conditions pages, every published topic, FAQ answer and condition,
    any of OPTIONAL_PATHS and the pages /sitemap.xml lists. Then every same-site link on those
    pages is followed, so pages added later (providers, locations...) are checked too.
    """
    from pages.models import Condition, FaqEntry, Topic

    seeds = ["/", "/faq/", "/conditions/"]
    for model in (Topic, FaqEntry, Condition):
        seeds += [item.get_absolute_url() for item in model.objects.published()]
    seeds += OPTIONAL_PATHS
    status, _, body = status_of(base + "/sitemap.xml")
    if status == 200 and body:
        for loc in ElementTree.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            path = urlsplit(loc.text.strip()).path
            if not path.startswith(SKIP_PREFIXES):
                seeds.append(path)

    pages, seen, queue = [], set(), list(dict.fromkeys(seeds))
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, content_type, body = status_of(base + path)
        if status != 200 or content_type != "text/html":
            continue
        pages.append(path)
        parser = LinkParser()
        parser.feed(body.decode("utf-8", "replace"))
        for href in parser.hrefs:
            target = local_path(base, href, path)
            if target and target not in seen:
                queue.append(target)
    return pages


_pages_cache = {}


@pytest.fixture
def site(live_server, site_content):
    """The live site with the real content loaded: its base URL and every public page.

    Each test reloads the same content (the database is emptied between tests); the page
    list is built from it on first use and kept for the rest of the run.
    """
    if live_server.url not in _pages_cache:
        _pages_cache[live_server.url] = public_pages(live_server.url)

    class Site:
        url = live_server.url
        pages = _pages_cache[live_server.url]
        not_found = "/this-page-does-not-exist-404/"

    assert status_of(Site.url + Site.not_found)[0] == 404
    return Site


@pytest.fixture
def axe_browser(desktop, axe_source):
    """The browser with axe-core added to every document it loads (sent to Chromium once, not per page)."""
    script = desktop.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": axe_source})
    yield desktop
    desktop.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


@pytest.fixture
def phone(desktop):
    """The browser as a 390x844 phone (Chromium mobile emulation)."""
    desktop.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
    yield desktop
    desktop.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
