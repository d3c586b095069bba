"""The admin side of clinical sign-off: edits that wait, and the clinical editors' queue."""
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import PendingChange
from . import gate, rules

SAVED_FOR_REVIEW = gettext_lazy("Saved. A clinical editor will check it before patients see it.")
SAVE_GOES_LIVE = gettext_lazy("Save: goes live now. Patients see your change at once.")
SAVE_WAITS = gettext_lazy("Save: waits for a clinical editor. Patients keep seeing the approved text until one "
                          "approves your change.")
# The query parameter of "Edit again": the form opens on the author's sent-back text.
EDIT_AGAIN = "edit_again"


def edit_again_url(change):
    """The page's form, opened on the text of `change`, which a clinical editor sent back."""
    opts = change.content_type
    url = reverse(f"admin:{opts.app_label}_{opts.model}_change", args=[change.object_id])
    return f"{url}?{EDIT_AGAIN}={change.pk}"


def sent_back_to_edit_again(request, obj):
    """The signed-in author's sent-back change of `obj` that "Edit again" asked for, if any."""
    pk = request.GET.get(EDIT_AGAIN, "")
    if obj is None or not pk.isdigit():
        return None
    return PendingChange.objects.filter(
        pk=pk, author=request.user, status=PendingChange.Status.SENT_BACK,
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
    ).first()


class SignoffForm(forms.ModelForm):
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
            who = waiting.author.get_full_name() or waiting.author.get_username() if waiting.author else _("Someone")
            raise ValidationError(
                _("%(who)s saved a change to this at %(when)s, after you opened it; it is waiting for a "
                  "clinical editor. Your changes have NOT been saved. Open the page again to see their text, "
                  "then make your change to it."),
                params={"who": who, "when": date_format(localtime(waiting.created), "DATETIME_FORMAT")},
                code="edit_conflict",
            )
        return cleaned_data


class SignoffMixin:
    """For a PageAdmin: a clinical edit by someone who cannot approve it waits for approval."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        reverting = getattr(request, "_restoring_version", False)
        return type(form.__name__, (SignoffForm, form), {
            "editor": request.user, "show_waiting": not reverting,
            "edit_again": sent_back_to_edit_again(request, obj),
        })

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # What Save will do, said above it, for this person and this page (the gate's decision);
        # nothing for someone who may only read the page (a therapist): they have no Save.
        if add or self.has_change_permission(request, obj):
            decision = gate.what_save_does(request.user, self.model, obj if change else None)
            context["save_does"] = SAVE_GOES_LIVE if decision.live else SAVE_WAITS
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """Every save of the admin (the change form, list edits, history revert) goes through
        the publishing gate: live now, or waiting for a clinical editor."""
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

    def log_change(self, request, obj, message):
        waiting = getattr(obj, "_pending_change", None)
        if waiting:
            # "Recent actions" must not say the page changed: it has not, yet.
            fields = ", ".join(str(label) for label, _diff in rules.changes_of(waiting)) or "–"
            message = _("Proposed a change for clinical sign-off (%(fields)s); patients still see the approved "
                        "text.") % {"fields": fields}
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_saved_for_review", False):
            # e.g. simple-history's "reverted successfully": not true until it is approved.
            request._saved_for_review = False
            message, level = SAVED_FOR_REVIEW, messages.SUCCESS
        return super().message_user(request, message, level, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        if change and getattr(form.instance, "_pending_change", None):
            return  # related pages and references wait with the rest of the edit
        decision = getattr(request, "_gate_decision", None)
        if decision is None:  # a new page's draft: its relations are saved with it
            with gate.write_draft(form.instance, "admin draft"):
                return super().save_related(request, form, formsets, change)
        with gate.write(decision, form.instance, "admin"):
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_pending_change", None):
            self.message_user(request, SAVED_FOR_REVIEW, messages.SUCCESS)
            return self.response_post_save_add(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(obj, "_pending_change", None):
            self.message_user(request, SAVED_FOR_REVIEW, messages.SUCCESS)
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

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
                who = returned.reviewer.get_username() if returned.reviewer else _("A clinical editor")
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


class ApprovalQueueAdmin(admin.ModelAdmin):
    """The approval queue. Clinical editors see every edit; anyone else sees their own."""

    list_display = ["title", "kind", "author", "created", "status"]
    list_display_links = ["title"]
    list_filter = ["status", KindFilter]
    search_fields = ["title"]
    ordering = ["-created"]

    @admin.display(description=gettext_lazy("kind"))
    def kind(self, change):
        return change.content_type.model_class()._meta.verbose_name

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("author", "content_type")
        return queryset if rules.can_approve(request.user) else queryset.filter(author=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """One waiting edit: who, what, when, the word diff, and approve or send back."""
        change = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        may_decide = rules.can_approve(request.user) and change.status == PendingChange.Status.PENDING
        form = DecisionForm(request.POST or None)
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            if form.is_valid():
                if self.decide(request, change, form.cleaned_data["note"]):
                    queue = reverse("admin:pages_pendingchange_changelist")
                    return HttpResponseRedirect(f"{queue}?status__exact=pending")
        obj = change.live_object()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": _("Review a change"), "change": change, "obj": obj,
            "obj_opts": obj._meta, "rows": rules.changes_of(change), "form": form, "may_decide": may_decide,
            "live_url": obj.get_absolute_url(),
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
        self.message_user(request, format_html(
            '{} <a href="{}">{}</a>', _("Approved: patients now see this change."), obj.get_absolute_url(),
            _("View on site")), messages.SUCCESS)
        return True
