import datetime

from django import template
from django.db.models import Exists, OuterRef
from django.urls import reverse

from pages import signoff
from pages.editing.review import pages_due_for_review
from pages.models import PendingChange
from pages.signoff.links import edit_again_url as signoff_edit_again_url
from pages.translations.admin import translations_to_update as find_translations_to_update

register = template.Library()


@register.simple_tag(takes_context=True, name="pages_due_for_review")
def due_pages(context):
    """(page, its admin change URL) for pages past their clinical review date that this user may
    open in the admin, the longest overdue first: for the admin home."""
    user = context["request"].user
    due = []
    for page in pages_due_for_review(datetime.date.today()):
        meta = page._meta
        if user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            due.append((page, reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[page.pk])))
    return due


@register.filter
def model_verbose_name(obj):
    """What kind of page a row is ("topic page", "FAQ entry", "condition")."""
    return obj._meta.verbose_name


@register.simple_tag
def waiting_for_approval(user, limit=10):
    """For the admin home: clinical editors get the queue; anyone else their own recent edits."""
    if signoff.can_approve(user):
        waiting = PendingChange.objects.filter(status=PendingChange.Status.PENDING).select_related("author")
        return {"can_approve": True, "count": waiting.count(), "changes": waiting[:limit]}
    own = PendingChange.objects.filter(author=user).exclude(status=PendingChange.Status.REPLACED)
    # A change sent back is dealt with once its author has saved the page again.
    redone = PendingChange.objects.filter(
        author=user, content_type=OuterRef("content_type"), object_id=OuterRef("object_id"), pk__gt=OuterRef("pk"))
    own = own.exclude(Exists(redone), status=PendingChange.Status.SENT_BACK)
    return {"can_approve": False, "changes": own.order_by("-created")[:limit]}


@register.filter
def edit_again_url(change):
    """The form of a sent-back change's page, opened on its author's text."""
    return signoff_edit_again_url(change)


@register.simple_tag
def translations_to_update():
    """Translations whose English changed since they were made, for the admin home."""
    return find_translations_to_update()


@register.filter
def english_changes_url(row):
    """The admin page showing what changed in the English since `row` was translated."""
    return reverse(f"admin:pages_{row._meta.model_name}_english_changes", args=[row.pk])
