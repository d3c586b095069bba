"""Two app servers, one truth: two gunicorn servers on one PostgreSQL and one Redis.

A change saved through server A's admin (a real login and form POST) is what server B serves
on its very next request, for an edit, an unpublish, a publish and a slug rename; an image
uploaded through A lands in the shared media folder B serves from.

Needs PostgreSQL (DATABASE_URL=postgres://..., as `make test-postgres-redis` and .ci/run set)
and Debian's redis-server; skipped otherwise. The servers get their own database on that
PostgreSQL server, their own Redis and their own media folder, all removed afterwards.
"""
import io
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.helpers import REDIS_SERVER, Browser, RedisServer, form_fields

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
from _server import Server, manage, prod_env  # noqa: E402  (bench/_server.py: gunicorn on a free port)

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(not DATABASE_URL.startswith(("postgres://", "postgresql://")),
                       reason="needs PostgreSQL: run `make test-postgres-redis` (DATABASE_URL=postgres://...)"),
    pytest.mark.skipif(not REDIS_SERVER, reason="needs Debian's redis-server (apt-get install redis-server)"),
]

USER, PASSWORD = "front-desk", "a-long-two-server-password"


def database_url(name):
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(sql, name="postgres"):
    import psycopg

    with psycopg.connect(database_url(name), autocommit=True) as conn:
        return conn.execute(sql).fetchall() if sql.lstrip().upper().startswith("SELECT") else conn.execute(sql)


