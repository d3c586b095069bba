"""Fragments every page renders alike (header, contact box, feedback form, menu, footer, the Call 911
box, the home page's sections) are kept in the process per content version and language
({% remembered %}, serving.cache.remembered): an edit must still show on the next page view."""
import pytest
from django.core.cache import cache
from django.template import Context, Template, TemplateSyntaxError

from pages.models import Clinic, RedFlagList
from serving.cache import Memo, remembered
from tests.helpers import save_in_admin

pytestmark = pytest.mark.django_db


def test_an_admin_edit_of_the_red_flag_list_shows_in_the_call_911_box_on_the_next_view(client, staff_client,
                                                                                        site_content):
    # ?r=N: a query string the page cache never stores, so the view renders each time.
    assert "Call 911 now if you have" in client.get("/after-care/?r=1").content.decode()
    flags = RedFlagList.objects.get(language="en")
    response = save_in_admin(staff_client, flags, emergency_heading="Call 911 at once if you have")
    assert response.status_code == 302
    html = client.get("/after-care/?r=2").content.decode()
    assert "Call 911 at once if you have" in html
    assert "Call 911 now if you have" not in html


def test_an_admin_edit_of_the_clinic_shows_in_the_header_contact_box_and_footer_on_the_next_view(
        client, staff_client, site_content):
    for path in ("/", "/after-care/?r=1", "/faq/"):
        client.get(path)
    clinic = Clinic.objects.get()
    assert save_in_admin(staff_client, clinic, name="Renamed Physical Therapy").status_code == 302
    for path in ("/?r=2", "/after-care/?r=2", "/es/"):
        html = client.get(path).content.decode()
        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        contact = html.split('id="contact-heading"')[1].split("</aside>")[0]
        footer = html.split('<footer class="site-footer">')[1]
        assert "Renamed Physical Therapy" in header and "Renamed Physical Therapy" in contact, path
        assert "Renamed Physical Therapy" in footer, path


def test_the_feedback_form_names_each_page_although_the_rest_of_it_is_kept(client, site_content):
    for path in ("/after-care/", "/faq/", "/es/"):
        assert f'<input type="hidden" name="page" value="{path}">' in client.get(path).content.decode()


def test_each_language_keeps_its_own_fragments(client, site_content):
    english = client.get("/").content.decode()
    spanish = client.get("/es/").content.decode()
    assert "Was this page helpful?" in english and "Was this page helpful?" not in spanish
    assert "Questions? Ask us" in english and "Questions? Ask us" not in spanish


def test_the_memo_is_emptied_with_the_shared_cache_and_with_a_new_content_version(db):
    _version, memo = remembered()
    memo["x"] = "kept"
    assert remembered()[1].get("x") == "kept"
    cache.clear()  # as the tests do when the database rolls back, and a restore does
    assert remembered()[1].get("x") is None
    memo = remembered()[1]
    memo["x"] = "kept"
    Clinic.objects.create(name="A clinic", phone="555-0100", email="a@example.com")  # a new content version
    assert remembered()[1].get("x") is None


def test_a_remembered_block_renders_once_per_memo_and_values():
    template = Template('{% load site_tags %}{% remembered "t" which %}{{ shown }}{% endremembered %}')
    memo = Memo()
    first = template.render(Context({"site_fragments": memo, "which": 1, "shown": "one"}))
    again = template.render(Context({"site_fragments": memo, "which": 1, "shown": "changed"}))
    other = template.render(Context({"site_fragments": memo, "which": 2, "shown": "two"}))
    assert (first, again, other) == ("one", "one", "two")
    # Without the memo (no context processors: the 500 page) it simply renders.
    assert Template('{% load site_tags %}{% remembered "t" %}{{ shown }}{% endremembered %}').render(
        Context({"shown": "live"})) == "live"


def test_a_block_inside_a_remembered_fragment_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load site_tags %}{% remembered "t" %}{% block b %}{% endblock %}{% endremembered %}')
