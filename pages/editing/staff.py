"""Staff accounts: how a clinical editor's review is signed, the language each person reads the
admin in, whether they get emails about clinical sign-off, and the user admin that sets them.

The owner (who may change users) sets all of it on each person's user page. Anyone else may
open their own user page, read-only but for one box: the sign-off emails, which each person
turns off for themselves (the emails link there). Their password is changed with the admin's
own "Change password" (which asks for the old one), not from that page.
"""
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext_lazy

from ..models import StaffProfile


def reviewer_signature(user):
    """'Sam Lee, Physical therapist, DPT' for a user whose profile has a title, else None."""
    profile = StaffProfile.objects.filter(user=user).first()
    if not profile or not profile.reviewer_title.strip():
        return None
    name = user.get_full_name().strip() or user.get_username()
    return f"{name}, {profile.reviewer_title.strip()}"


# What someone who may not change users sees on their own user page.
OWN_PAGE_FIELDS = ("username", "first_name", "last_name", "email")
OWN_PAGE_PROFILE_FIELDS = ("language", "sign_off_emails")  # their admin language and their emails


def own_page_only(request, user):
    """Whether this is the signed-in person's own user page, and they may not change users."""
    return user is not None and user.pk == request.user.pk and not request.user.has_perm("auth.change_user")


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    # One profile a person: the admin heads the box with the singular.
    verbose_name = verbose_name_plural = gettext_lazy("Clinical review, admin language and emails")

    def get_queryset(self, request):
        # Django's inline lists no rows to someone without the profiles' view permission (asked
        # without the user): one's own page would offer a new, second profile, and refuse to
        # save it. The user's page decides who opens it; its formset keeps to that user's profile.
        return super(admin.options.InlineModelAdmin, self).get_queryset(request)

    def get_fields(self, request, obj=None):
        return OWN_PAGE_PROFILE_FIELDS if own_page_only(request, obj) else super().get_fields(request, obj)

    def has_view_permission(self, request, obj=None):
        return own_page_only(request, obj) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return own_page_only(request, obj) or super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return own_page_only(request, obj) or super().has_add_permission(request, obj)


class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the reviewer title, admin language and sign-off emails on the
    same page as the person's login; and each person's own page, for their emails."""

    inlines = [*UserAdmin.inlines, StaffProfileInline]
    list_display = [*UserAdmin.list_display, "sign_off_emails"]
    list_select_related = ["staff_profile"]

    @admin.display(description=gettext_lazy("sign-off emails"), boolean=True)
    def sign_off_emails(self, user):
        profile = getattr(user, "staff_profile", None)
        return profile.sign_off_emails if profile is not None else StaffProfile().sign_off_emails

    def has_view_permission(self, request, obj=None):
        return own_page_only(request, obj) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return own_page_only(request, obj) or super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if own_page_only(request, obj):
            return [(None, {"fields": OWN_PAGE_FIELDS})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if own_page_only(request, obj):
            return [*OWN_PAGE_FIELDS, "password"]  # "password" drops the form's own password field
        return super().get_readonly_fields(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if own_page_only(request, obj):
            # The breadcrumb names the list of users without linking it: they may not open it.
            response.context_data["has_view_permission"] = False
        return response

    def user_change_password(self, request, id, form_url=""):
        # Setting a password here needs no old one: for the owner only, not for one's own page.
        if own_page_only(request, self.get_object(request, unquote(id))):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


class StaffLanguageMiddleware:
    """The admin in the language on the signed-in person's staff profile (after LocaleMiddleware,
    which keeps the admin in English, and AuthenticationMiddleware). The pages patients read keep
    the language of their address."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path_info.startswith(self.admin_prefix) and user is not None and user.is_authenticated:
            language = StaffProfile.objects.filter(user=user).values_list("language", flat=True).first()
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
