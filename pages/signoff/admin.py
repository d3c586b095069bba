"""The admin side of clinical sign-off: edits that wait, and the clinical editors' queue."""
import datetime

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from serving.access import ReadOnlyAdminMixin

from ..models import PendingChange
from . import gate, notify, rules
from .links import EDIT_AGAIN, edit_again_url, preview_url


def previewable(change):
    """Whether a change can be seen as patients will see it: a page patients read, with a
    change still to come (waiting for a clinical editor, or kept for its time)."""
    return (change.status in (PendingChange.Status.PENDING, PendingChange.Status.SCHEDULED)
            and change.content_type.model_class()._meta.label in rules.SIGNED_OFF_MODELS)


SAVED_FOR_REVIEW = gettext_lazy("Saved. A clinical editor will check it before patients see it.")
SAVE_GOES_LIVE = gettext_lazy("Save: goes live now. Patients see your change at once.")
SAVE_WAITS = gettext_lazy("Save: waits for a clinical editor. Patients keep seeing the approved text until one "
                          "approves your change.")
SAVE_AT_TIME = gettext_lazy("Save: goes live at the time in “Goes live at”. Patients see the current text until then.")
SAVE_WAITS_AT_TIME = gettext_lazy("Save: waits for a clinical editor, then goes live at the time in “Goes live at” "
                                  "once approved.")
SAVE_WHEN = gettext_lazy("With a date and time in “Goes live at”, Save keeps your change and it goes live then.")
# A scheduled change still unwritten this long after its time means the cron job is not running.
OVERDUE = datetime.timedelta(minutes=30)
# The optional time field on a page's form, and its fieldset (after the page's own).
GO_LIVE_AT = "go_live_at"
SCHEDULE_FIELDSET = (gettext_lazy("Schedule"), {"fields": [GO_LIVE_AT], "description": gettext_lazy(
    "Leave empty to save as usual. With a date and time, nothing changes now: your change is kept and goes live "
    "then (a change that needs a clinical editor goes live then only once one has approved it). Scheduled "
    "changes are listed under Changes waiting for approval, and can be cancelled there.")})


def go_live_at_of(form):
    """The time in the form's "Goes live at" (typed, or the waiting change's own), if any."""
    if form is None or GO_LIVE_AT not in form.fields:
        return None
    if form.is_bound:
        return getattr(form, "cleaned_data", {}).get(GO_LIVE_AT)
    return form.initial.get(GO_LIVE_AT)


def moment(when):
    """A time in a sentence: the clinic's date and time, without the full stop that ends "8 a.m."
    (the sentence's own ends it: "from Jan. 1, 2027, 8 a.m.. Nothing" had two)."""
    return date_format(localtime(when), "DATETIME_FORMAT").removesuffix(".")


def save_line(decision, when=None):
    """The line above Save, from the gate's decision (and the form's time, if it has one)."""
    if when is None:
        return SAVE_GOES_LIVE if decision.live else SAVE_WAITS
    when = moment(when)
    if decision.live:
        return _("Save: goes live at %(when)s. Patients see the current text until then.") % {"when": when}
    return _("Save: waits for a clinical editor, then goes live at %(when)s once approved.") % {"when": when}


def scheduled_message(change):
    when = moment(change.go_live_at)
    if change.status == PendingChange.Status.PENDING:
        return _("Scheduled for %(when)s. A clinical editor must approve it first: patients keep seeing the "
                 "approved text until it is approved and its time has come.") % {"when": when}
    return _("Scheduled: patients see this change from %(when)s. Nothing has changed yet.") % {"when": when}


def sent_back_to_edit_again(request, obj):
    """The signed-in author's sent-back change of `obj` that "Edit again" asked for, if any."""
    pk = request.GET.get(EDIT_AGAIN, "")
    if obj is None or not pk.isdigit():
        return None
    return PendingChange.objects.filter(
        pk=pk, author=request.user, status=PendingChange.Status.SENT_BACK,
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
    ).first()


