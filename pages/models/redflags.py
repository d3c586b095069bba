"""The one list of warning signs after needling (content/red-flags.md): what the "Call 911" box,
the 911 answer, printed sheets and search show, in every language.

One row per language (sharing `translation_key` with the English, as a topic page). The signs
are kept as text a clinical editor edits in the admin, one sign a line, with the body areas it
matters most for after a bar: `chest pain, or pain when you breathe in | neck, upper-back`.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from serving.cache import cached

from .base import (
    Reviewed,
    ReviewedQuerySet,
    Translatable,
    TranslatableQuerySet,
    source_revision_field,
    translation_constraints,
)
from .guide import Reference


class Area(models.TextChoices):
    """Where a therapist may needle, as the red-flag list names it (`areas`)."""

    HEAD = "head", _("Head")
    JAW = "jaw", _("Jaw")
    NECK = "neck", _("Neck")
    SHOULDER = "shoulder", _("Shoulder")
    UPPER_BACK = "upper-back", _("Upper back and shoulder blade")
    CHEST = "chest", _("Chest wall")
    ARM = "arm", _("Arm, elbow and wrist")
    LOW_BACK = "low-back", _("Low back")
    BUTTOCK = "buttock", _("Buttock")
    HIP = "hip", _("Hip")
    LEG = "leg", _("Leg")
    FOOT = "foot", _("Foot")


AREA_SEPARATOR = "|"


def parse_signs(text):
    """[(sign, [area, ...])] from one sign a line; a blank line is skipped.

    Raises ValidationError naming the line of the first problem."""
    signs = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        sign, _bar, areas = line.partition(AREA_SEPARATOR)
        sign = sign.strip()
        if not sign:
            raise ValidationError(_("Line %(line)d has areas but no sign: write the sign before the '|'."),
                                  code="no_sign", params={"line": number})
        names = [name.strip() for name in areas.split(",") if name.strip()]
        for name in names:
            if name not in Area.values:
                raise ValidationError(
                    _("Line %(line)d: '%(area)s' is not a body area. Use: %(areas)s."), code="unknown_area",
                    params={"line": number, "area": name, "areas": ", ".join(Area.values)})
        signs.append((sign, names))
    if not signs:
        raise ValidationError(_("Write at least one sign, one a line."), code="no_signs")
    return signs


def format_signs(signs):
    """The text parse_signs reads back, from [(sign, [area, ...])]."""
    return "\n".join(f"{sign} {AREA_SEPARATOR} {', '.join(areas)}" if areas else sign for sign, areas in signs)


def validate_signs(text):
    parse_signs(text)


SIGNS_HELP = _("One sign a line, as patients read it. After a '|', the body areas it matters most for, "
               "separated by commas (e.g. neck, upper-back); nothing after the sign: every area.")


class RedFlagListQuerySet(ReviewedQuerySet, TranslatableQuerySet):
    def values_for(self, language):
        """The published list in `language`, else the English one, as plain values (see
        RedFlagList.as_values), cached until content changes; None when there is none."""

        def find():
            english = settings.LANGUAGE_CODE
            rows = {row.language: row for row in self.published().filter(language__in={language, english})}
            row = rows.get(language) or rows.get(english)
            return row.as_values() if row else None

        # The cache keeps no None: an empty dict stands for "no list" there.
        return cached(f"red-flag-list:{language}", lambda: find() or {}) or None


class RedFlagList(Translatable, Reviewed):
    """The warning signs after needling and where to go for each, in one language."""

    slug = models.SlugField(_("slug"), max_length=100, default="red-flags")
    emergency_heading = models.CharField(_("emergency heading"), max_length=200)
    emergency_signs = models.TextField(_("signs that need 911"), validators=[validate_signs], help_text=SIGNS_HELP)
    emergency_action = models.CharField(_("what to do for them"), max_length=300)
    when_signs_start = models.TextField(_("when the signs can start"))
    clinic_heading = models.CharField(_("clinic heading"), max_length=200)
    clinic_signs = models.TextField(_("signs to call the clinic for"), validators=[validate_signs],
                                    help_text=SIGNS_HELP)
    clinic_closed = models.TextField(_("when the clinic is closed"))
    emergency_department = models.TextField(_("when to go to the emergency department"))
    note = models.TextField(_("staff note"), blank=True, help_text=_("For staff; patients do not see it."))
    published = models.BooleanField(_("published"), default=True)
    references = models.ManyToManyField(
        Reference, verbose_name=_("references"), blank=True, related_name="red_flag_lists"
    )
    source_revision = source_revision_field("pages.HistoricalRedFlagList")

    translatable_fields = ("emergency_heading", "emergency_signs", "emergency_action", "when_signs_start",
                           "clinic_heading", "clinic_signs", "clinic_closed", "emergency_department")

    history = HistoricalRecords(m2m_fields=[references])

    objects = RedFlagListQuerySet.as_manager()

    class Meta:
        ordering = ["language", "slug"]
        constraints = translation_constraints("redflaglist")
        verbose_name = _("red-flag list")
        verbose_name_plural = _("red-flag lists")

    def __str__(self):
        return f"{self.emergency_heading} ({self.language})"

    def get_absolute_url(self):
        return None  # patients read it in the "Call 911" box and the 911 answer, not at an address of its own

    def as_values(self):
        """The list as plain values (str, lists and dicts of str) for templates and the page cache."""
        return {
            "language": self.language,
            "emergency_heading": self.emergency_heading,
            "emergency": [{"sign": sign, "areas": areas} for sign, areas in parse_signs(self.emergency_signs)],
            "emergency_action": self.emergency_action,
            "when_signs_start": self.when_signs_start,
            "clinic_heading": self.clinic_heading,
            "clinic": [{"sign": sign, "areas": areas} for sign, areas in parse_signs(self.clinic_signs)],
            "clinic_closed": self.clinic_closed,
            "emergency_department": self.emergency_department,
        }

