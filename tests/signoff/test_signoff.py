"""Issue 12, section 1: clinical edits by front desk wait for a clinical editor's approval."""
import pytest
from django.urls import reverse

from pages.content import load_content
from pages.models import FaqEntry, PendingChange, RedFlagList
from pages.signoff.admin import SAVED_FOR_REVIEW
from tests.helpers import RED_FLAGS_FILE, as_loaded, change_form_data, change_url, logged_in, save_in_admin, write

pytestmark = pytest.mark.django_db

SAFETY_TEXT = "Most people feel a small prick and a deep ache."


@pytest.fixture
def desk(loaded, make_staff):
    return logged_in(make_staff("desk", group="Front desk"))


@pytest.fixture
def clinician(loaded, make_staff):
    return logged_in(make_staff("clin", group="Clinical editor"))


def review_url(change):
    return reverse("admin:pages_pendingchange_change", args=[change.pk])


def test_front_desk_edit_of_a_clinical_answer_waits_and_patients_keep_the_old_text(client, desk):
    entry = FaqEntry.objects.get()
    response = save_in_admin(desk, entry, answer="Most people feel nothing at all.")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answer == SAFETY_TEXT
    assert "small prick" in client.get("/faq/does-it-hurt/").content.decode()
    change = PendingChange.objects.get()
    assert change.status == "pending" and change.data["answer"] == "Most people feel nothing at all."
    assert change.author.username == "desk"


def test_front_desk_is_told_in_plain_words_that_a_clinical_editor_will_check(desk):
    response = save_in_admin(desk, FaqEntry.objects.get(), answer="Changed.")
    page = desk.get(response["Location"]).content.decode()
    assert "Saved. A clinical editor will check it before patients see it." in page


def test_cost_answers_publish_at_once(desk):
    entry = FaqEntry.objects.get()
    with as_loaded():
        FaqEntry.objects.update(category="cost", topic=None)
    save_in_admin(desk, entry, answer="It costs the same as a visit.")
    entry.refresh_from_db()
    assert entry.answer == "It costs the same as a visit." and not PendingChange.objects.exists()


def test_a_cost_answer_listed_on_a_clinical_page_waits(client, desk):
    # Issue 21: its text is read on that page, beside clinical advice.
    entry = FaqEntry.objects.get()
    with as_loaded():
        FaqEntry.objects.update(category="cost")
    save_in_admin(desk, entry, answer="It costs the same as a visit.")
    entry.refresh_from_db()
    assert entry.answer == SAFETY_TEXT and PendingChange.objects.filter(status="pending").count() == 1
    assert "costs the same" not in client.get("/what-is-dry-needling/").content.decode()


def test_a_cost_answers_text_changed_by_front_desk_is_no_longer_signed_as_reviewed(client, desk):
    entry = FaqEntry.objects.get()
    with as_loaded():
        FaqEntry.objects.update(category="cost", topic=None)
    save_in_admin(desk, entry, answer="It costs the same as a visit.")
    entry.refresh_from_db()
    assert not entry.clinically_reviewed
    assert "Not yet reviewed" in client.get(f"/faq/{entry.slug}/").content.decode()


def test_moving_an_answer_out_of_a_clinical_category_needs_sign_off(desk):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, category="cost", answer="Cheap.")
    entry.refresh_from_db()
    assert entry.category == "session" and PendingChange.objects.count() == 1


def test_clinical_editor_saves_go_live_at_once(clinician):
    entry = FaqEntry.objects.get()
    save_in_admin(clinician, entry, answer="Checked text.")
    entry.refresh_from_db()
    assert entry.answer == "Checked text." and not PendingChange.objects.exists()


def test_admin_home_shows_the_queue_with_who_and_what(desk, clinician):
    save_in_admin(desk, FaqEntry.objects.get(), answer="Changed.")
    html = clinician.get(reverse("admin:index")).content.decode()
    assert "Waiting for your approval (1)" in html
    assert "Does it hurt?" in html and "desk" in html
    assert review_url(PendingChange.objects.get()) in html


def test_review_page_shows_a_word_level_diff_against_the_live_text(desk, clinician):
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small pinch and a deep ache.")
    html = clinician.get(review_url(PendingChange.objects.get())).content.decode()
    assert "<del>prick</del><ins>pinch</ins>" in html
    assert "Answer" in html and "Approve and publish" in html


