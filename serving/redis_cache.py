"""Django's Redis cache, failing soft: while Redis is unreachable the site runs uncached.

A page cache is an optimisation. If Redis stops, every read is a miss and every write is
dropped, so pages are rendered from the database (slower) instead of answering 500. After a
failure the backend does not try Redis again for RETRY_SECONDS, so a Redis that hangs costs
one short timeout per second per process, not one per cache call.

`outage_seen` tells serving.cache that this process lost touch with Redis: a content-version
bump may have been dropped meanwhile, so it sets a new version before trusting the cache
again (serving.cache.content_version).
"""
import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class _State:
    """Per process (all threads, all instances): Redis is one server for all of them."""

    down_until = 0.0  # time.monotonic() before which Redis is not tried again
    outage_seen = False


def _fail_soft(method, default):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if time.monotonic() < _State.down_until:
            return default
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            if not _State.outage_seen:
                logger.warning("Redis unreachable, serving without the cache: %s", exc)
            _State.down_until = time.monotonic() + RETRY_SECONDS
            _State.outage_seen = True
            return default

    return wrapper


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # redis-py retries 3 times with backoff (4 s against a stopped Redis) by default: one
        # quick retry is enough to replace a connection Redis closed when it restarted.
        self._options = {"retry": Retry(NoBackoff(), 1), **self._options}

    def get(self, key, default=None, version=None):
        return self._get(key, version=version) if self.available else default

    # `get` answers None for a miss and for an outage alike; callers' defaults are kept above.
    _get = _fail_soft(RedisCache.get, None)
    get_many = _fail_soft(RedisCache.get_many, {})
    has_key = _fail_soft(RedisCache.has_key, False)
    set = _fail_soft(RedisCache.set, None)
    set_many = _fail_soft(RedisCache.set_many, [])
    add = _fail_soft(RedisCache.add, False)
    incr = _fail_soft(RedisCache.incr, 0)  # serving.rate_limit: an outage counts nothing
    touch = _fail_soft(RedisCache.touch, False)
    delete = _fail_soft(RedisCache.delete, False)
    delete_many = _fail_soft(RedisCache.delete_many, None)
    clear = _fail_soft(RedisCache.clear, False)

    @property
    def available(self):
        return time.monotonic() >= _State.down_until

    @property
    def outage_seen(self):
        return _State.outage_seen

    def mark_recovered(self):
        _State.outage_seen = False
