"""What sign-off does when pages change by other paths (connected in PagesConfig.ready)."""
from django.contrib.contenttypes.models import ContentType

from ..models import PendingChange
from .rules import SIGNED_OFF_MODELS


def withdraw_edits_of_deleted_pages(sender, instance, **kwargs):
    """A deleted page's waiting and scheduled edits leave the queue (restoring the page does not
    bring them back)."""
    if sender._meta.label not in SIGNED_OFF_MODELS:
        return
    PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk,
        status__in=[PendingChange.Status.PENDING, PendingChange.Status.SCHEDULED],
    ).update(status=PendingChange.Status.PAGE_DELETED)
