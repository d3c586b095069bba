"""The visit sheet's per-area notes as content files (content/visit-notes/, es/visit-notes/): loaded,
refused with the file and line, written back, checked by the gates and tracked as translations."""
import io

import pytest
from django.core.management import call_command

from pages.content import ContentErrors, export_content, load_content, read_content
from pages.content import gates as quality
from pages.content.checking import stale_translations
from pages.models import VisitNote
from tests.helpers import write

pytestmark = pytest.mark.django_db

NOTE = """
    ---
    area: neck
    title: Neck
    last_reviewed: 2026-11-02
    reviewed_by: Physical therapist, DPT
    references: [gattie-2017]
    ---
    Soreness in the neck is common after needling [@gattie-2017]. Tell your therapist how it felt.
    """
SPANISH = """
    ---
    translation_of: neck
    source_hash: "000000000000"
    area: neck
    title: Cuello
    last_reviewed: 2026-11-02
    reviewed_by: Fisioterapeuta, DPT
    references: [gattie-2017]
    ---
    El dolor muscular en el cuello es común [@gattie-2017]. Dígale a su fisioterapeuta cómo se sintió.
    """


def test_a_note_and_its_translation_load_as_one_reviewed_page_in_two_languages(db, content_dir):
    write(content_dir, "visit-notes/neck.md", NOTE)
    write(content_dir, "es/visit-notes/cuello.md", SPANISH)
    load_content(content_dir)
    english, spanish = VisitNote.objects.get(language="en"), VisitNote.objects.get(language="es")
    assert (english.area, english.title, english.reviewed_by) == ("neck", "Neck", "Physical therapist, DPT")
    assert english.text.startswith("Soreness in the neck") and english.references.get().key == "gattie-2017"
    assert (spanish.area, spanish.slug, spanish.translation_key) == ("neck", "cuello", english.translation_key)
    assert english.history.count() == 1
    assert load_content(content_dir).changed is False


def test_a_note_for_an_unknown_area_is_refused_naming_the_file_and_line(db, content_dir):
    path = write(content_dir, "visit-notes/neck.md", NOTE.replace("area: neck", "area: nek"))
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    assert f"{path}:2: 'area': 'nek' is not a body area or 'electric-current' (use: head, jaw, neck" in str(
        caught.value)
    assert not VisitNote.objects.exists()


def test_two_notes_for_one_area_are_refused_naming_both_files(db, content_dir):
    write(content_dir, "visit-notes/neck.md", NOTE)
    write(content_dir, "visit-notes/neck-a.md", NOTE)  # read first: files are read in name order
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    second = content_dir / "visit-notes" / "neck.md"
    assert f"{second}:2: area 'neck' already has a note (neck-a.md): one note an area" in str(caught.value)
    assert not VisitNote.objects.exists()


def test_a_translation_for_another_area_than_its_english_is_refused(db, content_dir):
    write(content_dir, "visit-notes/neck.md", NOTE)
    path = write(content_dir, "es/visit-notes/cuello.md", SPANISH.replace("area: neck", "area: jaw"))
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    assert f"{path}:4: area 'jaw' but neck.md, which it translates, is for 'neck'" in str(caught.value)


def test_a_citation_not_listed_in_references_is_refused(db, content_dir):
    path = write(content_dir, "visit-notes/neck.md", NOTE.replace("references: [gattie-2017]", "references: []"))
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir)
    assert f"{path}:6: cites [@gattie-2017] but 'gattie-2017' is not listed in 'references'" in str(caught.value)


def test_export_writes_notes_back_as_load_reads_them(db, content_dir, tmp_path):
    write(content_dir, "visit-notes/neck.md", NOTE)
    write(content_dir, "es/visit-notes/cuello.md", SPANISH)
    load_content(content_dir)
    out = tmp_path / "out"
    export_content(out)
    assert "area: neck\n" in (out / "visit-notes" / "neck.md").read_text()
    assert "translation_of: neck\n" in (out / "es" / "visit-notes" / "cuello.md").read_text()
    assert load_content(out).changed is False


def test_the_spanish_note_is_reported_out_of_date_and_stamped_like_other_translations(db, content_dir):
    write(content_dir, "visit-notes/neck.md", NOTE)
    spanish = write(content_dir, "es/visit-notes/cuello.md", SPANISH)
    assert [error.path for error in stale_translations(read_content(content_dir)[0])] == [spanish]
    call_command("check_content", path=str(content_dir), stamp=[str(spanish)], stdout=io.StringIO())
    assert stale_translations(read_content(content_dir)[0]) == []


def test_a_note_that_lists_a_warning_sign_fails_the_gate(db, content_dir):
    """The signs stay in the one red-flag list; a note points to them, never words them again."""
    path = write(content_dir, "visit-notes/neck.md", NOTE.replace(
        "Tell your therapist how it felt.", "Call 911 if you have chest pain."))
    records, _clinic = read_content(content_dir)
    problems = quality.check_red_flag_list(records)
    assert any(p.startswith(f"{path}:8: a visit-sheet note names a warning sign") for p in problems), problems


@pytest.mark.parametrize("language", ["en", "es"])
def test_notes_are_held_to_the_reading_level_gates(db, content_dir, language):
    hard = ("Postinterventional myofascial hyperalgesia notwithstanding, physiotherapeutic "
            "reassessment necessitates comprehensive documentation of symptomatology.")
    write(content_dir, "visit-notes/neck.md", NOTE if language == "es" else NOTE.replace(
        "Tell your therapist how it felt.", hard))
    if language == "es":
        write(content_dir, "es/visit-notes/cuello.md", SPANISH.replace(
            "Dígale a su fisioterapeuta cómo se sintió.",
            "Independientemente de la hiperalgesia miofascial postintervencional, la reevaluación "
            "fisioterapéutica necesita documentación exhaustiva de la sintomatología."))
    records, _clinic = read_content(content_dir)
    gate = quality.check_reading_level if language == "en" else quality.check_spanish_reading_level
    folder = "visit-notes" if language == "en" else "es/visit-notes"
    assert any(f"/{folder}/" in p for p in gate(records))
