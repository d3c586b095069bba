"""A change to clinical content, waiting for a clinical editor's sign-off, or for its time.

Only the data: what is proposed, by whom, and what became of it. The rules (what waits, what
approving does) live in `pages.signoff`, which imports this; this imports no service.
"""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingChange(models.Model):
    """Proposed field values for one row patients read (a topic, condition, FAQ answer, the
    clinic's details), kept, not written: waiting for sign-off, or for `go_live_at`.

    One home for a change not yet live: a scheduled change is kept with the same values, the
    same live values it started from (so publishing it at its time refuses, naming the field,
    what changed meanwhile), the same author and the same "sent back" path as a waiting one.
    A change with a time that needs a clinical editor waits as PENDING (the approval screen
    shows the time); approved, or not needing one, it is SCHEDULED until publish_scheduled
    writes it at its time (PUBLISHED)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        SENT_BACK = "sent_back", _("sent back")
        REPLACED = "replaced", _("replaced by a newer edit")
        PAGE_DELETED = "page_deleted", _("the page was deleted")
        SCHEDULED = "scheduled", _("scheduled: goes live at its time")
        PUBLISHED = "published", _("went live at its time")
        CANCELLED = "cancelled", _("cancelled")

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("row"))
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("page"), max_length=300, help_text=_("The page's title when the edit was made."))
    data = models.JSONField(_("proposed values"), encoder=DjangoJSONEncoder)
    base = models.JSONField(
        _("live values it started from"), default=dict, blank=True, encoder=DjangoJSONEncoder,
        help_text=_("For each field the edit changes, the live value when the author first changed it."),
    )
    based_on = models.PositiveBigIntegerField(
        _("based on revision"), null=True, blank=True,
        help_text=_("The history record of the live row the author started from."),
    )
    is_new = models.BooleanField(_("new page"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created = models.DateTimeField(_("when"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    note = models.TextField(_("note for the author"), blank=True)
    notified_at = models.DateTimeField(
        _("clinical editors emailed"), null=True, blank=True,
        help_text=_("When the hourly email to clinical editors listed this change; empty until then."),
    )
    go_live_at = models.DateTimeField(
        _("goes live at"), null=True, blank=True, db_index=True,
        help_text=_("Empty: as soon as it may (at once, or when approved)."),
    )

    class Meta:
        ordering = ["created"]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]
        permissions = [("approve_pendingchange", _("Can approve changes to clinical content"))]
        verbose_name = _("change waiting for approval")
        verbose_name_plural = _("changes waiting for approval")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # One line, whatever the page's title held: it heads emails and lists, where a line
        # break would let a title pass for a line of the email's own (a fake link).
        self.title = " ".join(self.title.split())[:300]
        super().save(*args, **kwargs)

    def live_object(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)
