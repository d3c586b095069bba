"""Undo for deletions: simple-history keeps a deleted row's last state; this brings it back."""
from django.db import transaction

from .. import signoff
from ..addresses.redirects import revive_addresses
from ..signoff import gate


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
    """Save the row as it was when deleted (its relations too), and point its old addresses at it.

    Restoring clinical content is publishing it, so it follows sign-off as a new page does:
    from someone who may not approve, the row comes back unpublished and its values wait for a
    clinical editor, whose approval publishes it (if it was published when deleted).
    """
    obj = record.instance
    obj.full_clean()  # a slug another page has taken since: refused, with the field named
    # The deletion record holds no relations; the last record before it does.
    before = model.history.filter(id=record.id, history_id__lt=record.history_id).order_by("-history_id").first()
    relations = {}
    for field in model._meta.many_to_many:
        rows = getattr(before, field.name, None) if before else None
        if rows is not None:
            other = field.m2m_reverse_field_name()
            relations[field.name] = sorted(getattr(row, f"{other}_id") for row in rows.all())
    values = {field.name: signoff.value_of(obj, field) for field in model._meta.concrete_fields
              if not field.primary_key}
    waiting = gate.submit(user, obj, {**values, **relations}, is_new=True, reason="Restored after deletion")
    if waiting is None and obj.published:
        revive_addresses(obj)
    # Waiting, it is unpublished and has no address yet: any redirect an editor set from its old
    # addresses (to a replacement page) stays until approval publishes it.
    return obj
