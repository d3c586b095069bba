"""Issue 22: a change scheduled for a time goes live at it, through the publishing gate, and
not before; a clinical one only once approved too; a stale one is refused, naming the field."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pages.models import FaqEntry, PendingChange, StaffProfile
from pages.signoff import gate
from tests.helpers import as_loaded, logged_in, require_vnu, save_in_admin, vnu_errors

pytestmark = pytest.mark.django_db

OLD_PRICE = "Most people feel a small prick and a deep ache."  # the loaded answer's text
NEW_PRICE = "From January, a dry needling visit costs the same as a physical therapy visit."


@pytest.fixture
def desk(loaded, make_staff):
    return logged_in(make_staff("desk", group="Front desk"))


@pytest.fixture
def clinician(loaded, make_staff):
    user = make_staff("clin", group="Clinical editor")
    StaffProfile.objects.create(user=user, reviewer_title="Physical therapist, DPT")
    return logged_in(user)


@pytest.fixture
def cost_answer(loaded):
    """The loaded answer, made an answer about cost on no clinical page: front desk's to change."""
    with as_loaded():
        FaqEntry.objects.update(category="cost", topic=None)
    return FaqEntry.objects.get()


def in_a_day():
    """This time tomorrow, to the minute (as staff type it)."""
    return (timezone.localtime() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)


def typed(when):
    """A time as the datetime-local box posts it (the clinic's time zone, to the minute)."""
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def schedule_in_admin(client, obj, when, **changes):
    return save_in_admin(client, obj, go_live_at=typed(when), **changes)


def run_command(now):
    out = io.StringIO()
    call_command("publish_scheduled", now=now, stdout=out)
    return out.getvalue()


def patients_see(client, entry):
    return client.get(f"/faq/{entry.slug}/").content.decode()


def test_front_desk_schedules_a_new_price_which_goes_live_at_its_time_and_not_before(client, desk, cost_answer):
    when = in_a_day()
    response = schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    assert response.status_code == 302
    assert "Scheduled: patients see this change from" in desk.get(response["Location"]).content.decode()
    cost_answer.refresh_from_db()
    assert cost_answer.answer == OLD_PRICE  # nothing written yet
    change = PendingChange.objects.get()
    assert (change.status, change.go_live_at, change.author.username) == ("scheduled", when, "desk")
    assert OLD_PRICE in patients_see(client, cost_answer)

    output = run_command(when - datetime.timedelta(minutes=1))
    assert "Nothing to publish" in output
    cost_answer.refresh_from_db()
    assert cost_answer.answer == OLD_PRICE
    assert OLD_PRICE in patients_see(client, cost_answer)  # the cached page too

    output = run_command(when)
    assert f"Published FAQ entry “{cost_answer.question}”" in output
    cost_answer.refresh_from_db()
    assert cost_answer.answer == NEW_PRICE
    assert NEW_PRICE in patients_see(client, cost_answer)  # the page cached before changed with it
    record = cost_answer.history.order_by("-history_id").first()
    assert record.history_user.username == "desk" and "live at its time" in record.history_change_reason
    assert not cost_answer.clinically_reviewed  # as a cost answer front desk changes at once
    assert PendingChange.objects.get().status == "published"

    # Idempotent: the next run (cron, five minutes later) publishes nothing again.
    assert "Nothing to publish" in run_command(when + datetime.timedelta(minutes=5))
    assert cost_answer.history.count() == 2


