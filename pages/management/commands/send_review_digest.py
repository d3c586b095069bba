from django.core.management.base import BaseCommand, CommandError

from pages.signoff.digest import send_digest


class Command(BaseCommand):
    help = ("Email each clinical editor one list of the changes that started waiting for approval since the "
            "last run (run hourly by cron; a second run in the same hour sends nothing new).")

    def handle(self, *args, **options):
        report = send_digest()
        for username in report.no_email:
            self.stdout.write(f"Skipped {username}: no email address (set one on their user page).")
        for username, error in report.failed:
            self.stderr.write(f"Could not email {username}: {error}")
        self.stdout.write(f"Sent {len(report.sent)} email(s) about {report.changes} change(s) that started waiting.")
        if report.failed:
            raise CommandError(f"{len(report.failed)} email(s) could not be sent.")
