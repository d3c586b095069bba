"""Issue 22: what translators need in the admin: "Make a Spanish draft" and lists that say
each row's language."""
import pytest
from django.urls import reverse

from pages.models import Condition, FaqEntry, Topic
from tests.helpers import as_loaded, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(loaded, make_staff):
    return logged_in(make_staff("trad", group="Translator"))


@pytest.mark.parametrize("model", [Topic, FaqEntry, Condition])
def test_a_translator_can_make_a_spanish_draft(translator, model):
    source = model.objects.filter(language="en").first()
    changelist = reverse(f"admin:pages_{model._meta.model_name}_changelist")
    assert "make_spanish_drafts" in translator.get(changelist).content.decode()
    response = translator.post(changelist, {"action": "make_spanish_drafts", "_selected_action": [source.pk]})
    assert response.status_code == 302
    draft = model.objects.get(translation_key=source.translation_key, language="es")
    assert not draft.published


def test_a_translator_still_cannot_add_or_delete_pages(translator):
    assert translator.get(reverse("admin:pages_topic_add")).status_code == 403
    assert translator.get(reverse("admin:pages_topic_delete", args=[Topic.objects.first().pk])).status_code == 403


@pytest.mark.parametrize("model", [Topic, FaqEntry, Condition])
def test_the_lists_show_each_rows_language_and_filter_by_it(translator, model):
    from pages.translations.status import draft_of

    draft, _relations = draft_of(model.objects.filter(language="en").first(), "es")
    with as_loaded():
        draft.save()
    changelist = reverse(f"admin:pages_{model._meta.model_name}_changelist")
    html = translator.get(changelist).content.decode()
    assert 'column-language' in html and '<td class="field-language">' in html
    assert "?language__exact=es" in html
    rows = translator.get(changelist + "?language__exact=es").context["cl"].result_list
    assert [row.language for row in rows] == ["es"]