class Deployment:
    """Two gunicorn servers (A, B) sharing one database, one Redis and one media folder."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.db_name = f"clinic_two_servers_{os.getpid()}"
        self.media = tmp / "media"
        self.redis = RedisServer()
        self.servers = []

    def start(self):
        admin_sql(f'DROP DATABASE IF EXISTS "{self.db_name}"')
        admin_sql(f'CREATE DATABASE "{self.db_name}"')
        self.redis.start()
        self.env = prod_env(self.tmp / "unused.sqlite3", DATABASE_URL=database_url(self.db_name),
                            REDIS_URL=self.redis.url, DJANGO_MEDIA_ROOT=self.media,
                            DJANGO_SUPERUSER_PASSWORD=PASSWORD)
        manage("migrate", "--no-input", env=self.env)
        manage("load_content", env=self.env)
        manage("collectstatic", "--no-input", env=self.env)
        manage("createsuperuser", "--no-input", "--username", USER, "--email", "desk@example.org", env=self.env)
        for _ in range(2):
            self.servers.append(Server(self.env, workers=2, log_dir=self.tmp).start())
        return self

    def stop(self):
        for server in self.servers:
            server.stop()
        self.redis.close()
        admin_sql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def sql(self, query):
        return admin_sql(query, self.db_name)


@pytest.fixture(scope="module")
def deployment():
    tmp = Path(tempfile.mkdtemp(prefix="clinic-two-servers-"))
    deployment = Deployment(tmp)
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def a(deployment):
    return Browser(deployment.servers[0].port).login(USER, PASSWORD)


@pytest.fixture(scope="module")
def b(deployment):
    """Server B as a patient sees it: no cookies, so its pages come from the shared cache."""
    return Browser(deployment.servers[1].port)


def faq(deployment, slug):
    (row,) = deployment.sql(f"SELECT id FROM pages_faqentry WHERE slug = '{slug}'")
    return row[0]


def warm(deployment, *paths):
    """Every server has served (and cached) each page, twice."""
    for server in deployment.servers:
        patient = Browser(server.port)
        for path in paths * 2:
            assert patient.get(path).status == 200, (server.port, path)


def test_an_answer_edited_on_a_is_what_b_serves_next(deployment, a, b):
    warm(deployment, "/faq/", "/faq/does-it-hurt/", "/")
    old = b.get("/faq/does-it-hurt/").text
    new_text = "Two-server check: most people feel a small prick and a deep ache."
    assert new_text not in old
    a.change("pages/faqentry", faq(deployment, "does-it-hurt"), "faqentry_form", answer=new_text)
    assert new_text in b.get("/faq/does-it-hurt/").text
    assert new_text in b.get("/faq/").text


def test_unpublish_then_publish_on_a_shows_on_b_at_once(deployment, a, b):
    warm(deployment, "/faq/does-it-hurt/", "/faq/")
    entry = faq(deployment, "does-it-hurt")
    a.change("pages/faqentry", entry, "faqentry_form", published=False)
    assert b.get("/faq/does-it-hurt/").status in (404, 410)
    assert "/faq/does-it-hurt/" not in b.get("/faq/").text
    a.change("pages/faqentry", entry, "faqentry_form", published=True)
    assert b.get("/faq/does-it-hurt/").status == 200
    assert "does-it-hurt" in b.get("/faq/").text


def test_a_slug_renamed_on_a_moves_the_page_on_b_with_a_301(deployment, a, b):
    warm(deployment, "/faq/heat-or-ice/", "/faq/")
    a.change("pages/faqentry", faq(deployment, "heat-or-ice"), "faqentry_form", slug="heat-or-ice-after-needling")
    moved = b.get("/faq/heat-or-ice/")
    assert moved.status == 301
    assert moved.headers["location"].endswith("/faq/heat-or-ice-after-needling/")
    assert b.get("/faq/heat-or-ice-after-needling/").status == 200


def test_an_image_uploaded_through_a_is_in_the_media_folder_b_serves(deployment, a, b):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(picture, "PNG")
    page = a.get(a.admin + "pages/image/add/")
    fields = [(k, v) for k, v in form_fields(page.text, "image_form") if k not in ("title", "alt_text")]
    fields += [("title", "Two-server picture"), ("alt_text", "An orange square."), ("_save", "Save")]
    response = a.post(a.admin + "pages/image/add/", fields,
                      files={"file": ("two-servers.png", picture.getvalue(), "image/png")})
    assert response.status == 302, response.text[:3000]
    ((name,),) = deployment.sql("SELECT file FROM pages_image WHERE title = 'Two-server picture'")
    # One folder for both servers (DJANGO_MEDIA_ROOT): the picture A stored (re-encoded by
    # pages.images) is there for B.
    stored = (deployment.media / name).read_bytes()
    assert Image.open(io.BytesIO(stored)).size == (40, 30)
    b_staff = Browser(b.port).login(USER, PASSWORD)
    listing = b_staff.get(b.admin + "pages/image/").text
    assert "Two-server picture" in listing
    # B serves it (pages.media, DEBUG off) from the same folder, byte for byte.
    served = b.get(f"/media/{name}")
    assert served.status == 200
    assert served.body == stored


class Load:
    """Patients reading pages on both servers from several threads, every status counted."""

    PATHS = ("/", "/faq/", "/faq/does-it-hurt/", "/what-is-dry-needling/", "/search/?q=needle")

    def __init__(self, ports, threads=4):
        self.ports, self.threads = ports, threads
        self.statuses, self.errors = Counter(), []
        self.stopping = threading.Event()

    def run(self, index):
        patient = [Browser(port) for port in self.ports]
        n = index
        while not self.stopping.is_set():
            n += 1
            try:
                self.statuses[patient[n % len(patient)].get(self.PATHS[n % len(self.PATHS)]).status] += 1
            except OSError as exc:
                self.errors.append(repr(exc))

    def __enter__(self):
        self.workers = [threading.Thread(target=self.run, args=(i,)) for i in range(self.threads)]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for worker in self.workers:
            worker.join()


def test_redis_stopped_under_load_no_5xx_no_stale_page_and_recovery_by_itself(deployment, a, b):
    warm(deployment, *Load.PATHS)
    new_text = "Outage check: the answer changed while Redis was away."
    with Load([server.port for server in deployment.servers]) as load:
        time.sleep(1)
        deployment.redis.stop(save=True)  # keeps the old version and pages on disk for its return
        time.sleep(1)
        a.change("pages/faqentry", faq(deployment, "does-it-hurt"), "faqentry_form", answer=new_text)
        assert new_text in b.get("/faq/does-it-hurt/").text
        time.sleep(1)
        deployment.redis.start()
        assert deployment.redis.client().keys("*")  # back with its saved data: old version, old pages
        time.sleep(2)  # each process tries Redis again after serving.redis_cache.RETRY_SECONDS
        for server in deployment.servers:
            for _ in range(4):  # both workers of each server
                assert new_text in Browser(server.port).get("/faq/does-it-hurt/").text
    assert load.errors == []
    assert sum(load.statuses.values()) > 50
    assert set(load.statuses) == {200}, load.statuses
    # Back in the cache without a restart: pages are stored in Redis again.
    assert [key for key in deployment.redis.client().keys("*") if b"page:" in key]
