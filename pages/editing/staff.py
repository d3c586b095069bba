"""Staff accounts: how a clinical editor's review is signed, the language each person reads the
admin in, and the user admin that sets both."""
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
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


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    # The heading docs/staff.md names. A one-row inline is headed by its verbose_name (Django 5.1+).
    verbose_name = verbose_name_plural = gettext_lazy("Clinical review and admin language")


class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the reviewer title on the same page as the person's login."""

    inlines = [*UserAdmin.inlines, StaffProfileInline]


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
