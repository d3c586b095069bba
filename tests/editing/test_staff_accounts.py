"""Issue 22: staff accounts, the Sites page, and the groups each kind of staff gets."""
import re

import pytest
from django.apps import apps
from django.contrib.sites.models import Site
from django.urls import reverse

pytestmark = pytest.mark.django_db

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def test_no_model_fields_help_text_contains_markup():
    # The admin renders help_text unescaped: a '<title>' in one swallowed the rest of the page.
    offending = [
        f"{model._meta.label}.{field.name}: {field.help_text}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if MARKUP.search(str(getattr(field, "help_text", "") or ""))
    ]
    assert not offending, "help texts are plain text:\n" + "\n".join(offending)


@pytest.mark.parametrize("page", ["add", "change"])
def test_user_pages_have_one_title_and_a_save_button(staff_client, make_staff, page):
    person = make_staff("ana")
    url = reverse("admin:auth_user_add") if page == "add" else reverse("admin:auth_user_change", args=[person.pk])
    html = staff_client.get(url).content.decode()
    assert html.count("<title") == 1, "a help text opened a second <title>, which hides the rest of the page"
    assert 'name="_save"' in html.split("<title", 2)[-1].split("</title>", 1)[-1]


def test_the_sites_page_is_read_only_and_says_where_the_address_is_set(staff_client, settings):
    site = Site.objects.get(pk=settings.SITE_ID)
    url = reverse("admin:sites_site_change", args=[site.pk])
    html = staff_client.get(url).content.decode()
    assert 'name="_save"' not in html
    assert "SITE_URL" in html
    listing = staff_client.get(reverse("admin:sites_site_changelist")).content.decode()
    assert "SITE_URL" in listing
    assert staff_client.post(url, {"domain": "evil.example", "name": "x"}).status_code == 403
    site.refresh_from_db()
    assert site.domain != "evil.example"
    assert staff_client.get(reverse("admin:sites_site_add")).status_code == 403