def test_approving_publishes_the_change_and_history_says_who_approved(client, desk, clinician):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Most people feel a pinch.")
    change = PendingChange.objects.get()
    response = clinician.post(review_url(change), {"_approve": "1", "note": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answer == "Most people feel a pinch."
    assert "a pinch" in client.get("/faq/does-it-hurt/").content.decode()
    latest = entry.history.first()
    assert latest.history_user.username == "clin"
    assert latest.history_change_reason == "Approved by clin (written by desk)"
    change.refresh_from_db()
    assert (change.status, change.reviewer.username) == ("approved", "clin")


def test_sending_back_keeps_the_live_text_and_the_author_sees_the_note(desk, clinician):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Wrong figure: 30.1%.")
    change = PendingChange.objects.get()
    assert clinician.post(review_url(change), {"_send_back": "1", "note": "The study says 3.01%."}).status_code == 302
    entry.refresh_from_db()
    assert entry.answer == SAFETY_TEXT
    assert "The study says 3.01%." in desk.get(reverse("admin:index")).content.decode()
    assert "The study says 3.01%." in desk.get(change_url(entry)).content.decode()


def test_sending_back_needs_a_note(desk, clinician):
    save_in_admin(desk, FaqEntry.objects.get(), answer="Changed.")
    change = PendingChange.objects.get()
    assert clinician.post(review_url(change), {"_send_back": "1", "note": " "}).status_code == 200
    change.refresh_from_db()
    assert change.status == "pending"


def test_front_desk_cannot_approve_their_own_edit(desk):
    save_in_admin(desk, FaqEntry.objects.get(), answer="Changed.")
    assert desk.post(review_url(PendingChange.objects.get()), {"_approve": "1"}).status_code == 403
    assert FaqEntry.objects.get().answer == SAFETY_TEXT


def test_a_new_answer_by_front_desk_is_not_published_until_approved(client, desk, clinician):
    url = reverse("admin:pages_faqentry_add")
    data = {**change_form_data(desk, url), "question": "Can I drive home?", "slug": "can-i-drive-home",
            "answer": "Yes, most people can.", "category": "aftercare", "order": "5", "published": "on"}
    assert desk.post(url, data).status_code == 302
    entry = FaqEntry.objects.get(slug="can-i-drive-home")
    assert not entry.published
    assert client.get("/faq/can-i-drive-home/").status_code == 404
    change = PendingChange.objects.get()
    assert change.is_new
    clinician.post(review_url(change), {"_approve": "1"})
    entry.refresh_from_db()
    assert entry.published
    assert client.get("/faq/can-i-drive-home/").status_code == 200


def test_the_author_edits_their_waiting_text_and_nothing_is_lost(desk):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="First edit.")
    form = change_form_data(desk, change_url(entry))
    assert form["answer"] == "First edit."  # the form opens on the waiting text, not the live one
    desk.post(change_url(entry), {**form, "answer": "First edit, improved."})
    statuses = list(PendingChange.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["replaced", "pending"]
    assert PendingChange.objects.get(status="pending").data["answer"] == "First edit, improved."


def test_a_stale_edit_on_top_of_a_waiting_one_is_refused(loaded, make_staff):
    ana, ben = logged_in(make_staff("ana", group="Front desk")), logged_in(make_staff("ben", group="Front desk"))
    entry = FaqEntry.objects.get()
    ana_form, ben_form = change_form_data(ana, change_url(entry)), change_form_data(ben, change_url(entry))
    assert ana.post(change_url(entry), {**ana_form, "answer": "Ana's text."}).status_code == 302
    response = ben.post(change_url(entry), {**ben_form, "answer": "Ben's text."})
    assert response.status_code == 200
    assert "Your changes have NOT been saved" in response.content.decode()
    assert PendingChange.objects.get().data["answer"] == "Ana's text."


def test_approving_is_refused_when_the_live_page_changed_since(desk, clinician):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Desk text.")
    save_in_admin(clinician, entry, answer="Clinician text.")
    response = clinician.post(review_url(PendingChange.objects.get()), {"_approve": "1"})
    assert response.status_code == 200
    assert "The live page changed after this edit was written" in response.content.decode()
    entry.refresh_from_db()
    assert entry.answer == "Clinician text."


def test_changing_only_the_order_publishes_at_once(desk):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, order="3")
    entry.refresh_from_db()
    assert entry.order == 3 and not PendingChange.objects.exists()


def test_crlf_from_the_browser_is_stored_as_lf(desk):
    save_in_admin(desk, FaqEntry.objects.get(), answer="Line one.\r\nLine two.")
    assert PendingChange.objects.get().data["answer"] == "Line one.\nLine two."


# --- "Mark reviewed" is signed by the signed-in reviewer's profile ------------------------------

def mark_reviewed(client, topic):
    data = {"action": "mark_reviewed", "_selected_action": [topic.pk]}
    return client.post(reverse("admin:pages_topic_changelist"), data)


def test_mark_reviewed_signs_with_the_reviewers_name_and_title(loaded, make_staff):
    from pages.models import StaffProfile, Topic

    user = make_staff("sam", group="Clinical editor")
    user.first_name, user.last_name = "Sam", "Lee"
    user.save()
    StaffProfile.objects.create(user=user, reviewer_title="Physical therapist, DPT")
    topic = Topic.objects.get()
    mark_reviewed(logged_in(user), topic)
    topic.refresh_from_db()
    assert topic.reviewed_by == "Sam Lee, Physical therapist, DPT"


def test_mark_reviewed_without_a_reviewer_title_changes_nothing_and_says_why(loaded, make_staff):
    from pages.models import Topic

    client = logged_in(make_staff("sam", group="Clinical editor"))
    topic = Topic.objects.get()
    before = (topic.last_reviewed, topic.reviewed_by)
    response = mark_reviewed(client, topic)
    topic.refresh_from_db()
    assert (topic.last_reviewed, topic.reviewed_by) == before
    assert "no reviewer title" in client.get(response["Location"]).content.decode()


def test_reviewer_title_is_set_on_the_users_admin_page(staff_client, make_staff):
    user = make_staff("sam")
    html = staff_client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert "Reviewer title" in html


# --- Section 5: the admin says whose it is -------------------------------------------------------

def test_admin_title_and_header_are_the_clinics_name(staff_client, loaded):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Test Clinic — staff" in html
    assert "Django administration" not in html and "Django site admin" not in html


def test_sign_in_page_names_the_clinic(client, loaded):
    html = client.get(reverse("admin:login")).content.decode()
    assert "<title>Log in | Test Clinic — staff</title>" in html


def test_a_revert_by_front_desk_waits_too_and_says_so(client, desk):
    entry = FaqEntry.objects.get()
    original = entry.history.order_by("history_id").last()
    entry.answer = "Approved newer text."
    with as_loaded():
        entry.save()  # a revision with the newer text, as a clinical editor's save makes
    url = reverse("admin:pages_faqentry_simple_history", args=[entry.pk, original.history_id])
    response = desk.post(url, change_form_data(desk, url), follow=True)
    assert "Saved. A clinical editor will check it before patients see it." in response.content.decode()
    assert "reverted successfully" not in response.content.decode()
    entry.refresh_from_db()
    assert entry.answer == "Approved newer text."
    assert PendingChange.objects.get().data["answer"] == SAFETY_TEXT


def test_approving_a_topic_edit_sets_its_references_too(loaded, make_staff):
    from django.contrib.auth.models import Permission

    from pages.models import Reference, Topic

    writer = make_staff("writer")
    writer.user_permissions.add(*Permission.objects.filter(codename__in=["view_topic", "change_topic"]))
    topic = Topic.objects.get()
    extra = Reference.objects.create(key="x-2020", authors="X", year=2020, title="T", publisher="P")
    client = logged_in(writer)
    data = change_form_data(client, change_url(topic))
    client.post(change_url(topic), {**data, "references": [*data["references"], str(extra.pk)], "title": "New title"})
    topic.refresh_from_db()
    assert topic.title == "What is dry needling?" and extra not in topic.references.all()
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    clinician.post(review_url(PendingChange.objects.get()), {"_approve": "1"})
    topic.refresh_from_db()
    assert topic.title == "New title" and extra in topic.references.all()


def test_deleting_a_page_takes_its_waiting_edit_out_of_the_queue(desk, clinician):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Changed.")
    clinician.post(reverse("admin:pages_faqentry_delete", args=[entry.pk]), {"post": "yes"})
    assert not FaqEntry.objects.filter(pk=entry.pk).exists()
    assert PendingChange.objects.get().status == "page_deleted"
    assert "Waiting for your approval (0)" in clinician.get(reverse("admin:index")).content.decode()


def test_the_restore_page_shows_the_old_version_even_with_an_edit_waiting(desk):
    entry = FaqEntry.objects.get()
    original = entry.history.order_by("history_id").last()
    save_in_admin(desk, entry, answer="Waiting text.")
    url = reverse("admin:pages_faqentry_simple_history", args=[entry.pk, original.history_id])
    data = change_form_data(desk, url)
    assert data["answer"] == SAFETY_TEXT
    assert data["pending"] == str(PendingChange.objects.get().pk)
    # Not refused as stale: the author opened the page after the waiting edit was made.
    assert desk.post(url, data).status_code == 302
    assert FaqEntry.objects.get().answer == SAFETY_TEXT


def test_recent_actions_say_a_change_was_proposed_not_made(desk):
    from django.contrib.admin.models import LogEntry

    save_in_admin(desk, FaqEntry.objects.get(), answer="Changed.")
    message = LogEntry.objects.get().get_change_message()
    assert message.startswith("Proposed a change for clinical sign-off (answer)")


# --- Know before you press Save (issue 22): the line above Save is the gate's decision --------

def test_the_line_above_save_says_a_clinical_change_by_front_desk_waits(desk):
    entry = FaqEntry.objects.get()
    html = desk.get(change_url(entry)).content.decode()
    assert "Save: waits for a clinical editor" in html and "goes live now" not in html


def test_the_line_above_save_says_a_clinical_editors_change_goes_live(clinician):
    html = clinician.get(change_url(FaqEntry.objects.get())).content.decode()
    assert "Save: goes live now" in html


def test_the_line_above_save_says_a_cost_answer_on_cost_pages_goes_live_for_front_desk(desk):
    with as_loaded():
        FaqEntry.objects.update(category="cost", topic=None)
    assert "Save: goes live now" in desk.get(change_url(FaqEntry.objects.get())).content.decode()


def test_the_line_above_save_says_a_new_answer_by_front_desk_waits(desk):
    html = desk.get(reverse("admin:pages_faqentry_add")).content.decode()
    assert "Save: waits for a clinical editor" in html


def test_no_line_about_save_for_someone_who_may_only_read_the_page(loaded, make_staff):
    therapist = logged_in(make_staff("thera", group="Therapist"))
    html = therapist.get(change_url(FaqEntry.objects.get())).content.decode()
    assert 'name="_save"' not in html  # view only
    assert "Save: " not in html


@pytest.fixture
def red_flag_list(loaded, content_dir):
    write(content_dir, "red-flags.md", RED_FLAGS_FILE)
    load_content(content_dir)
    return RedFlagList.objects.get()


def test_a_translators_edit_of_the_red_flag_list_waits_for_a_clinical_editor(red_flag_list, make_staff):
    translator = logged_in(make_staff("trans", group="Translator"))
    new_signs = red_flag_list.emergency_signs.replace("fainting (passing out)", "feeling a bit dizzy")
    response = save_in_admin(translator, red_flag_list, emergency_signs=new_signs)
    assert response.status_code == 302
    red_flag_list.refresh_from_db()
    assert "fainting (passing out)" in red_flag_list.emergency_signs
    change = PendingChange.objects.get()
    assert change.status == "pending" and change.data["emergency_signs"] == new_signs


def test_a_clinical_editors_edit_of_the_red_flag_list_goes_live_at_once(red_flag_list, clinician):
    new_signs = red_flag_list.emergency_signs + "\nnew weakness in an arm or leg | neck"
    save_in_admin(clinician, red_flag_list, emergency_signs=new_signs)
    red_flag_list.refresh_from_db()
    assert red_flag_list.emergency_signs == new_signs and not PendingChange.objects.exists()


def test_a_bad_area_in_the_admin_is_refused_naming_the_line(red_flag_list, clinician):
    response = save_in_admin(clinician, red_flag_list, emergency_signs="chest pain | neck\nfainting | lungs")
    assert response.status_code == 200
    assert "Line 2: &#x27;lungs&#x27; is not a body area" in response.content.decode()
    red_flag_list.refresh_from_db()
    assert "lungs" not in red_flag_list.emergency_signs


def test_save_and_continue_editing_stays_on_the_form_when_the_change_waits(desk):
    # A waiting save went back to the list (a staff review); the form opens on the waiting text.
    entry = FaqEntry.objects.get()
    response = save_in_admin(desk, entry, answer="Changed, and more to come.", _continue="1")
    assert response.status_code == 302 and response["Location"] == change_url(entry)
    form = desk.get(response["Location"]).content.decode()
    assert "Changed, and more to come." in form and str(SAVED_FOR_REVIEW) in form


def test_save_and_continue_editing_a_new_page_that_waits_opens_its_form(desk):
    url = reverse("admin:pages_faqentry_add")
    data = {**change_form_data(desk, url), "question": "Can I drive home?", "slug": "can-i-drive-home",
            "answer": "Yes, most people can.", "category": "aftercare", "order": "5", "published": "on",
            "_continue": "1"}
    response = desk.post(url, data)
    assert response["Location"] == change_url(FaqEntry.objects.get(slug="can-i-drive-home"))
