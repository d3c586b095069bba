"""Clinic details and locations go live without a clinical editor, and patients read them on
every page (the header's phone, the "Call 911" box's "call the clinic", the footer): so they
may only be facts. A security review set the phone to "Not 911! Call us first: 555-0100"
(the "call the clinic" link then dialled 911...) and a location's name to advice."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pages.models import Clinic, Location
from tests.helpers import change_form_data, logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phone", ["Not 911! Call us first: 555-0100", "911-555-0100", "1 911 555 0100", "555",
                                   "call 555-0100"])
def test_a_clinic_phone_must_be_a_phone_number_that_does_not_dial_911(loaded, phone):
    clinic = Clinic.objects.get()
    clinic.phone = phone
    with pytest.raises(ValidationError) as refused:
        clinic.full_clean()
    assert "phone" in refused.value.message_dict


@pytest.mark.parametrize("phone", ["(555) 010-0100", "+1 555 010 0100", "555.010.0100"])
def test_ordinary_phone_numbers_are_kept(loaded, phone):
    clinic = Clinic.objects.get()
    clinic.phone = phone
    clinic.full_clean()


@pytest.mark.parametrize("field, text", [
    ("name", "Chest pain after needling? Come here, not 911 - Downtown"),
    ("street_address", "1 River Road (for emergencies use the side door)"),
    ("city", "Ехampleton"),  # a Cyrillic letter
])
def test_a_location_says_only_where_it_is(loaded, field, text):
    location = Location.objects.first()
    setattr(location, field, text)
    with pytest.raises(ValidationError) as refused:
        location.full_clean()
    assert field in refused.value.message_dict


def test_front_desk_is_told_which_field_and_nothing_changes(client, loaded, make_staff):
    desk = logged_in(make_staff("desk", group="Front desk"))
    clinic = Clinic.objects.get()
    url = reverse("admin:pages_clinic_change", args=[clinic.pk])
    form = change_form_data(desk, url)
    response = desk.post(url, {**form, "phone": "Not 911! Call us first: 555-0100"})
    assert response.status_code == 200
    assert "A clinic number cannot start with 911." in response.content.decode() or \
        "Write only the phone number" in response.content.decode()
    assert Clinic.objects.get().phone == clinic.phone
    assert "Not 911" not in client.get("/after-care/").content.decode()


def test_a_street_named_after_a_hospital_is_an_address(loaded):
    location = Location.objects.first()
    location.street_address = "200 Hospital Drive, Suite 4"
    location.full_clean()
