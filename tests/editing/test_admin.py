import pytest
from django.urls import reverse

from pages.models import Clinic, Condition, FaqEntry, Location, Provider, Reference, Topic
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

MODELS = [Topic, FaqEntry, Condition, Reference, Clinic, Location, Provider]


def admin_url(model, view, *args):
    return reverse(f"admin:pages_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_changelist_that_searches(staff_client, loaded, model):
    response = staff_client.get(admin_url(model, "changelist"), {"q": "a"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_working_change_form(staff_client, loaded, model):
    obj = model.objects.first()
    response = staff_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model, field", [(Topic, "body"), (FaqEntry, "answer"), (Condition, "text")])
def test_markdown_fields_use_the_markdownx_live_preview(staff_client, loaded, model, field):
    html = staff_client.get(admin_url(model, "change", model.objects.first().pk)).content.decode()
    assert 'class="markdownx"' in html
    assert f'name="{field}"' in html and "markdownx-preview" in html


def test_slugs_are_prepopulated_from_titles(staff_client, loaded):
    html = staff_client.get(admin_url(Topic, "add")).content.decode()
    assert "prepopulated_fields" in html or "data-prepopulated-field" in html


def test_staff_edit_of_an_faq_answer_shows_on_the_site(staff_client, loaded, client):
    url = admin_url(FaqEntry, "change", FaqEntry.objects.get().pk)
    data = change_form_data(staff_client, url)
    response = staff_client.post(url, {**data, "answer": "A new answer."})
    assert response.status_code == 302
    assert b"A new answer." in client.get("/faq/does-it-hurt/").content


def test_only_one_clinic_can_be_added(staff_client, loaded):
    assert staff_client.get(admin_url(Clinic, "add")).status_code == 403


def test_a_topic_cannot_take_an_address_the_site_uses(staff_client, loaded):
    topic = Topic.objects.get()
    url = reverse("admin:pages_topic_change", args=[topic.pk])
    response = staff_client.post(url, {**change_form_data(staff_client, url), "slug": "guide"})
    assert response.status_code == 200  # the form again, with the reason
    assert "The site already uses the address /guide/. Choose another slug." in response.content.decode()
    topic.refresh_from_db()
    assert topic.slug == "what-is-dry-needling"
