#!/usr/bin/env python3
"""Measure the phone wayfinding figures of issue 16 with Debian's headless Chromium.

    .venv/bin/python scripts/wayfinding_figures.py

Starts its own server the same way as scripts/screenshots.py (temporary SQLite database loaded
from content/, stopped at the end) and prints, on a 390x844 phone viewport:
- keyboard presses from the home page to the bruising answer, by links and by the search box
  (Tab presses until the right link has focus, plus Enter; typing counts one press a letter);
- the home page's height in px and in screens of 844 px;
- the header's height at 100% and 200% text, and whether the page's h1 starts on the first screen;
- for the queries of issue 24, typed into each box (/search/ from the English home page,
  /es/buscar/ from the Spanish one): the first result, whether it is the right answer, and the
  key presses from the home page to it (or that the page says plainly the guide lacks it).
- issue 24, at 100% and 200% text in English and Spanish: the top of the 911 call button (the
  "Call 911" box's tel:911 link, or the home page's 911 line), the top of the Español / English
  link, and how many typed characters the search box shows.
- the home page's length in screens at 100% and 200% text, in English and Spanish, and the
  height of each of its blocks (`--home` prints only this).
"""
import sys
from urllib.parse import urlencode

from screenshots import local_site  # scripts/, beside this file
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

WIDTH, HEIGHT = 390, 844
TARGET = "will-i-bruise"
FOCUSED_HREF = "return document.activeElement.getAttribute('href') || document.activeElement.id || ''"


def phone(driver):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": True},
    )


def tabs_until(driver, wanted, limit=300):
    """Tab presses until the focused element's href (or id) satisfies `wanted`; None if never."""
    for count in range(1, limit + 1):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if wanted(driver.execute_script(FOCUSED_HREF)):
            return count
    return None


def by_links(driver, base):
    """Home -> the FAQ page (unless the home page links the answer itself) -> the answer."""
    driver.get(base + "/")
    count = tabs_until(driver, lambda h: TARGET in h or h.rstrip("/").endswith("/faq"))
    if count is None:
        return None
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    presses = count + 1
    if TARGET not in driver.current_url:
        more = tabs_until(driver, lambda h: TARGET in h)
        if more is None:
            return None
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        presses += more + 1
    return presses


def by_search(driver, base, word="bruise"):
    driver.get(base + "/")
    count = tabs_until(driver, lambda h: h == "site-search-q")
    ActionChains(driver).send_keys(word, Keys.ENTER).perform()
    presses = count + len(word) + 1
    more = tabs_until(driver, lambda h: TARGET in h)
    if more is None:
        return None
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    return presses + more + 1


# Issue 24: query -> (the right first result in the English box, in the Spanish box); None where
# the right page is "We could not find ..." (what the clinic does not offer). The answer on where
# to go comes first in the patient's language, whichever box.
EMERGENCY = {"en": ("/faq/when-to-call-911/",) * 2, "es": ("/es/preguntas/cuando-llamar-al-911/",) * 2}
CLINIC = {"en": ("/faq/when-to-call-the-clinic/",) * 2, "es": ("/es/preguntas/cuando-llamar-a-la-clinica/",) * 2}
FAINT = ("/faq/what-if-i-feel-faint/", "/es/preguntas/si-siento-que-me-desmayo/")
ISSUE_24_QUERIES = {
    "me falta el aire": EMERGENCY["es"], "dolor de pecho": EMERGENCY["es"], "chest pain": EMERGENCY["en"],
    "pnuemothorax": EMERGENCY["en"], "sob": EMERGENCY["en"], "fever": CLINIC["en"], "fiebre": CLINIC["es"],
    "mareo": FAINT, "nauseous": FAINT, "brusing": ("/faq/will-i-bruise/", "/es/preguntas/me-saldra-un-moreton/"),
    "sholder": ("/conditions/shoulder-pain/", "/es/afecciones/dolor-de-hombro/"),
    "cupping": None, "botox": None, "acupuncture needles for weight loss": None,
}


def by_search_to(driver, base, home, query, wanted):
    """Key presses from `home` to `wanted` by its search box; None if the results never reach it."""
    driver.get(base + home)
    count = tabs_until(driver, lambda h: h == "site-search-q")
    ActionChains(driver).send_keys(query, Keys.ENTER).perform()
    more = tabs_until(driver, lambda h: h == wanted, limit=40)
    return None if more is None else count + len(query) + 1 + more + 1


