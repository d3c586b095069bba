"""Staff accounts: how a clinical editor's review is signed, and the user admin that sets it."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
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
    verbose_name_plural = gettext_lazy("Clinical review")


class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the reviewer title on the same page as the person's login."""

    inlines = [*UserAdmin.inlines, StaffProfileInline]
