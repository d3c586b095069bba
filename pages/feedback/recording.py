"""The rules for what patients send: which requests count, what is kept, and nothing more.

Kept: per page and day, the Yes and No counts and any comment (at most 300 characters); per
normalised query, language and day, how many searches found nothing. Never kept: the client's
address (used only, hashed, as a one-hour cache key for the rate limit), the time of day, a
cookie, the full query log.
"""
import datetime
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from serving.client_address import client_address

from ..addresses.links import site_url
from ..models import Condition, FaqEntry, FeedbackComment, PageVote, SearchMiss, Topic

# The routes whose last part is a page's slug (pages/urls.py).
PAGE_ROUTES = {"topic": Topic, "faq_entry": FaqEntry, "condition": Condition}

MAX_BODY = 2048  # bytes: a page address, Yes or No and 300 characters fit well within it
RATE_WINDOW = 3600  # seconds


def today():
    return timezone.localdate()


def allowed_origin(request):
    """The form was posted from one of the site's pages: Origin (or, where a browser sends
    none, Referer) is SITE_URL or this request's own host."""
    sent = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(sent)
    origin = f"{parts.scheme}://{parts.netloc}"
    own = f"{request.scheme}://{request.get_host()}"
    return bool(parts.scheme and parts.netloc) and origin in {site_url(), own}


def within_rate_limit(request):
    """At most FEEDBACK_PER_HOUR posts an hour from one client address (Django's cache)."""
    address = client_address(request) or "unknown"
    key = "feedback-rate:" + hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW)
        count = 1
    return count <= settings.FEEDBACK_PER_HOUR


def patient_page(path):
    """`path` if it is a patient page of this site (no query, no staff page), else None."""
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 200 or "?" in path or "//" in path:
        return None
    try:
        match = resolve(path)
    except Http404:
        return None
    if match.url_name in (None, "link_builder", "sitemap", "robots") or match.namespace != "pages":
        return None
    model = PAGE_ROUTES.get(match.url_name)
    if model is not None and not model.objects.published().filter(slug=match.kwargs.get("slug")).exists():
        return None  # an address shaped like a page that is not one
    return path


def add_count(model, lookup, field):
    """Add 1 to `field` of the row for `lookup`, making the row if it is the first today."""
    for _attempt in range(2):
        if model.objects.filter(**lookup).update(**{field: F(field) + 1}):
            return
        try:
            with transaction.atomic():
                model.objects.create(**lookup, **{field: 1})
            return
        except IntegrityError:  # made by another request at the same moment: update it
            continue


def record_vote(path, helpful, comment=""):
    add_count(PageVote, {"path": path, "day": today()}, "yes" if helpful else "no")
    comment = " ".join(comment.split())[: FeedbackComment.MAX_LENGTH]
    if comment:
        FeedbackComment.objects.create(path=path, day=today(), helpful=helpful, text=comment)


def normalise(query):
    return " ".join(query.casefold().split())[:100]


def record_search(sender=None, query="", results=None, response=None, **kwargs):
    """Receiver of pages.models.search_made: a search with words that found nothing adds 1.

    Its page is marked private, so the page cache (which stores only public pages) lets every
    such search reach the view and be counted; pages with results stay cached as before."""
    query = normalise(query)
    if query and not results:
        add_count(SearchMiss, {"query": query, "language": translation.get_language() or settings.LANGUAGE_CODE,
                               "day": today()}, "count")
        if response is not None:
            patch_cache_control(response, private=True)


def since(days):
    return today() - datetime.timedelta(days=days - 1)
