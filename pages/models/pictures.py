"""Pictures staff upload for pages."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import ContentQuerySet


class Image(models.Model):
    """A picture staff uploaded: a referral-pattern diagram, a clinic photo."""

    title = models.CharField(_("title"), max_length=200)
    file = models.ImageField(_("file"), upload_to="images/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "Describe what the picture shows for people who cannot see it. Required before the "
            "picture is used on a page."
        ),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title

    def markdown(self):
        """What to paste into a page: the picture with its alt text."""
        return f"![{self.alt_text}]({self.file.url})"
