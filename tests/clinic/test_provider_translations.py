"""A provider's role, training and introduction in Spanish: its own row beside the provider,
loaded from content/es/providers/, edited inline in the admin; the facts stay on the provider."""
import pytest
from django.core.management import call_command

from pages.content import ContentErrors, load_content
from pages.models import Provider, ProviderTranslation
from tests.helpers import write

pytestmark = pytest.mark.django_db

SPANISH_TEXT = """
    ---
    role: Fisioterapeuta
    training: Hizo 54 horas de cursos de punción seca.
    ---
    Una persona inventada.
    """


def test_spanish_providers_page_shows_the_spanish_words_and_the_shared_facts(client, content_dir):
    write(content_dir, "es/providers/alex-example.md", SPANISH_TEXT)
    load_content(content_dir)
    page = client.get("/es/providers/", follow=True).content.decode()
    assert "Hizo 54 horas de cursos de punción seca." in page
    assert "<dd>Fisioterapeuta</dd>" in page
    assert "Alex Example, PT, DPT" in page  # name and credentials: one row, both languages
    assert "54 hours of dry needling courses." not in page
    english = client.get("/providers/").content.decode()
    assert "54 hours of dry needling courses." in english and "Fisioterapeuta" not in english


def test_provider_without_spanish_words_shows_the_english_marked_as_english(client, loaded):
    page = client.get("/es/providers/", follow=True).content.decode()
    assert '<dd lang="en">54 hours of dry needling courses.</dd>' in page
    assert '<div class="prose" lang="en">' in page


def test_spanish_text_of_an_unknown_provider_is_refused_naming_the_file(content_dir):
    write(content_dir, "es/providers/nobody.md", SPANISH_TEXT)
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    assert "es/providers/nobody.md: no provider 'nobody' (providers/nobody.md)" in str(caught.value)
    assert not Provider.objects.exists()


def test_spanish_text_without_training_is_refused_naming_the_field(content_dir):
    write(content_dir, "es/providers/alex-example.md", "---\nrole: Fisioterapeuta\n---\nHola.\n")
    with pytest.raises(ContentErrors, match="missing required field 'training'"):
        load_content(content_dir)


def test_loading_twice_changes_nothing_and_export_writes_it_back(content_dir, tmp_path):
    write(content_dir, "es/providers/alex-example.md", SPANISH_TEXT)
    load_content(content_dir)
    assert load_content(content_dir).summary().endswith("nothing to change")
    call_command("export_content", path=str(tmp_path / "out"))
    exported = (tmp_path / "out/es/providers/alex-example.md").read_text()
    assert "role: Fisioterapeuta" in exported and "Una persona inventada." in exported


def test_staff_edit_of_the_spanish_text_is_not_overwritten_by_a_load(content_dir, staff_client):
    write(content_dir, "es/providers/alex-example.md", SPANISH_TEXT)
    load_content(content_dir)
    text = ProviderTranslation.objects.get()
    text.role = "Fisioterapeuta (editado)"
    text.save()  # no load reason: a staff edit
    report = load_content(content_dir)
    assert [label for label, _who, _when in report.conflicts] == ["es/providers/alex-example"]
    assert ProviderTranslation.objects.get().role == "Fisioterapeuta (editado)"


def test_clinical_editor_edits_the_spanish_text_on_the_provider_page(client, loaded, make_staff):
    client.force_login(make_staff("clinician", "Clinical editor"))
    provider = Provider.objects.get()
    page = client.get(f"/admin/pages/provider/{provider.pk}/change/").content.decode()
    assert 'name="translations-0-role"' in page or 'name="translations-__prefix__-role"' in page
