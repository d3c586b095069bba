"""Issue 12, section 2: addresses that work from the admin, in emails and with a query string."""
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.urls import include, path, reverse, set_script_prefix

from pages.addresses.site import sync_site_domain
from pages.models import FaqEntry, Topic
from tests.helpers import as_loaded, change_url, manage, prod_env, save_in_admin

pytestmark = pytest.mark.django_db


def test_migrate_gives_the_site_record_the_domain_of_site_url():
    # The test database was made by migrate, whose post-migrate step set the domain.
    assert Site.objects.get_current().domain == urlsplit(settings.SITE_URL).netloc != "example.com"


def test_site_domain_follows_a_new_site_url(settings):
    settings.SITE_URL = "https://clinic.example.org"
    sync_site_domain()
    assert Site.objects.get_current().domain == "clinic.example.org"


def test_view_on_site_opens_the_page_on_this_site(staff_client, loaded):
    html = staff_client.get(change_url(Topic.objects.get())).content.decode()
    assert 'href="/what-is-dry-needling/" class="viewsitelink"' in html


def test_view_on_site_of_a_draft_opens_the_staff_preview(staff_client, client, loaded):
    with as_loaded():
        Topic.objects.update(published=False)
    staff_client.get(change_url(Topic.objects.get()))  # the link is the page's own address
    response = staff_client.get("/what-is-dry-needling/")
    assert response.status_code == 200 and "Draft preview" in response.content.decode()
    assert client.get("/what-is-dry-needling/").status_code == 404


@pytest.mark.parametrize("site_url", [None, "http://127.0.0.1:8000", "https://localhost", "clinic.example.org"])
def test_check_deploy_fails_when_site_url_is_not_a_public_address(site_url):
    env = prod_env()
    env.pop("SITE_URL")
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "pages.E001" in result.stderr and "Set the SITE_URL environment variable" in result.stderr


@pytest.mark.parametrize("query", ["utm_source=email", "fbclid=IwAR0abc", "utm_source=email&utm_medium=print"])
def test_old_address_with_a_query_string_redirects_and_keeps_the_query(client, staff_client, loaded, query):
    save_in_admin(staff_client, Topic.objects.get(), slug="dry-needling-explained")
    response = client.get(f"/what-is-dry-needling/?{query}")
    assert response.status_code == 301
    assert response["Location"] == f"/dry-needling-explained/?{query}"


def test_old_faq_address_with_a_query_string_redirects(client, staff_client, loaded):
    save_in_admin(staff_client, FaqEntry.objects.get(), slug="is-it-painful")
    response = client.get("/faq/does-it-hurt/?utm_source=email")
    assert (response.status_code, response["Location"]) == (301, "/faq/is-it-painful/?utm_source=email")


def test_deleted_address_with_a_query_string_answers_410(client, staff_client, loaded):
    entry = FaqEntry.objects.get()
    staff_client.post(reverse("admin:pages_faqentry_delete", args=[entry.pk]), {"post": "yes"})
    assert client.get("/faq/does-it-hurt/?fbclid=x").status_code == 410


def test_an_unknown_address_with_a_query_string_is_still_404(client, loaded):
    assert client.get("/no-such-page/?utm_source=email").status_code == 404


# --- Section 5: "Forgotten your password?" ----------------------------------------------------

def test_sign_in_page_offers_a_password_reset(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in html


def test_password_reset_emails_a_link_on_the_sites_address_that_sets_a_new_password(client, make_staff, mailoutbox,
                                                                                     settings):
    import re

    settings.SITE_URL = "https://clinic.example.org"
    sync_site_domain()
    make_staff("ana")
    response = client.post(reverse("admin_password_reset"), {"email": "ana@example.org"})
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["ana@example.org"]
    link = re.search(r"https?://clinic\.example\.org(/\S+/reset/\S+/)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    new = {"new_password1": "a-brand-new-long-pass-7", "new_password2": "a-brand-new-long-pass-7"}
    assert client.post(form_page.redirect_chain[-1][0], new).status_code == 302
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="ana").check_password("a-brand-new-long-pass-7")


def test_email_goes_to_the_console_in_development_and_smtp_in_production():
    check = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST)"
    dev = manage("shell", "-c", check, env={**prod_env(), "DJANGO_DEBUG": "1"})
    assert "console.EmailBackend" in dev.stdout
    prod = manage("shell", "-c", check, env=prod_env(EMAIL_HOST="smtp.example.org"))
    assert "smtp.EmailBackend smtp.example.org" in prod.stdout


# --- Section 5: a 403 that says why ------------------------------------------------------------

def test_a_refused_admin_page_says_why_and_links_back(loaded, make_staff):
    from tests.helpers import logged_in

    desk = logged_in(make_staff("desk", group="Front desk"))
    response = desk.get(change_url(Topic.objects.get()))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>You can&#x27;t open this page</h1>" in html and "Your account (desk)" in html
    assert f'href="{reverse("admin:index")}"' in html and "Test Clinic — staff" in html


def _no_view(request, slug):
    raise AssertionError("only reversed")


# A URLconf with the guide's topics somewhere else (for the test below).
urlpatterns = [path("moved/", include(([path("<slug:slug>/", _no_view, name="topic")], "pages")))]


def test_a_pages_address_follows_its_slug_language_script_prefix_and_urlconf(settings):
    # Addresses are remembered per process (pages.models.base._address_of): never from before
    # a change to any of what reverse() reads.
    assert Topic(slug="whiplash").get_absolute_url() == "/whiplash/"
    assert Topic(slug="whiplash", language="es").get_absolute_url() == "/es/whiplash/"
    assert Topic(slug="latigazo", language="es").get_absolute_url() == "/es/latigazo/"
    set_script_prefix("/clinic/")
    try:
        assert Topic(slug="whiplash").get_absolute_url() == "/clinic/whiplash/"
    finally:
        set_script_prefix("/")
    settings.ROOT_URLCONF = __name__
    assert Topic(slug="whiplash").get_absolute_url() == "/moved/whiplash/"
