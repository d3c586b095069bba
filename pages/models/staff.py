"""What the site knows about a member of staff beyond their login: how they sign a review, and
the language they read the admin in."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    reviewer_title = models.CharField(
        _("reviewer title"), max_length=150, blank=True,
        help_text=_("How this person signs a clinical review, e.g. Physical therapist, DPT. "
                    "Pages they mark reviewed say 'Reviewed by' with their name and this title."),
    )

    language = models.CharField(
        _("admin language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("The language this person sees the admin in. Leave it empty for English. "
                    "The pages patients read are not affected."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return self.reviewer_title
