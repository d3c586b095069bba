from django.core.management.base import BaseCommand, CommandError

from serving.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the database and the media folder to one archive that restore_site reads back."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="File to write, e.g. site-2026-11-23.tar")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Wrote {archive}: {manifest['vendor']} database, {rows} rows in "
                          f"{len(manifest['tables'])} tables, {len(manifest['media'])} media files.")
