"""Reflow, text zoom, touch targets and reduced motion, measured in Chromium on every page."""
import pytest

from tests.helpers import resize

# One xdist worker runs this module (tests/conftest.py: ONE_WORKER_MODULES), so each page is
# measured once per run.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A short description of an element for failure messages: tag.class "text" href=...
DESCRIBE = """
function describe(el) {
  const cls = typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  const text = (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
  const href = el.getAttribute('href') ? ' href=' + el.getAttribute('href') : '';
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' "' + text.slice(0, 40) + '"' + href;
}
"""

OVERFLOW = DESCRIBE + """
const root = document.documentElement;
root.style.fontSize = arguments[0];
const wide = [];
if (root.scrollWidth > root.clientWidth) {
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > root.clientWidth + 1 && getComputedStyle(el).position !== 'absolute') {
      wide.push(describe(el) + ' (right edge ' + Math.round(r.right) + 'px)');
    }
  }
}
return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 5)};
"""


# Every page is loaded once for the three reflow and touch-target tests below: each view
# (window width, root font size) is measured on that one load, in an order that leaves no
# font size behind for the touch targets (an empty font size removes the inline style), and
# the results are kept for the rest of the run (each test reloads the same content).
# Loading each page once per test took three times as long.
OVERFLOW_VIEWS = {
    "360px": (360, ""),
    "page zoom 200% of 1280px = 640px": (640, ""),
    "text 200% at 1280px": (1280, "200%"),
    "text 200% on a 360px phone": (360, "200%"),
}
# (window width, measurement): 200% text goes last at each width, touch targets at 100%.
PAGE_STEPS = [
    (360, ("overflow", "360px")),
    (360, ("targets", 360)),
    (640, ("overflow", "page zoom 200% of 1280px = 640px")),
    (1280, ("targets", 1280)),
    (1280, ("overflow", "text 200% at 1280px")),
    (360, ("overflow", "text 200% on a 360px phone")),
]
_measured = {}


def measured_pages(browser, site):
    """{path: {("overflow", label) or ("targets", width): result}} for every page and the 404 page."""
    paths = site.pages + [site.not_found]
    key = (site.url, tuple(paths))
    if key not in _measured:
        results = {}
        for path in paths:
            browser.get(site.url + path)
            results[path] = page = {}
            for width, step in PAGE_STEPS:
                if browser.execute_script("return innerWidth") != width:
                    resize(browser, width)
                if step[0] == "overflow":
                    page[step] = browser.execute_script(OVERFLOW, OVERFLOW_VIEWS[step[1]][1])
                else:
                    browser.execute_script("document.documentElement.style.fontSize = ''")
                    page[step] = browser.execute_script(TARGETS)
        _measured[key] = results
    return _measured[key]


def overflowing_pages(browser, site, labels):
    """Pages wider than the window in any of the views named by `labels` (keys of OVERFLOW_VIEWS)."""
    problems = []
    for path, page in measured_pages(browser, site).items():
        for label in labels:
            m = page[("overflow", label)]
            if m["scrollWidth"] > m["clientWidth"]:
                problems.append(
                    f"[{label}] {path}: scrollWidth {m['scrollWidth']} > clientWidth {m['clientWidth']}; {m['wide']}"
                )
    return problems


def test_no_horizontal_scrolling_on_a_360px_phone(site, desktop):
    problems = overflowing_pages(desktop, site, ["360px"])
    assert not problems, "pages scroll sideways at 360px:\n" + "\n".join(problems)


def test_no_horizontal_scrolling_at_200_percent(site, desktop):
    """Page zoom 200% on a 1280px screen is a 640px layout; text-only zoom 200% doubles the rem."""
    problems = overflowing_pages(desktop, site, [
        "page zoom 200% of 1280px = 640px",
        "text 200% at 1280px",
        "text 200% on a 360px phone",
    ])
    assert not problems, "pages scroll sideways when zoomed to 200%:\n" + "\n".join(problems)


TARGETS = DESCRIBE + """
const selector = 'header a, header button, header input, header select, nav a, nav button, nav input, ' +
                 'footer a, footer button, a.button, button, input[type=submit], input[type=search], [role=button]';
function inSentence(el) {
  if (getComputedStyle(el).display !== 'inline') return false;
  let block = el.parentElement;
  while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
  return !!block && block.textContent.trim().length > el.textContent.trim().length;
}
const small = [];
for (const el of document.querySelectorAll(selector)) {
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  if (!r.width || !r.height || style.visibility === 'hidden' || r.bottom < 0) continue;  // hidden, or the skip link
  if (el.closest('.visually-hidden')) continue;
  const big = el.closest('header, nav') || el.matches('button, a.button, input[type=submit], [role=button]');
  const min = big ? 44 : 24;
  if ((r.width < min || r.height < min) && !inSentence(el)) {
    small.push(describe(el) + ': ' + r.width.toFixed(1) + 'x' + r.height.toFixed(1) + ' < ' + min);
  }
}
return small;
"""


