
import pytest

from pages.content import load_content
from tests.helpers import REAL_CONTENT, write

# Modules whose tests must run on one xdist worker, in order (`make test`: -n auto --dist
# loadgroup): tests/browser/test_layout.py measures every page once for its three tests.
# xdist_group marks would say this, but pytest-xdist 3.8's loadgroup ignores them on pytest
# 9.2 (pytest-dev/pytest-xdist#1386: the group suffix it adds to node ids is lost), so the
# scheduler below groups by these module paths instead; every other test is its own unit.
ONE_WORKER_MODULES = ("tests/browser/test_layout.py",)


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER_MODULES else nodeid

    # In collection order (pytest-django's: transactional tests after the others), not the
    # biggest group first: a transactional test's flush must not run before other db tests.
    config.option.loadscopereorder = False
    return ModuleGroups(config, log)


@pytest.fixture(autouse=True, scope="session")
def own_content_version_file(tmp_path_factory):
    # A test run must not clear, or be cleared by, the pages of a server on this machine.
    from django.conf import settings

    settings.CONTENT_VERSION_FILE = tmp_path_factory.mktemp("content-version") / "version"


@pytest.fixture(autouse=True)
def empty_cache():
    # The database is rolled back after each test; the cache must not outlive it.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests create many staff users; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def content_dir(tmp_path):
    """A small, valid content tree; tests break one file at a time."""
    root = tmp_path / "content"
    write(root, "references/gattie-2017.md", """
        ---
        authors: Gattie E, Cleland JA, Snodgrass S
        year: 2017
        title: The effectiveness of trigger point dry needling
        publisher: J Orthop Sports Phys Ther
        details: 47(3):133-149
        doi: 10.2519/jospt.2017.7096
        ---
        Better than sham for pain up to 12 weeks.
        """)
    write(root, "topics/what-is-dry-needling.md", """
        ---
        title: What is dry needling?
        summary: A thin needle goes into a tight spot in a muscle.
        menu_order: 10
        last_reviewed: 2026-11-02
        reviewed_by: Physical therapist, DPT
        references: [gattie-2017]
        ---
        ## What is it?

        It can ease pain for a short time [@gattie-2017].

        ## Does it hurt?

        You may feel a small prick.

        ## Is it safe?

        Serious problems are rare.
        """)
    write(root, "faq/does-it-hurt.md", """
        ---
        question: Does it hurt?
        category: session
        order: 10
        topic: what-is-dry-needling
        last_reviewed: 2026-11-02
        reviewed_by: Physical therapist, DPT
        ---
        Most people feel a small prick and a deep ache.
        """)
    write(root, "conditions/neck-pain.md", """
        ---
        name: Neck pain
        body_region: neck
        summary: Pain and stiffness in the neck.
        topics: [what-is-dry-needling]
        last_reviewed: 2026-11-02
        reviewed_by: Physical therapist, DPT
        ---
        Tight neck muscles can cause pain.
        """)
    write(root, "clinic.md", """
        ---
        name: Test Clinic
        example_data: true
        phone: "555-0100"
        email: hello@example.org
        booking_url: https://example.org/book
        locations:
          - name: Riverside
            street_address: 1 River Road
            city: Exampleton
            region: EX
            postal_code: "00001"
            hours:
              - {days: Mon-Thu, opens: "07:30", closes: "18:00"}
              - {days: Fri, opens: "08:00", closes: "13:00"}
        ---
        Example data.
        """)
    write(root, "providers/alex-example.md", """
        ---
        name: Alex Example
        credentials: PT, DPT
        role: Physical therapist
        training: 54 hours of dry needling courses.
        locations: [riverside]
        order: 10
        ---
        Made up.
        """)
    return root


@pytest.fixture
def loaded(db, content_dir):
    load_content(content_dir)
    return content_dir


@pytest.fixture
def site_content(db):
    """The real content/ folder, loaded.

    The first load in a run is real; its rows are kept, and later tests that start from the
    same database state get exactly those rows copied back in (about 20 times quicker than
    reading and writing 160 files each time; see RealContentRows)."""
    return _real_content.load()


