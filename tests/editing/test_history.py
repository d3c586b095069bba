"""Issue 12, section 4: history people can read, and saves that record only real changes."""
import pytest
from django.urls import reverse

from pages.content import export_content
from pages.models import FaqEntry, Topic
from tests.helpers import as_loaded, change_form_data, delete_in_admin, save_in_admin

pytestmark = pytest.mark.django_db

LONG = " ".join(f"word{n}" for n in range(80))  # far past simple-history's 100-character cut


def test_history_shows_a_word_diff_of_the_whole_field_under_its_verbose_name(staff_client, loaded):
    entry = FaqEntry.objects.get()
    save_in_admin(staff_client, entry, answer=LONG)
    save_in_admin(staff_client, entry, answer=LONG.replace("word70", "changed70"))
    html = staff_client.get(reverse("admin:pages_faqentry_history", args=[entry.pk])).content.decode()
    assert "chars]" not in html
    assert "<del>word70</del><ins>changed70</ins>" in html
    assert "word79" in html  # the end of the field is there too
    assert "<strong>Answer</strong>" in html


def test_history_names_related_rows_and_choices_as_people_read_them(staff_client, loaded):
    entry = FaqEntry.objects.get()
    save_in_admin(staff_client, entry, category="safety")
    html = staff_client.get(reverse("admin:pages_faqentry_history", args=[entry.pk])).content.decode()
    assert "<del>Your visit</del><ins>Safety and side effects</ins>" in html.replace("\n", "")


def test_restore_page_shows_what_restoring_would_change(staff_client, loaded):
    entry = FaqEntry.objects.get()
    original = entry.history.order_by("history_id").last()
    save_in_admin(staff_client, entry, answer="Most people feel a small pinch and a deep ache.")
    url = reverse("admin:pages_faqentry_simple_history", args=[entry.pk, original.history_id])
    html = staff_client.get(url).content.decode()
    assert "What restoring this version changes" in html
    assert "<del>pinch</del><ins>prick</ins>" in html


def test_crlf_from_the_browser_is_saved_as_lf_and_records_no_change(staff_client, loaded):
    topic = Topic.objects.get()
    url = reverse("admin:pages_topic_change", args=[topic.pk])
    data = change_form_data(staff_client, url)
    assert staff_client.post(url, {**data, "body": data["body"].replace("\n", "\r\n")}).status_code == 302
    topic.refresh_from_db()
    assert "\r" not in topic.body
    latest, before = topic.history.order_by("-history_id")[:2]
    assert latest.diff_against(before).changes == []


def test_exported_files_have_one_kind_of_line_ending(loaded, tmp_path):
    with as_loaded():
        Topic.objects.update(body="Line one.\r\nLine two.\r\n", summary="A\r\nB")
    export_content(tmp_path)
    raw = (tmp_path / "topics" / "what-is-dry-needling.md").read_bytes()
    assert b"\r" not in raw and b"Line one.\nLine two." in raw


# --- Recently deleted ------------------------------------------------------------------------



def test_a_deleted_topic_is_listed_and_restored_with_its_references(client, staff_client, loaded):
    topic = Topic.objects.get()
    references = list(topic.references.values_list("pk", flat=True))
    assert references
    delete_in_admin(staff_client, topic)
    assert client.get("/what-is-dry-needling/").status_code == 410
    url = reverse("admin:pages_topic_deleted")
    page = staff_client.get(url).content.decode()
    assert "What is dry needling?" in page and "editor" in page
    record = Topic.history.filter(history_type="-").get()
    assert staff_client.post(url, {"history_id": record.history_id}).status_code == 302
    restored = Topic.objects.get(slug="what-is-dry-needling")
    assert list(restored.references.values_list("pk", flat=True)) == references
    assert client.get("/what-is-dry-needling/").status_code == 200
    assert "Nothing has been deleted." in staff_client.get(url).content.decode()
    assert restored.history.first().history_change_reason == "Restored after deletion"


def test_restoring_brings_back_the_old_addresses_of_the_page(client, staff_client, loaded):
    entry = FaqEntry.objects.get()
    save_in_admin(staff_client, entry, slug="is-it-painful")
    entry.refresh_from_db()
    delete_in_admin(staff_client, entry)
    assert client.get("/faq/does-it-hurt/").status_code == 410
    record = FaqEntry.history.filter(history_type="-").get()
    staff_client.post(reverse("admin:pages_faqentry_deleted"), {"history_id": record.history_id})
    response = client.get("/faq/does-it-hurt/")
    assert (response.status_code, response["Location"]) == (301, "/faq/is-it-painful/")
    assert client.get("/faq/is-it-painful/").status_code == 200


def test_the_changelist_links_to_recently_deleted(staff_client, loaded):
    html = staff_client.get(reverse("admin:pages_condition_changelist")).content.decode()
    assert reverse("admin:pages_condition_deleted") in html


def test_front_desk_cannot_restore_topics(loaded, make_staff):
    from tests.helpers import logged_in

    client = logged_in(make_staff("desk", group="Front desk"))
    assert client.get(reverse("admin:pages_topic_deleted")).status_code == 403


# --- Recent changes ----------------------------------------------------------------------------

def test_recent_changes_lists_who_changed_what_across_all_content(loaded, make_staff):
    from pages.models import Clinic
    from tests.helpers import logged_in

    clin = logged_in(make_staff("clin", group="Clinical editor"))
    save_in_admin(clin, FaqEntry.objects.get(), answer="New answer.")
    save_in_admin(clin, Clinic.objects.get(), phone="555-0199")
    assert reverse("admin:pages_recent_changes") in clin.get(reverse("admin:index")).content.decode()
    html = clin.get(reverse("admin:pages_recent_changes")).content.decode()
    assert html.index("Test Clinic") < html.index("Does it hurt?")  # newest first
    assert "Answer" in html and "Phone" in html and "clin" in html


def test_recent_changes_is_for_clinical_editors(loaded, make_staff):
    from tests.helpers import logged_in

    desk = logged_in(make_staff("desk", group="Front desk"))
    assert desk.get(reverse("admin:pages_recent_changes")).status_code == 403


# --- Section 5: the topic list by next review date ---------------------------------------------

@pytest.mark.parametrize("review, expected", [("overdue", ["Old"]), ("soon", ["Soon"])])
def test_topic_list_filters_overdue_and_due_in_the_next_30_days(staff_client, loaded, review, expected):
    import datetime

    from pages.models import add_months

    today = datetime.date.today()
    topic = Topic.objects.get()
    rows = {"Old": add_months(today, -13), "Soon": add_months(today + datetime.timedelta(days=10), -12),
            "Fresh": today}
    for index, (title, day) in enumerate(rows.items()):
        with as_loaded():
            Topic.objects.create(title=title, slug=f"t-{index}", summary="s", body="b", last_reviewed=day,
                                 reviewed_by="x")
    with as_loaded():
        topic.delete()
    response = staff_client.get(reverse("admin:pages_topic_changelist"), {"review": review})
    shown = [t.title for t in response.context["cl"].result_list]
    assert shown == expected
    assert "due in the next 30 days" in response.content.decode()


def test_topic_list_sorts_by_next_review_date(staff_client, loaded):
    html = staff_client.get(reverse("admin:pages_topic_changelist")).content.decode()
    assert 'class="sortable column-next_review_due' in html
