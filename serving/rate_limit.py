"""A small limiter: at most `limit` events per `window` seconds for one client (an address, an
account), counted in Django's cache, in fixed windows.

Plumbing: callers choose what counts (a reading-list code that does not exist, a password-reset
request) and whom it counts for (serving.client_address gives the address behind the proxy).
With the per-process cache each app server process counts on its own; with Redis, all count
together. If the cache is unreachable, nothing is counted and nothing is refused.
"""
import hashlib
import math
import time

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string


def now():
    return time.time()


def _window(scope, who, window):
    """(cache key, seconds until this window ends)."""
    moment = now()
    index = int(moment // window)
    # Hashed: keys stay short and hold no address or email in clear.
    digest = hashlib.sha256(f"{scope}\0{who}".encode()).hexdigest()
    return f"rate:{scope}:{digest}:{index}", max(1, int((index + 1) * window - moment + 0.999))


def retry_after(scope, who, limit, window=60):
    """Seconds until `who` may try again, or 0 if they are under the limit."""
    key, left = _window(scope, who, window)
    return left if (cache.get(key) or 0) >= limit else 0


def count(scope, who, window=60):
    """One more event for `who` in this window."""
    key, _left = _window(scope, who, window)
    if cache.add(key, 1, timeout=window + 1):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)


def too_many_requests(seconds):
    """429 with Retry-After, on a page that needs no database."""
    response = HttpResponse(render_to_string("429.html", {"minutes": math.ceil(seconds / 60)}), status=429)
    response["Retry-After"] = str(seconds)
    return response
