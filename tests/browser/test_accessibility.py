"""axe-core (WCAG 2.0-2.2 A and AA, plus best practice) on every public page, in Chromium."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(results => done({violations: results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' | ')),
  }))}))
  .catch(error => done({error: String(error)}));
"""


def axe_violations(driver, axe_source, url):
    driver.get(url)
    driver.execute_script(axe_source)
    result = driver.execute_async_script(RUN_AXE, AXE_TAGS)
    assert "error" not in result, f"axe.run failed on {url}: {result.get('error')}"
    return result["violations"]


def describe(path, violations):
    lines = []
    for v in violations:
        lines.append(f"{path}: {v['id']} ({v['impact']}) {v['help']}")
        lines += [f"    {target}" for target in v["nodes"]]
    return "\n".join(lines)


def test_every_public_page_has_no_axe_violations(site, desktop, axe_source):
    pages = site.pages + [site.not_found]
    summary, failures = [], []
    for path in pages:
        violations = axe_violations(desktop, axe_source, site.url + path)
        summary.append(f"{path}: {len(violations)}")
        if violations:
            failures.append(describe(path, violations))
    print("axe violations per page:\n" + "\n".join(summary))
    assert len(site.pages) >= 40, f"expected the whole guide, found only {site.pages}"
    assert not failures, f"axe found violations on {len(failures)} of {len(pages)} pages:\n" + "\n".join(failures)


def test_home_page_has_no_axe_violations_on_a_phone(site, browser, axe_source):
    """Colours and layout change at the 40em breakpoint: check the phone layout too."""
    browser.set_window_size(360, 800)
    try:
        failures = [
            describe(path, violations)
            for path in ["/", "/faq/", "/conditions/", site.not_found]
            if (violations := axe_violations(browser, axe_source, site.url + path))
        ]
    finally:
        browser.set_window_size(1280, 900)
    assert not failures, "\n".join(failures)
