"""Issue 3: staff editing that never loses an edit and never breaks an emailed link."""
import datetime

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.urls import reverse

from pages.content import export_content, load_content
from pages.models import Clinic, FaqEntry, PendingChange, StaffProfile, Topic
from tests.helpers import (
    REAL_CONTENT,
    as_loaded,
    change_form_data,
    change_url,
    logged_in,
    response_form_data,
    save_in_admin,
)

pytestmark = pytest.mark.django_db








# --- History and rollback ------------------------------------------------------------------

def test_each_admin_save_keeps_a_revision_with_who_and_when(staff_client, loaded):
    entry = FaqEntry.objects.get()
    before = entry.history.count()
    assert save_in_admin(staff_client, entry, answer="Version two.").status_code == 302
    latest = entry.history.first()
    assert entry.history.count() == before + 1
    assert latest.answer == "Version two."
    assert latest.history_user.username == "editor"
    assert latest.history_date is not None


def test_history_page_lists_revisions_and_what_changed(staff_client, loaded):
    entry = FaqEntry.objects.get()
    save_in_admin(staff_client, entry, answer="Version two.")
    html = staff_client.get(reverse("admin:pages_faqentry_history", args=[entry.pk])).content.decode()
    assert "editor" in html
    assert "Version two." in html and "small prick" in html  # the change, old and new


def test_reverting_restores_the_old_text(staff_client, loaded):
    entry = FaqEntry.objects.get()
    original = entry.history.order_by("history_id").last()
    save_in_admin(staff_client, entry, answer="A bad edit.")
    revert_url = reverse("admin:pages_faqentry_simple_history", args=[entry.pk, original.history_id])
    data = change_form_data(staff_client, revert_url)
    assert staff_client.post(revert_url, data).status_code == 302
    entry.refresh_from_db()
    assert "small prick" in entry.answer
    assert entry.history.count() == 3  # loaded, bad edit, revert: nothing is lost


@pytest.mark.parametrize("model_name", ["topic", "faqentry", "condition", "reference", "clinic", "location"])
def test_every_content_model_has_a_history_page(staff_client, loaded, model_name):
    from django.apps import apps

    obj = apps.get_model("pages", model_name).objects.first()
    assert staff_client.get(reverse(f"admin:pages_{model_name}_history", args=[obj.pk])).status_code == 200


# --- Draft and publish -----------------------------------------------------------------------

def test_draft_is_hidden_from_patients_but_staff_can_preview_it(client, staff_client, loaded):
    with as_loaded():
        Topic.objects.update(published=False)
    assert client.get("/what-is-dry-needling/").status_code == 404
    preview = staff_client.get("/what-is-dry-needling/")
    assert preview.status_code == 200
    assert b"Draft preview: patients cannot see this page" in preview.content


# --- Links never break -----------------------------------------------------------------------

def test_renaming_a_page_makes_the_old_address_answer_301(client, staff_client, loaded):
    topic = Topic.objects.get()
    assert save_in_admin(staff_client, topic, slug="dry-needling-explained").status_code == 302
    response = client.get("/what-is-dry-needling/")
    assert response.status_code == 301
    assert response["Location"] == "/dry-needling-explained/"
    assert client.get("/dry-needling-explained/").status_code == 200


def test_faq_permalink_follows_a_renamed_answer(client, staff_client, loaded):
    save_in_admin(staff_client, FaqEntry.objects.get(), slug="is-it-painful")
    response = client.get("/faq/does-it-hurt/")
    assert (response.status_code, response["Location"]) == (301, "/faq/is-it-painful/")


def test_redirect_chains_collapse(client, loaded):
    topic = Topic.objects.get()
    for slug in ["b-page", "c-page"]:
        topic.slug = slug
        with as_loaded():
            topic.save()
    assert client.get("/what-is-dry-needling/")["Location"] == "/c-page/"  # A goes straight to C
    assert client.get("/b-page/")["Location"] == "/c-page/"
    assert not Redirect.objects.filter(new_path="/b-page/").exists()


