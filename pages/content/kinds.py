"""What each kind of content file may contain, and how a front-matter value becomes a model value.

The file format is documented in content/README.md.
"""
import datetime
from dataclasses import dataclass

from ..models import (
    ELECTRIC,
    NOTE_CHOICES,
    Area,
    Condition,
    FaqEntry,
    Provider,
    ProviderTranslation,
    RedFlagList,
    Reference,
    Topic,
    VisitNote,
    Weekday,
    format_signs,
)

WEEKDAY_NAMES = {
    "mon": Weekday.MONDAY, "tue": Weekday.TUESDAY, "wed": Weekday.WEDNESDAY,
    "thu": Weekday.THURSDAY, "fri": Weekday.FRIDAY, "sat": Weekday.SATURDAY,
    "sun": Weekday.SUNDAY,
}


def text_field(source, key, value):
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise source.error(f"'{key}' must be text", key)
    value = str(value).strip()
    if not value:
        raise source.error(f"'{key}' must not be empty", key)
    return value


def int_field(source, key, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise source.error(f"'{key}' must be a whole number, 0 or more", key)
    return value


def bool_field(source, key, value):
    if not isinstance(value, bool):
        raise source.error(f"'{key}' must be true or false", key)
    return value


def date_field(source, key, value):
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise source.error(f"'{key}' must be a date written YYYY-MM-DD", key)
    return value


def slug_list_field(source, key, value):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise source.error(f"'{key}' must be a list such as [first-slug, second-slug]", key)
    return [v.strip() for v in value]


def signs_field(source, key, value):
    """A list of `- sign: ...` / `areas: [...]` entries, as the model's one-sign-a-line text."""
    if not isinstance(value, list) or not value:
        raise source.error(f"'{key}' must be a list of entries, each '- sign: ...' with 'areas: [...]'", key)
    signs = []
    for index, entry in enumerate(value):
        at = (key, index)
        if not isinstance(entry, dict) or set(entry) - {"sign", "areas"} or "sign" not in entry:
            raise source.error(f"'{key}' entry {index + 1}: needs 'sign' and, if any, 'areas' (nothing else)", at)
        sign = text_field(source, at, entry["sign"]) if isinstance(entry["sign"], str) else None
        if sign is None or "\n" in sign or "|" in sign:
            raise source.error(f"'{key}' entry {index + 1}: 'sign' must be one line of text without '|'", at)
        areas = slug_list_field(source, (*at, "areas"), entry.get("areas") or [])
        for area in areas:
            if area not in Area.values:
                raise source.error(f"'{key}' entry {index + 1}: '{area}' is not a body area "
                                   f"(use: {', '.join(Area.values)})", (*at, "areas"))
        signs.append((sign, areas))
    return format_signs(signs)


def note_area_field(source, key, value):
    """What a visit-sheet note is for: a body area (Area) or electric current (ELECTRIC)."""
    value = text_field(source, key, value)
    allowed = [choice for choice, _label in NOTE_CHOICES]
    if value not in allowed:
        raise source.error(f"'{key}': '{value}' is not a body area or '{ELECTRIC}' (use: {', '.join(allowed)})", key)
    return value


def anything(source, key, value):
    return value


@dataclass(eq=False)  # compared and hashed by identity
class Kind:
    """How one kind of content file maps onto a model."""

    folder: str  # "" for a file at the top of content/ (red-flags.md)
    model: type
    lookup: str  # the unique field a file's slug fills
    fields: dict  # front-matter key -> (model field or None, converter, required)
    body_field: str
    body_required: bool = True
    language: str = "en"
    source: "Kind | None" = None  # for translations: the kind of the English files
    pattern: str = "*.md"  # the files of the folder this kind reads

    @property
    def base(self):
        """The English kind: TOPIC for both topics/ and es/topics/."""
        return self.source or self


REFERENCE = Kind(
    "references", Reference, "key",
    {
        "authors": ("authors", text_field, True),
        "year": ("year", int_field, True),
        "title": ("title", text_field, True),
        "publisher": ("publisher", text_field, True),
        "details": ("details", text_field, False),
        "doi": ("doi", text_field, False),
        "url": ("url", text_field, False),
        "slug": (None, text_field, False),
    },
    body_field="note", body_required=False,
)
# What every page patients read carries (pages.models.ReviewedPage): publishing, the "Call 911"
# box and its clinical review.
REVIEWED_PAGE_FIELDS = {
    "published": ("published", bool_field, False),
    "red_flags": ("red_flags", bool_field, False),
    "last_reviewed": ("last_reviewed", date_field, True),
    "reviewed_by": ("reviewed_by", text_field, True),
}
TOPIC = Kind(
    "topics", Topic, "slug",
    {
        "title": ("title", text_field, True),
        "summary": ("summary", text_field, True),
        "menu_order": ("menu_order", int_field, True),
        **REVIEWED_PAGE_FIELDS,
        "references": (None, slug_list_field, True),
        "slug": (None, text_field, False),
    },
    body_field="body",
)
FAQ = Kind(
    "faq", FaqEntry, "slug",
    {
        "question": ("question", text_field, True),
        "category": ("category", text_field, True),
        "order": ("order", int_field, True),
        "topic": (None, text_field, False),
        **REVIEWED_PAGE_FIELDS,
        "slug": (None, text_field, False),
    },
    body_field="answer",
)
CONDITION = Kind(
    "conditions", Condition, "slug",
    {
        "name": ("name", text_field, True),
        "body_region": ("body_region", text_field, True),
        "summary": ("summary", text_field, True),
        "topics": (None, slug_list_field, False),
        **REVIEWED_PAGE_FIELDS,
        "slug": (None, text_field, False),
    },
    body_field="text",
)
# The one red-flag list (pages.models.RedFlagList): content/red-flags.md, its translation es/red-flags.md.
RED_FLAGS = Kind(
    "", RedFlagList, "slug",
    {
        "last_reviewed": ("last_reviewed", date_field, True),
        "reviewed_by": ("reviewed_by", text_field, True),
        "published": ("published", bool_field, False),
        "references": (None, slug_list_field, True),
        "emergency_heading": ("emergency_heading", text_field, True),
        "emergency": ("emergency_signs", signs_field, True),
        "emergency_action": ("emergency_action", text_field, True),
        "when_signs_start": ("when_signs_start", text_field, True),
        "clinic_heading": ("clinic_heading", text_field, True),
        "clinic": ("clinic_signs", signs_field, True),
        "clinic_closed": ("clinic_closed", text_field, True),
        "emergency_department": ("emergency_department", text_field, True),
        "slug": (None, text_field, False),
    },
    body_field="note", body_required=False, pattern="red-flags.md",
)
# The visit sheet's note for each area treated (pages.models.VisitNote): visit-notes/<slug>.md,
# translations in es/visit-notes/.
VISIT_NOTE = Kind(
    "visit-notes", VisitNote, "slug",
    {
        "area": ("area", note_area_field, True),
        "title": ("title", text_field, True),
        "last_reviewed": ("last_reviewed", date_field, True),
        "reviewed_by": ("reviewed_by", text_field, True),
        "published": ("published", bool_field, False),
        "references": (None, slug_list_field, False),
        "slug": (None, text_field, False),
    },
    body_field="text",
)
PROVIDER = Kind(
    "providers", Provider, "slug",
    {
        "name": ("name", text_field, True),
        "credentials": ("credentials", text_field, True),
        "role": ("role", text_field, True),
        "training": ("training", text_field, True),
        "locations": (None, slug_list_field, False),
        "order": ("order", int_field, True),
        "published": ("published", bool_field, False),
        "slug": (None, text_field, False),
    },
    body_field="bio", body_required=False,
)
CLINIC_FIELDS = {
    "name": ("name", text_field, True),
    "example_data": ("example_data", bool_field, False),
    "phone": ("phone", text_field, True),
    "email": ("email", text_field, True),
    "booking_url": ("booking_url", text_field, False),
    "locations": (None, anything, True),
}
LOCATION_FIELDS = {"name", "street_address", "city", "region", "postal_code", "phone", "hours"}

# A translation's file has the English file's fields (its own slug, title, text, links to
# other translated files) plus the English file it translates and a fingerprint of the
# English text it was made from (pages.translations.status.fingerprint).
TRANSLATION_FIELDS = {
    "translation_of": (None, text_field, True),
    "source_hash": (None, text_field, True),
}


def translation_kind(kind, language):
    return Kind(
        f"{language}/{kind.folder}".rstrip("/"), kind.model, kind.lookup, {**TRANSLATION_FIELDS, **kind.fields},
        body_field=kind.body_field, body_required=kind.body_required, language=language, source=kind,
        pattern=kind.pattern,
    )


TRANSLATABLE_KINDS = (TOPIC, FAQ, CONDITION, RED_FLAGS, VISIT_NOTE)
ES_TOPIC, ES_FAQ, ES_CONDITION, ES_RED_FLAGS, ES_VISIT_NOTE = (
    translation_kind(kind, "es") for kind in TRANSLATABLE_KINDS)
TRANSLATED_KINDS = (ES_TOPIC, ES_FAQ, ES_CONDITION, ES_RED_FLAGS, ES_VISIT_NOTE)
# A provider's own words in Spanish (pages.models.ProviderTranslation): es/providers/<the English
# file's name>.md with the role, training and introduction. The facts (name, credentials, where
# they work) are only in the English file, so they cannot differ between languages.
ES_PROVIDER_TEXT = Kind(
    "es/providers", ProviderTranslation, "provider",
    {"role": ("role", text_field, True), "training": ("training", text_field, True)},
    body_field="bio", body_required=False, language="es", source=PROVIDER,
)
KINDS = (REFERENCE, TOPIC, FAQ, CONDITION, RED_FLAGS, VISIT_NOTE, PROVIDER, *TRANSLATED_KINDS, ES_PROVIDER_TEXT)
