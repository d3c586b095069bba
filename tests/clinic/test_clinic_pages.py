"""The clinic's own pages (providers, locations), the contact box and the printable sheet."""
import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.formats import date_format

from pages.models import Provider

pytestmark = pytest.mark.django_db

SITE = "https://clinic.example"


def main_of(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_providers_page_lists_published_providers(client, site_content):
    response = client.get("/providers/")
    assert response.status_code == 200
    html = main_of(response.content.decode())
    assert html.count("<h1>") == 1
    assert "Sam Rivera (example), PT, DPT" in html
    assert "Jordan Lee (example), PT, DPT, OCS" in html
    assert "Physical therapist, orthopedic clinical specialist" in html
    assert "Completed 80 hours of dry needling courses" in html
    assert html.index("Sam Rivera") < html.index("Jordan Lee")  # by order
    assert 'href="/locations/#hillcrest">Hillcrest</a>' in html


def test_unpublished_provider_is_not_shown(client, site_content):
    Provider.objects.filter(slug="jordan-lee").update(published=False)
    assert "Jordan Lee" not in client.get("/providers/").content.decode()
    assert "Jordan Lee" not in main_of(client.get("/locations/").content.decode())


def test_locations_page_has_address_hours_map_and_call(client, site_content):
    response = client.get("/locations/")
    assert response.status_code == 200
    html = main_of(response.content.decode())
    assert html.count("<h1>") == 1
    assert 'id="riverside"' in html and 'id="hillcrest"' in html
    assert "200 Sample Avenue<br>Exampleton, EX 00002" in html
    assert 'href="tel:5550102"' in html
    assert "Monday to Thursday" in html and "7:30 a.m. – 6 p.m." in html
    maps = re.findall(r'<a class="button secondary" href="(https://www\.openstreetmap\.org/search\?query=[^"]+)" '
                      r'rel="noopener">', html)
    assert len(maps) == 2
    query = parse_qs(urlsplit(html_lib.unescape(maps[1])).query)["query"]
    assert query == ["200 Sample Avenue, Exampleton, EX 00002"]
    assert " " not in maps[1]  # the address is URL-encoded


@pytest.mark.parametrize("path", ["/", "/after-care/", "/faq/", "/conditions/", "/providers/", "/locations/",
                                  "/search/?q=sore", "/no-such-page/"])
def test_contact_box_is_on_every_page(client, site_content, path):
    html = client.get(path).content.decode()
    box = re.search(r'<aside class="contact-box".*?</aside>', html, re.S)
    assert box, path
    assert "Questions? Ask us" in box.group(0)
    assert 'href="tel:5550100"' in box.group(0)
    assert 'href="https://example.org/book"' in box.group(0)
    assert 'href="mailto:hello@example.org"' in box.group(0)


def test_guide_menu_links_the_clinic_pages(client, loaded):
    html = client.get("/").content.decode()
    assert 'href="/providers/"' in html and 'href="/locations/"' in html


def test_after_care_prints_with_clinic_phone_date_and_absolute_links(client, site_content, settings):
    settings.SITE_URL = SITE
    html = client.get("/after-care/").content.decode()
    heading = re.search(r'<p class="print-only print-heading">(.*?)</p>', html, re.S)
    assert heading, "no print-only heading"
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    text = re.sub(r"<[^>]+>", "", heading.group(1))
    assert "Example Physical Therapy (demo)" in text and "555-0100" in text and today in text
    links = re.search(r'<section class="print-only print-links".*?</section>', html, re.S)
    assert links, "no print-only list of links"
    urls = re.findall(r"https?://\S+?/(?=<|\s)", links.group(0))
    assert f"{SITE}/after-care/" in urls
    assert f"{SITE}/faq/will-i-be-sore/" in urls  # a related answer
    assert all(url.startswith(SITE) for url in urls)


def test_internal_links_in_the_body_are_written_out_for_print(client, site_content, settings):
    settings.SITE_URL = SITE
    html = client.get("/what-is-dry-needling/").content.decode()
    links = re.search(r'<section class="print-only print-links".*?</section>', html, re.S).group(0)
    assert f"trigger points and referred pain – {SITE}/trigger-points-and-referred-pain/" in links
    assert f"Neck pain – {SITE}/conditions/neck-pain/" in links


def test_print_only_blocks_are_hidden_on_screen_and_navigation_in_print():
    screen = open(finders.find("pages/site.css"), encoding="utf-8").read()
    printed = open(finders.find("pages/print.css"), encoding="utf-8").read()
    assert re.search(r"\.print-only\s*\{\s*display:\s*none", screen)
    assert re.search(r"\.print-only\s*\{\s*display:\s*block", printed)
    hidden = " ".join(re.findall(r"([^{}]+)\{[^}]*display:\s*none", printed))
    for selector in (".site-nav", ".guide-menu", ".site-search"):
        assert selector in hidden


def test_spanish_opening_hours_write_the_days_as_spanish_does(client, site_content):
    # "Lunes a jueves", "Viernes": a day's name starts a line with a capital, never mid-line.
    html = client.get("/es/ubicaciones/").content.decode()
    days = re.findall(r"<dt>([^<]*)</dt>", html)
    assert "Lunes a jueves" in days and "Viernes" in days
    assert not any(re.search(r" (Lunes|Martes|Miércoles|Jueves|Viernes|Sábado|Domingo)", day) for day in days)
    footer = client.get("/es/").content.decode().split('class="site-footer"', 1)[1]
    assert "<dt>Lunes a jueves</dt>" in footer
