"""Keyboard use in Chromium: skip link, visible focus, body map and search."""
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = """
const el = document.activeElement;
const style = getComputedStyle(el);
const r = el.getBoundingClientRect();
// An SVG link may show focus by repainting its shape instead of an outline: compare its first
// shape's paint with that of another, unfocused link of the same kind.
const paint = a => {
  const shape = a.querySelector('path, rect, circle, ellipse, polygon');
  if (!shape) return null;
  const s = getComputedStyle(shape);
  return [s.fill, s.stroke, s.strokeWidth].join(' ');
};
let repainted = false;
if (el.closest('svg')) {
  const other = [...el.closest('svg').querySelectorAll('a[href]')].find(a => a !== el && paint(a) !== null);
  repainted = !!other && paint(other) !== paint(el);
}
return {
  repainted,
  tag: el.tagName.toLowerCase(), id: el.id, cls: el.className && el.className.baseVal !== undefined
    ? el.className.baseVal : el.className,
  href: el.getAttribute('href'), text: (el.textContent || '').trim().slice(0, 60),
  outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), shadow: style.boxShadow,
  inSvg: !!el.closest('svg'), top: r.top, bottom: r.bottom, left: r.left,
};
"""


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()
    return driver.execute_script(ACTIVE)


def focus_is_visible(active):
    outline = active["outline"] != "none" and active["outlineWidth"] > 0
    return outline or active["shadow"] != "none" or active["repainted"]


@pytest.mark.parametrize("page", ["/", "/faq/", "/after-care/"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(site, desktop, page):
    desktop.get(site.url + page)
    first = press(desktop, Keys.TAB)
    assert first["href"] == "#main", f"first Tab stop on {page} is {first}, not the skip link"
    assert first["top"] >= 0 and first["left"] >= 0, f"the focused skip link is off screen: {first}"
    assert focus_is_visible(first), f"the focused skip link has no visible focus style: {first}"
    after = press(desktop, Keys.ENTER)
    assert after["tag"] == "main" and after["id"] == "main", f"Enter on the skip link focused {after}"
    assert urlsplit(desktop.current_url).fragment == "main"
    # The next Tab continues inside main, not back at the top of the page.
    nxt = press(desktop, Keys.TAB)
    assert desktop.execute_script("return !!document.activeElement.closest('main')"), nxt


def test_every_tab_stop_on_the_home_page_shows_focus(site, desktop):
    desktop.get(site.url + "/")
    links = desktop.execute_script(
        "return [...document.querySelectorAll('a[href], button, input, select, textarea')]"
        ".filter(el => el.getClientRects().length).length"
    )
    seen, invisible = [], []
    for _ in range(links):
        active = press(desktop, Keys.TAB)
        if active["tag"] == "body":
            break
        seen.append(active)
        if not focus_is_visible(active):
            invisible.append(active)
    assert len(seen) >= 10, f"Tab reached only {seen}"
    assert not invisible, "focused elements with neither outline nor box-shadow:\n" + "\n".join(map(str, invisible))


def test_body_map_link_by_keyboard_reaches_the_conditions_region(site, desktop):
    desktop.get(site.url + "/")
    svg_links = desktop.find_elements(By.CSS_SELECTOR, "main svg a")
    if not svg_links:
        pytest.skip("the home page has no body map (inline SVG links) yet")
    for _ in range(200):
        active = press(desktop, Keys.TAB)
        if active["inSvg"] or active["tag"] == "body":
            break
    assert active["inSvg"], "Tab never reached a body-map link"
    assert focus_is_visible(active), f"the focused body-map link has no visible focus style: {active}"
    press(desktop, Keys.ENTER)
    WebDriverWait(desktop, 10).until(lambda d: urlsplit(d.current_url).path == "/conditions/")
    region = urlsplit(desktop.current_url).fragment
    assert region, f"the body-map link went to {desktop.current_url} without a region"
    assert desktop.find_elements(By.ID, region), f"/conditions/ has no section with id {region!r}"


def test_search_box_by_keyboard_lands_on_results(site, desktop):
    desktop.get(site.url + "/")
    boxes = desktop.find_elements(By.CSS_SELECTOR, "input[type=search], form[action*='search'] input[name=q]")
    if not boxes:
        pytest.skip("the site has no search box yet")
    for _ in range(200):
        active = press(desktop, Keys.TAB)
        if active["tag"] == "input" or active["tag"] == "body":
            break
    assert active["tag"] == "input", "Tab never reached the search box"
    press(desktop, "needle", Keys.ENTER)
    WebDriverWait(desktop, 10).until(lambda d: urlsplit(d.current_url).path == "/search/")
    assert parse_qs(urlsplit(desktop.current_url).query).get("q") == ["needle"], desktop.current_url
    from pages.models import Condition, FaqEntry, Topic

    guide_urls = {item.get_absolute_url() for model in (Topic, FaqEntry, Condition)
                  for item in model.objects.published()}
    found = {
        urlsplit(a.get_attribute("href")).path for a in desktop.find_elements(By.CSS_SELECTOR, "main a[href]")
    }
    assert found & guide_urls, f"no guide page among the results for 'needle': {sorted(found)}"
