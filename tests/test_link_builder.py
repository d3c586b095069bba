"""The therapists' link builder at /staff/links/."""
import html as html_lib
import re

import pytest

from pages import links
from pages.models import FaqEntry, Topic

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


def test_form_lists_published_topics_after_care_first_then_faq(staff_client, site_content):
    Topic.objects.filter(slug="insurance-and-cost").update(published=False)
    html = staff_client.get("/staff/links/").content.decode()
    assert '<form class="link-builder" method="get"' in html
    values = re.findall(r'type="checkbox" name="item" value="([^"]+)"', html)
    topics = [v for v in values if v.startswith("topic:")]
    faqs = [v for v in values if v.startswith("faq:")]
    assert topics[0] == "topic:after-care"
    assert values == topics + faqs
    assert set(topics) == {f"topic:{t.slug}" for t in Topic.objects.published()}
    assert set(faqs) == {f"faq:{e.slug}" for e in FaqEntry.objects.published()}
    assert "topic:insurance-and-cost" not in values


def test_output_has_one_title_and_absolute_permalink_per_item(staff_client, site_content):
    response = staff_client.get(
        "/staff/links/", {"item": ["faq:will-i-be-sore", "topic:after-care"]}, HTTP_HOST="testserver"
    )
    page = response.content.decode()
    text = textarea(page, "links-text")
    assert text.splitlines() == [
        f"After-care sheet: {SITE}/after-care/",
        f"Will I be sore afterward?: {SITE}/faq/will-i-be-sore/",
    ]
    snippet = textarea(page, "links-html")
    assert f'<a href="{SITE}/after-care/">After-care sheet</a>' in snippet
    assert f'<a href="{SITE}/faq/will-i-be-sore/">Will I be sore afterward?</a>' in snippet
    assert "testserver" not in text + snippet  # never the request's host
    # The snippet is shown as text, not as markup: its tags are escaped in the page.
    assert f'&lt;a href=&quot;{SITE}/after-care/&quot;&gt;' in page
    # The boxes stay ticked so the therapist can add one more.
    assert re.search(r'value="topic:after-care" id="[^"]+" checked', page)


def test_titles_are_escaped_in_the_html_snippet(settings):
    item = links.LinkItem("topic:x", 'Heat & ice <b>"now"</b>', f"{SITE}/x/?a=1&b=2")
    assert links.as_html([item]) == (
        '<ul>\n  <li><a href="https://clinic.example/x/?a=1&amp;b=2">'
        "Heat &amp; ice &lt;b&gt;&quot;now&quot;&lt;/b&gt;</a></li>\n</ul>"
    )
    assert links.as_text([item]) == 'Heat & ice <b>"now"</b>: https://clinic.example/x/?a=1&b=2'


def test_unpublished_or_unknown_items_are_ignored(staff_client, site_content):
    FaqEntry.objects.filter(slug="will-i-bruise").update(published=False)
    page = staff_client.get(
        "/staff/links/", {"item": ["faq:will-i-bruise", "topic:nope", "topic:after-care"]}
    ).content.decode()
    assert textarea(page, "links-text") == f"After-care sheet: {SITE}/after-care/"


def test_no_output_until_something_is_ticked(staff_client, site_content):
    page = staff_client.get("/staff/links/").content.decode()
    assert "<textarea" not in page


def test_admin_index_links_to_the_link_builder(staff_client, site_content):
    page = staff_client.get("/admin/").content.decode()
    assert 'href="/staff/links/"' in page
    assert 'id="content-main"' in page  # the normal app list is still there
