"""Issue 5: fast pages that are never stale, hardened headers, graceful failure."""
import gzip
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from pages.models import Clinic, FaqEntry, Location, Topic
from tests.helpers import as_loaded, change_form_data, manage, prod_env

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)






# --- Query budget and caching ----------------------------------------------------------

def test_cold_topic_page_needs_at_most_3_queries_and_a_warm_one_none(client, loaded, django_assert_max_num_queries,
                                                                      django_assert_num_queries):
    client.get("/")  # header and footer data are now cached; the topic page is not
    with django_assert_max_num_queries(3):
        assert client.get("/what-is-dry-needling/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/what-is-dry-needling/").status_code == 200


def test_staff_requests_are_never_served_from_the_page_cache(staff_client, client, loaded):
    client.get("/what-is-dry-needling/")
    with as_loaded():
        Topic.objects.update(published=False)
    assert staff_client.get("/what-is-dry-needling/").content.count(b"Draft preview") == 1


@pytest.mark.parametrize(
    "change", ["edit", "publish", "unpublish", "slug", "load_content", "load_content_new", "clinic"])
def test_every_kind_of_change_shows_on_the_next_request(client, staff_client, loaded, change):
    client.get("/faq/")
    client.get("/faq/does-it-hurt/")  # both now cached
    entry = FaqEntry.objects.get()
    url = reverse("admin:pages_faqentry_change", args=[entry.pk])
    if change == "edit":
        staff_client.post(url, {**change_form_data(staff_client, url), "answer": "Freshly edited."})
        assert b"Freshly edited." in client.get("/faq/").content
    elif change == "unpublish":
        data = change_form_data(staff_client, url)
        data.pop("published")
        staff_client.post(url, data)
        assert b"does-it-hurt" not in client.get("/faq/").content
        assert client.get("/faq/does-it-hurt/").status_code == 404
    elif change == "publish":
        with as_loaded():
            FaqEntry.objects.update(published=False)
        client.get("/faq/")
        staff_client.post(url, {**change_form_data(staff_client, url), "published": "on"})
        assert b"does-it-hurt" in client.get("/faq/").content
    elif change == "slug":
        staff_client.post(url, {**change_form_data(staff_client, url), "slug": "is-it-painful"})
        assert client.get("/faq/does-it-hurt/").status_code == 301
        assert b"/faq/is-it-painful/" in client.get("/faq/").content
    elif change == "load_content":
        path = loaded / "faq/does-it-hurt.md"
        path.write_text(path.read_text().replace("small prick", "loaded prick"))
        call_command("load_content", path=str(loaded))
        assert b"loaded prick" in client.get("/faq/does-it-hurt/").content
    elif change == "load_content_new":
        new = loaded / "faq/can-i-drive.md"
        new.write_text("---\nquestion: Can I drive home?\ncategory: aftercare\norder: 9\n"
                       "last_reviewed: 2026-11-02\nreviewed_by: PT\n---\nYes, most people can.\n")
        call_command("load_content", path=str(loaded))
        assert b"Can I drive home?" in client.get("/faq/").content
    elif change == "clinic":
        clinic = Clinic.objects.get()
        clinic.phone = "555-0177"
        clinic.save()
        assert b"555-0177" in client.get("/faq/").content


