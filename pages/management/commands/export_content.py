from django.conf import settings
from django.core.management.base import BaseCommand

from pages.content import export_content


class Command(BaseCommand):
    help = "Write the database back to content/ in the format load_content reads (edits made in the admin included)."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="Folder to write (default: settings.CONTENT_DIR).")

    def handle(self, *args, path=None, **options):
        directory = path or settings.CONTENT_DIR
        count = export_content(directory)
        self.stdout.write(f"Wrote {count} files to {directory}.")
