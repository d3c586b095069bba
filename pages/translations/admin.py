"""The admin's side of translations: which language a row is in, what changed in the
English since a translation was made, and "mark translation updated"."""
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Condition, FaqEntry, RedFlagList, Topic, VisitNote
from ..signoff import gate, rules
from ..signoff.admin import SAVED_FOR_REVIEW
from . import status as translation

# Making a Spanish draft adds a row: people who may add pages may, and so may translators
# (who may not add pages otherwise) through this permission (migration 0017).
TRANSLATE_PERMISSION = "pages.translate_topic"


class TranslationAdminMixin:
    """For Topic, FaqEntry and Condition admins: each row's language, in a column after the
    title and as a filter, the English changes a translation has not caught up with, and the
    actions that make a Spanish draft and say a translation has caught up."""

    def get_list_display(self, request):
        first, *rest = super().get_list_display(request)
        return [first, "language", *rest]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "language"]

    def may_make_drafts(self, request):
        return self.has_add_permission(request) or request.user.has_perm(TRANSLATE_PERMISSION)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            action = type(self).mark_translation_updated
            actions["mark_translation_updated"] = (action, "mark_translation_updated", action.short_description)
        if self.may_make_drafts(request):
            action = type(self).make_spanish_drafts
            actions["make_spanish_drafts"] = (action, "make_spanish_drafts", action.short_description)
        return actions

    def make_spanish_drafts(self, request, queryset):
        if not self.may_make_drafts(request):
            raise PermissionDenied
        made = []
        for row in queryset.filter(language=translation.SOURCE_LANGUAGE):
            draft = translation.draft_of(row, "es")
            if draft is not None:
                draft, relations = draft
                values = {f.name: rules.value_of(draft, f) for f in draft._meta.concrete_fields
                          if not f.primary_key}
                try:
                    gate.submit(request.user, draft, {**values, **relations}, is_new=True,
                                reason="Spanish draft made from the English")
                except ValidationError as exc:
                    self.message_user(request, _("No Spanish draft of %(page)s: %(problems)s") % {
                        "page": row, "problems": " ".join(exc.messages)}, messages.ERROR)
                    continue
                made.append(draft)
        self.message_user(request, ngettext(
            "%(count)d Spanish draft made: translate its text and slug, then publish it.",
            "%(count)d Spanish drafts made: translate their text and slugs, then publish them.",
            len(made)) % {"count": len(made)}, messages.SUCCESS)
    make_spanish_drafts.short_description = _("Make a Spanish draft of the selected pages (not yet translated)")

    def mark_translation_updated(self, request, queryset):
        results = [self.mark_updated(request, row) for row in queryset]
        count = sum(result is not None for result in results)
        if any(result == "waits" for result in results):
            self.message_user(request, SAVED_FOR_REVIEW, messages.SUCCESS)
        self.message_user(request, ngettext(
            "%(count)d translation marked up to date with the English.",
            "%(count)d translations marked up to date with the English.", count) % {"count": count},
            messages.SUCCESS)
    mark_translation_updated.short_description = _("Mark selected translations as up to date with the English")

    def mark_updated(self, request, row):
        """Mark `row` up to date with the English, through the publishing gate: with its waiting
        edit when it has one (the mark travels with the text it was made for). None when `row` is
        not a translation; "live" or "waits"."""
        values = translation.marked_updated(row)
        if values is None:
            return None
        waiting = gate.submit(request.user, row, values, partial=True, reason="translation marked up to date")
        return "waits" if waiting is not None else "live"

    @staticmethod
    def marked_updated_waits(row):
        """Whether the row's waiting edit already marks it up to date with the English as it is
        now (the translator has done their part: it is not theirs to update again)."""
        waiting = rules.pending_for(row)
        marked = translation.marked_updated(row)
        return bool(waiting and marked and waiting.data.get("source_revision") == marked["source_revision"])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        stale = translation.staleness(row) if row is not None else None
        if stale and not self.marked_updated_waits(row):
            opts = self.model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_english_changes", args=[row.pk])
            self.message_user(request, format_html(
                _('The English changed on {date}, after this translation was made. <a href="{url}">See what '
                  'changed</a>, update this text, then mark the translation updated.'),
                date=date_format(localtime(stale.changed_on), "DATE_FORMAT"), url=url), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self, *args, **kwargs):
        opts = self.model._meta
        return [
            path("<path:object_id>/english-changes/", self.admin_site.admin_view(self.english_changes_view),
                 name=f"{opts.app_label}_{opts.model_name}_english_changes"),
            *super().get_urls(*args, **kwargs),
        ]

    def english_changes_view(self, request, object_id):
        """What changed in the English since this translation was made, word by word, and
        a button to mark the translation updated once the translator has done so."""
        row = self.get_object(request, unquote(object_id))
        if row is None:
            raise Http404
        if not self.has_view_or_change_permission(request, row):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request, row):
                raise PermissionDenied
            result = self.mark_updated(request, row)
            done = SAVED_FOR_REVIEW if result == "waits" else _("Marked up to date with the English.")
            self.message_user(request, done, messages.SUCCESS)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
        stale = translation.staleness(row)
        return TemplateResponse(request, "admin/pages/english_changes.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": row,
            "title": _("What changed in the English"),
            "stale": stale,
            "changes": stale.diff() if stale else [],
            "can_mark": self.has_change_permission(request, row),
        })


def translations_to_update():
    """Every translation whose English changed since it was made, for the admin home."""
    return [stale for model in (Topic, FaqEntry, Condition, RedFlagList, VisitNote)
            for stale in translation.out_of_date(model)]