def test_renaming_back_makes_no_loop(client, loaded):
    topic = Topic.objects.get()
    topic.slug = "b-page"
    with as_loaded():
        topic.save()
    topic.slug = "what-is-dry-needling"
    with as_loaded():
        topic.save()
    assert client.get("/what-is-dry-needling/").status_code == 200
    assert client.get("/b-page/")["Location"] == "/what-is-dry-needling/"
    assert not Redirect.objects.filter(old_path="/what-is-dry-needling/").exists()


def test_redirects_are_listed_in_the_admin(staff_client, loaded):
    topic = Topic.objects.get()
    topic.slug = "renamed"
    with as_loaded():
        topic.save()
    html = staff_client.get(reverse("admin:redirects_redirect_changelist")).content.decode()
    assert "/what-is-dry-needling/" in html and "/renamed/" in html


def test_deleting_a_published_page_asks_where_its_address_should_go(staff_client, loaded):
    entry = FaqEntry.objects.get()
    html = staff_client.get(reverse("admin:pages_faqentry_delete", args=[entry.pk])).content.decode()
    assert "Where should it go now?" in html
    assert '<option value="/what-is-dry-needling/">' in html


def test_deleted_page_answers_410_with_links_to_the_guide(client, staff_client, loaded):
    entry = FaqEntry.objects.get()
    staff_client.post(reverse("admin:pages_faqentry_delete", args=[entry.pk]), {"post": "yes", "redirect_to": ""})
    response = client.get("/faq/does-it-hurt/")
    assert response.status_code == 410
    assert b"This page has been removed" in response.content and b'href="/faq/"' in response.content


def test_deleted_page_can_point_its_address_elsewhere(client, staff_client, loaded):
    entry = FaqEntry.objects.get()
    staff_client.post(reverse("admin:pages_faqentry_delete", args=[entry.pk]),
                      {"post": "yes", "redirect_to": "/what-is-dry-needling/"})
    response = client.get("/faq/does-it-hurt/")
    assert (response.status_code, response["Location"]) == (301, "/what-is-dry-needling/")


# --- No silent overwrite ---------------------------------------------------------------------

def test_second_of_two_concurrent_saves_is_refused_and_both_texts_are_kept(loaded, make_staff):
    first, second = logged_in(make_staff("ana", superuser=True)), logged_in(make_staff("ben", superuser=True))
    entry = FaqEntry.objects.get()
    url = change_url(entry)
    ana_form, ben_form = change_form_data(first, url), change_form_data(second, url)

    assert first.post(url, {**ana_form, "answer": "Ana's answer."}).status_code == 302
    response = second.post(url, {**ben_form, "answer": "Ben's answer."})

    assert response.status_code == 200  # the form again, not a redirect: nothing saved
    html = response.content.decode()
    assert "ana saved this at" in html and "Your changes have NOT been saved" in html
    assert "Ben&#x27;s answer." in html  # Ben's text is still in his form
    assert "What the other person changed" in html and "<ins>Ana&#x27;s answer.</ins>" in html
    assert 'data-target="id_answer" data-text="Ana&#x27;s answer."' in html  # "Take their text"
    entry.refresh_from_db()
    assert entry.answer == "Ana's answer."

    # Ben merges and saves again: now it is accepted.
    merged = response_form_data(response)
    assert second.post(url, {**merged, "answer": "Ana's and Ben's answer."}).status_code == 302
    entry.refresh_from_db()
    assert entry.answer == "Ana's and Ben's answer."
    assert [h.answer for h in entry.history.order_by("history_id")][-2:] == ["Ana's answer.", "Ana's and Ben's answer."]


# --- Roles -----------------------------------------------------------------------------------

def test_front_desk_cannot_open_a_topic_page_in_the_admin(loaded, make_staff):
    client = logged_in(make_staff("desk", group="Front desk"))
    assert client.get(change_url(Topic.objects.get())).status_code == 403


def test_front_desk_can_edit_faq_answers_and_clinic_details(loaded, make_staff):
    client = logged_in(make_staff("desk", group="Front desk"))
    assert save_in_admin(client, FaqEntry.objects.get(), answer="Front desk edit.").status_code == 302
    assert save_in_admin(client, Clinic.objects.get(), phone="555-0199").status_code == 302
    assert Clinic.objects.get().phone == "555-0199"
    # A clinical answer waits for a clinical editor (tests/signoff/).
    assert PendingChange.objects.get().data["answer"] == "Front desk edit."


