"""Admin forms that never let one person's save silently overwrite another's."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ..signoff.notify import name_of
from ..text.diffs import normalise, word_diff_html


def latest_revision(instance):
    """The newest history record of a row: the version an editor's form was opened on."""
    return instance.history.order_by("-history_id").first()


class EditConflictForm(forms.ModelForm):
    """Refuses a save when someone else saved the same row after this form was opened.

    The form carries the history id it was opened on. If the row has a newer revision when it
    is saved, nothing is written: the editor keeps their own text in the form, sees what the
    other person changed, merges, and saves again (the form then carries the newer id).
    """

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.is_bound and hasattr(self.data, "lists"):
            # Browsers post text areas with CRLF line ends; stored text uses LF. Normalised
            # before anything compares or saves, so a save records only what someone changed.
            data = self.data.copy()
            for key, values in self.data.lists():
                data.setlist(key, [normalise(v) if isinstance(v, str) else v for v in values])
            self.data = data
        if self.instance.pk and not self.is_bound:
            current = latest_revision(self.instance)
            self.fields["revision"].initial = current.history_id if current else None

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        current = latest_revision(self.instance)
        based_on = cleaned_data.get("revision")
        if current is None or based_on == current.history_id:
            return cleaned_data
        opened = self.instance.history.filter(history_id=based_on).first() if based_on else None
        self.conflict = {"current": current, "opened": opened}
        # The next save is based on what is in the database now, once the editor has merged.
        self.data = self.data.copy()
        self.data[self.add_prefix("revision")] = current.history_id
        user = current.history_user
        who = name_of(user) if user else _("Someone")
        raise ValidationError(
            _(
                "%(who)s saved this at %(when)s, after you opened it. Your changes have NOT been saved, "
                "so nothing of theirs was overwritten, and your text is still in the form below. "
                "Their changes are shown above the form: copy what you need into your text, then save again."
            ),
            params={"who": who, "when": date_format(localtime(current.history_date), "DATETIME_FORMAT")},
            code="edit_conflict",
        )

    def conflict_html(self):
        """What the other person changed since this form was opened, field by field, word by word.

        Each field's box wraps (it fits a phone), and a button puts their text into the form,
        keeping the editor's own text beside it with a button to put it back
        (pages/static/pages/admin/conflict.js; without JavaScript the text can be copied).
        """
        if not self.conflict:
            return ""
        current, opened = self.conflict["current"], self.conflict["opened"]
        changes = current.diff_against(opened).changes if opened else []
        if not changes:
            return ""
        rows = []
        for change in changes:
            label = capfirst(self.instance._meta.get_field(change.field).verbose_name)
            bound = self[change.field] if change.field in self.fields else None
            theirs = "" if change.new is None else str(change.new)
            # Their text into the field; the editor's own then shows below it to copy from, with
            # a button that puts it back (never lost: conflict.js fills the box when clicked).
            button = format_html(
                '<button type="button" class="button take-theirs" data-target="{}" data-text="{}">{}</button>'
                '<div class="your-text" hidden><h4><label for="{}-yours">{}</label></h4>'
                '<textarea id="{}-yours" readonly rows="6"></textarea>'
                '<button type="button" class="button put-mine-back" data-target="{}">{}</button></div>',
                bound.auto_id, theirs, _("Take their text into the form"),
                bound.auto_id, _("Your text (copy what you need)"), bound.auto_id,
                bound.auto_id, _("Put my text back"),
            ) if bound is not None and isinstance(change.new, str) else ""
            rows.append((label, word_diff_html(change.old, change.new), button))
        return format_html(
            '<div class="edit-conflict"><h2>{}</h2><p>{}</p>{}</div>',
            _("What the other person changed"),
            _("Struck through in red: the text when you opened it. Underlined in green: what they saved."),
            format_html_join("", '<h3>{}</h3><div class="word-diff">{}</div>{}', rows),
        )
