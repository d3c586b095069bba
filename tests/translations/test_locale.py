"""UI string catalogues: the committed .mo files say what their .po files say."""
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"))


def entries(catalogue):
    """{(context, msgid): translation(s)} of the translated, non-fuzzy entries."""
    found = {}
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        if any(value):  # untranslated entries are left out of a .mo
            found[(entry.msgctxt, entry.msgid)] = value
    return found


def test_there_is_a_spanish_catalogue():
    assert Path(settings.BASE_DIR, "locale/es/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_po_and_mo_agree(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` and commit it"
    po, mo = entries(polib.pofile(str(po_path))), entries(polib.mofile(str(mo_path)))
    differ = sorted(str(key[1]) for key in set(po) ^ set(mo) | {k for k in set(po) & set(mo) if po[k] != mo[k]})
    assert not differ, f"{mo_path} is out of step with its .po (run `make messages`): {differ[:5]}"


@pytest.mark.django_db
def test_spanish_pages_use_the_spanish_catalogue(client, loaded):
    html = client.get("/es/").content.decode()
    assert "Ir al contenido principal" in html
    assert "Punción seca: una guía sencilla para pacientes" in html
    assert "Ir al contenido principal" not in client.get("/").content.decode()


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_interface_string_is_translated_and_checked(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{po_path}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, f"{po_path}: {len(fuzzy)} fuzzy (check, then remove the flag), e.g. {fuzzy[:3]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_plural_has_as_many_forms_as_the_language_declares(po_path):
    # Spanish declares three forms (1; millions; the rest): a missing one shows English to patients.
    catalogue = polib.pofile(str(po_path))
    declared = int(catalogue.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [entry.msgid for entry in catalogue
             if entry.msgid_plural and not entry.obsolete and len(entry.msgstr_plural) != declared]
    assert not short, f"{po_path.name}: these plurals need {declared} forms (msgstr[0..{declared - 1}]): {short}"
