"""History people can read: whole fields, word by word, under their own names."""
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from simple_history.template_utils import HistoricalRecordContextHelper

from ..text.diffs import word_diff_html


def field_text(model, field_name, value):
    """A historical value as staff read it: titles for related rows, labels for choices."""
    field = model._meta.get_field(field_name)
    if field.many_to_many:
        # simple-history gives each relation row as a dict; the other end is the related row.
        names = [str(v) for row in value or [] for k, v in row.items() if k != model._meta.model_name]
        return "\n".join(names) if names else ""
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def delta_context(model, delta):
    """[{"field": verbose name, "diff": word diff}] for every field the delta changes."""
    return [
        {"field": capfirst(model._meta.get_field(change.field).verbose_name),
         "diff": word_diff_html(field_text(model, change.field, change.old),
                                field_text(model, change.field, change.new))}
        for change in delta.changes
    ]


def changes_between(model, older, newer):
    if older is None or newer is None:
        return []
    return delta_context(model, newer.diff_against(older, foreign_keys_are_objs=True))


class WordDiffHelper(HistoricalRecordContextHelper):
    """simple-history's helper, but the whole field as one word-level diff (no "[211 chars]")."""

    def context_for_delta_changes(self, delta):
        return delta_context(self.model, delta)


def history_url(model, record):
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[record.id])
    except NoReverseMatch:  # edited inline on another page (opening hours): no history page
        return None


def recent_changes(models, limit=100):
    """The newest revisions across `models`, newest first, each with the fields it changed."""
    records = []
    for model in models:
        records += list(model.history.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda record: record.history_date, reverse=True)
    rows = []
    for record in records[:limit]:
        model = record.instance_type
        fields = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                fields = [capfirst(model._meta.get_field(change.field).verbose_name)
                          for change in record.diff_against(previous).changes]
        rows.append({"record": record, "opts": model._meta, "fields": fields,
                     "history_url": history_url(model, record) if record.history_type != "-" else None})
    return rows
