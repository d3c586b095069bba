from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages import quality
from pages.content import REFERENCE, ContentErrors, read_content
from pages.markdown import citation_label

GATES = (
    quality.check_reading_level,
    quality.check_where_to_go,
    quality.check_numbers,
    quality.check_topic_shape,
    quality.check_references,
    quality.check_freshness,
    quality.check_links,
)


class Command(BaseCommand):
    help = ("Run the content quality gates (reading level, where to go, numbers, sources, freshness, links, "
            "originality). --citations lists every cited sentence with its source instead.")

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="Folder to check (default: settings.CONTENT_DIR).")
        parser.add_argument("--citations", action="store_true",
                            help="Print each sentence that cites a source, with the source, and a count.")

    def handle(self, *args, path=None, citations=False, **options):
        root = path or settings.CONTENT_DIR
        try:
            records, _clinic = read_content(root)
        except ContentErrors as exc:
            raise CommandError(str(exc)) from exc
        if citations:
            self.print_citations(records, root)
            return
        problems = [p for gate in GATES for p in gate(records)]
        if settings.SEEDS_DIR.is_dir():
            problems += quality.check_originality(records, settings.SEEDS_DIR)
        else:
            self.stderr.write(f"Originality not checked: no seed pages at {settings.SEEDS_DIR}.")
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
