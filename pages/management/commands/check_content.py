import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages import quality, translation
from pages.content import ContentErrors, read_content
from pages.content.checking import stale_translations
from pages.spanish_readability import check_spanish_reading_level


class Command(BaseCommand):
    help = "Run the content quality gates (reading level, originality, sources, freshness, links)."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="Folder to check (default: settings.CONTENT_DIR).")
        parser.add_argument(
            "--stamp", nargs="+", default=[], metavar="FILE",
            help="Translation files brought in step with their English file: set their source_hash "
                 "to the English text's fingerprint as it is now.")

    def handle(self, *args, path=None, **options):
        try:
            records, _clinic = read_content(path or settings.CONTENT_DIR)
        except ContentErrors as exc:
            raise CommandError(str(exc)) from exc
        if options.get("stamp"):
            self.stamp(records, options["stamp"])
            records, _clinic = read_content(path or settings.CONTENT_DIR)
        problems = (
            quality.check_reading_level(records)
            + quality.check_topic_shape(records)
            + quality.check_references(records)
            + quality.check_freshness(records)
            + quality.check_links(records)
            + check_spanish_reading_level(records)
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

    def stamp(self, records, paths):
        by_path = {record.source.path.resolve(): record for record in records}
        english = {(r.kind, r.slug): r for r in records if r.kind.source is None}
        for name in paths:
            record = by_path.get(Path(name).resolve())
            if record is None or record.kind.source is None:
                raise CommandError(f"{name}: not a translation file in the content folder")
            source = english[(record.kind.source, record.links["translation_of"])]
            value = translation.fingerprint(record.kind.model, source.values)
            text = record.source.path.read_text(encoding="utf-8")
            # Quoted: a fingerprint of digits only would otherwise be read as a number.
            text = re.sub(r"(?m)^source_hash:.*$", f'source_hash: "{value}"', text, count=1)
            record.source.path.write_text(text, encoding="utf-8")
            self.stdout.write(f"{name}: source_hash {value} ({source.source.path.name} as it is now)")
