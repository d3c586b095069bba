"""The admin for the content models, made safe for non-programmers: history and rollback on every
model, refused conflicting saves, redirects on renames, reading grade shown, review tracked.
(The models are registered in pages/admin.py, the index of every admin page.)"""
import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from markdownx.admin import MarkdownxModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .. import signoff
from ..addresses import redirects
from ..models import (
    Clinic,
    Condition,
    FaqEntry,
    Image,
    Location,
    Notice,
    NoticeTranslation,
    OpeningHours,
    Provider,
    ProviderTranslation,
    RedFlagList,
    Reference,
    Topic,
    VisitNote,
    add_months,
)
from ..pictures.images import clean_upload
from ..signoff import gate
from ..signoff.admin import SAVED_FOR_REVIEW, ApprovalQueueAdmin, ScheduleMixin, SignoffMixin
from ..signoff.links import preview_url
from ..signoff.notify import name_of
from ..text.readability import MAX_GRADE, reading_grade
from ..translations.admin import TranslationAdminMixin
from . import deleted, preview
from .forms import EditConflictForm
from .history import WordDiffHelper, changes_between, recent_changes
from .staff import reviewer_signature


class ContentAdmin(SimpleHistoryAdmin, MarkdownxModelAdmin):
    """History with revert (simple-history), markdownx preview, and conflict-checked saves."""

    form = EditConflictForm
    change_form_template = "admin/pages/change_form.html"
    object_history_template = "admin/pages/object_history.html"
    object_history_list_template = "admin/pages/object_history_list.html"
    object_history_form_template = "admin/pages/object_history_form.html"

    def get_fieldsets(self, request, obj=None):
        # The revision the form was opened on is a hidden input (change_form.html puts it at the
        # top of the form), not a row with a label for a control nobody sees.
        return [(name, {**options, "fields": [field for field in options["fields"] if field != "revision"]})
                for name, options in super().get_fieldsets(request, obj)]

    def get_historical_record_context_helper(self, request, historical_record):
        return WordDiffHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The restore page shows what restoring would change, as the history list does.
        request._restoring_version = True  # its form shows the old version, not a waiting edit
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            # Deleted: a deleted row comes back only through "Recently deleted", with its
            # relations and old addresses, not re-created bare from one history row.
            raise Http404
        # simple-history lets anyone who may view the history submit this form: saving it is a
        # change like any other, so it needs the change permission.
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = obj.history.filter(history_id=version_id).first()
        current = obj.history.order_by("-history_id").first()
        extra_context = {**(extra_context or {}),
                         "restore_changes": changes_between(self.model, current, version)}
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadingGradeMixin:
    """Shows the Flesch-Kincaid grade of the Markdown field named by `reading_field`."""

    reading_field = None

    @admin.display(description=_("reading grade"))
    def reading_grade(self, obj):
        grade = reading_grade(getattr(obj, self.reading_field))
        if grade is None:
            return "–"
        if grade > MAX_GRADE:
            return format_html('<strong class="reading-warning">{} ⚠ {}</strong>', grade, _("above grade 8"))
        return grade