def test_a_clinical_change_scheduled_by_front_desk_goes_live_only_once_approved_and_at_its_time(
        client, desk, clinician):
    entry = FaqEntry.objects.get()  # a clinical answer (category: session)
    when = in_a_day()
    schedule_in_admin(desk, entry, when, answer="Most people feel a prick, then nothing.")
    change = PendingChange.objects.get()
    assert change.status == "pending" and change.go_live_at is not None

    # Its time comes, but no clinical editor has approved it: nothing goes live.
    assert "Nothing to publish" in run_command(when + datetime.timedelta(minutes=1))
    entry.refresh_from_db()
    assert entry.answer == OLD_PRICE

    # The approval screen shows the time; approving before it keeps the change until then.
    review = reverse("admin:pages_pendingchange_change", args=[change.pk])
    page = clinician.get(review).content.decode()
    assert "Goes live at" in page and "Approve for its time" in page
    clinician.post(review, {"_approve": "1", "note": ""})
    change.refresh_from_db()
    entry.refresh_from_db()
    assert change.status == "scheduled" and change.reviewer.username == "clin"
    assert entry.answer == OLD_PRICE
    assert "Nothing to publish" in run_command(change.go_live_at - datetime.timedelta(seconds=1))
    entry.refresh_from_db()
    assert entry.answer == OLD_PRICE

    assert "Published" in run_command(change.go_live_at)
    entry.refresh_from_db()
    assert entry.answer == "Most people feel a prick, then nothing."
    assert "then nothing" in patients_see(client, entry)
    reason = entry.history.order_by("-history_id").first().history_change_reason
    assert reason.startswith("Approved by clin (written by desk)")


def test_a_clinical_change_approved_after_its_time_goes_live_when_approved(desk, clinician):
    entry = FaqEntry.objects.get()
    schedule_in_admin(desk, entry, in_a_day(), answer="Approved late.")
    change = PendingChange.objects.get()
    PendingChange.objects.filter(pk=change.pk).update(go_live_at=timezone.now() - datetime.timedelta(hours=1))
    clinician.post(reverse("admin:pages_pendingchange_change", args=[change.pk]), {"_approve": "1", "note": ""})
    entry.refresh_from_db()
    assert entry.answer == "Approved late." and PendingChange.objects.get().status == "approved"


def test_a_change_whose_field_changed_meanwhile_is_refused_naming_it_and_sent_back(desk, clinician, cost_answer):
    when = in_a_day()
    schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    save_in_admin(clinician, cost_answer, answer="Ask us what your plan covers.")  # live now

    output = run_command(when)
    assert "Refused" in output and "(answer)" in output
    cost_answer.refresh_from_db()
    assert cost_answer.answer == "Ask us what your plan covers."  # never overwritten
    change = PendingChange.objects.get(go_live_at__isnull=False)
    assert change.status == "sent_back" and "answer" in change.note
    # Its author reads why on their admin home, with "Edit again".
    home = desk.get(reverse("admin:index")).content.decode()
    assert "Not published at its time" in home and "Edit again" in home
    assert "Nothing to publish" in run_command(when)  # refused once, not again every five minutes


def test_a_change_in_another_field_meanwhile_does_not_stop_it(desk, clinician, cost_answer):
    when = in_a_day()
    schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    save_in_admin(clinician, cost_answer, question="What does it cost?")
    run_command(when)
    cost_answer.refresh_from_db()
    assert (cost_answer.question, cost_answer.answer) == ("What does it cost?", NEW_PRICE)


def test_a_scheduled_change_that_needs_a_clinical_editor_by_its_time_waits_for_one(desk, cost_answer):
    when = in_a_day()
    schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    with as_loaded():
        FaqEntry.objects.update(category="safety")  # moved into a clinical category meanwhile
    assert "Waiting for a clinical editor" in run_command(when)
    cost_answer.refresh_from_db()
    assert cost_answer.answer == OLD_PRICE and PendingChange.objects.get().status == "pending"


def test_the_admin_lists_what_is_scheduled_for_every_front_desk_colleague(desk, make_staff, cost_answer):
    when = in_a_day()
    schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    colleague = logged_in(make_staff("desk2", group="Front desk"))
    home = colleague.get(reverse("admin:index")).content.decode()
    assert "?scheduled=upcoming" in home and "Changes scheduled to go live later" in home
    page = colleague.get(reverse("admin:pages_pendingchange_changelist") + "?scheduled=upcoming").content.decode()
    assert cost_answer.question in page and "desk" in page
    assert timezone.localtime(when).strftime("%Y") in page and "scheduled: goes live at its time" in page