def issue_24(driver, base):
    for box, home, column in (("/search/", "/", 0), ("/es/buscar/", "/es/", 1)):
        right = 0
        for query, expected in ISSUE_24_QUERIES.items():
            driver.get(f"{base}{box}?{urlencode({'q': query})}")
            links = driver.find_elements(By.CSS_SELECTOR, "ol.search-results h3 a")
            first = links[0].get_attribute("href").removeprefix(base) if links else "(none)"
            if expected is None:
                ok = bool(driver.find_elements(By.CSS_SELECTOR, ".not-offered"))
                print(f"{box} {query!r}: 'We could not find' shown: {'yes' if ok else 'NO'}, first result {first}")
            else:
                ok = first == expected[column]
                presses = by_search_to(driver, base, home, query, expected[column]) if ok else None
                print(f"{box} {query!r}: first {first} {'right' if ok else 'WRONG, want ' + expected[column]}"
                      + (f", {presses} key presses from {home}" if presses else ""))
            right += ok
        print(f"{box}: {right} of {len(ISSUE_24_QUERIES)} issue-24 queries answered right")


HEADER = """
document.documentElement.style.fontSize = arguments[0];
const header = document.querySelector('header.site-header').getBoundingClientRect();
const h1 = document.querySelector('main h1').getBoundingClientRect();
return {header: Math.round(header.height), h1_top: Math.round(h1.top), h1_bottom: Math.round(h1.bottom)};
"""


# The 911 target of each page: its first call button (tel:911), or the home page's line that leads to it.
FIRST_SCREEN_PAGES = [
    ("/", ".home-urgent a"), ("/after-care/", 'a[href="tel:911"]'),
    ("/faq/when-to-call-911/", 'a[href="tel:911"]'),
    ("/es/", ".home-urgent a"), ("/es/cuidados-despues/", 'a[href="tel:911"]'),
    ("/es/preguntas/cuando-llamar-al-911/", 'a[href="tel:911"]'),
]

# Characters a search box shows: its text width over the average width of a typical query's letters.
FIRST_SCREEN = """
document.documentElement.style.fontSize = arguments[0];
function top(selector) {
  const el = [...document.querySelectorAll(selector)].find(e => e.getClientRects().length);
  return el ? Math.round(el.getBoundingClientRect().top) : null;
}
const input = document.getElementById('site-search-q');
const style = getComputedStyle(input);
const context = document.createElement('canvas').getContext('2d');
context.font = style.font;
const sample = 'jaw pain soreness bruise';
const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
return {urgent: top(arguments[1]), language: top('.language-switch a[hreflang]'),
        characters: Math.floor(room / (context.measureText(sample).width / sample.length))};
"""


def first_screen(driver, base):
    for page, urgent in FIRST_SCREEN_PAGES:
        for size in ("100%", "200%"):
            driver.get(base + page)
            m = driver.execute_script(FIRST_SCREEN, size, urgent)
            screens = "-" if m["urgent"] is None else f"{m['urgent'] / HEIGHT:.2f}"
            print(f"{page} text {size}: 911 top {m['urgent']} px ({screens} screens), "
                  f"language link top {m['language']} px, search box shows {m['characters']} characters")


# The home page's blocks, top to bottom: what makes it long on a phone.
HOME_BLOCKS = """
document.documentElement.style.fontSize = arguments[0];
const blocks = [['header', 'header.site-header']];
for (const el of document.querySelectorAll('main > *')) {
  blocks.push([el.id || el.className || el.tagName.toLowerCase(), null, el]);
}
blocks.push(['footer', 'footer']);
const out = blocks.map(([name, selector, el]) => {
  el = el || document.querySelector(selector);
  return el ? [name, Math.round(el.getBoundingClientRect().height)] : [name, null];
});
return {height: document.documentElement.scrollHeight, blocks: out};
"""


def home_screens(driver, base):
    for home in ("/", "/es/"):
        for size in ("100%", "200%"):
            driver.get(base + home)
            m = driver.execute_script(HOME_BLOCKS, size)
            blocks = ", ".join(f"{name} {px}" for name, px in m["blocks"] if px)
            print(f"home {home} text {size}: {m['height']} px = {m['height'] / HEIGHT:.1f} screens ({blocks})")


def main():
    with local_site("wayfinding-") as (_env, base, driver):
        phone(driver)
        if "--home" in sys.argv[1:]:
            home_screens(driver, base)
            return
        print(f"key presses home -> bruising answer, by links: {by_links(driver, base)}")
        print(f"key presses home -> bruising answer, by search 'bruise': {by_search(driver, base)}")
        driver.get(base + "/")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        print(f"home page height on a {WIDTH}x{HEIGHT} phone: {height} px = {height / HEIGHT:.1f} screens")
        for page in ("/", "/after-care/", "/faq/"):
            for size in ("100%", "200%"):
                driver.get(base + page)
                m = driver.execute_script(HEADER, size)
                seen = "yes" if m["h1_top"] < HEIGHT else "NO"
                print(f"{page} text {size}: header {m['header']} px ({m['header'] / HEIGHT:.0%}), "
                      f"h1 top {m['h1_top']} px, title on first screen: {seen}")
            if page == "/faq/":
                height = driver.execute_script("return document.documentElement.scrollHeight")
                print(f"/faq/ at 200% text: {height / HEIGHT:.1f} screens")
        issue_24(driver, base)
        first_screen(driver, base)
        home_screens(driver, base)


if __name__ == "__main__":
    main()
