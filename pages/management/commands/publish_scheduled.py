"""Run by cron every few minutes (docs/operations.md), as Wagtail's `publish_scheduled`."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format

from pages.clinic.notices import update_notices
from pages.signoff import gate


def moment(text):
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--now: {exc}") from exc
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = ("Publish the scheduled changes whose time has come (through the publishing gate), and start and end "
            "the clinic's notices at their times. Idempotent: run it from cron every few minutes.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=moment, default=None,
                            help="Act as of this time (YYYY-MM-DDTHH:MM, the clinic's time zone); default: now.")

    def handle(self, *args, now=None, **options):
        now = now or timezone.now()
        outcomes = gate.publish_due(now)
        started, ended = update_notices(now)
        when = date_format(timezone.localtime(now), "Y-m-d H:i T")
        for outcome in outcomes:
            change = outcome.change
            due = timezone.localtime(change.go_live_at)
            what = f"{change.content_type.name} “{change.title}” (#{change.pk}, due {due:%Y-%m-%d %H:%M})"
            if outcome.done == "published":
                self.stdout.write(f"Published {what}.")
            elif outcome.done == "waits":
                self.stdout.write(f"Waiting for a clinical editor: {what}; it goes live when approved.")
            elif outcome.done == "refused":
                back = " Sent back to its author." if change.status == change.Status.SENT_BACK else ""
                self.stdout.write(f"Refused {what}: {outcome.problem}.{back}")
        for notice in started:
            self.stdout.write(f"Notice started: “{notice.text}”.")
        for notice in ended:
            self.stdout.write(f"Notice ended: “{notice.text}”.")
        if not (outcomes or started or ended):
            self.stdout.write(f"Nothing to publish at {when}.")