class ScheduleForm(forms.ModelForm):
    """Mixed into an admin form by ScheduleMixin: the optional time the change goes live."""

    go_live_at = forms.DateTimeField(
        label=gettext_lazy("Goes live at"), required=False,
        # The browser's own date and time box: no JavaScript, typed in the clinic's time zone.
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
        help_text=gettext_lazy("Optional: the date and time (the clinic's time zone) your change goes live."),
    )

    def clean_go_live_at(self):
        when = self.cleaned_data.get(GO_LIVE_AT)
        if when is not None and when <= timezone.now():
            raise ValidationError(_("Choose a time in the future, or leave it empty to save now."),
                                  code="go_live_past")
        return when


class ScheduledRowsFormSet(forms.BaseInlineFormSet):
    """The inline rows (locations, opening hours) of a form saved with a time: a changed row is
    scheduled with it, row by row; adding or removing a row cannot be, and is refused."""

    def clean(self):
        super().clean()
        if not self.data.get(GO_LIVE_AT):
            return
        for form in self.forms:
            added = form.instance.pk is None and form.has_changed()
            if added or (form.instance.pk is not None and self._should_delete_form(form)):
                raise ValidationError(_(
                    "Adding or removing %(rows)s cannot be scheduled: leave “Goes live at” empty to do it "
                    "now, or change an existing row instead.") % {"rows": self.model._meta.verbose_name_plural},
                    code="schedule_rows")


class ScheduleMixin:
    """For a ContentAdmin: "Goes live at" on the change form. With a time, nothing is written:
    the change (and each changed inline row) is kept by the gate (gate.schedule) until then."""

    schedule_form = ScheduleForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or getattr(request, "_restoring_version", False):
            return fieldsets  # a new row is saved now; a restore is a change of its own
        # An admin without fieldsets of its own lists every form field, the time too: it goes
        # in its own box only (one field, one id).
        fieldsets = [(name, {**options, "fields": [field for field in options["fields"] if field != GO_LIVE_AT]})
                     for name, options in fieldsets]
        return [*fieldsets, SCHEDULE_FIELDSET]

    def get_form(self, request, obj=None, **kwargs):
        # The time is the form's own field, not the model's: the model form leaves it out.
        fields = kwargs["fields"] if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:
            kwargs["fields"] = [name for name in fields if name != GO_LIVE_AT]
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (self.schedule_form, form), self.form_attributes(request, obj))

    def form_attributes(self, request, obj):
        return {}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # What Save will do, said above it, for this person and this page (the gate's decision);
        # nothing for someone who may only read the page (a therapist): they have no Save.
        if add or self.has_change_permission(request, obj):
            decision = gate.what_save_does(request.user, self.model, obj if change else None)
            form = getattr(context.get("adminform"), "form", None)
            when = go_live_at_of(form)
            context["save_does"] = save_line(decision, when)
            has_time = form is not None and GO_LIVE_AT in form.fields
            context["save_when"] = SAVE_WHEN if has_time else None
            # The line once a time is typed, before Save (pages/static/pages/admin/schedule.js
            # shows it in place of the other; without JavaScript the line under it says so). A
            # form that came back with a time has its own line already.
            if has_time and when is None:
                context["save_at_time"] = SAVE_AT_TIME if decision.live else SAVE_WAITS_AT_TIME
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if obj is not None:
                formset = type(formset.__name__, (formset, ScheduledRowsFormSet), {})
            yield formset, inline

    def schedule_change(self, request, obj, form):
        """Keep the form's change for its time; True if it had one (nothing is then written)."""
        when = form.cleaned_data.get(GO_LIVE_AT)
        if when is None:
            return False
        form.save_m2m = lambda: None
        obj._scheduled_changes = [gate.schedule(request.user, type(obj).objects.get(pk=obj.pk),
                                                rules.form_values(form), when)]
        return True

    def save_model(self, request, obj, form, change):
        if not (change and self.schedule_change(request, obj, form)):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        when = form.cleaned_data.get(GO_LIVE_AT) if change else None
        if when is None:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:  # existing rows only: ScheduledRowsFormSet refused the rest
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []  # none written
            for row in formset.forms:
                if row.instance.pk is not None and row.has_changed():
                    live = type(row.instance).objects.get(pk=row.instance.pk)
                    form.instance._scheduled_changes.append(
                        gate.schedule(request.user, live, rules.form_values(row), when))
        return None

    def log_change(self, request, obj, message):
        scheduled = [change for change in getattr(obj, "_scheduled_changes", []) if change is not None]
        if hasattr(obj, "_scheduled_changes"):
            fields = ", ".join(str(label) for change in scheduled for label, _diff in rules.changes_of(change)) or "–"
            message = _("Scheduled a change (%(fields)s); patients still see the current text.") % {"fields": fields}
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not hasattr(obj, "_scheduled_changes"):
            return super().response_change(request, obj)
        scheduled = [change for change in obj._scheduled_changes if change is not None]
        if not scheduled:
            self.message_user(request, _("Nothing was scheduled: the form differs in nothing from what patients "
                                         "see now."), messages.WARNING)
        for change in scheduled:
            self.message_user(request, scheduled_message(change), messages.SUCCESS)
        if "_continue" in request.POST:  # "Save and continue editing": back to the form
            return HttpResponseRedirect(request.path)
        return self.response_post_save_change(request, obj)


