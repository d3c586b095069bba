"""The Nu HTML checker (vnu.jar from npm `vnu-jar`, on Java 17) finds no errors on any public page.

It checks the HTML exactly as the server sends it (what a browser parses), for every page the
`site` fixture finds (every topic, answer, condition and list page) plus the 404 page.
"""
import pytest

from tests.helpers import page_html, require_vnu, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_public_page_passes_the_nu_html_checker(site, tmp_path):
    require_vnu()
    paths = site.pages + [site.not_found]
    files = {}
    for number, path in enumerate(paths):
        file = tmp_path / f"page-{number:03d}.html"
        file.write_bytes(page_html(site.url + path))
        files[file.name] = path
    errors = vnu_errors([tmp_path / name for name in files])
    report = [f"{files.get(name, name)}: {message}"
              for name, messages in sorted(errors.items()) for message in messages]
    assert len(paths) >= 40, f"expected the whole guide, found only {paths}"
    assert not report, f"the Nu HTML checker found {len(report)} error(s):\n" + "\n".join(report)
