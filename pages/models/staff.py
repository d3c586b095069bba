"""What the site knows about a member of staff beyond their login: how they sign a review, the
language they read the admin (and its emails) in, and whether they get emails about sign-off."""
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

    sign_off_emails = models.BooleanField(
        _("emails about clinical sign-off"), default=True,
        help_text=_("Ticked: an email when a clinical editor approves or sends back your change; for clinical "
                    "editors, also one email an hour at most listing the changes waiting for them. "
                    "Untick to get none of these emails."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return self.reviewer_title
