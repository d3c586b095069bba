"""Redis as the cache: one round trip per cached page, and when Redis goes away pages are
rendered from the database, never a 500, never stale.

Runs against a real redis-server (Debian's; skipped when it is not installed) that keeps its
data across a stop, as a Redis with persistence does.
"""
import pytest

from pages.models import FaqEntry
from serving import redis_cache
from tests.helpers import REDIS_SERVER, RedisServer, as_loaded

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed (apt-get install redis-server)"),
]

FAQ = "/faq/does-it-hurt/"
OLD = "Most people feel a small prick and a deep ache."
NEW = "Most people feel a short ache that fades."


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def redis_cache_on(settings, redis_server, monkeypatch):
    """The site's cache is the fail-soft Redis backend on the throwaway server."""
    settings.CACHES = {"default": {
        "BACKEND": "serving.redis_cache.FailSoftRedisCache",
        "LOCATION": redis_server.url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.0)  # retry at once: no sleeping in tests
    monkeypatch.setattr(redis_cache._State, "down_until", 0.0)
    monkeypatch.setattr(redis_cache._State, "outage_seen", False)
    return redis_server


def page_keys(server):
    return [key for key in server.client().keys("*") if b"page:" in key]


def test_pages_are_served_from_the_database_while_redis_is_down(client, loaded, redis_cache_on):
    redis_cache_on.stop()
    for path in ("/", FAQ, "/faq/", "/what-is-dry-needling/", "/search/?q=needle"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert OLD in client.get(FAQ).content.decode()


def test_an_edit_while_redis_is_down_is_seen_at_once_and_after_redis_returns(client, loaded, redis_cache_on):
    assert OLD in client.get(FAQ).content.decode()  # cached in Redis under the current version
    assert page_keys(redis_cache_on)
    redis_cache_on.stop(save=True)  # Redis keeps the old version and the old page on disk

    answer = FaqEntry.objects.get(slug="does-it-hurt")
    answer.answer = NEW
    with as_loaded():
        answer.save()  # the version bump cannot reach Redis
    assert NEW in client.get(FAQ).content.decode()

    redis_cache_on.start()  # back with the old version key and the old cached page
    assert redis_cache_on.client().keys("*"), "Redis should have loaded its saved data"
    for _ in range(3):
        html = client.get(FAQ).content.decode()
        assert NEW in html and OLD not in html


def test_the_cache_recovers_by_itself_when_redis_returns(client, loaded, redis_cache_on, django_assert_num_queries):
    redis_cache_on.stop(save=False)
    assert client.get(FAQ).status_code == 200
    redis_cache_on.start()
    assert client.get(FAQ).status_code == 200  # renders and caches again
    assert page_keys(redis_cache_on)
    with django_assert_num_queries(0):
        assert client.get(FAQ).status_code == 200


def redis_commands(server):
    stats = server.client().info("commandstats")
    # Less this counter's own: a new connection's HELLO and the INFO that reads the figures.
    return {name.removeprefix("cmdstat_"): value["calls"] for name, value in stats.items()
            if name not in ("cmdstat_hello", "cmdstat_info")}


def test_a_cached_page_costs_one_redis_round_trip(client, loaded, redis_cache_on):
    client.get(FAQ)  # rendered and cached
    before = redis_commands(redis_cache_on)
    assert client.get(FAQ).status_code == 200
    after = redis_commands(redis_cache_on)
    calls = {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}
    assert calls == {"mget": 1}  # the version and the page together; no other command


def test_guesses_are_counted_in_redis_and_an_outage_refuses_no_one(client, site_content, redis_cache_on, settings,
                                                                   monkeypatch):
    from serving import rate_limit

    monkeypatch.setattr(rate_limit, "now", lambda: 1_800_000_030.0)
    settings.READING_LIST_MISSES_PER_MINUTE = 3
    assert [client.get(f"/r/zzzzzzzzz{n}/").status_code for n in range(4)] == [404, 404, 404, 429]
    assert [key for key in redis_cache_on.client().keys("*") if b"rate:" in key]  # shared by every server
    redis_cache_on.stop()
    assert client.get("/r/zzzzzzzzz5/").status_code == 404  # nothing counted, nothing refused, no 500
