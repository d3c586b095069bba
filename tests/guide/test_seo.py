"""The web's conventions: sitemap.xml, robots.txt, canonical and Open Graph tags, JSON-LD."""
import datetime
import html as html_lib
import json
import re
from xml.etree import ElementTree

import pytest

from pages.guide.structured_data import json_ld
from pages.models import Condition, FaqEntry, Topic
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db

SITE = "https://clinic.example"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
STATIC_PAGES = ["/", "/guide/", "/faq/", "/conditions/", "/providers/", "/locations/"]
SPANISH_STATIC_PAGES = ["/es/", "/es/guia/", "/es/preguntas/", "/es/afecciones/", "/es/terapeutas/", "/es/ubicaciones/"]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.find("s:loc", NS).text: (url.find("s:lastmod", NS).text if url.find("s:lastmod", NS) is not None else None)
        for url in root.findall("s:url", NS)
    }


def published_paths():
    paths = STATIC_PAGES + SPANISH_STATIC_PAGES
    for model in (Topic, FaqEntry, Condition):
        paths += [item.get_absolute_url() for item in model.objects.published()]
    return {SITE + path for path in paths}


def test_sitemap_lists_exactly_the_published_pages(client, site_content):
    entries = sitemap(client)
    assert set(entries) == published_paths()
    assert f"{SITE}/after-care/" in entries and f"{SITE}/faq/will-i-be-sore/" in entries
    assert f"{SITE}/conditions/jaw-pain-tmj/" in entries
    assert all(loc.startswith(SITE + "/") for loc in entries)  # never the request's host


def test_unpublished_pages_leave_the_sitemap(client, site_content):
    with as_loaded():
        Topic.objects.filter(slug="insurance-and-cost").update(published=False)
    with as_loaded():
        FaqEntry.objects.filter(slug="will-i-bruise").update(published=False)
    with as_loaded():
        Condition.objects.filter(slug="whiplash").update(published=False)
    entries = sitemap(client)
    assert f"{SITE}/insurance-and-cost/" not in entries
    assert f"{SITE}/faq/will-i-bruise/" not in entries
    assert f"{SITE}/conditions/whiplash/" not in entries
    assert set(entries) == published_paths()


def test_every_sitemap_page_answers(client, site_content):
    for loc in sitemap(client):
        assert client.get(loc.removeprefix(SITE)).status_code == 200, loc


def test_topic_lastmod_is_the_review_date(client, site_content):
    with as_loaded():
        Topic.objects.filter(slug="after-care").update(last_reviewed=datetime.date(2026, 3, 4))
    assert sitemap(client)[f"{SITE}/after-care/"] == "2026-03-04"


def test_robots_txt(client, loaded):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/staff/", "/markdownx/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /admin/" not in lines  # its address stays out of sight
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def head_meta(html):
    head = html.split("</head>", 1)[0]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', head)
    og = dict(re.findall(r'<meta property="og:([a-z_]+)" content="([^"]*)">', head))
    description = re.search(r'<meta name="description" content="([^"]*)">', head)
    title = re.search(r"<title>(.*?) \| ", head, re.S)
    return (
        canonical and canonical.group(1), {k: html_lib.unescape(v) for k, v in og.items()},
        description and html_lib.unescape(description.group(1)), title and html_lib.unescape(title.group(1)),
    )


@pytest.mark.parametrize("path", [
    "/", "/faq/", "/faq/will-i-be-sore/", "/conditions/", "/conditions/jaw-pain-tmj/", "/after-care/",
    "/providers/", "/locations/", "/search/",
])
def test_every_page_has_canonical_and_open_graph_tags(client, site_content, path):
    canonical, og, description, title = head_meta(client.get(path).content.decode())
    assert canonical == SITE + path
    assert og["url"] == canonical
    assert og["title"] == title and title
    assert og["description"] == description and description
    assert og["site_name"] == "Example Physical Therapy (demo)"
    assert og["type"] == ("article" if path == "/after-care/" else "website")


def test_topic_open_graph_uses_its_title_and_summary(client, site_content):
    topic = Topic.objects.get(slug="after-care")
    _, og, _, _ = head_meta(client.get("/after-care/").content.decode())
    assert og["title"] == topic.title
    assert len(topic.summary) < 300  # so the description is the whole summary
    assert og["description"] == topic.summary


def test_canonical_leaves_out_the_query_string(client, loaded):
    canonical, *_ = head_meta(client.get("/search/?q=sore&utm_source=x").content.decode())
    assert canonical == f"{SITE}/search/"


def structured(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, f"expected one JSON-LD block, found {len(blocks)}"
    return json.loads(blocks[0])


def test_topic_page_is_a_medical_web_page(client, site_content):
    topic = Topic.objects.get(slug="after-care")
    data = structured(client.get("/after-care/").content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == topic.title
    assert data["description"] == topic.summary
    assert data["url"] == f"{SITE}/after-care/"
    assert data["lastReviewed"] == topic.last_reviewed.isoformat()
    assert data["reviewedBy"]["@type"] == "Person"
    assert data["reviewedBy"]["jobTitle"] == topic.reviewed_by


def test_faq_page_is_an_faq_page_with_plain_text_answers(client, site_content):
    data = structured(client.get("/faq/").content.decode())
    assert data["@type"] == "FAQPage"
    questions = data["mainEntity"]
    assert len(questions) == FaqEntry.objects.published().filter(language="en").count()
    by_name = {q["name"]: q for q in questions}
    sore = by_name["Will I be sore afterward?"]
    assert sore["@type"] == "Question"
    assert sore["acceptedAnswer"]["@type"] == "Answer"
    answer = sore["acceptedAnswer"]["text"]
    assert "soreness" in answer
    assert "<" not in answer and "[@" not in answer and "**" not in answer  # plain text, not HTML or Markdown


def test_home_page_describes_the_medical_clinic(client, site_content):
    data = structured(client.get("/").content.decode())
    assert data["@type"] == "MedicalClinic"
    assert data["name"] == "Example Physical Therapy (demo)"
    assert data["telephone"] == "555-0100"
    assert data["email"] == "hello@example.org"
    addresses = data["address"]
    assert [a["@type"] for a in addresses] == ["PostalAddress", "PostalAddress"]
    assert {a["streetAddress"] for a in addresses} == {"1 Example Street", "200 Sample Avenue"}
    assert addresses[0]["postalCode"] == "00001" and addresses[0]["addressLocality"] == "Exampleton"
    hours = data["openingHoursSpecification"]
    assert hours[0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday"],
        "opens": "07:30",
        "closes": "18:00",
    }
    assert hours[1]["dayOfWeek"] == ["Friday"] and hours[1]["closes"] == "13:00"
    departments = data["department"]
    assert len(departments) == 2
    assert departments[1]["telephone"] == "555-0102"
    assert departments[1]["address"]["streetAddress"] == "200 Sample Avenue"
    assert departments[1]["openingHoursSpecification"][0]["opens"] == "07:30"


def test_only_pages_with_structured_data_carry_a_block(client, site_content):
    assert "application/ld+json" not in client.get("/providers/").content.decode()


def test_json_ld_cannot_close_its_script_element(client, loaded):
    title = 'Hot & cold </script><script>alert("x")</script> <!--'
    with as_loaded():
        Topic.objects.filter(slug="what-is-dry-needling").update(title=title)
    html = client.get("/what-is-dry-needling/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["name"] == title
    assert '<script>alert("x")' not in html


def test_json_ld_escapes_line_separators():
    text = str(json_ld({"a": "x\u2028y<"}))
    assert "\u2028" not in text and json.loads(text) == {"a": "x\u2028y<"}
