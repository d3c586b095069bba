"""The visit sheet's after-care notes (content/visit-notes/): one short note per body area a
therapist may needle (Area), and one for "electric current used", as a clinical editor signs
them off.

One row per language (sharing `translation_key` with the English, as a topic page), reviewed
on the same cycle, with its history and its sources. A note never words a warning sign: the
signs stay in the one red-flag list (redflags.py), which the sheet shows first.
"""
from django.conf import settings
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
from .redflags import Area

# The note for the sheet's "Electric current used" option.
ELECTRIC = "electric-current"
NOTE_CHOICES = [*Area.choices, (ELECTRIC, _("Electric current used"))]


class VisitNoteQuerySet(ReviewedQuerySet, TranslatableQuerySet):
    def values_for(self, language):
        """{area: note as plain values} of the published notes in `language`; an area with no
        note in `language` has its English one. Cached until content changes."""

        def find():
            english = settings.LANGUAGE_CODE
            rows = self.published().filter(language__in={language, english})
            notes = {}
            for row in sorted(rows, key=lambda row: row.language == language):  # the language's own last
                notes[row.area] = row.as_values()
            return notes

        return cached(f"visit-notes:{language}", find)


class VisitNote(Translatable, Reviewed):
    """What a patient reads on the visit sheet about one area treated (or electric current)."""

    slug = models.SlugField(_("slug"), max_length=100)
    area = models.CharField(_("areas treated"), max_length=20, choices=NOTE_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_(
        "Two to four short sentences, as patients read them. No warning signs: they stay in the red-flag list."))
    published = models.BooleanField(_("published"), default=True)
    references = models.ManyToManyField(
        Reference, verbose_name=_("references"), blank=True, related_name="visit_notes"
    )
    source_revision = source_revision_field("pages.HistoricalVisitNote")

    translatable_fields = ("title", "text")

    history = HistoricalRecords(m2m_fields=[references])

    objects = VisitNoteQuerySet.as_manager()

    class Meta:
        ordering = ["language", "slug"]
        constraints = [
            *translation_constraints("visitnote"),
            models.UniqueConstraint(fields=["language", "area"], name="one_visitnote_per_area_per_language"),
        ]
        verbose_name = _("visit-sheet note")
        verbose_name_plural = _("visit-sheet notes")

    def __str__(self):
        return f"{self.title} ({self.language})"

    def get_absolute_url(self):
        return None  # patients read it on a visit sheet (/v/<code>/), not at an address of its own

    def as_values(self):
        """The note as plain values for templates and the cache."""
        return {"area": self.area, "language": self.language, "title": self.title, "text": self.text}
