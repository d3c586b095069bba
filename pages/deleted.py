"""Undo for deletions: simple-history keeps a deleted row's last state; this brings it back."""
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db import transaction

from . import redirects


def recently_deleted(model, limit=100):
    """The deletion records of rows that are still gone, newest first (one per row)."""
    live = model.objects.values_list("pk", flat=True)
    seen, rows = set(), []
    deletions = model.history.filter(history_type="-").exclude(id__in=live).select_related("history_user")
    for record in deletions.order_by("-history_date")[: limit * 5]:
        if record.id not in seen:
            seen.add(record.id)
            rows.append(record)
    return rows[:limit]


@transaction.atomic
def restore(model, record, user):
    """Save the row as it was when deleted (its relations too), and point its old addresses at it."""
    obj = record.instance
    obj.full_clean()  # a slug another page has taken since: refused, with the field named
    obj._history_user = user
    obj._change_reason = "Restored after deletion"
    obj.save(force_insert=True)
    # The deletion record holds no relations; the last record before it does.
    before = model.history.filter(id=record.id, history_id__lt=record.history_id).order_by("-history_id").first()
    for field in model._meta.many_to_many:
        rows = getattr(before, field.name, None) if before else None
        if rows is not None:
            other = field.m2m_reverse_field_name()
            getattr(obj, field.name).set([getattr(row, f"{other}_id") for row in rows.all()])
    # Addresses the page ever had answer 410 since the delete: they lead to it again.
    # (Its current address was made live by the save signal.)
    url = obj.get_absolute_url()
    slugs = set(model.history.filter(id=obj.pk).values_list("slug", flat=True))
    old_urls = {type(obj)(slug=slug).get_absolute_url() for slug in slugs} - {url}
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, old_path__in=old_urls, new_path="").update(new_path=url)
    redirects.record_live(url)
    return obj
