
import pytest

from pages.content import load_content
from tests.helpers import REAL_CONTENT, write


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
    """The real content/ folder, loaded."""
    return load_content(REAL_CONTENT)


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
