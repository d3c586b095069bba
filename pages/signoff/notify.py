"""Emails about clinical sign-off: plain text, in each person's admin language, with links on
SITE_URL, sent by Django's email backend (the EMAIL_* settings, as the password reset's).

Two kinds. Clinical editors get at most one email an hour listing the changes that started
waiting (pages.signoff.digest, run by `send_review_digest`). An author gets one when a clinical
editor approves their change or sends it back (`decided`, called by rules.mark_decided, the one
place a change is decided; sent once the transaction commits, so an approval rolled back emails
no one). Nobody is emailed about their own action; nobody without an email address, or who
unticked "emails about clinical sign-off" on their user page, is emailed at all.
"""
import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..addresses.links import absolute_url
from ..models import PendingChange, StaffProfile
from .links import edit_again_url, review_url, user_page_url

logger = logging.getLogger(__name__)

# The email each decision sends its author (templates/email/<name>.txt and <name>_subject.txt).
AUTHOR_EMAILS = {PendingChange.Status.APPROVED: "change_approved", PendingChange.Status.SENT_BACK: "change_sent_back"}


def profile_of(user):
    """The person's staff profile; someone without one has the defaults (emails on, English)."""
    return StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)


def wants_emails(user):
    return profile_of(user).sign_off_emails


def name_of(user):
    if user is None:
        return _("someone")
    return user.get_full_name().strip() or user.get_username()


def kind_of(change):
    """"FAQ entry", "topic page"...: what kind of page the change is to (lazy: read in the
    recipient's language)."""
    return change.content_type.model_class()._meta.verbose_name


def send(user, template, context):
    """Email `user` templates/email/<template>_subject.txt and <template>.txt, rendered in
    their admin language (dates in it too). Raises what the email backend raises."""
    language = profile_of(user).language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "name": name_of(user), "settings_url": absolute_url(user_page_url(user)),
            "setting_label": capfirst(StaffProfile._meta.get_field("sign_off_emails").verbose_name), **context,
        }
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        body = render_to_string(f"email/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


def decided(change):
    """`change` was just approved or sent back: its author is told once the transaction commits."""
    transaction.on_commit(partial(tell_author, change.pk))


def tell_author(pk):
    change = PendingChange.objects.select_related("author", "reviewer", "content_type").filter(pk=pk).first()
    template = AUTHOR_EMAILS.get(change.status) if change else None
    author = change.author if change else None
    if template is None or author is None or not author.is_active or author.pk == change.reviewer_id:
        return  # nobody is emailed about their own action
    if not author.email or not wants_emails(author):
        return
    try:
        page = change.content_type.get_all_objects_for_this_type(pk=change.object_id).first()
        published = getattr(page, "published", False) and hasattr(page, "get_absolute_url")
        live_url = absolute_url(page.get_absolute_url()) if published else None
        send(author, template, {
            "change": change, "kind": kind_of(change), "reviewer": name_of(change.reviewer),
            "review_url": absolute_url(review_url(change)), "edit_again_url": absolute_url(edit_again_url(change)),
            "live_url": live_url,
        })
    except Exception:  # the decision is made and committed: a failed email must not undo it or hide it
        logger.exception("The email telling %s about their change %s could not be sent.", author.get_username(), pk)