class RealContentRows:
    """What load_content(REAL_CONTENT) wrote to the database, replayed for the next test.

    Only on SQLite, and only when the tables the first load wrote to are empty. Inside a
    test's transaction (the `db` fixture) also only when their sqlite_sequence is as the
    first load found it, so the copied rows get the very ids a real load would give them
    (after a transactional test's flush the ids of a real load run on from the last test's;
    the copied rows keep the first load's). The first load is taken inside a test's
    transaction. Anything else (a test that wrote content rows first, PostgreSQL) gets a
    real load. The history's dates are moved on by the time since the first load ended, so
    the newest is no later than now, as a load that just ended would date them (moved on
    from its start, a copy made in less time than the load took was dated in the future,
    newer than a change the test then made); the page-cache version is bumped, as
    load_content does.
    """

    def __init__(self):
        self.written = None  # {table: (columns, rows)} of the first load
        self.before = self.after = None  # {table: sqlite_sequence} before and after it
        self.report = self.loaded_at = None

    @staticmethod
    def _rows(cursor, table):
        cursor.execute(f'SELECT * FROM "{table}"')
        return [c[0] for c in cursor.description], {tuple(map(as_stored, row)) for row in cursor.fetchall()}

    @staticmethod
    def _sequence(cursor, tables):
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return {name: seq for name, seq in cursor.fetchall() if name in tables}

    def _replayable(self, cursor, same_ids):
        for table in self.written:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            if cursor.fetchone()[0]:
                return False
        return not same_ids or self._sequence(cursor, self.written) == self.before

    def load(self):
        import copy

        from django.db import connection, transaction
        from django.utils import timezone

        from serving.cache import bump_content_version

        if connection.vendor != "sqlite":
            return load_content(REAL_CONTENT)
        in_test_transaction = connection.in_atomic_block
        with connection.cursor() as cursor, transaction.atomic():
            if self.written is not None:
                if not self._replayable(cursor, same_ids=in_test_transaction):
                    return load_content(REAL_CONTENT)
                shift = timezone.now() - self.loaded_at  # loaded_at: when the first load ended
                for table, (columns, rows) in self.written.items():
                    if "history_date" in columns:
                        at = columns.index("history_date")
                        rows = [row[:at] + (moved(row[at], shift),) + row[at + 1:] for row in rows]
                    names = ", ".join(f'"{c}"' for c in columns)
                    marks = ", ".join("%s" for _c in columns)
                    cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
                if in_test_transaction:
                    cursor.executemany("DELETE FROM sqlite_sequence WHERE name = %s", [(t,) for t in self.written])
                    cursor.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", self.after.items())
                bump_content_version()
                return copy.deepcopy(self.report)
            if not in_test_transaction:
                return load_content(REAL_CONTENT)
            tables = [t for t in connection.introspection.table_names(cursor) if t != "sqlite_sequence"]
            rows_before = {t: self._rows(cursor, t) for t in tables}
            sequence_before = self._sequence(cursor, tables)
            report = load_content(REAL_CONTENT)
            loaded_at = timezone.now()
            written = {}
            for table in tables:
                columns, rows = self._rows(cursor, table)
                if rows != rows_before[table][1]:
                    written[table] = (columns, sorted(rows - rows_before[table][1], key=lambda row: row[0]))
            # Replayable only if the load wrote to empty tables (it added rows, changed none).
            if all(not rows_before[table][1] for table in written):
                self.written, self.report, self.loaded_at = written, copy.deepcopy(report), loaded_at
                self.before = {t: s for t, s in sequence_before.items() if t in written}
                self.after = self._sequence(cursor, written)
            return report


def as_stored(value):
    """A value read back with Django's SQLite converters, as Django writes it (text, 0 or 1)."""
    from datetime import date, datetime, time

    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (datetime, time)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def moved(when, shift):
    from datetime import datetime

    return str(datetime.fromisoformat(when) + shift)


_real_content = RealContentRows()


@pytest.fixture
def staff_client(django_user_model):
    """A logged-in superuser's browser, separate from the anonymous `client`."""
    from django.test import Client

    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client = Client()
    client.force_login(user)
    return client








@pytest.fixture
def make_staff(django_user_model):
    from django.contrib.auth.models import Group

    def make(username, group=None, superuser=False):
        if superuser:
            return django_user_model.objects.create_superuser(username, f"{username}@example.org", "pw-long-enough-1")
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw-long-enough-1",
                                                     is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user
    return make


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request to a Spanish page leaves Spanish active in the thread (LocaleMiddleware
    activates, nothing deactivates): the next test must start in the site's default language."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