class PageAdmin(TranslationAdminMixin, SignoffMixin, ReadingGradeMixin, ContentAdmin):
    """A patient-facing page: clinical sign-off, translations, draft preview on the site, and a say
    in where its address goes."""

    delete_confirmation_template = "admin/pages/delete_confirmation.html"
    change_list_template = "admin/pages/page_change_list.html"

    def get_urls(self):
        opts = self.opts
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view),
                 name=f"{opts.app_label}_{opts.model_name}_deleted"),
            *super().get_urls(),
        ]

    def may_restore(self, request):
        # The group's permission, not the gate's decision on deleting: a restore from someone
        # who may not delete a page patients read waits for a clinical editor instead.
        return request.user.has_perm(f"{self.opts.app_label}.{get_permission_codename('delete', self.opts)}")

    def deleted_view(self, request):
        """"Recently deleted": bring a row back with its relations and its old addresses.

        Only someone given the permission to delete a row may undo its deletion: restoring can
        undo a clinical editor's decision to take a page down. From someone who may not approve,
        the restored page waits unpublished for a clinical editor (the gate decides)."""
        if not (self.may_restore(request) and self.has_view_permission(request)):
            raise PermissionDenied
        records = deleted.recently_deleted(self.model)
        if request.method == "POST":
            record = next((r for r in records if str(r.history_id) == request.POST.get("history_id")), None)
            if record is not None:
                try:
                    obj = deleted.restore(self.model, record, request.user)
                except ValidationError as exc:
                    self.message_user(request, _("It could not be restored: %(problems)s") % {
                        "problems": " ".join(exc.messages)}, messages.ERROR)
                else:
                    restored = SAVED_FOR_REVIEW if signoff.pending_for(obj) else _("Restored.")
                    self.message_user(request, format_html(
                        '{} <a href="{}">{}</a>', restored,
                        reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]),
                        str(obj)), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "records": records,
                   "title": _("Recently deleted %(things)s") % {"things": self.opts.verbose_name_plural}}
        return TemplateResponse(request, "admin/pages/recently_deleted.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_restore": self.may_restore(request)}
        return super().changelist_view(request, extra_context)

    def view_on_site(self, obj):
        # The page on the address the editor is signed in on: a draft then shows them the
        # staff preview, and no Site record or SITE_URL can send them to example.com. A page
        # with a change waiting for a clinical editor: that change, as patients will see it.
        waiting = signoff.pending_for(obj)
        return preview_url(waiting) if waiting else obj.get_absolute_url()

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "reading_grade"]

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not obj.published:
            return super().delete_view(request, object_id, extra_context)
        old_url = obj.get_absolute_url()
        targets = redirect_targets(exclude=old_url)
        if request.method == "POST" and request.POST.get("post"):
            response = super().delete_view(request, object_id, extra_context)
            target = request.POST.get("redirect_to", "")
            # The delete signal has already made the old address answer 410 Gone.
            if response.status_code == 302 and target in dict(targets):
                redirects.record_move(old_url, target)
            return response
        extra_context = {**(extra_context or {}), "old_url": old_url, "redirect_targets": targets}
        return super().delete_view(request, object_id, extra_context)


def redirect_targets(exclude):
    pages = [(t.get_absolute_url(), t.title) for t in Topic.objects.published()]
    pages += [(f.get_absolute_url(), f.question) for f in FaqEntry.objects.published()]
    pages += [(c.get_absolute_url(), c.name) for c in Condition.objects.published()]
    return [(url, title) for url, title in pages if url != exclude]


