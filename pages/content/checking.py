"""Checks across files: every slug a file names exists, and no two files share a slug."""
from ..markdown import cited_keys
from ..models import Location, Reference, Topic
from .kinds import CONDITION, FAQ, KINDS, PROVIDER, REFERENCE, TOPIC


def check_links(records):
    """Every slug a file names must exist, either among the files or already in the database."""
    errors = []
    known = {kind: {r.slug for r in records if r.kind is kind} for kind in KINDS}
    known[REFERENCE] |= set(Reference.objects.values_list("key", flat=True))
    known[TOPIC] |= set(Topic.objects.values_list("slug", flat=True))

    def check(record, key, kind, label):
        slugs = record.links.get(key) or []
        for slug in [slugs] if isinstance(slugs, str) else slugs:
            if slug not in known[kind]:
                errors.append(record.source.error(f"unknown {label} '{slug}' in '{key}'", key))

    for record in records:
        if record.kind is TOPIC:
            check(record, "references", REFERENCE, "reference")
            listed = set(record.links.get("references", []))
            for cited in cited_keys(record.values["body"]):
                if cited not in listed:
                    errors.append(record.source.error(
                        f"cites [@{cited}] but '{cited}' is not listed in 'references'", "references"))
        elif record.kind is FAQ:
            check(record, "topic", TOPIC, "topic")
        elif record.kind is CONDITION:
            check(record, "topics", TOPIC, "topic")
        body = record.values[record.kind.body_field]
        for cited in cited_keys(body):
            if cited not in known[REFERENCE]:
                errors.append(record.source.error(
                    f"unknown reference [@{cited}] in the text", line=_line_in_body(record.source, f"[@{cited}]")))
    return errors


def check_provider_locations(records, clinic):
    known = {values["slug"] for values, _hours in clinic.locations} if clinic else set()
    known |= set(Location.objects.values_list("slug", flat=True))
    return [
        record.source.error(f"unknown location '{slug}' in 'locations'", "locations")
        for record in records
        if record.kind is PROVIDER
        for slug in record.links.get("locations", [])
        if slug not in known
    ]


def _line_in_body(source, needle):
    for offset, line in enumerate(source.body.splitlines()):
        if needle in line:
            return source.body_line + offset
    return source.body_line


def check_duplicates(records):
    errors, seen = [], {}
    for record in records:
        first = seen.setdefault((record.kind.folder, record.slug), record)
        if first is not record:
            errors.append(record.source.error(
                f"duplicate slug '{record.slug}': {first.source.path.name} already uses it", "slug"))
    return errors
