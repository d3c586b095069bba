import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.content import REFERENCE, ContentErrors, read_content
from pages.content import gates as quality
from pages.content.checking import stale_translations
from pages.content.kinds import TRANSLATED_KINDS
from pages.content.translation_gates import check_same_as_english
from pages.text.markdown import citation_label
from pages.translations import status as translation

GATES = (
    quality.check_reading_level,
    quality.check_where_to_go,
    quality.check_red_flag_list,
    quality.check_numbers,
    quality.check_topic_shape,
    quality.check_references,
    quality.check_freshness,
    quality.check_links,
    quality.check_spanish_reading_level,
    check_same_as_english,
)


class Command(BaseCommand):
    help = ("Run the content quality gates (reading level, where to go, numbers, sources, freshness, links, "
            "originality). --citations lists every cited sentence with its source instead.")

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="Folder to check (default: settings.CONTENT_DIR).")
        parser.add_argument("--citations", action="store_true",
                            help="Print each sentence that cites a source, with the source, and a count.")
        parser.add_argument(
            "--stamp", nargs="+", default=[], metavar="FILE",
            help="Translation files brought in step with their English file: set their source_hash "
                 "to the English text's fingerprint as it is now.")

    def handle(self, *args, path=None, citations=False, **options):
        root = path or settings.CONTENT_DIR
        try:
            records, _clinic = read_content(root)
        except ContentErrors as exc:
            raise CommandError(str(exc)) from exc
        if options.get("stamp"):
            self.stamp(records, options["stamp"])
            records, _clinic = read_content(root)
        if citations:
            self.print_citations(records, root)
            return
        problems = [p for gate in GATES for p in gate(records)]
        if settings.SEEDS_DIR.is_dir():
            problems += quality.check_originality(records, settings.SEEDS_DIR)
        else:
            self.stderr.write(f"Originality not checked: no seed pages at {settings.SEEDS_DIR}.")
        # Reported, not failed: an out-of-date translation is served under a notice until a
        # translator updates it (content/README.md, the Spanish edition).
        stale = stale_translations(records)
        if stale:
            self.stdout.write(f"{len(stale)} translation(s) out of date:\n" + "\n".join(str(e) for e in stale))
        if problems:
            raise CommandError(f"{len(problems)} problem(s):\n" + "\n".join(problems))
        self.stdout.write(f"{len(records)} files checked: no problems.")

    def print_citations(self, records, root):
        """A Markdown table a reviewer reads beside the sources' notes, then the counts."""
        titles = {r.slug: r.values.get("title", "") for r in records if r.kind is REFERENCE}
        rows = quality.citation_table(records)
        self.stdout.write("| file | sentence | source |\n|---|---|---|")
        for path, sentence, key in rows:
            title = titles.get(key, "(no reference file)")
            short = title if len(title) <= 60 else title[:57].rstrip() + "..."
            cells = [str(path.relative_to(root)), sentence, f"{key}: {citation_label(key)}, {short}"]
            self.stdout.write("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        claims = len({(path, sentence) for path, sentence, _key in rows})
        per_source = Counter(key for _path, _sentence, key in rows)
        ratio = f"{len(rows) / len(per_source):.1f}" if per_source else "0"
        self.stdout.write(
            f"\n{claims} claims, {len(per_source)} sources, {ratio} claims per source ("
            + ", ".join(f"{key} {count}" for key, count in sorted(per_source.items())) + ")"
        )

    def stamp(self, records, paths):
        by_path = {record.source.path.resolve(): record for record in records}
        english = {(r.kind, r.slug): r for r in records if r.kind.source is None}
        for name in paths:
            record = by_path.get(Path(name).resolve())
            if record is None or record.kind not in TRANSLATED_KINDS:
                raise CommandError(
                    f"{name}: not a translation file (topic, FAQ answer or condition) in the content folder")
            source = english[(record.kind.source, record.links["translation_of"])]
            value = translation.fingerprint(record.kind.model, source.values)
            text = record.source.path.read_text(encoding="utf-8")
            # Quoted: a fingerprint of digits only would otherwise be read as a number.
            text = re.sub(r"(?m)^source_hash:.*$", f'source_hash: "{value}"', text, count=1)
            record.source.path.write_text(text, encoding="utf-8")
            self.stdout.write(f"{name}: source_hash {value} ({source.source.path.name} as it is now)")
