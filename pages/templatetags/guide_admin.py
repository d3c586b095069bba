import datetime

from django import template

from pages.models import Topic

register = template.Library()


@register.simple_tag
def topics_due_for_review():
    """Topic pages whose clinical review date has passed, oldest first, for the admin home."""
    return Topic.objects.order_by("last_reviewed").due_for_review(datetime.date.today())
