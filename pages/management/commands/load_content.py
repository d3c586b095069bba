from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.content import ContentErrors, load_content


class Command(BaseCommand):
    help = "Create or update topics, FAQ entries, conditions, references, providers and clinic details from content/."
    # Run after `migrate` (make content, deploys), which has just run the system checks; running
    # them again loads every URL pattern and admin for nothing (a sixth of a warm load's time).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="Folder to read (default: settings.CONTENT_DIR).")
        parser.add_argument(
            "--force", action="store_true",
            help="Also overwrite rows staff changed in the admin since the last load (their version stays in history).",
        )

    def handle(self, *args, path=None, force=False, **options):
        directory = path or settings.CONTENT_DIR
        try:
            report = load_content(directory, force=force)
        except ContentErrors as exc:
            raise CommandError(
                f"{len(exc.errors)} problem(s) in {directory}; nothing was loaded:\n{exc}"
            ) from exc
        for label, who, when in report.conflicts:
            self.stderr.write(
                f"Skipped {label}: {who} changed it in the admin on {when:%Y-%m-%d %H:%M}. "
                "Run export_content to bring that edit into the files, or load_content --force to overwrite it."
            )
        self.stdout.write(f"Loaded {directory}: {report.summary()}.")
