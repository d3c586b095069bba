import datetime

from django import template

from pages.models import Topic

register = template.Library()


@register.simple_tag
def topics_due_for_review():
    """Topic pages whose clinical review date has passed, oldest first, for the admin home."""
    return Topic.objects.order_by("last_reviewed").due_for_review(datetime.date.today())


@register.simple_tag
def translations_to_update():
    """Translations whose English changed since they were made, for the admin home."""
    from pages.translation_admin import translations_to_update as find

    return find()


@register.filter
def english_changes_url(row):
    """The admin page showing what changed in the English since `row` was translated."""
    from django.urls import reverse

    return reverse(f"admin:pages_{row._meta.model_name}_english_changes", args=[row.pk])
