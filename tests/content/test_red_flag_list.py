"""The one red-flag list: loaded from content/red-flags.md and its Spanish, written back by export."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from pages.content import ContentErrors, export_content, load_content, read_content
from pages.content.checking import stale_translations
from pages.models import RedFlagList, parse_signs
from pages.translations import status as translation
from tests.helpers import REAL_CONTENT, as_loaded, write
from tests.helpers import RED_FLAGS_FILE as RED_FLAGS

pytestmark = pytest.mark.django_db

def test_the_real_list_loads_in_english_and_spanish_with_every_sign(site_content):
    english = RedFlagList.objects.get(language="en")
    spanish = RedFlagList.objects.get(language="es")
    assert spanish.translation_key == english.translation_key
    assert len(parse_signs(english.emergency_signs)) == len(parse_signs(spanish.emergency_signs)) == 9
    assert parse_signs(english.emergency_signs)[3] == (
        "numbness between your legs (your groin, genitals, bottom or inner thighs)", ["low-back", "buttock"])
    assert english.references.count() == 3
    assert translation.staleness(spanish) is None


def test_a_sign_with_an_unknown_area_is_refused_naming_the_file_and_line(db, content_dir):
    path = write(content_dir, "red-flags.md", RED_FLAGS.replace("areas: [neck, upper-back]", "areas: [neck, nek]"))
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    assert f"{path}:8: 'emergency' entry 1: 'nek' is not a body area" in str(caught.value)
    assert not RedFlagList.objects.exists()


def test_a_sign_without_words_is_refused_naming_the_file_and_line(db, content_dir):
    path = write(content_dir, "red-flags.md", RED_FLAGS.replace("  - sign: fainting (passing out)", "  - sign:"))
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    assert f"{path}:9: 'emergency' entry 2" in str(caught.value)


def test_a_spanish_list_without_its_english_is_refused(db, content_dir):
    path = write(content_dir, "es/red-flags.md", RED_FLAGS.replace(
        "    last_reviewed", "    translation_of: no-such-list\n    source_hash: '000000000000'\n    last_reviewed"))
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    assert f"{path}:2: unknown English red-flag list 'no-such-list' in 'translation_of'" in str(caught.value)


def test_export_writes_the_list_back_as_load_reads_it(db, content_dir, tmp_path):
    write(content_dir, "red-flags.md", RED_FLAGS)
    load_content(content_dir)
    out = tmp_path / "out"
    export_content(out)
    text = (out / "red-flags.md").read_text()
    assert "- sign: chest pain, or pain when you breathe in\n  areas: [neck, upper-back]" in text
    assert load_content(out).changed is False
    assert (out / "clinic.md").exists()  # the top folder's other files are left alone


def test_the_admin_text_names_the_line_of_a_bad_area():
    with pytest.raises(ValidationError) as caught:
        parse_signs("chest pain | neck\n\nshortness of breath | lungs")
    assert "Line 3: 'lungs' is not a body area" in caught.value.messages[0]


def test_the_spanish_list_goes_out_of_date_when_the_english_signs_change(site_content):
    english = RedFlagList.objects.get(language="en")
    english.emergency_signs += "\nnew sign"
    with as_loaded():
        english.save()
    assert translation.staleness(RedFlagList.objects.get(language="es")) is not None


def test_real_content_lists_the_list_file_in_both_languages():
    assert (REAL_CONTENT / "red-flags.md").exists() and (REAL_CONTENT / "es" / "red-flags.md").exists()


def test_the_spanish_list_is_reported_out_of_date_and_stamped_like_other_translations(db, content_dir):
    write(content_dir, "red-flags.md", RED_FLAGS)
    spanish = write(content_dir, "es/red-flags.md", RED_FLAGS.replace(
        "    last_reviewed", "    translation_of: red-flags\n    source_hash: '000000000000'\n    last_reviewed"))
    stale = stale_translations(read_content(content_dir)[0])
    assert [error.path for error in stale] == [spanish]
    call_command("check_content", path=str(content_dir), stamp=[str(spanish)], stdout=io.StringIO())
    assert stale_translations(read_content(content_dir)[0]) == []
