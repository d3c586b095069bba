"""The hourly email to clinical editors: the changes that started waiting since the last one.

`python manage.py send_review_digest` (cron, every hour) calls `send_digest`. Each waiting change
is listed once: the run that lists it stamps its `notified_at`, so a second run in the same hour
sends nothing new, and several saves make one email per clinical editor, never one per save.
A clinical editor is anyone who may approve (rules.can_approve); nobody is told about their
own change, and an editor who unticked the emails, or has no email address, gets none.
"""
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..addresses.links import absolute_url
from ..models import PendingChange
from . import notify
from .links import review_url, waiting_url
from .rules import can_approve


@dataclass
class DigestReport:
    changes: int = 0  # changes that started waiting since the last digest
    sent: list = field(default_factory=list)  # usernames emailed
    no_email: list = field(default_factory=list)  # usernames who would have been, but have no address
    failed: list = field(default_factory=list)  # (username, error)


def clinical_editors():
    users = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
    return [user for user in users if can_approve(user)]


def claim_new_changes(now):
    """The waiting changes no digest has listed yet, stamped as listed (in one transaction, so
    two runs at once cannot both list them)."""
    with transaction.atomic():
        new = list(
            PendingChange.objects.select_for_update(of=("self",))  # the author may be gone (outer join)
            .filter(status=PendingChange.Status.PENDING, notified_at__isnull=True)
            .select_related("author", "content_type").order_by("created")
        )
        PendingChange.objects.filter(pk__in=[change.pk for change in new]).update(notified_at=now)
    return new


def send_digest(now=None):
    now = now or timezone.now()
    new = claim_new_changes(now)
    report = DigestReport(changes=len(new))
    for editor in clinical_editors() if new else []:
        theirs = [change for change in new if change.author_id != editor.pk]
        if not theirs or not notify.wants_emails(editor):
            continue
        if not editor.email:
            report.no_email.append(editor.get_username())
            continue
        items = [{
            "title": change.title, "kind": notify.kind_of(change), "is_new": change.is_new,
            "author": notify.name_of(change.author), "when": change.created,
            "url": absolute_url(review_url(change)),
        } for change in theirs]
        try:
            notify.send(editor, "review_digest", {"items": items, "waiting_url": absolute_url(waiting_url())})
        except Exception as error:  # one editor's address refused: the others still get theirs
            report.failed.append((editor.get_username(), error))
            continue
        report.sent.append(editor.get_username())
    if report.failed and not report.sent:
        # Nobody was told (the mail server is down?): the next run lists these changes again.
        PendingChange.objects.filter(pk__in=[change.pk for change in new], notified_at=now).update(notified_at=None)
    return report
