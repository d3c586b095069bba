"""Clinical sign-off: the waiting edits and what approving them does.

Whether a change waits is decided in one place, pages.signoff.gate. Here: a waiting edit
(PendingChange) keeps only the fields the author changed, with the live values they started
from; a clinical editor (permission `pages.approve_pendingchange`) approves it, which writes
those fields, and only those, on top of the live row (the history records who approved it),
or sends it back with a note. A field that changed on the live row after the author started
from it is never overwritten: approving is refused, naming the field.
"""
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ..models import PendingChange
from ..text.diffs import normalise, word_diff_html
from . import notify

APPROVE_PERMISSION = "pages.approve_pendingchange"
# FAQ categories whose answers need sign-off (every one but cost and booking).
CLINICAL_FAQ_CATEGORIES = frozenset({"about", "suitability", "session", "safety", "aftercare"})
# The models whose edits can wait for sign-off.
SIGNED_OFF_MODELS = frozenset({"pages.Topic", "pages.FaqEntry", "pages.Condition", "pages.RedFlagList",
                               "pages.VisitNote"})
# Fields whose change alone publishes at once: where an entry sits in a list.
ORDER_FIELDS = frozenset({"order", "menu_order"})
# Form fields that are bookkeeping, not content.
FORM_ONLY_FIELDS = frozenset({"revision", "pending"})


class StaleChange(Exception):
    """The live row changed, after the proposed edit was written, in a field the edit changes too."""

    def __init__(self, fields=()):
        super().__init__(", ".join(fields))
        self.fields = list(fields)


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
        if row is not None and hasattr(row, "history_date"):
            # A revision (a translation's English source): its page and local time, not the raw
            # UTC stamp; its number tells apart two revisions saved in the same minute.
            return str(_("%(page)s, revision %(number)s of %(when)s") % {
                "page": row.instance, "number": row.pk,
                "when": date_format(localtime(row.history_date), "DATETIME_FORMAT")})
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
        # The change list's forms (list_editable) carry the row's id: which row, not content.
        if name not in names or name in FORM_ONLY_FIELDS or name == model._meta.pk.name:
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
    return bool(user and user.has_perm(APPROVE_PERMISSION))


def as_json(value):
    """A value as PendingChange keeps it (dates as text, decimals as text...), to compare."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def live_values(obj, names):
    """{field: live value} of the saved row, as PendingChange keeps values; None when the row
    is not saved (a new page, or one being restored)."""
    live = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    if live is None:
        return None
    return {name: as_json(value_of(live, obj._meta.get_field(name))) for name in names}


def changed_fields(obj, values):
    """Fields whose proposed value differs from the live row's (not the form's opening values:
    the revert form opens on an old version, so it would show no change at all)."""
    live = live_values(obj, values)  # one query: the row, or None when there is none yet
    if live is None:
        return set(values)
    changed = set()
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if not field.many_to_many and not field.is_relation:
            value = field.to_python(value)
        if as_json(value) != live[name]:
            changed.add(name)
    return changed


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
def propose(obj, values, author, is_new=False, partial=False):
    """Keep the changed fields of `values` for `obj` until a clinical editor approves them; the
    live row is untouched. Called by pages.signoff.gate only.

    `values` is what the author's form now says (the waiting text where there was one), so a
    field they set back to the live value leaves the edit. `partial` values (e.g. "mark
    translation updated") are added to the waiting edit instead. The live value each field had
    when the author first changed it is kept (`base`), however often they save again, so that
    approving can never undo a change made to the live row since.
    """
    previous = pending_for(obj)
    base = dict(previous.base) if previous is not None else {}
    if is_new or (previous is not None and previous.is_new):
        data = {**(previous.data if previous is not None and partial else {}), **values}
        base = {}
    else:
        changed = {name: values[name] for name in changed_fields(obj, values)}
        data = {**(previous.data if previous is not None and partial else {}), **changed}
        live = live_values(obj, data)
        base = {name: base.get(name, live[name]) for name in data}
    if previous is not None:
        is_new = is_new or previous.is_new
        PendingChange.objects.filter(pk=previous.pk).update(status=PendingChange.Status.REPLACED)
    if not data:
        return None  # nothing differs from the live page any more: nothing waits
    return PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, title=change_title(obj),
        data=as_json(data), base=base, based_on=latest_history_id(obj), is_new=is_new, author=author,
    )


def change_title(obj):
    """How the queue names a change to `obj`: its title, and the page's language when it is not
    the site's own ("(Español)"), so a new Spanish draft still titled in English is not taken
    for a change to the English page."""
    language = getattr(obj, "language", settings.LANGUAGE_CODE)
    title = str(obj)
    if language != settings.LANGUAGE_CODE:
        title = f"{title} ({capfirst(get_language_info(language)['name_local'])})"
    return title[:300]


def conflicting_fields(change, obj):
    """Fields the edit changes that also changed on the live row after the author started."""
    if change.is_new:
        return []
    if not change.base:  # an edit kept before per-field bases: the whole row must be unchanged
        return list(change.data) if latest_history_id(obj) != change.based_on else []
    live = live_values(obj, change.base)
    return [name for name, started in change.base.items() if live[name] != started]


def apply_values(obj, data):
    """Set the proposed values on `obj`; returns {m2m field: pks} to set after saving."""
    many = {}
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            many[field.name] = value
        elif field.is_relation:
            setattr(obj, field.attname, value)
        else:
            setattr(obj, field.name, field.to_python(value))
    return many


def waiting_version(change):
    """The live row with a waiting edit's values set on it, in memory, for a preview: never
    saved (the models refuse a save outside the gate, pages.signoff.gate). Returns the row and
    {m2m field: pks} the edit proposes for its many-to-many fields."""
    obj = change.live_object()
    return obj, apply_values(obj, change.data)


def mark_decided(change, status, reviewer, note=None):
    """Approved or sent back: the one place a waiting change is decided, so the one place its
    author is told (by email, once the transaction commits)."""
    change.status, change.reviewer, change.reviewed_at = status, reviewer, timezone.now()
    fields = ["status", "reviewer", "reviewed_at"]
    if note is not None:
        change.note = note
        fields.append("note")
    change.save(update_fields=fields)
    notify.decided(change)


def send_back(change, reviewer, note):
    mark_decided(change, PendingChange.Status.SENT_BACK, reviewer, note)
