"""Visit sheets: the after-care sheet for one visit, as one short link /v/<code>/.

The therapist ticks the areas needled today, whether electric current was used, and the
languages; the sheet puts the warning signs that matter for those areas first (the red-flag
list's `areas`, pages.models.RedFlagList), then each area's note (pages.models.VisitNote, and
the electric-current note when current was used), then the after-care page, then when to call
the clinic. All its words come from content a clinical editor signs off; a sheet stores only the
choices, never anything about the patient, so the same choices find the same sheet.
"""
import hashlib

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import ELECTRIC, Area, RedFlagList, Topic, VisitNote, VisitSheet
from .reading_lists import new_code

# The after-care page (its content file's English slug, found by its stable key whatever its
# slug is now): the sheet's after-care text, in each language.
AFTER_CARE = "after-care"


class VisitSheetForm(forms.Form):
    """Only ticks and choices: nothing a person types can reach a sheet."""

    areas = forms.MultipleChoiceField(
        label=_("Areas treated today"), choices=Area.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one area treated today; no sheet was made.")},
    )
    electric = forms.BooleanField(label=_("Electric current used"), required=False)
    languages = forms.ChoiceField(label=_("Language"), choices=VisitSheet.Languages.choices,
                                  initial=VisitSheet.Languages.ENGLISH, widget=forms.RadioSelect)


def selection_key(areas, electric, languages):
    """The same for the same choices, in any order."""
    return hashlib.sha256(f"{','.join(sorted(set(areas)))}|{bool(electric)}|{languages}".encode()).hexdigest()


def visit_sheet_for(areas, electric, languages):
    """The sheet of these choices: the existing one, or a new one."""
    key = selection_key(areas, electric, languages)
    areas = ",".join(area for area in Area.values if area in set(areas))
    for _attempt in range(5):
        existing = VisitSheet.objects.filter(selection=key).first()
        if existing:
            return existing
        try:
            with transaction.atomic():
                return VisitSheet.objects.create(code=new_code(), selection=key, areas=areas,
                                                 electric=electric, languages=languages)
        except IntegrityError:
            continue  # the same sheet made at the same moment, or (rarely) the code was taken
    raise RuntimeError("could not make a visit sheet after 5 attempts")


def sheet_languages(sheet):
    return ["en", "es"] if sheet.languages == VisitSheet.Languages.BOTH else [sheet.languages]


def after_care_page(language):
    """The published after-care page in `language`, else the English one (None if neither)."""
    english = Topic.objects.published().named(AFTER_CARE).filter(language=settings.LANGUAGE_CODE).first()
    if english is None or language == settings.LANGUAGE_CODE:
        return english
    return Topic.objects.published().filter(language=language, translation_key=english.translation_key).first() \
        or english


def sheet_in(sheet, language):
    """What the sheet says in `language`: the areas, the list's signs for those areas first
    (every sign of the list when none is marked for them), the rest, each area's note (then the
    electric-current note if current was used), and the after-care page."""
    flags = RedFlagList.objects.values_for(language) or {"emergency": [], "clinic": []}
    treated = set(sheet.area_list)
    first = [item for item in flags["emergency"] if treated & set(item["areas"])] or flags["emergency"]
    with translation.override(language):
        areas = [str(Area(area).label) for area in sheet.area_list]
    notes = VisitNote.objects.values_for(language)
    noted = [*sheet.area_list, *([ELECTRIC] if sheet.electric else [])]
    return {
        "language": language,
        "areas": areas,
        "flags": flags,
        "first": first,
        "others": [item for item in flags["emergency"] if item not in first],
        "notes": [notes[name] for name in noted if name in notes],
        "after_care": after_care_page(language),
    }
