"""Page caching that never shows a patient a stale page.

Every cached thing is keyed by the *content version*: a timestamp bumped (after the
transaction commits) whenever any content row, redirect or image is saved or deleted,
including by load_content. Bumping it makes every old entry unreachable at once, on every
app server that shares the cache; content changes are rare, so clearing all is cheap and
cannot miss a page that shows the changed row (menus, footers, FAQ lists).
"""
import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content-version"


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def _set_new_version():
    cache.set(VERSION_KEY, max(time.time(), content_version() + 1e-6), timeout=None)


def bump_content_version():
    _set_new_version()
    # Again after the commit: a request served between the save and the commit may have
    # cached the old page under the version just set.
    transaction.on_commit(_set_new_version)


def cached(name, compute):
    """`compute()`, cached until the next content change."""
    key = f"{name}:{content_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=None)
    return value
