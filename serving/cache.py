"""Page caching that never shows a patient a stale page (the site's plumbing: no models).

Every cached thing is keyed by the *content version* (a cached page carries it instead, so
it can be read with the version in one round trip), which changes whenever any content
row, redirect or image is saved or deleted, including by load_content (and again after
the transaction commits). A new version makes every old entry a miss at once.

The version must be seen by every process that serves pages, not just the one that saved:
- with a shared cache (Redis: CACHE_URL), it is a key in that cache, so every app server
  on every machine sees it; while Redis is unreachable nothing is cached (pages render from
  the database) and a process that lost Redis sets a new version when it is back;
- with the default per-process local-memory cache, it is a small file on this machine
  (CONTENT_VERSION_FILE), replaced on each change; reading it is one stat() call, so all
  gunicorn workers see a change at once.

In the shared cache the version is stored as a plain string ("<key>|<timestamp>"), never as
a pickled object: a class that moves module would make two servers mid-deploy unable to read
each other's entries. (Changing what is cached means bumping CACHES VERSION in settings.)
"""
import os
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

VERSION_KEY = "content-version"


@dataclass(frozen=True)
class Version:
    key: str  # part of every cache key
    timestamp: float  # when content last changed: the pages' Last-Modified
    cacheable: bool = True  # False while the shared cache is unreachable

    def stored(self):
        """As kept in the shared cache: plain text, readable by any release."""
        return f"{self.key}|{self.timestamp!r}"

    @classmethod
    def from_stored(cls, value):
        """The version a shared-cache value gives, or None for a value this release cannot read."""
        if not isinstance(value, str) or "|" not in value:
            return None
        key, _bar, timestamp = value.rpartition("|")
        try:
            return cls(key, float(timestamp))
        except ValueError:
            return None


def _new_version():
    return Version(f"{time.time_ns()}", time.time())


def cache_is_shared():
    # `cache` is a proxy; the backend itself says whether other processes see it.
    return not isinstance(caches["default"], LocMemCache)


def version_file():
    return Path(settings.CONTENT_VERSION_FILE)


def content_version():
    return content_version_and(None)[0]


def content_version_and(key):
    """The content version and the cache entry `key` (None for none), read together: with
    Redis, one round trip (MGET) instead of two, which is most of what a cached page costs."""
    if cache_is_shared():
        return _shared_version(key)
    return _file_version(), (cache.get(key) if key else None)


def _file_version():
    try:
        stat = os.stat(version_file())
    except FileNotFoundError:
        _replace_version_file()
        stat = os.stat(version_file())
    # A new file (inode) on every change: unique even where mtime is coarse.
    return Version(f"{stat.st_ino}-{stat.st_mtime_ns}", stat.st_mtime)


def _shared_version(key=None):
    backend = caches["default"]
    if getattr(backend, "outage_seen", False) and backend_available(backend):
        # This process lost touch with Redis (serving.redis_cache). A bump made meanwhile, here
        # or on another server, may never have reached the version key, and a Redis that kept
        # its data would serve pages from before the edit. A new version costs every page one
        # cold render; a stale page is what must never happen.
        backend.mark_recovered()
        _set_new_version()  # if Redis fails again, outage_seen is set again
    found = cache.get_many([VERSION_KEY, key] if key else [VERSION_KEY])
    version = Version.from_stored(found.get(VERSION_KEY))
    if version is None and backend_available(backend):
        if not cache.add(VERSION_KEY, _new_version().stored(), timeout=None):
            # Another process set it first, or it holds a value this release cannot read.
            if Version.from_stored(cache.get(VERSION_KEY)) is None:
                _set_new_version()
        version, found = Version.from_stored(cache.get(VERSION_KEY)), {}
    if version is None or getattr(backend, "outage_seen", False):
        # Redis unreachable: a key no entry has, so every page is rendered from the database.
        return Version(f"uncached-{time.time_ns()}", time.time(), cacheable=False), None
    return version, found.get(key)


def backend_available(backend):
    return getattr(backend, "available", True)


def _replace_version_file():
    path = version_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".content-version-")
    os.close(fd)
    os.replace(temp, path)  # atomic: readers see the old file or the new one


def _set_new_version():
    if cache_is_shared():
        cache.set(VERSION_KEY, _new_version().stored(), timeout=None)
    else:
        _replace_version_file()


_deferred = threading.local()


def bump_content_version():
    if getattr(_deferred, "active", False):
        _deferred.pending = True
        return
    _set_new_version()
    # Again after the commit: a request served between the save and the commit may have
    # cached the old page under the version just set.
    transaction.on_commit(_set_new_version)


def cached(name, compute):
    """`compute()`, cached until the next content change."""
    version = content_version()
    if not version.cacheable:
        return compute()
    key = f"{name}:{version.key}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=None)
    return value


# --- Kept in this process until content changes ---------------------------------------------

MEMO_KEY = "process-memo"  # in the shared cache: "<content version key>|<token>"
MEMO_MAX_ENTRIES = 4096


class Memo(dict):
    """Values this process keeps for one content version: what many pages show the same way
    (the site chrome, rendered fragments as plain strings). Nothing here is pickled or shared,
    so no class can move under another server; each process builds its own once per version."""

    def get_or_compute(self, key, compute):
        value = self.get(key)
        if value is None:
            value = compute()
            if len(self) >= MEMO_MAX_ENTRIES:
                self.clear()  # bounded: a guide of many pages cannot grow it without end
            self[key] = value
        return value


_memo = (None, Memo())  # (the shared cache's "<version>|<token>" it was filled under, values)


def remembered():
    """(content version, this process's Memo for it), read in one round trip with the version.

    The memo is valid while the shared cache holds the token it was filled under: a new
    content version, or a cleared cache (tests clear it as the database rolls back; a restore
    clears it too), gives a new token and an empty memo. While the shared cache is down
    (version not cacheable) every call gets a new empty memo: nothing is kept."""
    global _memo
    version, stored = content_version_and(MEMO_KEY)
    if not version.cacheable:
        return version, Memo()
    filled_under, memo = _memo
    if stored is not None and stored == filled_under and stored.startswith(f"{version.key}|"):
        return version, memo
    if stored is None or not stored.startswith(f"{version.key}|"):
        stored = f"{version.key}|{uuid.uuid4().hex}"
        cache.set(MEMO_KEY, stored, timeout=None)
    memo = Memo()
    _memo = (stored, memo)
    return version, memo


@contextmanager
def one_bump_for_many_changes():
    """Within the block, saves only note that content changed; one bump follows at the end
    (load_content saves thousands of rows: one new version is enough)."""
    _deferred.active, _deferred.pending = True, False
    try:
        yield
    finally:
        pending = _deferred.pending
        _deferred.active = _deferred.pending = False
        if pending:
            bump_content_version()
