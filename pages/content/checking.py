"""Checks across files: every slug a file names exists, no two files share a slug, and no
two visit-sheet notes of a language are for one area."""
from ..models import Location, Reference, Topic, VisitNote
from ..text.markdown import cited_keys
from ..translations import status as translation
from .kinds import (
    CONDITION,
    ES_PROVIDER_TEXT,
    FAQ,
    KINDS,
    PROVIDER,
    RED_FLAGS,
    REFERENCE,
    TOPIC,
    TRANSLATED_KINDS,
    VISIT_NOTE,
)


def check_links(records):
    """Every slug a file names must exist, either among the files or already in the database.
    A translation links to other files in its own language (es/faq -> es/topics)."""
    errors = []
    known = {kind: {r.slug for r in records if r.kind is kind} for kind in KINDS}
    known[REFERENCE] |= set(Reference.objects.values_list("key", flat=True))
    for kind in KINDS:
        if kind.base is TOPIC:
            known[kind] |= set(Topic.objects.filter(language=kind.language).values_list("slug", flat=True))
    topics_of = {kind.language: kind for kind in KINDS if kind.base is TOPIC}

    def check(record, key, kind, label):
        slugs = record.links.get(key) or []
        for slug in [slugs] if isinstance(slugs, str) else slugs:
            if slug not in known[kind]:
                errors.append(record.source.error(f"unknown {label} '{slug}' in '{key}'", key))

    for record in records:
        base, topics = record.kind.base, topics_of[record.kind.language]
        if record.kind.source is not None:
            check(record, "translation_of", record.kind.source, f"English {record.kind.model._meta.verbose_name}")
        if base in (TOPIC, VISIT_NOTE):
            check(record, "references", REFERENCE, "reference")
            listed = set(record.links.get("references", []))
            for cited in cited_keys(record.values[record.kind.body_field]):
                if cited not in listed:
                    errors.append(record.source.error(
                        f"cites [@{cited}] but '{cited}' is not listed in 'references'", "references"))
        elif base is FAQ:
            check(record, "topic", topics, "topic")
        elif base is CONDITION:
            check(record, "topics", topics, "topic")
        elif base is RED_FLAGS:
            check(record, "references", REFERENCE, "reference")
        body = record.values[record.kind.body_field]
        for cited in cited_keys(body):
            if cited not in known[REFERENCE]:
                errors.append(record.source.error(
                    f"unknown reference [@{cited}] in the text", line=_line_in_body(record.source, f"[@{cited}]")))
    return errors


def check_visit_notes(records):
    """One note an area in each language (a row staff added in the admin counts too); a
    translation is for its English file's area."""
    errors, first = [], {}
    english = {record.slug: record for record in records if record.kind is VISIT_NOTE}
    files = {(record.kind.language, record.slug) for record in records if record.kind.base is VISIT_NOTE}
    rows = {(language, area): slug for language, area, slug in VisitNote.objects.values_list("language", "area", "slug")
            if (language, slug) not in files}
    for record in records:
        if record.kind.base is not VISIT_NOTE:
            continue
        area = record.values["area"]
        taken = first.setdefault((record.kind.language, area), record)
        if taken is not record:
            errors.append(record.source.error(
                f"area '{area}' already has a note ({taken.source.path.name}): one note an area", "area"))
        elif (record.kind.language, area) in rows:
            errors.append(record.source.error(
                f"area '{area}' already has a note in the admin ('{rows[(record.kind.language, area)]}'): "
                "one note an area", "area"))
        source = english.get(record.links.get("translation_of")) if record.kind.source is not None else None
        if source is not None and source.values["area"] != area:
            errors.append(record.source.error(
                f"area '{area}' but {source.source.path.name}, which it translates, is for "
                f"'{source.values['area']}'", "area"))
    return errors


def check_provider_texts(records):
    """A provider's Spanish text is named after an English provider file."""
    providers = {record.slug for record in records if record.kind is PROVIDER}
    return [
        record.source.error(f"no provider '{record.slug}' (providers/{record.slug}.md) to translate: "
                            "name the file after the English provider's file")
        for record in records
        if record.kind is ES_PROVIDER_TEXT and record.slug not in providers
    ]


def check_provider_locations(records, clinic):
    known = {values["slug"] for values, _hours in clinic.locations} if clinic else set()
    known |= set(Location.objects.values_list("slug", flat=True))
    return [
        record.source.error(f"unknown location '{slug}' in 'locations'", "locations")
        for record in records
        if record.kind is PROVIDER
        for slug in record.links.get("locations", [])
        if slug not in known
    ]


def _line_in_body(source, needle):
    for offset, line in enumerate(source.body.splitlines()):
        if needle in line:
            return source.body_line + offset
    return source.body_line


def check_duplicates(records):
    errors, seen = [], {}
    for record in records:
        first = seen.setdefault((record.kind.folder, record.slug), record)
        if first is not record:
            errors.append(record.source.error(
                f"duplicate slug '{record.slug}': {first.source.path.name} already uses it", "slug"))
        if record.kind in TRANSLATED_KINDS:
            of = record.links.get("translation_of")
            first = seen.setdefault((record.kind.folder, "translation_of", of), record)
            if first is not record:
                errors.append(record.source.error(
                    f"'{of}' is already translated by {first.source.path.name}", "translation_of"))
    return errors


def stale_translations(records):
    """Translation files whose `source_hash` no longer matches the English file: the
    English changed since the translation was made. [ContentError], not errors that stop a
    load: an out-of-date translation is still served, under a notice."""
    english = {(r.kind, r.slug): r for r in records if r.kind.source is None}
    found = []
    for record in records:
        if record.kind not in TRANSLATED_KINDS:
            continue
        source = english.get((record.kind.source, record.links.get("translation_of")))
        if source is None:
            continue
        current = translation.fingerprint(record.kind.model, source.values)
        if record.links.get("source_hash") != current:
            found.append(record.source.error(
                f"out of date since the English changed ({source.source.path.name}); update the "
                f"translation, then set source_hash: {current}", "source_hash"))
    return found
