"""axe-core (WCAG 2.0-2.2 A and AA, plus best practice) on every public page, in Chromium."""
import pytest

from pages.models import Condition, FaqEntry, Topic
from tests.helpers import AXE_TAGS, RUN_AXE, axe_violations, describe, resize

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]










def test_every_public_page_has_no_axe_violations(site, axe_browser):
    pages = site.pages + [site.not_found]
    summary, failures = [], []
    for path in pages:
        violations = axe_violations(axe_browser, site.url + path)
        summary.append(f"{path}: {len(violations)}")
        if violations:
            failures.append(describe(path, violations))
    print("axe violations per page:\n" + "\n".join(summary))
    assert len(site.pages) >= 40, f"expected the whole guide, found only {site.pages}"
    spanish_rows = sum(model.objects.published().filter(language="es").count()
                       for model in (Topic, FaqEntry, Condition))
    spanish_pages = [path for path in site.pages if path.startswith("/es/")]
    assert len(spanish_pages) > spanish_rows >= 70, "every Spanish page (and the Spanish lists) must be checked too"
    assert not failures, f"axe found violations on {len(failures)} of {len(pages)} pages:\n" + "\n".join(failures)


def test_main_pages_have_no_axe_violations_on_a_phone(site, axe_browser):
    """Colours and layout change at the 40em breakpoint: check the phone layout too."""
    resize(axe_browser, 360)
    optional = [path for path in ("/search/?q=needle", "/providers/", "/locations/") if path in site.pages]
    failures = [
        describe(path, violations)
        for path in ["/", "/faq/", "/conditions/", *optional, site.not_found]
        if (violations := axe_violations(axe_browser, site.url + path))
    ]
    assert not failures, "\n".join(failures)


def test_axe_catches_a_planted_problem(site, axe_browser):
    """The check is not vacuous: a missing alt text and grey-on-white text are reported."""
    axe_browser.get(site.url + "/")
    axe_browser.execute_script("""
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<img src="/static/favicon.svg"><p style="color:#bbb">Faint</p>');
    """)
    result = axe_browser.execute_async_script(RUN_AXE, AXE_TAGS)
    found = {v["id"]: v["nodes"] for v in result["violations"]}
    assert "image-alt" in found and "color-contrast" in found, found


def test_pages_of_a_long_list_have_no_axe_violations(site, axe_browser, settings):
    """The real guide fits on one page; split it small so the page links are checked too."""
    settings.LIST_PAGE_SIZE = 4
    failures = []
    for width in (1280, 360):
        resize(axe_browser, width)
        for path in ["/faq/?page=2", "/guide/?page=2"]:
            violations = axe_violations(axe_browser, site.url + path)
            assert axe_browser.find_elements("css selector", "nav.pagination a[aria-current=page]"), path
            if violations:
                failures.append(f"{width} px " + describe(path, violations))
    assert not failures, "\n".join(failures)
