"""What therapists hand patients: reading lists (pages as one short link)."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .guide import Condition, FaqEntry, Topic


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
