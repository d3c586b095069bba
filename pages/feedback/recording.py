"""The rules for what patients send: which requests count, what is kept, and nothing more.

Kept: per page and day, the Yes and No counts and any comment (at most 300 characters); per
normalised query, language and day, how many searches found nothing, how many showed results
and how many of those results were opened. Never kept: the client's address (used only,
hashed, as a short-lived cache key for the rate limits), the time of day, a cookie, the full
query log, which result was opened.

Search counts are added up in the process and written together, with the first count after
FLUSH_SECONDS and when the process ends: a write per search made every search that found
nothing wait for the database's commit (p50 26-43 ms at 6,000 rows on SQLite, 9-16 ms without
it; docs/figures.md), and a search page served from the page cache does no database work at
all. A process that is killed loses the counts it had not written yet.
"""
import atexit
import datetime
import hashlib
import logging
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.http import Http404
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from serving import rate_limit
from serving.client_address import client_address

from ..addresses.links import site_url
from ..models import Condition, FaqEntry, FeedbackComment, PageVote, SearchCount, SearchMiss, Topic
from ..text.queries import normalised_query

logger = logging.getLogger(__name__)

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


def add_count(model, lookup, field, amount=1):
    """Add `amount` to `field` of the row for `lookup`, making the row if it is the first today."""
    for _attempt in range(2):
        if model.objects.filter(**lookup).update(**{field: F(field) + amount}):
            return
        try:
            with transaction.atomic():
                model.objects.create(**lookup, **{field: amount})
            return
        except IntegrityError:  # made by another request at the same moment: update it
            continue


FLUSH_SECONDS = 60  # search counts wait in the process at most this long before they are written
MAX_PENDING = 1000  # ... or until this many different counts wait
_pending = Counter()  # (model, query, language, day, field) -> how many
_pending_lock = threading.Lock()
_last_flush = time.monotonic()


def tally(model, query, language, field):
    """Add 1 to a search count, written with the others by flush_counts() once one is due."""
    with _pending_lock:
        _pending[(model, query, language, today(), field)] += 1


def flush_counts_when_due(sender=None, **kwargs):
    """Receiver of request_finished (pages.signals): sent once the response has gone to the
    patient, so the write (which may wait for another process's write to SQLite) never delays
    the page that happened to be the minute's last."""
    global _last_flush
    with _pending_lock:
        due = len(_pending) >= MAX_PENDING or (_pending and time.monotonic() - _last_flush >= FLUSH_SECONDS)
        if due:
            _last_flush = time.monotonic()
    if due:
        flush_counts()


def clicks_last(item):
    (_model, _query, _language, _day, field), _amount = item
    return field == "clicks"


def flush_counts():
    """Write the search counts waiting in this process, in one transaction (one commit)."""
    with _pending_lock:
        waiting = dict(_pending)
        _pending.clear()
    if not waiting:
        return
    try:
        with transaction.atomic():
            # Searches first: a click counts only for words searched that day, and never above
            # their searches, so a forged ping can neither store words nobody searched for (a
            # name, a phone number) nor hide a search from "results nobody opened" for good.
            for (model, query, language, day, field), amount in sorted(waiting.items(), key=clicks_last):
                lookup = {"query": query, "language": language, "day": day}
                if field == "clicks":
                    model.objects.filter(**lookup).update(clicks=Least(F("clicks") + amount, F("searches")))
                else:
                    add_count(model, lookup, field, amount)
    except DatabaseError:
        # The database is down (a cached page is still served): keep the counts for next time.
        logger.warning("Search counts not written (database error); kept for the next try.", exc_info=True)
        with _pending_lock:
            _pending.update(waiting)


def forget_counts():
    """Drop the counts waiting in this process (tests start from none)."""
    global _last_flush
    with _pending_lock:
        _pending.clear()
        _last_flush = time.monotonic()


atexit.register(flush_counts)


def record_vote(path, helpful, comment=""):
    add_count(PageVote, {"path": path, "day": today()}, "yes" if helpful else "no")
    comment = " ".join(comment.split())[: FeedbackComment.MAX_LENGTH]
    if comment:
        FeedbackComment.objects.create(path=path, day=today(), helpful=helpful, text=comment)


normalise = normalised_query


def record_search(sender=None, query="", results=None, response=None, **kwargs):
    """Receiver of pages.models.search_made: a search with words that found nothing adds 1.

    Its page is marked private, so the page cache (which stores only public pages) lets every
    such search reach the view and be counted; pages with results stay cached as before, and
    are counted by SearchCountMiddleware, which sees every request, cached or not."""
    query = normalise(query)
    if query and not results:
        tally(SearchMiss, query, translation.get_language() or settings.LANGUAGE_CODE, "count")
        if response is not None:
            patch_cache_control(response, private=True)
            response.search_found_nothing = True  # counted here, not again by the middleware


# One client address may have at most this many searches and opened results counted per window
# (serving.rate_limit); more are still served, only not counted.
COUNTED_PER_WINDOW = 60
COUNT_WINDOW = 600  # seconds


def wait_before_counting(request, scope):
    """0 if this client address may have one more `scope` event counted (it is then counted
    against the limit), else the seconds until it may."""
    who = client_address(request) or "unknown"
    seconds = rate_limit.retry_after(scope, who, COUNTED_PER_WINDOW, COUNT_WINDOW)
    if not seconds:
        rate_limit.count(scope, who, COUNT_WINDOW)
    return seconds


def record_results_shown(request, query, language):
    """A search page with results was served (from the view or the page cache): count it."""
    query = normalise(query)
    if query and not wait_before_counting(request, "search-count"):
        tally(SearchCount, query, language, "searches")


def clicked_page(request, key):
    """Whether the ping's Ping-To header is a page of this site whose translation key is `key`:
    the link the search page showed for that result, on this host (or SITE_URL's)."""
    target = urlsplit(request.headers.get("Ping-To", ""))
    own_hosts = {urlsplit(site_url()).netloc, request.get_host()}
    if target.scheme not in ("http", "https") or target.netloc not in own_hosts or target.query:
        return False
    sender = urlsplit(request.headers.get("Ping-From", ""))
    if sender.netloc and sender.netloc not in own_hosts:  # browsers send Ping-From only on the same site
        return False
    with translation.override(translation.get_language_from_path(target.path) or settings.LANGUAGE_CODE):
        path = patient_page(target.path)
        if path is None:
            return False
        match = resolve(path)
    model = PAGE_ROUTES.get(match.url_name)
    return model is not None and model.objects.published().filter(
        slug=match.kwargs.get("slug"), translation_key=key).exists()


def record_click(query, language):
    query = normalise(query)
    if query:
        tally(SearchCount, query, language, "clicks")


def since(days):
    return today() - datetime.timedelta(days=days - 1)