def test_clinical_editor_can_edit_topics_and_mark_them_reviewed(loaded, make_staff):
    clin = make_staff("clin", group="Clinical editor")
    StaffProfile.objects.create(user=clin, reviewer_title="Physical therapist, DPT")
    client = logged_in(clin)
    topic = Topic.objects.get()
    response = client.post(reverse("admin:pages_topic_changelist"),
                           {"action": "mark_reviewed", "_selected_action": [topic.pk]})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.last_reviewed == datetime.date.today()
    latest = topic.history.first()
    assert latest.history_user.username == "clin" and latest.history_change_reason == "Marked reviewed by clin"


def test_front_desk_has_no_mark_reviewed_action(loaded, make_staff):
    client = logged_in(make_staff("desk", group="Front desk"))
    assert client.get(reverse("admin:pages_topic_changelist")).status_code == 403


def test_markdownx_endpoints_refuse_anonymous_users(client):
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 404
    assert client.post("/markdownx/upload/").status_code == 404


# --- Review workflow and reading level -----------------------------------------------------

def test_topic_list_shows_reading_grade_and_next_review(staff_client, loaded):
    html = staff_client.get(reverse("admin:pages_topic_changelist")).content.decode()
    assert "reading grade" in html.lower() and "Nov. 2, 2027" in html


def test_reading_grade_above_8_is_flagged(staff_client, loaded):
    with as_loaded():
        FaqEntry.objects.update(answer="Myofascial nociceptive sensitisation demonstrates interindividual "
                                       "variability regarding electrophysiological characteristics. " * 3)
    html = staff_client.get(reverse("admin:pages_faqentry_changelist")).content.decode()
    assert "above grade 8" in html


def test_admin_home_lists_pages_overdue_for_review(staff_client, loaded):
    with as_loaded():
        Topic.objects.update(last_reviewed=datetime.date(2020, 1, 1))
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Due for clinical review" in html and "What is dry needling?" in html


# --- Files and database in step ----------------------------------------------------------

def test_load_content_skips_a_row_staff_changed_and_reports_it(staff_client, loaded, capsys):
    save_in_admin(staff_client, FaqEntry.objects.get(), answer="Edited in the admin.")
    path = loaded / "faq/does-it-hurt.md"
    path.write_text(path.read_text().replace("small prick", "tiny prick"))
    call_command("load_content", path=str(loaded))
    out = capsys.readouterr()
    assert "Skipped faq/does-it-hurt: editor changed it in the admin" in out.err
    assert "1 skipped" in out.out
    assert FaqEntry.objects.get().answer == "Edited in the admin."


def test_load_content_force_overwrites_and_history_keeps_the_staff_version(staff_client, loaded):
    save_in_admin(staff_client, FaqEntry.objects.get(), answer="Edited in the admin.")
    call_command("load_content", path=str(loaded), force=True)
    entry = FaqEntry.objects.get()
    assert "small prick" in entry.answer
    assert entry.history.filter(answer="Edited in the admin.").exists()


def test_unchanged_file_is_not_a_conflict_after_a_staff_edit(staff_client, loaded):
    save_in_admin(staff_client, FaqEntry.objects.get(), answer="Edited in the admin.")
    export_content(loaded)
    report = load_content(loaded)
    assert not report.conflicts and not report.changed


def test_export_then_load_changes_nothing(tmp_path):
    load_content(REAL_CONTENT)
    export_content(tmp_path / "exported")
    report = load_content(tmp_path / "exported")
    assert not report.changed and not report.conflicts
    assert len(report.unchanged) == len(list(REAL_CONTENT.rglob("*.md"))) - 1  # all but README.md


def test_export_removes_files_of_deleted_rows(loaded):
    with as_loaded():
        FaqEntry.objects.all().delete()
    export_content(loaded)
    assert not (loaded / "faq/does-it-hurt.md").exists()
