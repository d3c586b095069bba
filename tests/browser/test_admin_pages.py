"""Issue 22: the admin pages each kind of staff opens are valid HTML (the Nu HTML checker, as
for public pages), and the lists of pages fit a 1280 px screen with their next review dates."""
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.helpers import as_loaded, logged_in, require_vnu, resize, save_in_admin, vnu_errors

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(site_content, make_staff):
    from pages.models import StaffProfile

    people = {
        "admin": make_staff("boss", superuser=True),
        "desk": make_staff("desk", group="Front desk"),
        "clinician": make_staff("clin", group="Clinical editor"),
        "translator": make_staff("trad", group="Translator"),
        "therapist": make_staff("thera", group="Therapist"),
    }
    StaffProfile.objects.create(user=people["clinician"], reviewer_title="Physical therapist, DPT")
    return {role: logged_in(user) for role, user in people.items()}


def admin_pages(staff):
    """(role, description, URL) for the admin pages each role opens in a day's work."""
    from pages.models import FaqEntry, PendingChange, Topic
    from pages.translations.status import draft_of

    entry = FaqEntry.objects.filter(language="en", category="safety").first()
    save_in_admin(staff["desk"], entry, answer=entry.answer + "\n\nAsk us if you are unsure.")
    change = PendingChange.objects.get()
    spanish = FaqEntry.objects.filter(language="es").first()
    english = FaqEntry.objects.get(translation_key=spanish.translation_key, language="en")
    english.answer += "\n\nOne more English sentence."
    with as_loaded():
        english.save()  # the Spanish is now out of date: its translation diff has something to show
    doomed = Topic.objects.filter(language="en").last()
    staff["admin"].post(reverse("admin:pages_topic_delete", args=[doomed.pk]), {"post": "yes"})
    made = draft_of(Topic.objects.filter(language="en").first(), "es")  # None: it has one already
    if made is not None:
        with as_loaded():
            made[0].save()
    return [
        ("admin", "add user", reverse("admin:auth_user_add")),
        ("admin", "change user", reverse("admin:auth_user_change", args=[change.author.pk])),
        ("admin", "sites", reverse("admin:sites_site_change", args=[1])),
        ("desk", "admin home", reverse("admin:index")),
        ("desk", "change FAQ answer", reverse("admin:pages_faqentry_change", args=[entry.pk])),
        ("desk", "add FAQ answer", reverse("admin:pages_faqentry_add")),
        ("desk", "FAQ list", reverse("admin:pages_faqentry_changelist")),
        ("clinician", "admin home", reverse("admin:index")),
        ("clinician", "approval queue", reverse("admin:pages_pendingchange_changelist") + "?status__exact=pending"),
        ("clinician", "review a change", reverse("admin:pages_pendingchange_change", args=[change.pk])),
        ("clinician", "recent changes", reverse("admin:pages_recent_changes")),
        ("clinician", "history", reverse("admin:pages_faqentry_history", args=[english.pk])),
        ("clinician", "restore a version", reverse("admin:pages_faqentry_simple_history",
                                                   args=[english.pk, english.history.last().pk])),
        ("clinician", "topic list", reverse("admin:pages_topic_changelist")),
        ("admin", "recently deleted", reverse("admin:pages_topic_deleted")),
        ("translator", "translation diff", reverse("admin:pages_faqentry_english_changes", args=[spanish.pk])),
        ("translator", "change Spanish answer", reverse("admin:pages_faqentry_change", args=[spanish.pk])),
        ("therapist", "link builder", reverse("pages:link_builder")),
        ("therapist", "view a topic", reverse("admin:pages_topic_change", args=[Topic.objects.first().pk])),
    ]


@pytest.mark.django_db
def test_the_admin_pages_each_role_opens_pass_the_nu_html_checker(staff, tmp_path):
    require_vnu()
    files = {}
    for number, (role, what, url) in enumerate(admin_pages(staff)):
        response = staff[role].get(url)
        assert response.status_code == 200, f"{role}, {what}: {url} answered {response.status_code}"
        file = tmp_path / f"admin-{number:02d}.html"
        file.write_bytes(response.content)
        files[file.name] = f"{role}, {what} ({url})"
    errors = vnu_errors([tmp_path / name for name in files])
    report = [f"{files.get(name, name)}: {message}"
              for name, messages in sorted(errors.items()) for message in messages]
    assert not report, f"the Nu HTML checker found {len(report)} error(s):\n" + "\n".join(report)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model_name", ["faqentry", "topic", "condition"])
def test_the_page_lists_fit_1280_px_with_the_next_review_date_visible(live_server, site_content, browser,
                                                                       django_user_model, model_name):
    django_user_model.objects.create_superuser("boss", "boss@example.org", "a-long-test-password-1")
    client = logged_in(django_user_model.objects.get(username="boss"))
    resize(browser, 1280, 900)
    browser.get(live_server.url + "/admin/login/")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"})
    browser.get(live_server.url + reverse(f"admin:pages_{model_name}_changelist"))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1280
    # The admin scrolls a wide table inside its box, beside the filters: nothing may be hidden there.
    results = browser.find_element(By.CSS_SELECTOR, "#changelist .results")
    visible, whole = browser.execute_script("return [arguments[0].clientWidth, arguments[0].scrollWidth]", results)
    assert whole <= visible, f"the list is {whole}px wide in a {visible}px box: columns are off the screen"
    edge = browser.execute_script("return arguments[0].getBoundingClientRect().right", results)
    for column in ("next_review_due", "language"):
        header = browser.find_element(By.CSS_SELECTOR, f"#result_list th.column-{column}")
        right = browser.execute_script("return arguments[0].getBoundingClientRect().right", header)
        assert right <= edge, f"the {column} column ends at {right}px, past the list's edge at {edge}px"
