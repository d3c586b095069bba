from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages import quality
from pages.content import ContentErrors, read_content
from pages.content.checking import stale_translations


class Command(BaseCommand):
    help = "Run the content quality gates (reading level, originality, sources, freshness, links)."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="Folder to check (default: settings.CONTENT_DIR).")

    def handle(self, *args, path=None, **options):
        try:
            records, _clinic = read_content(path or settings.CONTENT_DIR)
        except ContentErrors as exc:
            raise CommandError(str(exc)) from exc
        problems = (
            quality.check_reading_level(records)
            + quality.check_topic_shape(records)
            + quality.check_references(records)
            + quality.check_freshness(records)
            + quality.check_links(records)
        )
        if settings.SEEDS_DIR.is_dir():
            problems += quality.check_originality(records, settings.SEEDS_DIR)
        else:
            self.stderr.write(f"Originality not checked: no seed pages at {settings.SEEDS_DIR}.")
        # Reported, not failed: an out-of-date translation is served under a notice until a
        # translator updates it (content/README.md, "Translations").
        stale = stale_translations(records)
        if stale:
            self.stdout.write(f"{len(stale)} translation(s) out of date:\n" + "\n".join(str(e) for e in stale))
        if problems:
            raise CommandError(f"{len(problems)} problem(s):\n" + "\n".join(problems))
        self.stdout.write(f"{len(records)} files checked: no problems.")
