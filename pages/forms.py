"""Admin forms that never let one person's save silently overwrite another's."""
import difflib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .diffs import normalise


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
        who = (user.get_full_name() or user.get_username()) if user else _("Someone")
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
        """What the other person changed since this form was opened, field by field."""
        if not self.conflict:
            return ""
        current, opened = self.conflict["current"], self.conflict["opened"]
        changes = current.diff_against(opened).changes if opened else []
        if not changes:
            return ""
        differ = difflib.HtmlDiff(wrapcolumn=60)
        rows = []
        for change in changes:
            label = self.instance._meta.get_field(change.field).verbose_name
            table = differ.make_table(
                str(change.old or "").splitlines(), str(change.new or "").splitlines(),
                _("When you opened it"), _("Saved by the other person"), context=True, numlines=2,
            )
            rows.append((label, table))
        return format_html(
            '<div class="edit-conflict"><h2>{}</h2>{}</div>',
            _("What the other person changed"),
            # difflib.HtmlDiff escapes the text it puts in its table.
            format_html_join("", "<h3>{}</h3>{}", ((label, mark_safe(table)) for label, table in rows)),
        )
