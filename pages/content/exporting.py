"""Writing the database back to content files, in the format load_content reads."""
from pathlib import Path

import yaml

from ..models import Clinic, parse_signs
from ..text.diffs import normalise
from ..translations.status import fingerprint, source_of
from .kinds import ES_PROVIDER_TEXT, KINDS, TRANSLATABLE_KINDS, WEEKDAY_NAMES


def source_hash(obj):
    """The fingerprint of the English text `obj` was translated from; zeros when unknown
    (the translation then reads as out of date, which it may be)."""
    revision = obj.source_revision
    return fingerprint(type(obj), revision) if revision else "0" * 12


LINK_VALUES = {
    "references": lambda obj: [r.key for r in obj.references.order_by("key")],
    "topic": lambda obj: obj.topic.slug if obj.topic else None,
    "topics": lambda obj: [t.slug for t in obj.topics.order_by("slug")],
    "locations": lambda obj: [loc.slug for loc in obj.locations.order_by("order", "name")],
    "translation_of": lambda obj: source_of(obj).slug,
    "source_hash": source_hash,
}
# Fields written in the file as a list (each sign with its areas), kept one a line in the row.
LIST_VALUES = {
    "emergency": lambda obj: [{"sign": sign, "areas": areas} for sign, areas in parse_signs(obj.emergency_signs)],
    "clinic": lambda obj: [{"sign": sign, "areas": areas} for sign, areas in parse_signs(obj.clinic_signs)],
}
LOCATION_KEY_ORDER = ["name", "street_address", "city", "region", "postal_code", "phone"]
WEEKDAY_ABBREVIATIONS = {int(day): name.capitalize() for name, day in WEEKDAY_NAMES.items()}


def front_matter_file(metadata, body):
    # One kind of line ending in every file, even for text saved before the admin normalised it.
    body = normalise(body)
    metadata = {key: normalise(value) if isinstance(value, str) else value for key, value in metadata.items()}
    text = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
    return f"---\n{text}---\n{body.strip()}\n" if body.strip() else f"---\n{text}---\n"


def export_content(directory):
    """Write every row back to `directory` in the format load_content reads.

    Files of rows that no longer exist are removed, so a later load does not bring back a
    page staff deleted. Returns the number of files written.
    """
    directory = Path(directory)
    written = 0
    for kind in KINDS:
        folder = directory / kind.folder
        folder.mkdir(parents=True, exist_ok=True)
        keep = set()
        rows = kind.model.objects.all()
        if kind.base in TRANSLATABLE_KINDS:
            rows = rows.filter(language=kind.language)
            if kind.source is not None:
                rows = [row for row in rows.select_related("source_revision") if source_of(row) is not None]
        if kind is ES_PROVIDER_TEXT:
            rows = rows.filter(language=kind.language).select_related("provider")
        for obj in rows:
            # A provider's text is named after its provider's file.
            slug = obj.provider.slug if kind is ES_PROVIDER_TEXT else getattr(obj, kind.lookup)
            metadata = {}
            for key, (model_field, _converter, required) in kind.fields.items():
                if key == "slug":
                    continue
                if key in LIST_VALUES:
                    value = LIST_VALUES[key](obj)
                else:
                    value = getattr(obj, model_field) if model_field else LINK_VALUES[key](obj)
                if (key, value) in (("published", True), ("red_flags", False)):
                    continue  # the default: leave it out, as hand-written files do
                if value in (None, "", []) and not required:
                    continue
                metadata[key] = value
            path = folder / f"{slug}.md"
            path.write_text(front_matter_file(metadata, getattr(obj, kind.body_field)), encoding="utf-8")
            keep.add(path)
            written += 1
        for stale in set(folder.glob(kind.pattern)) - keep:
            stale.unlink()
    clinic = Clinic.objects.order_by("pk").first()
    if clinic:
        metadata = {key: getattr(clinic, key) for key in ("name", "example_data", "phone", "email", "booking_url")}
        metadata["locations"] = [
            {
                **{key: getattr(location, key) for key in LOCATION_KEY_ORDER if getattr(location, key)},
                "hours": [
                    {
                        "days": WEEKDAY_ABBREVIATIONS[h.first_day] if h.first_day == h.last_day
                        else f"{WEEKDAY_ABBREVIATIONS[h.first_day]}-{WEEKDAY_ABBREVIATIONS[h.last_day]}",
                        "opens": f"{h.opens:%H:%M}",
                        "closes": f"{h.closes:%H:%M}",
                    }
                    for h in location.hours.all()
                ],
            }
            for location in clinic.locations.all()
        ]
        (directory / "clinic.md").write_text(front_matter_file(metadata, clinic.about), encoding="utf-8")
        written += 1
    return written