class SignoffForm(ScheduleForm):
    """Mixed into a page's admin form: knows the waiting edit it was opened on.

    Someone who cannot approve edits the waiting text, not the live one, so their earlier
    edit is never lost; if someone else's edit started waiting after they opened the form,
    their save is refused, as two saves of the live row are.
    """

    pending = forms.IntegerField(widget=forms.HiddenInput, required=False)
    editor = None  # set by SignoffMixin.get_form: the signed-in user
    show_waiting = True  # False on the restore page, which shows the old version's values
    edit_again = None  # the author's sent-back change, when they chose "Edit again"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            waiting = rules.pending_for(self.instance)
            author_view = self.show_waiting and not rules.can_approve(self.editor)
            if waiting:
                self.fields["pending"].initial = waiting.pk
                if author_view:
                    self.initial.update(waiting.data)
                    # Saving the waiting text again keeps its time, unless the author clears it.
                    self.initial[GO_LIVE_AT] = localtime(waiting.go_live_at) if waiting.go_live_at else None
                if author_view and waiting.is_new and "published" in self.fields:
                    # The page is a draft; the box keeps what the author asked for on approval.
                    self.fields["published"].label = _("Publish when approved")
                    self.fields["published"].help_text = _(
                        "Patients do not see this page until a clinical editor approves it.")
            elif author_view and self.edit_again is not None:
                self.initial.update(self.edit_again.data)

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk or rules.can_approve(self.editor):
            return cleaned_data
        waiting = rules.pending_for(self.instance)
        if waiting and waiting.pk != cleaned_data.get("pending"):
            self.data = self.data.copy()
            self.data[self.add_prefix("pending")] = waiting.pk
            who = notify.name_of(waiting.author) if waiting.author else _("Someone")
            raise ValidationError(
                _("%(who)s saved a change to this at %(when)s, after you opened it; it is waiting for a "
                  "clinical editor. Your changes have NOT been saved. Open the page again to see their text, "
                  "then make your change to it."),
                params={"who": who, "when": date_format(localtime(waiting.created), "DATETIME_FORMAT")},
                code="edit_conflict",
            )
        return cleaned_data


