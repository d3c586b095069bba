"""The site's own middleware: the page cache, staff pages' isolation, gzip, and a calm 503.

Plumbing: nothing here knows what a page is about (it imports nothing from `pages`).
"""
import hashlib
from email.utils import formatdate
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware as BaseGZipMiddleware
from django.middleware.gzip import re_accepts_gzip
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, set_response_etag

from .cache import content_version_and


def is_staff_path(path):
    """The admin, the link builder and the editor's endpoints: pages for signed-in staff."""
    return path.startswith(("/" + settings.ADMIN_PATH, "/staff/", "/markdownx/"))


class StaffPagesMiddleware:
    """Staff pages keep the browser's cross-window isolation (Cross-Origin-Opener-Policy),
    which patients' pages do without (see settings.SECURE_CROSS_ORIGIN_OPENER_POLICY).

    Whatever is rendered for signed-in staff (drafts on the site, the link builder, the
    editor's preview) is never stored by a browser or a proxy: Cache-Control private, no-store.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_staff_path(request.path):
            response.headers.setdefault("Cross-Origin-Opener-Policy", settings.STAFF_CROSS_ORIGIN_OPENER_POLICY)
        user = getattr(request, "user", None)  # set below, unless a static file was answered first
        if is_staff_path(request.path) or (user is not None and user.is_staff):
            add_never_cache_headers(response)
        return response


class PageCacheMiddleware:
    """Serves patients' pages from the cache: the same bytes, no database work.

    Only anonymous GET/HEAD requests (no session cookie) whose query string holds only the
    parameters pages read (settings.PAGE_CACHE_QUERY_PARAMETERS) are cached, and only plain 200
    responses that set no cookie: staff, who may be previewing drafts, always get a fresh
    page. Entries carry the content version they were rendered under (serving.cache), so
    any content change makes every cached page a miss at once. Last-Modified is the version's time, so
    ConditionalGetMiddleware can answer If-Modified-Since and If-None-Match with 304.

    It sits above the security middleware and caches the response they finished, headers
    and all (as Django's own cache middleware stores whole responses), so a hit skips them.
    A request those would have redirected to HTTPS is never answered from the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = self.cache_query(request)
        if query is None or not self.cacheable_request(request):
            return self.get_response(request)
        # Hashed: keys stay short whatever the query string (memcached allows 250 bytes).
        # The scheme is part of the key (HSTS is sent over HTTPS only), and so are whether the
        # browser takes gzip (GZipMiddleware below compresses for those that do) and the
        # language LocaleMiddleware below will choose (for the Spanish edition).
        gzip = "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
        language = translation.get_language_from_request(request)
        address = f"{request.scheme}:{gzip}:{language}:{request.path}?{query}"
        key = f"page:{hashlib.sha256(address.encode()).hexdigest()}"
        # The entry is (version it was rendered under, response), read with the version in
        # one cache round trip; an entry from an older version is a miss.
        version, entry = content_version_and(key)
        if not version.cacheable:  # the shared cache is unreachable: render from the database
            return self.get_response(request)
        if entry is not None and entry[0] == version.key:
            return entry[1]
        response = self.get_response(request)
        if self.cacheable_response(response):
            response["Last-Modified"] = formatdate(version.timestamp, usegmt=True)
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
            # Computed once here and cached with the page, not hashed again on every hit.
            set_response_etag(response)
            cache.set(key, (version.key, response), timeout=settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def cache_query(request):
        """The query string as the cache keys it (the parameters pages read, in one order), or
        None if it carries any other parameter: such a request is served, not stored."""
        allowed = settings.PAGE_CACHE_QUERY_PARAMETERS
        if any(name not in allowed for name in request.GET):
            return None
        return urlencode(sorted(request.GET.lists()), doseq=True)

    @staticmethod
    def cacheable_request(request):
        request.get_host()  # a Host outside ALLOWED_HOSTS gets 400 here, as further down
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
            and not is_staff_path(request.path)
            and not request.path.startswith("/healthz")
        )

    @staticmethod
    def cacheable_response(response):
        return (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "private" not in response.get("Cache-Control", "")
        )


class GZipMiddleware(BaseGZipMiddleware):
    """Django's, except for pictures: already compressed, and streamed from disk as they are."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("image/"):
            return response
        return super().process_response(request, response)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, patients get a calm 503 page, not a traceback.

    Cached pages keep being served (they need no database). Django opens a new connection
    on the next request, so the site recovers by itself when the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and not settings.DEBUG_PROPAGATE_EXCEPTIONS:
            # 503.html needs no database: no context processors, no request context.
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = "60"
            return response
        return None