class ReviewDueFilter(admin.SimpleListFilter):
    """Pages by next review date: overdue, or due within the next 30 days."""

    title = _("next review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("soon", _("due in the next 30 days"))]

    def queryset(self, request, queryset):
        # Due = last reviewed + REVIEW_INTERVAL_MONTHS, so compare last_reviewed with today minus it.
        today = datetime.date.today()
        months = settings.REVIEW_INTERVAL_MONTHS
        overdue_before = add_months(today, -months)
        if self.value() == "overdue":
            return queryset.filter(last_reviewed__lte=overdue_before)
        if self.value() == "soon":
            soon = add_months(today + datetime.timedelta(days=30), -months)
            return queryset.filter(last_reviewed__gt=overdue_before, last_reviewed__lte=soon)
        return queryset


class ClinicalReviewMixin:
    """Review date, next review due (with an overdue warning) and the "Mark reviewed" action,
    for every page patients read. Only a clinical editor (`review_permission`) may say a page
    has been clinically reviewed, and the review is signed with their name and title from their
    staff profile (pages/staff.py), never a free-text line someone forgot to change."""

    review_fields = ["last_reviewed", "next_review_due", "reviewed_by"]
    review_permission = "pages.review_topic"
    actions = ["mark_reviewed"]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "next_review_due"]
        if not self.has_review_permission(request):
            fields += ["last_reviewed_on", "reviewed_by"]
        return fields

    def get_fieldsets(self, request, obj=None):
        # Someone who may not review reads the date as "Not yet reviewed" until a clinician has.
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_review_permission(request):
            return fieldsets
        return [(name, {**options, "fields": [
            "last_reviewed_on" if field == "last_reviewed" else field for field in options["fields"]]})
            for name, options in fieldsets]

    @admin.display(description=_("last reviewed"), ordering="last_reviewed")
    def last_reviewed_on(self, obj):
        if obj is None or obj.last_reviewed is None:
            return "–"
        return obj.last_reviewed if obj.clinically_reviewed else _("Not yet reviewed")

    @admin.display(description=_("next review due"), ordering="last_reviewed")
    def next_review_due(self, obj):
        if obj is None or obj.last_reviewed is None:
            return "–"
        if not obj.clinically_reviewed:  # its review is due at once, but it is not "overdue"
            return format_html('<strong class="reading-warning">{}</strong>', _("Not yet reviewed"))
        due = obj.next_review_due
        if due <= datetime.date.today():
            return format_html('<strong class="reading-warning">{} ⚠ {}</strong>', due, _("overdue"))
        return due

    @admin.action(description=_("Mark selected pages as reviewed today"), permissions=["review"])
    def mark_reviewed(self, request, queryset):
        signature = reviewer_signature(request.user)
        if signature is None:
            self.message_user(request, _(
                "Nothing was marked reviewed: your staff profile has no reviewer title yet. Ask the site's "
                "administrator to set it under Users (e.g. Physical therapist, DPT)."), messages.ERROR)
            return
        today = datetime.date.today()
        for page in queryset:
            # Through the gate like every change; simple-history records who and when.
            gate.submit(request.user, page, {"last_reviewed": today, "reviewed_by": signature},
                        reason=f"Marked reviewed by {name_of(request.user)}")
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d page marked reviewed on %(day)s.", "%(count)d pages marked reviewed on %(day)s.", count)
            % {"count": count, "day": today},
            messages.SUCCESS,
        )

    def has_review_permission(self, request):
        return request.user.has_perm(self.review_permission)

    def save_model(self, request, obj, form, change):
        if change and not self.has_review_permission(request):
            # The revert form saves an old version whole, fields off the form included: someone
            # who may not review must not bring back an old review date or reviewer with it.
            live = type(obj).objects.filter(pk=obj.pk).first()
            stored = {field.name for field in obj._meta.concrete_fields} & set(self.review_fields)
            for name in stored if live is not None else ():
                setattr(obj, name, getattr(live, name))
        if obj.last_reviewed is None:  # added by someone who may not set review dates
            obj.mark_not_reviewed(datetime.date.today())
        super().save_model(request, obj, form, change)


class TopicAdmin(ClinicalReviewMixin, PageAdmin):
    reading_field = "body"
    # Fits a 1280 px screen beside the admin's menu and filters: the slug is on the form.
    list_display = ["title", "published", "reading_grade", "next_review_due", "menu_order"]
    list_editable = ["menu_order"]
    list_filter = [ReviewDueFilter, "published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["references"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "reading_grade", "revision"]}),
        (_("Publishing"), {"fields": ["published", "red_flags", "menu_order"]}),
        (_("Clinical review"), {"fields": [*ClinicalReviewMixin.review_fields, "references"]}),
    ]


class FaqEntryAdmin(ClinicalReviewMixin, PageAdmin):
    reading_field = "answer"
    # Fits a 1280 px screen beside the menu and the filters, next review date included
    # (tests/browser/test_admin_pages.py): the list is sorted by category and filters by it, and
    # the topic and last review are on the form. The language column is TranslationAdminMixin's.
    list_display = ["question", "published", "next_review_due", "reading_grade", "order"]
    list_editable = ["order"]
    list_filter = ["category", "published", "topic", ReviewDueFilter]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}
    fields = ["question", "slug", "answer", "reading_grade", "category", "order", "topic", "published", "red_flags",
              *ClinicalReviewMixin.review_fields, "revision"]


