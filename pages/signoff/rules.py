"""Clinical sign-off: an edit to clinical content by someone who may not approve it waits.

Patients keep seeing the live row. The proposed field values are kept as a PendingChange;
a clinical editor (permission `pages.approve_pendingchange`) approves it, which writes it
to the live row (the history records who approved it), or sends it back with a note.

What is clinical: topic pages, conditions, the red-flag list, and FAQ answers in every category except
"Cost, insurance and referrals" (what a visit costs and how to book publishes at once).
"Your visit" counts as clinical: it says how treatment feels and how long recovery takes.
Changing only the order of a list publishes at once too.
"""
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..addresses.redirects import revive_addresses
from ..models import Condition, FaqEntry, PendingChange, RedFlagList, Topic
from ..text.diffs import normalise, word_diff_html

APPROVE_PERMISSION = "pages.approve_pendingchange"
# FAQ categories whose answers need sign-off (every one but cost and booking).
CLINICAL_FAQ_CATEGORIES = frozenset({"about", "suitability", "session", "safety", "aftercare"})
# The models whose edits can wait for sign-off.
SIGNED_OFF_MODELS = frozenset({"pages.Topic", "pages.FaqEntry", "pages.Condition", "pages.RedFlagList"})
# Fields whose change alone publishes at once: where an entry sits in a list.
ORDER_FIELDS = frozenset({"order", "menu_order"})
# Form fields that are bookkeeping, not content.
FORM_ONLY_FIELDS = frozenset({"revision", "pending"})


class StaleChange(Exception):
    """The live row changed after the proposed edit was written."""


def changes_of(change):
    """(field label, word diff) for each field a waiting edit changes, against the live row.

    A new page is compared with nothing, so the reviewer reads all of it.
    """
    obj = change.live_object()
    rows = []
    for name, proposed in change.data.items():
        field = obj._meta.get_field(name)
        live = "" if change.is_new else display_value(field, value_of(obj, field))
        new = display_value(field, proposed)
        if live != new:
            rows.append((field.verbose_name, word_diff_html(live, new)))
    return rows


def value_of(obj, field):
    """A field's value on a saved row, in the form PendingChange.data keeps it."""
    if field.many_to_many:
        return sorted(getattr(obj, field.name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(obj, field.attname)
    return getattr(obj, field.name)


def display_value(field, value):
    """A value as staff read it: labels for choices, titles for related rows, Yes/No."""
    if field.many_to_many:
        return "\n".join(str(row) for row in field.related_model.objects.filter(pk__in=value or []))
    if field.is_relation:
        row = field.related_model.objects.filter(pk=value).first() if value else None
        return str(row) if row else ""
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return normalise(value)


def form_values(form):
    """The model fields of a valid admin form, as JSON-friendly values (CRLF made LF)."""
    model = form._meta.model
    names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many}
    values = {}
    for name, value in form.cleaned_data.items():
        if name not in names or name in FORM_ONLY_FIELDS:
            continue
        field = model._meta.get_field(name)
        if field.many_to_many:
            value = sorted(row.pk for row in value)
        elif field.is_relation:
            value = value.pk if value is not None else None
        elif isinstance(value, str):
            value = normalise(value)
        values[name] = value
    return values


def can_approve(user):
    return user.has_perm(APPROVE_PERMISSION)


def is_clinical(obj, proposed_category=None):
    if isinstance(obj, (Topic, Condition, RedFlagList)):
        return True
    if isinstance(obj, FaqEntry):
        saved = FaqEntry.objects.filter(pk=obj.pk).values_list("category", flat=True).first() if obj.pk else None
        # Moving an answer into or out of a clinical category needs sign-off either way.
        return bool({saved, proposed_category, obj.category} & CLINICAL_FAQ_CATEGORIES)
    return False


def changed_fields(obj, values):
    """Fields whose proposed value differs from the live row's (not the form's opening values:
    the revert form opens on an old version, so it would show no change at all)."""
    live = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    if live is None:
        return set(values)
    changed = set()
    for name, value in values.items():
        field = obj._meta.get_field(name)
        current = value_of(live, field)
        if not field.many_to_many and not field.is_relation:
            value = field.to_python(value)
        if value != current:
            changed.add(name)
    return changed


def needs_signoff(user, obj, form):
    if can_approve(user) or not is_clinical(obj, form.cleaned_data.get("category")):
        return False
    return obj.pk is None or bool(changed_fields(obj, form_values(form)) - ORDER_FIELDS)


def latest_history_id(obj):
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first()


def pending_for(obj):
    """The edit of `obj` waiting for approval, if any (at most one: a newer one replaces it)."""
    if obj is None or obj.pk is None:
        return None
    return PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, status=PendingChange.Status.PENDING
    ).order_by("-pk").first()


@transaction.atomic
def propose(obj, values, author, is_new=False):
    """Keep `values` for `obj` until a clinical editor approves them. The live row is untouched."""
    previous = pending_for(obj)
    if previous is not None:
        # The author started from the waiting edit (the form showed it), so the new one
        # includes it; a page that was new is still new.
        is_new = is_new or previous.is_new
        PendingChange.objects.filter(pk=previous.pk).update(status=PendingChange.Status.REPLACED)
    return PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, title=str(obj)[:300],
        data=values, based_on=latest_history_id(obj), is_new=is_new, author=author,
    )


@transaction.atomic
def approve(change, reviewer):
    """Write the proposed values to the live row; its history says who approved and who wrote it."""
    change = PendingChange.objects.select_for_update().get(pk=change.pk, status=PendingChange.Status.PENDING)
    obj = change.live_object()
    if latest_history_id(obj) != change.based_on:
        raise StaleChange
    many = {}
    for name, value in change.data.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            many[field.name] = value
        elif field.is_relation:
            setattr(obj, field.attname, value)
        else:
            setattr(obj, field.name, field.to_python(value))
    obj.full_clean()  # e.g. a slug another page took since: refused with the field named
    author = change.author.get_username() if change.author else _("someone")
    obj._history_user = reviewer
    obj._change_reason = f"Approved by {reviewer.get_username()} (written by {author})"[:100]
    obj.save()
    for name, value in many.items():
        getattr(obj, name).set(value)
    if change.is_new and obj.published:
        revive_addresses(obj)  # a restored page's old addresses lead to it again
    change.status, change.reviewer, change.reviewed_at = PendingChange.Status.APPROVED, reviewer, timezone.now()
    change.save(update_fields=["status", "reviewer", "reviewed_at"])
    return obj


def send_back(change, reviewer, note):
    change.status, change.reviewer, change.reviewed_at = PendingChange.Status.SENT_BACK, reviewer, timezone.now()
    change.note = note
    change.save(update_fields=["status", "reviewer", "reviewed_at", "note"])