def test_the_list_of_changes_still_to_go_live_shows_the_soonest_first(desk, clinician, cost_answer):
    later, sooner = in_a_day() + datetime.timedelta(days=30), in_a_day()
    schedule_in_admin(desk, cost_answer, sooner, answer=NEW_PRICE)  # made first: last by date made
    schedule_in_admin(desk, cost_answer, later, answer="From February: the same as a visit.")
    page = clinician.get(reverse("admin:pages_pendingchange_changelist") + "?scheduled=upcoming").content.decode()
    assert page.count(cost_answer.question) == 2
    rows = page.split('id="result_list"', 1)[1]
    first, second = (rows.index(f"change/{change.pk}/") for change in PendingChange.objects.order_by("go_live_at"))
    assert first < second


def test_a_scheduled_change_can_be_cancelled_and_then_never_goes_live(desk, cost_answer):
    when = in_a_day()
    schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    change = PendingChange.objects.get()
    response = desk.post(reverse("admin:pages_pendingchange_change", args=[change.pk]), {"_cancel": "1"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "cancelled"
    assert "Nothing to publish" in run_command(when)
    cost_answer.refresh_from_db()
    assert cost_answer.answer == OLD_PRICE


def test_someone_else_at_the_front_desk_cannot_cancel_it(desk, make_staff, cost_answer):
    schedule_in_admin(desk, cost_answer, in_a_day(), answer=NEW_PRICE)
    change = PendingChange.objects.get()
    colleague = logged_in(make_staff("desk2", group="Front desk"))
    response = colleague.post(reverse("admin:pages_pendingchange_change", args=[change.pk]), {"_cancel": "1"})
    assert response.status_code == 403 and PendingChange.objects.get().status == "scheduled"


def test_a_time_in_the_past_is_refused_and_nothing_is_saved(desk, cost_answer):
    response = schedule_in_admin(desk, cost_answer, timezone.now() - datetime.timedelta(hours=1), answer=NEW_PRICE)
    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()
    cost_answer.refresh_from_db()
    assert cost_answer.answer == OLD_PRICE and not PendingChange.objects.exists()


def test_an_empty_time_saves_as_before(desk, cost_answer):
    save_in_admin(desk, cost_answer, answer=NEW_PRICE)
    cost_answer.refresh_from_db()
    assert cost_answer.answer == NEW_PRICE and not PendingChange.objects.exists()


def test_publish_due_takes_the_clock_it_is_given(desk, cost_answer):
    when = in_a_day()
    schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    assert gate.publish_due(when - datetime.timedelta(seconds=1)) == []
    [outcome] = gate.publish_due(when)
    assert outcome.done == "published"


def test_a_deleted_pages_scheduled_change_leaves_the_list(desk, clinician, cost_answer):
    schedule_in_admin(desk, cost_answer, in_a_day(), answer=NEW_PRICE)
    clinician.post(reverse("admin:pages_faqentry_delete", args=[cost_answer.pk]), {"post": "yes"})
    assert PendingChange.objects.get().status == "page_deleted"
    assert gate.publish_due(in_a_day() + datetime.timedelta(days=1)) == []


def test_the_scheduling_screens_pass_the_nu_html_checker(desk, clinician, cost_answer, tmp_path):
    require_vnu()
    schedule_in_admin(desk, cost_answer, in_a_day(), answer=NEW_PRICE)
    change = PendingChange.objects.get()
    pages = {
        "home.html": desk.get(reverse("admin:index")),
        "form.html": desk.get(reverse("admin:pages_faqentry_change", args=[cost_answer.pk])),
        "list.html": desk.get(reverse("admin:pages_pendingchange_changelist") + "?scheduled=upcoming"),
        "review.html": desk.get(reverse("admin:pages_pendingchange_change", args=[change.pk])),
        "clinician-review.html": clinician.get(reverse("admin:pages_pendingchange_change", args=[change.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        (tmp_path / name).write_bytes(response.content)
    assert vnu_errors([tmp_path / name for name in pages]) == {}


def test_saving_a_waiting_scheduled_change_again_keeps_its_time(desk):
    entry = FaqEntry.objects.get()
    when = in_a_day()
    schedule_in_admin(desk, entry, when, answer="First try.")
    page = desk.get(reverse("admin:pages_faqentry_change", args=[entry.pk])).content.decode()
    assert f'value="{typed(when)}"' in page  # the form opens on the waiting text and its time
    save_in_admin(desk, entry, answer="Second try.")
    change = PendingChange.objects.get(status="pending")
    assert (change.data["answer"], change.go_live_at) == ("Second try.", when)


def test_the_command_takes_a_time_in_the_clinics_time_zone(cost_answer, desk):
    when = in_a_day()
    schedule_in_admin(desk, cost_answer, when, answer=NEW_PRICE)
    out = io.StringIO()
    call_command("publish_scheduled", "--now", typed(when), stdout=out)
    assert "Published" in out.getvalue()
    cost_answer.refresh_from_db()
    assert cost_answer.answer == NEW_PRICE


def test_staff_read_only_the_scheduled_changes_of_kinds_they_may_read(desk, make_staff, loaded):
    # A security review: a therapist (who may not open the clinic's details) read a scheduled
    # change to them, e-mail address and all, from the list of scheduled changes.
    from pages.models import Clinic

    clinic = Clinic.objects.get()
    schedule_in_admin(desk, clinic, in_a_day(), email="new-address@example.org")
    change = PendingChange.objects.get(go_live_at__isnull=False)
    therapist = logged_in(make_staff("ther", group="Therapist"))
    assert therapist.get(reverse("admin:pages_clinic_change", args=[clinic.pk])).status_code == 403
    listing = therapist.get(reverse("admin:pages_pendingchange_changelist") + "?scheduled=upcoming")
    page = listing.content.decode()
    assert "new-address@example.org" not in page
    assert reverse("admin:pages_pendingchange_change", args=[change.pk]) not in page
    assert therapist.get(reverse("admin:pages_pendingchange_change", args=[change.pk])).status_code in (302, 403, 404)
    colleague = logged_in(make_staff("desk2", group="Front desk"))
    assert colleague.get(reverse("admin:pages_pendingchange_change", args=[change.pk])).status_code == 200


def test_front_desk_sees_a_scheduled_change_as_patients_will_from_its_time(client, desk, cost_answer):
    schedule_in_admin(desk, cost_answer, in_a_day(), answer=NEW_PRICE)
    change = PendingChange.objects.get(status="scheduled")
    listing = desk.get(reverse("admin:pages_pendingchange_changelist") + "?scheduled=upcoming").content.decode()
    preview = reverse("admin:pages_pendingchange_preview", args=[change.pk])
    assert f'href="{preview}"' in listing
    page = desk.get(preview).content.decode()
    assert "Scheduled for " in page and "patients still see the live page" in page
    assert NEW_PRICE in page
    assert NEW_PRICE not in patients_see(client, cost_answer)


def test_the_scheduled_message_and_the_save_line_end_a_morning_time_with_one_full_stop(desk, cost_answer):
    # "8 a.m." already ends with a full stop: "from Jan. 1, 2027, 8 a.m.. Nothing" had two.
    import datetime
    from zoneinfo import ZoneInfo

    from pages.signoff import gate
    from pages.signoff.admin import save_line

    morning = datetime.datetime(2027, 1, 1, 8, 0, tzinfo=ZoneInfo("America/Chicago"))
    response = schedule_in_admin(desk, cost_answer, morning, answer=NEW_PRICE)
    shown = desk.get(response["Location"]).content.decode()
    assert "from Jan. 1, 2027, 8 a.m. Nothing has changed yet." in shown
    line = str(save_line(gate.Decision(True, "test"), morning))
    assert line.startswith("Save: goes live at Jan. 1, 2027, 8 a.m. Patients")