class ConditionAdmin(ClinicalReviewMixin, PageAdmin):
    reading_field = "text"
    # Fits 1280 px with the language column, as the FAQ list does (the last review is on the form).
    list_display = ["name", "body_region", "published", "next_review_due", "reading_grade"]
    list_filter = ["body_region", "published", ReviewDueFilter]
    search_fields = ["name", "summary", "text"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics"]
    fields = ["name", "slug", "body_region", "summary", "text", "reading_grade", "topics", "published", "red_flags",
              *ClinicalReviewMixin.review_fields, "revision"]


class RedFlagListAdmin(ClinicalReviewMixin, TranslationAdminMixin, SignoffMixin, ContentAdmin):
    """The one red-flag list, a row per language: clinical, so an edit waits for sign-off as a
    topic page's does (pages.signoff.rules)."""

    view_on_site = False  # patients read it in the "Call 911" box, not at an address of its own
    # The language column comes from TranslationAdminMixin.
    list_display = ["emergency_heading", "published", "last_reviewed", "next_review_due"]
    list_filter = ["published", ReviewDueFilter]
    filter_horizontal = ["references"]
    readonly_fields = ["slug"]
    fieldsets = [
        (_("Call 911"), {"fields": ["emergency_heading", "emergency_signs", "emergency_action", "when_signs_start"]}),
        (_("Call the clinic"), {"fields": ["clinic_heading", "clinic_signs", "clinic_closed",
                                           "emergency_department"]}),
        (_("Publishing"), {"fields": ["slug", "published", "note", "revision"]}),
        (_("Clinical review"), {"fields": [*ClinicalReviewMixin.review_fields, "references"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # the "Call 911" box needs its list: change it, never delete it


class VisitNoteAdmin(ClinicalReviewMixin, TranslationAdminMixin, SignoffMixin, ReadingGradeMixin, ContentAdmin):
    """The visit sheet's note for each area treated (and for electric current), a row per
    language: clinical, so an edit waits for sign-off as the red-flag list's does
    (pages.signoff.rules)."""

    view_on_site = False  # patients read it on a visit sheet, not at an address of its own
    reading_field = "text"
    # The language column comes from TranslationAdminMixin.
    list_display = ["title", "area", "published", "reading_grade", "next_review_due"]
    list_filter = ["area", "published", ReviewDueFilter]
    search_fields = ["title", "text"]
    filter_horizontal = ["references"]
    readonly_fields = ["reading_grade"]
    fieldsets = [
        (None, {"fields": ["area", "title", "text", "reading_grade", "revision"]}),
        (_("Publishing"), {"fields": ["slug", "published"]}),
        (_("Clinical review"), {"fields": [*ClinicalReviewMixin.review_fields, "references"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # What a note is for, and its file's name, are set when it is added.
        fixed = ["area", "slug"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def has_delete_permission(self, request, obj=None):
        return False  # a sheet needs its notes: change or unpublish one, never delete it


class ReferenceAdmin(ContentAdmin):
    list_display = ["key", "authors", "year", "title", "publisher"]
    list_filter = ["year"]
    search_fields = ["key", "authors", "title", "publisher", "doi"]
    prepopulated_fields = {"key": ["authors", "year"]}


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class ClinicAdmin(ScheduleMixin, ContentAdmin):
    """The clinic's details; with "Goes live at", a change to them (and to its locations' rows)
    is kept until then (pages.signoff.admin.ScheduleMixin)."""

    list_display = ["name", "phone", "email", "example_data"]
    inlines = [LocationInline]

    def has_add_permission(self, request):
        # The site shows one clinic; a second row would never appear anywhere.
        return super().has_add_permission(request) and not Clinic.objects.exists()


class LocationAdmin(ScheduleMixin, ContentAdmin):
    """A location; with "Goes live at", a change to it and to its opening hours (new hours from
    January) is kept until then (pages.signoff.admin.ScheduleMixin)."""

    list_display = ["name", "street_address", "city", "phone", "order"]
    list_editable = ["order"]
    search_fields = ["name", "street_address", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]


class NoticeTranslationInline(admin.TabularInline):
    """The notice's words in Spanish (its times stay above, the same for every language)."""

    model = NoticeTranslation
    extra = 1
    max_num = len(settings.LANGUAGES) - 1


class NoticeAdmin(ContentAdmin):
    """The clinic's notices ("Closed December 24 to 26"): front-desk text, not clinical, so
    saved at once (no sign-off); plain text, one line, naming no warning sign. Patient pages
    show it between its times: from its start (at once if that has come) until its end, as
    `publish_scheduled` starts and ends notices every few minutes."""

    list_display = ["text", "shows_from", "shows_until", "showing"]
    list_filter = ["showing"]
    search_fields = ["text", "translations__text"]
    fields = ["text", "shows_from", "shows_until", "showing", "revision"]
    readonly_fields = ["showing"]
    inlines = [NoticeTranslationInline]
    # One date-and-time box a time, with its own label (the admin's split date and time boxes
    # leave the date box without an accessible name); the browser's own picker, no JavaScript.
    formfield_overrides = {models.DateTimeField: {"form_class": forms.DateTimeField, "widget": forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}}


class ProviderTranslationInline(admin.StackedInline):
    """The provider's role, training and introduction in Spanish (the facts stay above)."""

    model = ProviderTranslation
    extra = 0
    max_num = len(settings.LANGUAGES) - 1


class ProviderAdmin(ContentAdmin):
    list_display = ["name", "credentials", "role", "order", "published"]
    list_editable = ["order"]
    list_filter = ["published", "locations"]
    search_fields = ["name", "credentials", "role", "training"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["locations"]
    inlines = [ProviderTranslationInline]


class ImageForm(EditConflictForm):
    # A plain file field, so pages.pictures.images gives its own clear messages (size, pixels, format).
    file = forms.FileField(label=_("file"), help_text=_("A JPEG, PNG or WebP picture, at most 5 MB."))

    class Meta:
        model = Image
        fields = ["title", "file", "alt_text", "caption"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if hasattr(uploaded, "content_type"):  # a new upload, not the file already stored
            return clean_upload(uploaded)
        return uploaded


class StorageUnavailable(Exception):
    pass


class ImageAdmin(ContentAdmin):
    form = ImageForm

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except OSError as exc:
            # Full disk or read-only media folder: remove any partial file; the admin's
            # transaction rolls the row back, so nothing is half-written.
            if obj.file.name and obj.file.storage.exists(obj.file.name):
                obj.file.storage.delete(obj.file.name)
            raise StorageUnavailable from exc

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StorageUnavailable:
            self.message_user(
                request,
                _("The picture could not be stored (the server's storage is full or read-only). "
                  "Nothing was saved. Please tell the site's administrator."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
    list_display = ["title", "preview", "alt_text", "width", "height", "uploaded_at"]
    search_fields = ["title", "alt_text", "caption"]
    readonly_fields = ["preview", "markdown_to_paste", "width", "height"]
    fields = ["title", "file", "preview", "alt_text", "caption", "markdown_to_paste", "width", "height", "revision"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj or not obj.file:
            return "–"
        return format_html('<img src="{}" alt="" style="max-width:160px;height:auto">', obj.file.url)

    @admin.display(description=_("paste into a page"))
    def markdown_to_paste(self, obj):
        return obj.markdown() if obj and obj.file else "–"


class PendingChangeAdmin(ApprovalQueueAdmin):
    """The approval queue (pages.signoff.admin), with "Recent changes" beside it: who changed
    what, across all content, for clinical editors."""

    def get_urls(self):
        return [
            path("recent/", self.admin_site.admin_view(self.recent_changes_view), name="pages_recent_changes"),
            *super().get_urls(),
        ]

    def render_preview(self, request, obj, many, banner):
        return preview.render(request, obj, many, banner)

    def recent_changes_view(self, request):
        if not signoff.can_approve(request.user):
            raise PermissionDenied
        models = [Topic, FaqEntry, Condition, RedFlagList, VisitNote, Reference, Clinic, Location, OpeningHours,
                  Provider, Image, Notice]
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": _("Recent changes"),
                   "rows": recent_changes(models)}
        return TemplateResponse(request, "admin/pages/recent_changes.html", context)
