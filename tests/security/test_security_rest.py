"""Issue 21, "the rest of what the review found": each test failed on the code before its fix."""
import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serving.password_reset import password_reset_view
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db


# --- Password reset ----------------------------------------------------------------------------

@pytest.fixture
def one_hour(monkeypatch):
    """The limiter's clock, stopped in the middle of an hour (no test straddles two)."""
    from serving import rate_limit

    monkeypatch.setattr(rate_limit, "now", lambda: 1_800_001_800.0)


def reset(client, email, address="198.51.100.1"):
    return client.post(reverse("admin_password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_limited_per_address(client, make_staff, settings, one_hour):
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        assert reset(client, f"nobody{n}@example.org").status_code == 302
    refused = reset(client, "nobody9@example.org")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert reset(client, "nobody9@example.org", address="198.51.100.2").status_code == 302


def test_password_reset_is_limited_per_account_from_any_address(client, make_staff, settings, one_hour):
    settings.PASSWORD_RESET_PER_ACCOUNT_PER_HOUR = 2
    make_staff("ana")
    assert reset(client, "ana@example.org", "198.51.100.1").status_code == 302
    assert reset(client, "ANA@example.org", "198.51.100.2").status_code == 302
    assert reset(client, "ana@example.org", "198.51.100.3").status_code == 429
    assert len(mail.outbox) == 2  # no third email to fill her inbox


def test_a_known_and_an_unknown_email_cost_the_same_before_the_answer(make_staff, settings):
    make_staff("ana")
    answers = []
    for email in ("ana@example.org", "nobody@example.org"):
        request = RequestFactory().post("/admin/password_reset/", {"email": email}, REMOTE_ADDR="198.51.100.1")
        request._dont_enforce_csrf_checks = True
        sent_before = len(mail.outbox)
        with CaptureQueriesContext(connection) as queries:
            response = password_reset_view(request)
        answers.append((response.status_code, response["Location"], len(queries), len(mail.outbox) - sent_before))
        response.close()  # the WSGI server closes the response once it is sent: the email goes then
    (known, unknown) = answers
    assert known == unknown
    assert known[3] == 0  # nothing was sent before the answer
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]


def test_the_refusal_says_how_long_to_wait(client, settings, one_hour):
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 1
    reset(client, "nobody@example.org")
    page = reset(client, "nobody@example.org").content.decode()
    assert "Please wait 30 minutes, then try again." in page  # the clock stands half-way through the hour


# --- After sign-in ------------------------------------------------------------------------------

@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)",
                                    "http://testserver.evil.example/"])
def test_after_sign_in_an_unsafe_next_lands_on_the_admin_home(client, make_staff, unsafe):
    make_staff("ana")
    login = reverse("admin:login")
    response = client.post(f"{login}?next={unsafe}", {"username": "ana", "password": "pw-long-enough-1",
                                                      "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_after_sign_in_a_page_of_this_site_is_still_where_you_land(client, make_staff):
    make_staff("ana")
    target = reverse("admin:pages_faqentry_changelist")
    response = client.post(reverse("admin:login"), {"username": "ana", "password": "pw-long-enough-1",
                                                    "next": target})
    assert response["Location"] == target


# --- Redirects staff set -----------------------------------------------------------------------

def add_redirect(client, new_path):
    from django.conf import settings

    return client.post(reverse("admin:redirects_redirect_add"),
                       {"site": settings.SITE_ID, "old_path": "/old-page/", "new_path": new_path})


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "javascript:alert(1)", "evil.example/page/", "http://clinic.example.org.evil/"])
def test_a_redirect_to_another_site_is_refused_with_a_clear_message(staff_client, settings, target):
    from django.contrib.redirects.models import Redirect

    settings.SITE_URL = "https://clinic.example.org"
    response = add_redirect(staff_client, target)
    assert response.status_code == 200
    assert "A redirect can only lead to a page of this site" in response.content.decode()
    assert not Redirect.objects.exists()


@pytest.mark.parametrize("target", ["/after-care/", "https://clinic.example.org/after-care/", ""])
def test_a_redirect_within_this_site_or_to_gone_is_saved(staff_client, settings, target):
    from django.contrib.redirects.models import Redirect

    settings.SITE_URL = "https://clinic.example.org"
    assert add_redirect(staff_client, target).status_code == 302
    assert Redirect.objects.get().new_path == target


# --- Pages rendered for staff are never stored --------------------------------------------------

def never_stored(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_a_draft_shown_to_staff_is_never_stored(staff_client, loaded):
    from pages.models import Topic

    with as_loaded():
        Topic.objects.update(published=False)
    response = staff_client.get("/what-is-dry-needling/")
    assert b"Draft preview" in response.content
    assert never_stored(response)


def test_the_link_builder_and_the_editor_preview_are_never_stored(staff_client, loaded):
    assert never_stored(staff_client.get("/staff/links/"))
    assert never_stored(staff_client.post(reverse("markdownx_markdownify"), {"content": "Hello"}))


def test_patients_pages_stay_cacheable(client, loaded):
    response = client.get("/what-is-dry-needling/")
    assert not never_stored(response) and "public" in response["Cache-Control"]
