"""The "Where is your pain?" body map on the home and conditions pages."""
import re

import pytest

from pages.models import Condition
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db

SVG_LINK = re.compile(
    r'<a href="/conditions/#([a-z-]+)" class="body-map-zone" aria-label="([^"]+)">\s*<title>([^<]+)</title>(.*?)</a>',
    re.S,
)


def svg_of(html):
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no inline SVG body map"
    return match.group(0)


def region_section(html, region):
    """The HTML of the conditions page section for one body region."""
    match = re.search(rf'<section aria-labelledby="{region}">(.*?)</section>', html, re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("page", ["/", "/conditions/"])
def test_every_body_region_is_a_named_link_in_the_svg(client, site_content, page):
    svg = svg_of(client.get(page).content.decode())
    links = SVG_LINK.findall(svg)
    assert [region for region, *_ in links] == list(Condition.BodyRegion.values)
    labels = dict(Condition.BodyRegion.choices)
    for region, aria_label, title, shapes in links:
        assert aria_label == title == labels[region]
        assert "<path" in shapes


def test_each_body_map_link_reaches_a_region_that_lists_its_conditions(client, site_content):
    svg = svg_of(client.get("/").content.decode())
    conditions_page = client.get("/conditions/").content.decode()
    for region, *_ in SVG_LINK.findall(svg):
        assert f'id="{region}"' in conditions_page
        section = region_section(conditions_page, region)
        assert section is not None, region
        listed = set(re.findall(r'href="(/conditions/[^"#]+/)"', section))
        english = Condition.objects.published().filter(language="en")
        expected = {c.get_absolute_url() for c in english.filter(body_region=region)}
        assert listed == expected and expected, region


def test_decoration_is_hidden_from_assistive_technology(client, site_content):
    svg = svg_of(client.get("/").content.decode())
    assert re.search(r'<svg [^>]*role="group" aria-label="[^"]+"', svg)
    outside_links = SVG_LINK.sub("", svg)
    # Everything drawn that is not a link sits in an aria-hidden group.
    for group in re.findall(r"<g\b[^>]*>", outside_links):
        assert 'aria-hidden="true"' in group
    assert "<text" in svg and re.search(r'<g class="body-map-outline" aria-hidden="true">.*?<text', svg, re.S)


def test_plain_list_has_the_same_links(client, site_content):
    html = client.get("/").content.decode()
    svg_targets = [region for region, *_ in SVG_LINK.findall(svg_of(html))]
    body_map = html.split('<div class="body-map">', 1)[1]
    listed = re.findall(r'<li><a href="/conditions/#([a-z-]+)">', body_map.split("</svg>", 1)[1].split("</ul>", 1)[0])
    assert listed == svg_targets


def test_regions_without_published_conditions_are_not_links(client, loaded):
    # The small content tree has one condition, on the neck.
    html = client.get("/").content.decode()
    assert [region for region, *_ in SVG_LINK.findall(svg_of(html))] == ["neck"]
    assert 'href="/conditions/#head"' not in html
    with as_loaded():
        Condition.objects.filter(slug="neck-pain").update(published=False)
    html = client.get("/").content.decode()
    assert SVG_LINK.findall(svg_of(html)) == []
    assert 'href="/conditions/#neck"' not in html


def test_body_map_links_have_a_visible_focus_style(client, loaded):
    from django.contrib.staticfiles import finders

    css = open(finders.find("pages/site.css"), encoding="utf-8").read()
    assert re.search(r"a\.body-map-zone:focus-visible path\s*\{[^}]*fill:", css)
