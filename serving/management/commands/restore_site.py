from django.core.management.base import BaseCommand, CommandError

from serving.backup import BackupError, has_content, restore


class Command(BaseCommand):
    help = ("Restore the database and the media folder from a backup_site archive, on a fresh install. "
            "The whole database is replaced by the backup's.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="An archive written by backup_site.")
        parser.add_argument("--no-input", action="store_false", dest="interactive",
                            help="Do not ask before replacing a database that already has users or pages.")

    def handle(self, *args, archive, interactive=True, **options):
        if interactive and has_content():
            answer = input("This database already has users or pages; the backup replaces all of them. "
                           "Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Restored {archive}: {rows} rows in {len(manifest['tables'])} tables, "
                          f"{len(manifest['media'])} media files.")
