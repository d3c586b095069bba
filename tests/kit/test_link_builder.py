"""The therapists' link builder at /staff/links/."""
import html as html_lib
import re

import pytest

from pages.addresses import links
from pages.kit import reading_lists
from pages.models import Condition, FaqEntry, ReadingList, Topic
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db

SITE = "https://clinic.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def textarea(html, element_id):
    match = re.search(rf'<textarea id="{element_id}" readonly[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no readonly textarea #{element_id}"
    return html_lib.unescape(match.group(1))


def test_anonymous_visitors_get_not_found_not_the_admin_address(client, site_content):
    response = client.get("/staff/links/", {"item": "topic:after-care"})
    assert response.status_code == 404
    assert "/admin/" not in response.content.decode()


def test_logged_in_non_staff_users_are_also_refused(client, site_content, django_user_model):
    client.force_login(django_user_model.objects.create_user("patient", password="a-long-test-password"))
    assert client.get("/staff/links/").status_code == 404


def keys_for(*objects):
    return [f"{ {Topic: 'topic', FaqEntry: 'faq', Condition: 'condition'}[type(o)] }:{o.pk}" for o in objects]


def test_form_offers_published_items_grouped_and_ordered_as_on_the_public_site(staff_client, site_content):
    with as_loaded():
        Topic.objects.filter(slug="insurance-and-cost").update(published=False)
    html = staff_client.get("/staff/links/").content.decode()
    assert '<form class="link-builder" method="post"' in html
    values = re.findall(r'type="checkbox" name="item" value="([^"]+)"', html)
    assert values == (
        keys_for(*Topic.objects.published())
        + keys_for(*FaqEntry.objects.published().in_reading_order())
        + keys_for(*reading_lists.in_region_order(Condition.objects.published()))
    )
    assert keys_for(Topic.objects.get(slug="insurance-and-cost"))[0] not in values  # drafts are not offered
    legends = re.findall(r"<legend>([^<]+)</legend>", html)
    assert legends[0] == "Guide pages"
    assert [str(label) for _value, label in FaqEntry.Category.choices][:2] == legends[1:3]


def test_making_the_link_gives_one_list_link_and_a_line_per_item(staff_client, site_content):
    after_care = Topic.objects.get(slug="after-care")
    sore = FaqEntry.objects.get(slug="will-i-be-sore")
    response = staff_client.post("/staff/links/", {"item": keys_for(sore, after_care), "action": "make"})
    reading_list = ReadingList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/links/?list={reading_list.code}"
    page = staff_client.get(response["Location"], HTTP_HOST="testserver").content.decode()
    text = textarea(page, "links-text")
    assert text.splitlines() == [
        f"Your reading from Example Physical Therapy (demo) — {SITE}/r/{reading_list.code}/",
        f"After-care sheet — {SITE}/after-care/",
        f"Will I be sore afterward? — {SITE}/faq/will-i-be-sore/",
    ]
    snippet = textarea(page, "links-html")
    assert f'<a href="{SITE}/r/{reading_list.code}/">Your reading from Example Physical Therapy (demo)</a>' in snippet
    assert f'<a href="{SITE}/faq/will-i-be-sore/">Will I be sore afterward?</a>' in snippet
    assert "testserver" not in text + snippet  # never the request's host
    # The snippet is shown as text, not as markup: its tags are escaped in the page.
    assert f'&lt;a href=&quot;{SITE}/after-care/&quot;&gt;' in page
    # The boxes stay ticked so the therapist can add one more.
    assert re.search(rf'value="topic:{after_care.pk}" id="[^"]+" checked', page)
    # The copy buttons are there for JavaScript to show; the textareas work without it.
    assert 'class="copy-buttons" hidden' in page
    assert 'data-copy="text"' in page and 'data-copy="html"' in page


def test_staff_page_has_a_way_back_to_the_admin_and_no_patient_call_to_action(staff_client, site_content):
    page = staff_client.get("/staff/links/").content.decode()
    assert 'href="/admin/"' in page
    assert "Book a visit" not in page
    assert 'class="contact-box"' not in page
    # CSP forbids inline script: the builder's script is a static file.
    assert re.search(r'<script src="/static/pages/link-builder\.js" defer></script>', page)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", page)


def test_search_box_filters_on_the_server_without_javascript_and_keeps_ticks(staff_client, site_content):
    after_care = Topic.objects.get(slug="after-care")
    data = {"q": "Sore", "action": "filter", "item": keys_for(after_care)}
    page = staff_client.post("/staff/links/", data).content.decode()
    shown = re.findall(r'<div class="check" data-title="([^"]+)">', page)
    assert shown and all("sore" in title or title == "after-care sheet" for title in shown)
    assert "after-care sheet" in shown  # ticked, so still shown
    assert re.search(rf'value="topic:{after_care.pk}" id="[^"]+" checked', page)
    assert not ReadingList.objects.exists()  # filtering makes no list
    assert 'role="alert"' not in page


def test_titles_are_escaped_in_the_html_snippet(settings):
    item = links.LinkItem('Heat & ice <b>"now"</b>', f"{SITE}/x/?a=1&b=2")
    assert links.as_html([item]) == (
        '<ul>\n  <li><a href="https://clinic.example/x/?a=1&amp;b=2">'
        "Heat &amp; ice &lt;b&gt;&quot;now&quot;&lt;/b&gt;</a></li>\n</ul>"
    )
    assert links.as_text([item]) == 'Heat & ice <b>"now"</b> — https://clinic.example/x/?a=1&b=2'


def test_no_output_until_a_list_is_made(staff_client, site_content):
    page = staff_client.get("/staff/links/").content.decode()
    assert "<textarea" not in page


def test_admin_index_links_to_the_link_builder(staff_client, site_content):
    page = staff_client.get("/admin/").content.decode()
    assert 'href="/staff/links/"' in page
    assert 'id="content-main"' in page  # the normal app list is still there