def test_etag_and_last_modified_give_304(client, loaded):
    first = client.get("/what-is-dry-needling/")
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get("/what-is-dry-needling/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/what-is-dry-needling/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_content_change_moves_last_modified_on(client, loaded):
    first = client.get("/what-is-dry-needling/")
    with as_loaded():
        FaqEntry.objects.update(order=5)
    response = client.get("/what-is-dry-needling/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code in (200, 304)
    old_date = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert client.get("/what-is-dry-needling/", HTTP_IF_MODIFIED_SINCE=old_date).status_code == 200


def test_topic_page_and_its_styles_fit_the_first_14_kb_on_the_wire_with_no_render_blocking_script(client, site_content):
    # What a phone downloads before it can draw the page: the gzipped HTML (GZipMiddleware) and
    # the stylesheets and icon it links (whitenoise serves them gzipped). 14 KB is about what the
    # first round trip of a new connection carries (TCP's initial window of 10 packets).
    response = client.get("/trigger-points-and-referred-pain/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content)
    assets = [name.decode() for name in re.findall(rb'href="/static/([^"]+\.(?:css|svg))"', html)]
    assert "pages/site.css" in assets and "favicon.svg" in assets
    total = len(response.content) + sum(len(gzip.compress(Path(finders.find(name)).read_bytes())) for name in assets)
    assert total <= 14 * 1024, f"{total} bytes"
    assert not re.search(rb"<script(?![^>]*application/ld\+json)", html)  # only JSON-LD data blocks


# --- Hardening ------------------------------------------------------------------------

@pytest.mark.parametrize("request_number", ["first (rendered)", "second (from the page cache)"])
def test_security_headers_and_a_strict_csp_are_sent(client, loaded, request_number):
    response = client.get("/")
    if request_number.startswith("second"):
        response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_cached_page_is_never_served_over_http_when_https_is_required(client, loaded, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", secure=True).status_code == 200  # now cached
    response = client.get("/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_hsts_is_sent_over_https_even_after_the_page_was_cached_over_http(client, loaded, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    assert "Strict-Transport-Security" not in client.get("/")  # cached without HSTS
    assert client.get("/", secure=True)["Strict-Transport-Security"].startswith("max-age=3600")


def test_a_cached_page_is_refused_to_an_unknown_host(client, loaded):
    assert client.get("/").status_code == 200
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=prod_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = prod_env()
    env.pop("DJANGO_SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0" in result.stderr


def test_the_admin_address_can_be_moved():
    result = manage("shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))",
                    env={**os.environ, "DJANGO_ADMIN_PATH": "clinic-office"})
    assert result.stdout.strip().endswith("/clinic-office/")


def test_repeated_wrong_passwords_lock_the_admin_login(django_user_model):
    django_user_model.objects.create_superuser("desk", "d@example.org", "the-right-password-1")
    browser = Client()
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert browser.post(login, {"username": "desk", "password": "wrong"}).status_code == 200
    assert browser.post(login, {"username": "desk", "password": "wrong"}).status_code == 429
    # Even the right password is refused until the pause is over.
    locked = browser.post(login, {"username": "desk", "password": "the-right-password-1"})
    assert locked.status_code == 429
    assert b"signing in is paused" in locked.content


def test_no_stack_trace_with_debug_off(client, loaded, settings, monkeypatch):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("pages.guide.views.sources_for", broken)
    client.raise_request_exception = False
    response = client.get("/what-is-dry-needling/")
    assert response.status_code == 500
    assert b"secret detail" not in response.content and b"Traceback" not in response.content
    assert b"Sorry, something went wrong" in response.content


# --- Failure ---------------------------------------------------------------------------

@pytest.fixture
def database_down(monkeypatch):
    def unreachable(self, *args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    return monkeypatch


def test_database_down_gives_a_friendly_503_and_recovers(client, loaded, database_down):
    client.raise_request_exception = False
    response = client.get("/faq/does-it-hurt/")
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content and b"Traceback" not in response.content
    assert client.get("/healthz").status_code == 503
    database_down.undo()
    assert client.get("/faq/does-it-hurt/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok"}


def test_cached_pages_are_still_served_while_the_database_is_down(client, loaded, monkeypatch):
    client.get("/what-is-dry-needling/")

    def unreachable(self, *args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    assert client.get("/what-is-dry-needling/").status_code == 200


# --- Every process sees a content change ------------------------------------------------

def test_a_change_saved_by_another_process_clears_this_process_cache(client, loaded, settings, tmp_path,
                                                                       django_assert_num_queries,
                                                                       django_assert_max_num_queries):
    # Another gunicorn worker, or `manage.py load_content`, runs in its own process with
    # its own local-memory cache; only the version file is shared.
    from serving.cache import content_version

    settings.CONTENT_VERSION_FILE = tmp_path / "content.version"
    client.get("/what-is-dry-needling/")
    with django_assert_num_queries(0):
        client.get("/what-is-dry-needling/")  # served from this process's cache
    before = content_version()
    result = manage("shell", "-c", "from serving.cache import bump_content_version; bump_content_version()",
                    env={**os.environ, "CONTENT_VERSION_FILE": str(settings.CONTENT_VERSION_FILE)})
    assert result.returncode == 0, result.stderr
    assert content_version() != before
    with django_assert_max_num_queries(10) as captured:
        assert client.get("/what-is-dry-needling/").status_code == 200
    assert len(captured) > 0  # rendered afresh, not the stale cached copy


def test_with_a_shared_cache_the_version_lives_in_the_cache(settings):
    from django.core.cache import cache

    from serving.cache import bump_content_version, cache_is_shared, content_version

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(settings.BASE_DIR / ".pytest_cache" / "shared-cache")}}
    assert cache_is_shared()
    before = content_version()
    bump_content_version()
    # Kept as plain text, never a pickled object: servers of two releases can both read it.
    stored = cache.get("content-version")
    assert content_version() != before and isinstance(stored, str) and stored == content_version().stored()


def test_pages_are_compressed_for_browsers_that_take_gzip_and_cached_each_way(client, loaded):
    import gzip

    plain = client.get("/faq/")
    packed = client.get("/faq/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    # Both now come from the page cache, each in its own form.
    assert client.get("/faq/").content == plain.content
    again = client.get("/faq/", HTTP_ACCEPT_ENCODING="gzip")
    assert again["Content-Encoding"] == "gzip" and gzip.decompress(again.content) == plain.content


def test_cached_menu_and_footer_follow_the_page_and_every_change(client, site_content):
    def menu_current(path):
        html = client.get(path).content.decode()
        menu = html.split('id="guide-menu"')[1].split("</nav>")[0]
        return re.findall(r'<a href="([^"]+)" aria-current="page"', menu)

    assert menu_current("/after-care/") == ["/after-care/"]
    assert menu_current("/what-is-dry-needling/") == ["/what-is-dry-needling/"]
    assert menu_current("/faq/") == []
    location = Location.objects.first()
    location.name = "Renamed Branch"
    location.save()
    footer = client.get("/insurance-and-cost/").content.decode().split('<footer class="site-footer">')[1]
    assert "Renamed Branch" in footer


def test_staff_pages_keep_cross_window_isolation_and_patient_pages_do_without(client, loaded):
    # COOP made Chrome switch process on arrival at every patient page (Lighthouse TBT).
    assert "Cross-Origin-Opener-Policy" not in client.get("/faq/")
    login = client.get(reverse("admin:login"))
    assert login["Cross-Origin-Opener-Policy"] == "same-origin"
    assert client.get("/staff/links/")["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_page_cache_keeps_each_language_apart(client, loaded):
    # The address decides the language (/es/ is Spanish), never the browser: an emailed
    # English link shows English to a Spanish browser too, from the cache or not.
    assert client.get("/faq/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "en"
    assert client.get("/es/preguntas/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "es"
    assert client.get("/faq/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "en"  # from the cache
    assert client.get("/es/preguntas/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "es"


# --- The page cache keys only on the query parameters pages use (issue 21) ----------------

def page_cache_entries():
    """Pages stored in the cache: the local-memory cache's own dict, or Redis's keys."""
    from django.core.cache import cache

    store = cache._cache
    if isinstance(store, dict):
        return sum(1 for key in store if ":page:" in key)
    return len(store.get_client(write=False).keys("*:page:*"))  # Redis (make test-postgres-redis)


def test_unknown_query_parameters_are_served_but_never_stored_in_the_page_cache(client, loaded,
                                                                                django_assert_num_queries):
    client.get("/what-is-dry-needling/")
    stored = page_cache_entries()
    for n in range(300):
        response = client.get(f"/what-is-dry-needling/?x={n}")
        assert response.status_code == 200 and b"dry needling" in response.content
    assert page_cache_entries() == stored
    with django_assert_num_queries(0):  # the real page is still cached
        assert client.get("/what-is-dry-needling/").status_code == 200


def test_search_pages_are_cached_by_their_own_parameters_in_any_order(client, loaded):
    assert client.get("/search/?q=pain&page=1").status_code == 200
    assert page_cache_entries() == 1
    assert client.get("/search/?page=1&q=pain&utm_source=qr").status_code == 200
    assert client.get("/search/?page=1&q=pain").status_code == 200
    assert page_cache_entries() == 1


def test_the_query_parameters_the_page_cache_keys_on_come_from_the_environment():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.PAGE_CACHE_QUERY_PARAMETERS)",
                    env={**os.environ, "PAGE_CACHE_QUERY_PARAMETERS": "q, page, topic"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['q', 'page', 'topic']"
