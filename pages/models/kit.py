"""What therapists hand patients: reading lists (pages as one short link) and visit sheets
(one visit's after-care, as one short link)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .guide import Condition, FaqEntry, Topic
from .redflags import Area


def validate_areas(value):
    unknown = [area for area in value.split(",") if area not in Area.values]
    if unknown or not value:
        raise ValidationError(_("Unknown body area: %(areas)s."), params={"areas": ", ".join(unknown) or "–"})


class ReadingList(models.Model):
    """Pages a therapist sends a patient as one short link, /r/<code>/.

    It holds page references only (by primary key, so a renamed page follows and a deleted
    one drops out) and nothing about the patient. `order` is the references in the order the
    therapist ticked them ("condition:4 faq:7 topic:2"), which the list shows (issue 24);
    `selection` is a hash of that order: the same pages in the same order always find the same
    list, and so the same code. A list made before `order` existed shows the public order.
    """

    code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    selection = models.CharField(_("selection key"), max_length=64, unique=True, editable=False)
    # At most 20 keys of at most 23 characters ("condition:" and an id), separated by spaces.
    order = models.CharField(_("order of the items"), max_length=480, blank=True, default="", editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topic pages"), blank=True, related_name="+")
    faq_entries = models.ManyToManyField(FaqEntry, verbose_name=_("FAQ entries"), blank=True, related_name="+")
    conditions = models.ManyToManyField(Condition, verbose_name=_("conditions"), blank=True, related_name="+")

    class Meta:
        ordering = ["-created"]
        verbose_name = _("reading list")
        verbose_name_plural = _("reading lists")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("pages:reading_list", kwargs={"code": self.code})


class VisitSheet(models.Model):
    """One visit's after-care sheet, as a short link /v/<code>/ a therapist sends a patient.

    It holds the areas needled that day and the options only (whether electric current was used,
    which languages), never anything about the patient: the same choices always find the same
    sheet, and so the same code (`selection`, a hash of them)."""

    class Languages(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")
        BOTH = "both", _("English and Spanish")

    code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    selection = models.CharField(_("selection key"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    areas = models.CharField(_("areas treated"), max_length=200, validators=[validate_areas],
                             help_text=_("Body areas, separated by commas (pages.models.Area)."))
    electric = models.BooleanField(_("electric current used"), default=False)
    languages = models.CharField(_("languages"), max_length=4, choices=Languages.choices, default=Languages.ENGLISH)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("visit sheet")
        verbose_name_plural = _("visit sheets")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        # A Spanish sheet opens under /es/, so the page around it (menu, footer) is Spanish too.
        with translation.override("es" if self.languages == self.Languages.SPANISH else settings.LANGUAGE_CODE):
            return reverse("pages:visit_sheet", kwargs={"code": self.code})

    @property
    def area_list(self):
        """The areas in the body map's order (Area's)."""
        chosen = set(self.areas.split(","))
        return [area for area in Area.values if area in chosen]
