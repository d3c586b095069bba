"""What the sign-off screens tell staff, in words they can read (found by the staff jobs browser
tests, issue 22): revisions as local dates and times, a Spanish change named as Spanish, the
line above Save on the clinic's forms, and people by their names."""
import datetime

import pytest
from django.utils import timezone

from pages.models import Clinic, FaqEntry, Location, PendingChange
from pages.signoff import gate, rules
from tests.helpers import as_loaded, change_form_data, change_url, logged_in, save_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(loaded, make_staff):
    return logged_in(make_staff("desk", group="Front desk"))


def english_and_spanish():
    english = FaqEntry.objects.filter(language="en").first()
    spanish = FaqEntry.objects.get(language="es", translation_key=english.translation_key)
    return english, spanish


def test_the_translated_from_revision_row_shows_a_local_time_and_tells_two_revisions_apart(site_content):
    english, _spanish = english_and_spanish()
    with as_loaded():
        english.answer += "\n\nOne."
        english.save()
        english.answer += "\n\nTwo."
        english.save()
    older, newer = english.history.order_by("-history_id")[1::-1][:2]  # saved within the same minute
    field = FaqEntry._meta.get_field("source_revision")
    shown_older, shown_newer = rules.display_value(field, older.pk), rules.display_value(field, newer.pk)
    assert "+00:00" not in shown_newer and " as of " not in shown_newer
    assert timezone.localtime(newer.history_date).strftime("%Y") in shown_newer
    assert english.question in shown_newer
    assert shown_older != shown_newer


def test_a_change_to_a_spanish_page_is_named_as_spanish_in_the_queue(site_content, make_staff):
    _english, spanish = english_and_spanish()
    translator = make_staff("trad", group="Translator")
    change = gate.submit(translator, spanish, {"answer": spanish.answer + "\n\nPregúntenos."})
    assert change.title == f"{spanish.question} (Español)"
    english = FaqEntry.objects.get(language="en", translation_key=spanish.translation_key)
    change = gate.submit(translator, english, {"answer": english.answer + "\n\nAsk us."})
    assert change.title == english.question


@pytest.mark.parametrize("model", [Clinic, Location])
def test_the_clinic_forms_say_above_save_that_it_goes_live_now(desk, model):
    html = desk.get(change_url(model.objects.first())).content.decode()
    # (data-without-time: the line a typed time replaces, pages/static/pages/admin/schedule.js)
    line = "<strong>Save: goes live now. Patients see your change at once.</strong></p>"
    assert f'<p class="save-does" data-without-time>{line}' in html
    assert "With a date and time in “Goes live at”, Save keeps your change and it goes live then." in html
    assert html.count('id="id_go_live_at"') == 1  # in its own "Schedule" box only, not twice


def test_the_line_above_save_names_the_time_in_goes_live_at(desk):
    clinic = Clinic.objects.get()
    url = change_url(clinic)
    data = change_form_data(desk, url)
    when = (timezone.localtime() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    # An error elsewhere shows the form again, with the time typed: the line names it.
    response = desk.post(url, {**data, "phone": "", "go_live_at": when.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    [line] = [line for line in response.content.decode().split("\n") if 'class="save-does"' in line]
    assert "Save: goes live at " in line and when.strftime("%Y") in line


def test_the_gate_decides_the_clinic_details_go_live_for_front_desk(loaded, make_staff):
    desk = make_staff("desk", group="Front desk")
    assert gate.what_save_does(desk, Clinic, Clinic.objects.get()).live


def test_sent_back_messages_name_the_clinical_editor_by_full_name(desk, make_staff):
    clinician = make_staff("clin", group="Clinical editor")
    clinician.first_name, clinician.last_name = "Carla", "Lin"
    clinician.save()
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Desk's text.")
    rules.send_back(PendingChange.objects.get(status="pending"), clinician, "Please check the figure.")
    html = desk.get(change_url(entry)).content.decode()
    assert "Carla Lin sent your change back: Please check the figure." in html


def test_an_approval_is_recorded_under_the_approvers_full_name(desk, make_staff):
    clinician = make_staff("clin", group="Clinical editor")
    clinician.first_name, clinician.last_name = "Carla", "Lin"
    clinician.save()
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Desk's text.")
    gate.approve(PendingChange.objects.get(status="pending"), clinician)
    assert entry.history.first().history_change_reason == "Approved by Carla Lin (written by desk)"
