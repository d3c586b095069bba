import datetime

from django import template

from pages import signoff
from pages.models import PendingChange, Topic

register = template.Library()


@register.simple_tag
def topics_due_for_review():
    """Topic pages whose clinical review date has passed, oldest first, for the admin home."""
    return Topic.objects.order_by("last_reviewed").due_for_review(datetime.date.today())


@register.simple_tag
def waiting_for_approval(user, limit=10):
    """For the admin home: clinical editors get the queue; anyone else their own recent edits."""
    if signoff.can_approve(user):
        waiting = PendingChange.objects.filter(status=PendingChange.Status.PENDING).select_related("author")
        return {"can_approve": True, "count": waiting.count(), "changes": waiting[:limit]}
    own = PendingChange.objects.filter(author=user).exclude(status=PendingChange.Status.REPLACED)
    return {"can_approve": False, "changes": own.order_by("-created")[:limit]}
