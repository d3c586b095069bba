from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.content import ContentErrors, load_content


class Command(BaseCommand):
    help = "Create or update topics, FAQ entries, conditions, references and clinic details from content/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", default=None, help="Folder to read (default: settings.CONTENT_DIR)."
        )

    def handle(self, *args, path=None, **options):
        directory = path or settings.CONTENT_DIR
        try:
            report = load_content(directory)
        except ContentErrors as exc:
            raise CommandError(
                f"{len(exc.errors)} problem(s) in {directory}; nothing was loaded:\n{exc}"
            ) from exc
        self.stdout.write(f"Loaded {directory}: {report.summary()}.")
