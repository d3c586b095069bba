"""Issue 25: each area's after-care note on the visit sheet, from content a clinical editor signs off
(content/visit-notes/, es/visit-notes/), never from code."""
import html
import re

import pytest
from django.urls import reverse

from pages.kit import visit_sheets
from pages.models import ELECTRIC, Area, GateClosed, PendingChange, VisitNote
from pages.translations import status as translation
from tests.helpers import as_loaded, logged_in, save_in_admin

pytestmark = pytest.mark.django_db

NOTES = [*Area.values, ELECTRIC]


def sheet_page(client, areas, electric=False, languages="en"):
    sheet = visit_sheets.visit_sheet_for(areas, electric, languages)
    return html.unescape(client.get(sheet.get_absolute_url(), follow=True).content.decode())


def note_section(page, language, area):
    """The note's section on the sheet, or None."""
    found = re.search(rf'<section class="sheet-note[^"]*"[^>]*id="sheet-note-{language}-{area}".*?</section>', page,
                      re.S)
    return found.group(0) if found else None


def opening(note):
    """The note's first sentence, as patients read it (before any citation)."""
    return re.split(r"(?<=[.!?])\s", note.text.strip(), maxsplit=1)[0].split(" [@")[0].rstrip(".")


def test_every_area_and_electric_current_has_a_reviewed_note_in_english_and_spanish(site_content):
    for language in ("en", "es"):
        notes = {note.area: note for note in VisitNote.objects.published().filter(language=language)}
        assert sorted(notes) == sorted(NOTES), language
        for note in notes.values():
            assert note.clinically_reviewed and note.last_reviewed
            assert 2 <= len(re.findall(r"[.!?](\s|$)", note.text)) <= 4, (language, note.area, note.text)
    for spanish in VisitNote.objects.filter(language="es"):
        english = VisitNote.objects.get(language="en", area=spanish.area)
        assert spanish.translation_key == english.translation_key
        assert translation.staleness(spanish) is None, spanish.area


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("area", Area.values)
def test_each_areas_note_is_on_its_sheet_and_on_no_other(client, site_content, area, language):
    note = VisitNote.objects.get(language=language, area=area)
    page = sheet_page(client, [area], languages=language)
    section = note_section(page, language, area)
    assert section is not None, "no note for the area treated"
    assert note.title in section and opening(note) in section
    # After the warning signs, before the general after-care.
    assert page.index('class="red-flags sheet-warnings"') < page.index(section) < page.index('class="sheet-after-care')
    other = next(a for a in Area.values if a != area)
    elsewhere = sheet_page(client, [other], languages=language)
    assert note_section(elsewhere, language, area) is None
    assert f">{note.title}</h2>" not in elsewhere


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_electric_current_note_shows_only_with_that_option(client, site_content, language):
    note = VisitNote.objects.get(language=language, area=ELECTRIC)
    with_current = sheet_page(client, ["neck"], electric=True, languages=language)
    section = note_section(with_current, language, ELECTRIC)
    assert section is not None and opening(note) in section
    assert with_current.index(note_section(with_current, language, "neck")) < with_current.index(section)
    assert with_current.index(section) < with_current.index('class="sheet-after-care')
    without = sheet_page(client, ["neck"], electric=False, languages=language)
    assert note_section(without, language, ELECTRIC) is None and opening(note) not in without


def test_both_languages_show_each_note_in_its_own_language(client, site_content):
    page = sheet_page(client, ["neck", "low-back"], electric=True, languages="both")
    english, spanish = re.findall(r'<article class="visit-sheet.*?</article>', page, re.S)
    for area in ("neck", "low-back", ELECTRIC):
        assert opening(VisitNote.objects.get(language="en", area=area)) in note_section(english, "en", area)
        assert opening(VisitNote.objects.get(language="es", area=area)) in note_section(spanish, "es", area)


def test_the_sheet_shows_the_notes_text_as_it_is_now(client, site_content):
    """The words come from the content rows: a clinical editor's change shows on the next sheet."""
    note = VisitNote.objects.get(language="en", area="jaw")
    note.text = "A new note for the jaw. Tell your therapist how it felt."
    with as_loaded():
        note.save()
    assert "A new note for the jaw." in sheet_page(client, ["jaw"])


def test_a_front_desk_edit_of_a_note_waits_for_a_clinical_editor(client, site_content, make_staff):
    note = VisitNote.objects.get(language="en", area="neck")
    before = note.text
    desk = logged_in(make_staff("desk", group="Front desk"))
    response = save_in_admin(desk, note, text="Neck needling never makes you sore. Do what you like.")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == before
    change = PendingChange.objects.get()
    assert change.status == "pending" and change.data["text"].startswith("Neck needling never")
    assert "never makes you sore" not in sheet_page(client, ["neck"])
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    review = reverse("admin:pages_pendingchange_change", args=[change.pk])
    assert clinician.post(review, {"_approve": "1", "note": ""}).status_code == 302
    note.refresh_from_db()
    assert note.text.startswith("Neck needling never")


def test_a_clinical_editors_edit_of_a_note_goes_live_at_once(site_content, make_staff):
    note = VisitNote.objects.get(language="en", area="hip")
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    save_in_admin(clinician, note, text="A hip note. Tell your therapist how it felt.")
    note.refresh_from_db()
    assert note.text == "A hip note. Tell your therapist how it felt." and not PendingChange.objects.exists()
    assert note.history.count() == 2


def test_a_note_cannot_be_saved_outside_the_publishing_gate(site_content):
    note = VisitNote.objects.get(language="en", area="leg")
    note.text = "Changed behind the gate's back."
    with pytest.raises(GateClosed):
        note.save()


def test_the_admin_lists_the_notes_for_each_role_that_may_see_them(site_content, make_staff):
    url = reverse("admin:pages_visitnote_changelist")
    for group in ("Clinical editor", "Translator", "Front desk", "Therapist"):
        page = logged_in(make_staff(group.lower().replace(" ", "-"), group=group)).get(url)
        assert page.status_code == 200, group
        assert page.context["cl"].result_count == 2 * len(NOTES), group
    therapist = logged_in(make_staff("therapist-2", group="Therapist"))
    note = VisitNote.objects.get(language="en", area="foot")
    assert save_in_admin(therapist, note, text="Changed.").status_code == 403