def test_touch_targets_are_big_enough(site, desktop):
    """Header, navigation, footer and buttons: 44x44 CSS px (24x24 in the footer) or inline in a sentence.

    Links inside the text of a page are checked by axe's target-size rule (WCAG 2.5.8, which
    allows a small target with enough space around it) in test_accessibility.
    """
    problems = [f"[{width}px] {path}: {small}"
                for path, page in measured_pages(desktop, site).items()
                for width in (360, 1280) for small in page[("targets", width)]]
    assert not problems, "touch targets too small:\n" + "\n".join(problems)


def test_stylesheet_honours_prefers_reduced_motion(site, desktop):
    desktop.get(site.url + "/")
    rules = desktop.execute_script("""
        const found = [];
        for (const sheet of document.styleSheets) {
          for (const rule of sheet.cssRules) {
            if (rule instanceof CSSMediaRule && rule.conditionText.includes('prefers-reduced-motion')) {
              found.push(rule.conditionText);
            }
          }
        }
        return found;
    """)
    assert any("reduce" in rule for rule in rules), f"no @media (prefers-reduced-motion: reduce) rule: {rules}"
    desktop.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}
    )
    desktop.get(site.url + "/")
    assert desktop.execute_script("return matchMedia('(prefers-reduced-motion: reduce)').matches")
    assert desktop.execute_script("return getComputedStyle(document.querySelector('main')).transitionDuration") in (
        "0s",
        "",
    )


SPLIT_WORDS = """
document.documentElement.style.fontSize = arguments[0];
const split = [];
for (const element of document.querySelectorAll(arguments[1])) {
const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  // Each run of letters (a hyphen or a space is a fair place for a line to end).
  for (const match of node.nodeValue.matchAll(/[^\\s\\-]+/g)) {
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
    if (tops.size < 2) continue;
    // Split although it would fit on a line of its own (a word wider than the whole line has
    // to break somewhere: at 200% on a 390px phone, "(adormecimiento)" is 322px of 291).
    const probe = document.createElement('span');
    probe.textContent = match[0];
    probe.style.whiteSpace = 'nowrap';
    node.parentElement.appendChild(probe);
    const wordWidth = probe.getBoundingClientRect().width;
    probe.remove();
    const style = getComputedStyle(element);
    const line = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (wordWidth <= line) split.push(match[0]);
  }
}
}
document.documentElement.style.fontSize = '';
return split;
"""


# A phone number in a sentence (the 911 box's "call the clinic at 555-0100") on two lines.
SPLIT_PHONES = """
document.documentElement.style.fontSize = arguments[0];
const split = [...document.querySelectorAll('main a[href^="tel:"]:not(.button)')]
  .filter(link => new Set([...link.getClientRects()].map(rect => Math.round(rect.top))).size > 1)
  .map(link => link.textContent);
document.documentElement.style.fontSize = '';
return split;
"""


def test_no_word_of_a_title_or_the_call_911_box_is_split_on_a_phone_at_200_percent_text(phone, site):
    # The call button floats at the top right of a page with the "Call 911" box; with large
    # text the title beside it had room for a few letters a line ("A / ft / er-care sheet"),
    # and the box's padding left the Spanish signs 209px ("conocim / iento"). A word wider than
    # a whole line still breaks (at 200% on a 390px phone, "(adormecimiento)" is 322px of 291).
    from pages.models import Condition, FaqEntry, Topic

    pages = [page.get_absolute_url() for model in (Topic, FaqEntry, Condition)
             for page in model.objects.published().filter(red_flags=True)]
    assert len(pages) > 10
    split = {}
    for path in pages:
        phone.get(site.url + path)
        assert phone.find_elements("css selector", ".call-911-line"), path
        for size in ("150%", "200%"):
            words = phone.execute_script(SPLIT_WORDS, size, "main h1, .red-flags li, .red-flags p, .red-flags h2")
            words += phone.execute_script(SPLIT_PHONES, size)
            if words:
                split[(path, size)] = words
    assert not split, split
