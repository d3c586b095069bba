"""Issue 21: staff screens that gave a 500 give a plain answer instead."""
import pytest
from django.urls import reverse

from pages.models import FaqEntry, Topic
from tests.helpers import delete_in_admin, logged_in

pytestmark = pytest.mark.django_db


def test_restoring_a_version_of_a_deleted_page_from_its_history_url_is_not_found(staff_client, loaded):
    entry = FaqEntry.objects.get()
    version = entry.history.order_by("history_id").last()
    url = reverse("admin:pages_faqentry_simple_history", args=[entry.pk, version.history_id])
    assert delete_in_admin(staff_client, entry).status_code == 302
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, {}).status_code == 404
    assert not FaqEntry.objects.filter(pk=entry.pk).exists()


def changelist_order_post(client, model, rows, field):
    """The change list's "Save" with `field` (list_editable) set for each row, as a browser posts it."""
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "_save": "Save"}
    for n, (obj, value) in enumerate(rows):
        data[f"form-{n}-id"] = str(obj.pk)
        data[f"form-{n}-{field}"] = str(value)
    return client.post(reverse(f"admin:pages_{model._meta.model_name}_changelist"), data)


@pytest.mark.parametrize("group", ["Translator", "Clinical editor"])
def test_reordering_the_menu_in_the_list_saves_the_order_for_anyone_who_may_edit(loaded, make_staff, group):
    topic = Topic.objects.get()
    user = make_staff("someone", group)
    response = changelist_order_post(logged_in(user), Topic, [(topic, 7)], "menu_order")
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.menu_order == 7


def test_reordering_clinical_answers_in_the_list_saves_the_order_at_once(loaded, make_staff):
    entry = FaqEntry.objects.get()
    assert entry.category == "session"  # clinical: its text waits for sign-off, its place does not
    response = changelist_order_post(logged_in(make_staff("desk", "Front desk")), FaqEntry, [(entry, 9)], "order")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.order == 9
