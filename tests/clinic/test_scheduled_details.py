"""Issue 22: front desk schedules new opening hours and clinic details; they go live at their
time (publish_scheduled), on cached pages too, and not before."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pages.models import Clinic, Location, OpeningHours, PendingChange
from tests.helpers import change_form_data, change_url, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(loaded, make_staff):
    return logged_in(make_staff("desk", group="Front desk"))


def in_a_week():
    return (timezone.localtime() + datetime.timedelta(days=7)).replace(second=0, microsecond=0)


def typed(when):
    return when.strftime("%Y-%m-%dT%H:%M")


def run_command(now):
    out = io.StringIO()
    call_command("publish_scheduled", now=now, stdout=out)
    return out.getvalue()


def test_new_friday_hours_go_live_at_their_time_and_not_before(client, desk):
    location = Location.objects.get()
    friday = OpeningHours.objects.get(first_day=4)
    url = change_url(location)
    data = change_form_data(desk, url)
    [row] = [key for key, value in data.items() if key.endswith("-id") and value == str(friday.pk)]
    when = in_a_week()
    response = desk.post(url, {**data, row.replace("-id", "-closes"): "15:00:00", "go_live_at": typed(when)})
    assert response.status_code == 302
    assert "Scheduled: patients see this change from" in desk.get(response["Location"]).content.decode()
    friday.refresh_from_db()
    assert friday.closes == datetime.time(13, 0)
    assert "1 p.m." in client.get("/locations/").content.decode()  # and now cached

    assert "Nothing to publish" in run_command(when - datetime.timedelta(minutes=1))
    assert "3 p.m." not in client.get("/locations/").content.decode()
    assert "Published opening hours" in run_command(when)
    friday.refresh_from_db()
    assert friday.closes == datetime.time(15, 0)
    assert "3 p.m." in client.get("/locations/").content.decode()


def test_a_new_clinic_phone_goes_live_at_its_time(client, desk):
    clinic = Clinic.objects.get()
    url = change_url(clinic)
    when = in_a_week()
    desk.post(url, {**change_form_data(desk, url), "phone": "555-0199", "go_live_at": typed(when)})
    assert Clinic.objects.get().phone == "555-0100"
    assert "555-0199" not in client.get("/").content.decode()
    run_command(when)
    assert Clinic.objects.get().phone == "555-0199"
    assert "555-0199" in client.get("/").content.decode()
    assert PendingChange.objects.get().status == "published"


def test_adding_an_hours_row_with_a_time_is_refused_and_nothing_is_kept(desk):
    location = Location.objects.get()
    url = change_url(location)
    data = change_form_data(desk, url)
    total = int(data["hours-TOTAL_FORMS"])
    data.update({"hours-TOTAL_FORMS": str(total + 1), f"hours-{total}-first_day": "5",
                 f"hours-{total}-last_day": "5", f"hours-{total}-opens": "09:00:00",
                 f"hours-{total}-closes": "12:00:00", "go_live_at": typed(in_a_week())})
    response = desk.post(url, data)
    assert response.status_code == 200
    assert "Adding or removing opening hours cannot be scheduled" in response.content.decode()
    assert OpeningHours.objects.count() == 2 and not PendingChange.objects.exists()


def test_the_review_screen_of_a_scheduled_clinic_change_opens(desk):
    clinic = Clinic.objects.get()
    url = change_url(clinic)
    desk.post(url, {**change_form_data(desk, url), "phone": "555-0199", "go_live_at": typed(in_a_week())})
    change = PendingChange.objects.get()
    page = desk.get(reverse("admin:pages_pendingchange_change", args=[change.pk])).content.decode()
    assert "555-0199" in page and "Cancel this scheduled change" in page


def test_a_scheduled_change_to_an_hours_row_deleted_since_is_reported_not_crashed(desk):
    location = Location.objects.get()
    friday = OpeningHours.objects.get(first_day=4)
    url = change_url(location)
    data = change_form_data(desk, url)
    [row] = [key for key, value in data.items() if key.endswith("-id") and value == str(friday.pk)]
    when = in_a_week()
    desk.post(url, {**data, row.replace("-id", "-closes"): "15:00:00", "go_live_at": typed(when)})
    friday.delete()  # removed on the form, without a time, meanwhile
    output = run_command(when)
    assert "Refused opening hours" in output and "it was deleted since" in output
    assert PendingChange.objects.get().status == "page_deleted"