class SignoffMixin(ScheduleMixin):
    """For a PageAdmin: a clinical edit by someone who cannot approve it waits for approval;
    with a time, it is kept until then (and, if clinical, until approved)."""

    schedule_form = SignoffForm

    def form_attributes(self, request, obj):
        return {"editor": request.user, "show_waiting": not getattr(request, "_restoring_version", False),
                "edit_again": sent_back_to_edit_again(request, obj)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        waiting = rules.pending_for(obj) if change else None
        context["preview_url"] = preview_url(waiting) if waiting else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """Every save of the admin (the change form, list edits, history revert) goes through
        the publishing gate: live now, or waiting for a clinical editor."""
        if change and self.schedule_change(request, obj, form):
            return  # kept, not written: the live row and its relations stay as they are until then
        values = rules.form_values(form)
        decision = gate.decide(request.user, obj, values, is_new=not change)
        if decision.live:
            with gate.write(decision, obj, "admin"):
                super().save_model(request, obj, form, change)
            request._gate_decision = decision  # save_related writes its relations under it too
            return
        # Relations wait with the rest (simple-history's revert view saves them after this),
        # and whichever view saved says so in the same plain words (see message_user).
        form.save_m2m = lambda: None
        request._saved_for_review = True
        if change:
            # The live row is not written: patients keep seeing the approved text.
            obj._pending_change = rules.propose(type(obj).objects.get(pk=obj.pk), values, request.user)
            return
        # A new page is kept as a draft until it is approved; approval publishes it if asked.
        with gate.write_draft(obj, "admin draft"):
            super().save_model(request, obj, form, change)
        obj._pending_change = rules.propose(obj, values, request.user, is_new=True)

    def has_delete_permission(self, request, obj=None):
        # The gate decides who may take a page away from patients, whatever a group was given.
        return super().has_delete_permission(request, obj) and gate.may_remove(request.user, self.model)

    def delete_model(self, request, obj):
        gate.remove(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            gate.remove(request.user, obj)

    def log_change(self, request, obj, message):
        if hasattr(obj, "_scheduled_changes"):
            return super().log_change(request, obj, message)  # ScheduleMixin says what was kept
        waiting = getattr(obj, "_pending_change", None)
        if waiting:
            # "Recent actions" must not say the page changed: it has not, yet.
            fields = ", ".join(str(label) for label, _diff in rules.changes_of(waiting)) or "–"
            message = _("Proposed a change for clinical sign-off (%(fields)s); patients still see the approved "
                        "text.") % {"fields": fields}
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_saved_for_review", False):
            # e.g. simple-history's "reverted successfully", or Django's "changed successfully"
            # after a save that waits (whose buttons, "Save and continue editing" too, Django
            # answers as for any save): not true until it is approved.
            request._saved_for_review = False
            message, level = SAVED_FOR_REVIEW, messages.SUCCESS
        return super().message_user(request, message, level, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        if change and form.cleaned_data.get(GO_LIVE_AT) is not None:
            return super().save_related(request, form, formsets, change)  # ScheduleMixin keeps them
        if change and getattr(form.instance, "_pending_change", None):
            return  # related pages and references wait with the rest of the edit
        decision = getattr(request, "_gate_decision", None)
        if decision is None:  # a new page's draft: its relations are saved with it
            with gate.write_draft(form.instance, "admin draft"):
                return super().save_related(request, form, formsets, change)
        with gate.write(decision, form.instance, "admin"):
            super().save_related(request, form, formsets, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self.tell_about_waiting_edits(request, self.get_object(request, unquote(object_id)))
        return super().change_view(request, object_id, form_url, extra_context)

    def tell_about_waiting_edits(self, request, obj):
        if obj is None:
            return
        waiting = rules.pending_for(obj)
        if waiting and rules.can_approve(request.user):
            self.message_user(request, format_html(
                '{} <a href="{}">{}</a>', _("A change to this page is waiting for approval."),
                reverse("admin:pages_pendingchange_change", args=[waiting.pk]), _("Review it"),
            ), messages.WARNING)
        elif waiting and waiting.is_new:
            self.message_user(request, _(
                "This new page is a draft waiting for a clinical editor's approval: patients do not see it "
                "yet. You are editing the text that is waiting."), messages.INFO)
        elif waiting:
            self.message_user(request, _(
                "You are editing the text that is waiting for a clinical editor. Patients still see the "
                "approved text."), messages.INFO)
        else:
            returned = PendingChange.objects.filter(
                content_type__model=obj._meta.model_name, content_type__app_label=obj._meta.app_label,
                object_id=obj.pk, author=request.user,
            ).order_by("-pk").first()
            if returned and returned.status == PendingChange.Status.SENT_BACK:
                who = notify.name_of(returned.reviewer) if returned.reviewer else _("A clinical editor")
                self.message_user(request, format_html(
                    '{} <a href="{}">{}</a>', _("%(who)s sent your change back: %(note)s") % {
                        "who": who, "note": returned.note},
                    edit_again_url(returned), _("Edit again")), messages.WARNING)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the author (needed to send it back)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class KindFilter(admin.SimpleListFilter):
    """The kinds of content whose edits wait (not every model the database has)."""

    title = gettext_lazy("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        models = [apps.get_model(label) for label in sorted(rules.SIGNED_OFF_MODELS)]
        return [(model._meta.model_name, model._meta.verbose_name) for model in models]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookup_choices):
            return queryset.filter(content_type__app_label="pages", content_type__model=self.value())
        return queryset


class ScheduledFilter(admin.SimpleListFilter):
    """Changes kept for a time: still to go live (approved or not), or already live."""

    title = gettext_lazy("goes live at a set time")
    parameter_name = "scheduled"

    def lookups(self, request, model_admin):
        return [("upcoming", gettext_lazy("still to go live")), ("all", gettext_lazy("every scheduled change"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(go_live_at__isnull=False, status__in=CANCELLABLE)
        if self.value() == "all":
            return queryset.filter(go_live_at__isnull=False)
        return queryset


# What "Cancel" can still withdraw: a change kept for its time, approved or not.
CANCELLABLE = [PendingChange.Status.SCHEDULED, PendingChange.Status.PENDING]


def may_cancel(user, change):
    return (change.go_live_at is not None and change.status in CANCELLABLE
            and (change.author_id == user.pk or rules.can_approve(user)))


class ApprovalQueueAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The approval queue, and the changes scheduled for a time. Clinical editors see every
    edit; anyone else sees their own, and every scheduled change (the front desk's colleagues'
    new prices and hours included)."""

    list_display = ["title", "kind", "author", "created", "go_live", "status", "preview"]
    list_display_links = ["title"]
    list_filter = [ScheduledFilter, "status", KindFilter]
    search_fields = ["title"]
    ordering = ["-created"]

    @admin.display(description=gettext_lazy("kind"))
    def kind(self, change):
        return change.content_type.model_class()._meta.verbose_name

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, change):
        # The preview itself checks who may open it (the change form's kind permission).
        if not previewable(change):
            return "–"
        return format_html('<a href="{}">{}</a>', preview_url(change), _("See it as patients will"))

    @admin.display(description=gettext_lazy("goes live at"), ordering="go_live_at")
    def go_live(self, change):
        if change.go_live_at is None:
            return "–"
        when = date_format(localtime(change.go_live_at), "DATETIME_FORMAT")
        if change.status == PendingChange.Status.SCHEDULED and change.go_live_at <= timezone.now() - OVERDUE:
            # publish_scheduled should have written it by now: say so where staff look.
            return format_html('<strong class="reading-warning">{} ⚠ {}</strong>', when,
                               _("overdue: is publish_scheduled running?"))
        return when

    def get_list_display(self, request):
        """No preview column for someone who may change no page patients read (a therapist):
        every link in it would answer 403."""
        display = super().get_list_display(request)
        can_change = any(model._meta.label in rules.SIGNED_OFF_MODELS and model_admin.has_change_permission(request)
                         for model, model_admin in self.admin_site._registry.items())
        return display if can_change else [name for name in display if name != "preview"]

    def get_ordering(self, request):
        if request.GET.get(ScheduledFilter.parameter_name) == "upcoming":
            return ["go_live_at", "pk"]  # what goes live next, first
        return super().get_ordering(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("author", "content_type")
        if rules.can_approve(request.user):
            return queryset
        # Colleagues' scheduled changes, of the kinds this person may read in the admin (a
        # therapist, who may not open the clinic's details, does not read their change either).
        readable = [content_type.pk for content_type in ContentType.objects.filter(
            pk__in=queryset.filter(go_live_at__isnull=False).values("content_type")) if request.user.has_perm(
                f"{content_type.app_label}.{get_permission_codename('view', content_type.model_class()._meta)}")]
        return queryset.filter(Q(author=request.user) | Q(go_live_at__isnull=False, content_type__in=readable))

    def get_urls(self):
        return [
            path("<path:object_id>/preview/", self.admin_site.admin_view(require_safe(self.preview_view)),
                 name="pages_pendingchange_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """A waiting change shown as patients will see it, to staff who may change that kind of
        page (whoever wrote it: the change form shows them the waiting text too). Nothing is
        saved: the values are set on the row in memory, and only the gate writes."""
        change = get_object_or_404(PendingChange.objects.select_related("content_type"),
                                   pk=object_id if str(object_id).isdigit() else None)
        model = change.content_type.model_class()
        model_admin = self.admin_site._registry.get(model)
        # The kind first, whatever became of the change: a guessed id of a kind someone may not
        # change tells them nothing more than 403.
        if (model is None or model._meta.label not in rules.SIGNED_OFF_MODELS or model_admin is None
                or not model_admin.has_change_permission(request)):
            raise PermissionDenied
        if not previewable(change):
            raise Http404
        try:
            obj, many = rules.waiting_version(change)
        except model.DoesNotExist:
            raise Http404 from None
        if not model_admin.has_change_permission(request, obj):
            raise PermissionDenied
        back = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        if rules.can_approve(request.user):
            back = reverse("admin:pages_pendingchange_change", args=[change.pk])
        banner = {"new": change.is_new, "back_url": back}
        if change.status == PendingChange.Status.SCHEDULED:
            banner["scheduled_for"] = date_format(localtime(change.go_live_at), "DATETIME_FORMAT")
        response = self.render_preview(request, obj, many, banner)
        # Staff pages are never stored (serving's StaffPagesMiddleware says so too), nor indexed.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def render_preview(self, request, obj, many, banner):
        """The patient page of `obj` (values not saved), drawn by the guide's own views, under
        `banner`: the admin that registers the queue (pages.editing.admin) knows those views."""
        raise Http404

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """One waiting edit: who, what, when, the word diff, and approve or send back."""
        change = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        may_decide = rules.can_approve(request.user) and change.status == PendingChange.Status.PENDING
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and "_cancel" not in request.POST:
            if not may_decide:
                raise PermissionDenied
            if form.is_valid():
                if self.decide(request, change, form.cleaned_data["note"]):
                    queue = reverse("admin:pages_pendingchange_changelist")
                    return HttpResponseRedirect(f"{queue}?status__exact=pending")
        if request.method == "POST" and "_cancel" in request.POST:
            if not may_cancel(request.user, change):
                raise PermissionDenied
            if gate.cancel(change, request.user):
                self.message_user(request, _("Cancelled: nothing of this change will be published."),
                                  messages.SUCCESS)
            return HttpResponseRedirect(f"{reverse('admin:pages_pendingchange_changelist')}?scheduled=upcoming")
        obj = change.live_object()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": _("Review a change"), "change": change, "obj": obj,
            "obj_opts": obj._meta, "rows": rules.changes_of(change), "form": form, "may_decide": may_decide,
            "may_cancel": may_cancel(request.user, change),
            "live_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None,
            "preview_url": preview_url(change) if previewable(change) else None,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/pages/pendingchange/review.html", context)

    def decide(self, request, change, note):
        if "_send_back" in request.POST:
            if not note.strip():
                self.message_user(request, _("Write a note so the author knows what to change."), messages.ERROR)
                return False
            rules.send_back(change, request.user, note.strip())
            self.message_user(request, _("Sent back to the author with your note."), messages.SUCCESS)
            return True
        try:
            obj = gate.approve(change, request.user)
        except gate.SameEditor:
            self.message_user(request, _(
                "This page has the \"Call 911\" box: a second clinical editor must approve your own change."),
                messages.ERROR)
            return False
        except gate.StaleChange as stale:
            self.message_user(request, _(
                "The live page changed after this edit was written (%(fields)s), so approving it would undo that "
                "change. Send it back so the author can make the edit again on the current text.") % {
                "fields": ", ".join(stale.fields)}, messages.ERROR)
            return False
        except ValidationError as exc:
            self.message_user(request, _("This edit cannot be published: %(problems)s") % {
                "problems": "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
            }, messages.ERROR)
            return False
        change.refresh_from_db()
        if change.status == PendingChange.Status.SCHEDULED:
            self.message_user(request, _("Approved: patients see this change from %(when)s.") % {
                "when": moment(change.go_live_at)}, messages.SUCCESS)
            return True
        self.message_user(request, format_html(
            '{} <a href="{}">{}</a>', _("Approved: patients now see this change."), obj.get_absolute_url(),
            _("View on site")), messages.SUCCESS)
        return True
