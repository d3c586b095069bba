"""Loading `content/` (Markdown files with YAML front matter) into the models.

Every file is read and checked before anything is written, and the writes happen in one
transaction, so a bad file changes nothing. A second load of the same files finds every
row unchanged and writes nothing. The file format is documented in content/README.md.
"""
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from . import redirects
from .cache import bump_content_version, one_bump_for_many_changes
from .markdown import cited_keys
from .models import (
    RESERVED_SLUGS,
    Clinic,
    Condition,
    FaqEntry,
    Location,
    OpeningHours,
    Provider,
    Reference,
    Topic,
    Weekday,
)

MAX_FILE_BYTES = 1024 * 1024

WEEKDAY_NAMES = {
    "mon": Weekday.MONDAY, "tue": Weekday.TUESDAY, "wed": Weekday.WEDNESDAY,
    "thu": Weekday.THURSDAY, "fri": Weekday.FRIDAY, "sat": Weekday.SATURDAY,
    "sun": Weekday.SUNDAY,
}


class ContentError(Exception):
    """A problem in one content file: where it is and what is wrong."""

    def __init__(self, path, message, line=None):
        self.path, self.message, self.line = path, message, line
        super().__init__(str(self))

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ContentErrors(Exception):
    """All the problems found in one load; nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


# The history's change reason for rows written by load_content; any other latest revision
# means staff changed the row in the admin since the last load.
LOAD_REASON = "load_content"


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # (label, who, when) of rows skipped

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def summary(self):
        counts = f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        if self.conflicts:
            counts += f", {len(self.conflicts)} skipped (changed in the admin since the last load)"
        return counts if self.changed or self.conflicts else f"{counts}: nothing to change"


# --- Reading one file ---------------------------------------------------------------------

@dataclass
class Source:
    """One parsed file: its front matter, body, and where each key was written."""

    path: Path
    metadata: dict
    body: str
    key_lines: dict
    body_line: int

    def line_of(self, key):
        """The line of a top-level key, or of a nested value given as a path tuple."""
        path = key if isinstance(key, tuple) else (key,)
        while path and path not in self.key_lines:
            path = path[:-1]  # fall back to the nearest enclosing value
        return self.key_lines.get(path)

    def error(self, message, key=None, line=None):
        return ContentError(self.path, message, line or (self.line_of(key) if key else None))


def read_source(path):
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(path, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(path, "file is not UTF-8 text (save it as UTF-8)", line) from exc
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        raise ContentError(path, "no front matter: the file must start with a line '---'", 1)
    try:
        front, body = frontmatter.YAMLHandler().split(text)
        metadata, key_lines = parse_yaml(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The YAML block begins with the newline that ends the opening "---" line.
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context_mark", None)
        if mark and context and context.line != mark.line:
            # YAML notices an unclosed bracket or quote lines later; name where it opened too.
            problem += f" (the value that starts on line {context.line + 1})"
        raise ContentError(path, f"malformed front matter: {problem}", line) from exc
    except ValueError as exc:
        raise ContentError(path, f"malformed front matter: {exc}", 1) from exc
    if not isinstance(metadata, dict) or not metadata:
        raise ContentError(path, "malformed front matter: expected 'field: value' lines between '---' lines", 1)
    body_line = next(
        (n for n, line in enumerate(text.splitlines()[1:], start=2) if line.strip() == "---"), 0
    ) + 1
    return Source(path, metadata, body.strip(), key_lines, body_line)


# libyaml when PyYAML has it: several times faster than the pure-Python parser.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text):
    """The front matter's values, and the line each one was written on (one parse for both):
    ("locations", 0, "hours", 1, "opens") -> line, for error messages."""
    loader = YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        key_lines = {}
        _record_lines(node, (), key_lines)
        return loader.construct_document(node), key_lines
    finally:
        loader.dispose()


def _record_lines(node, path, lines):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, key_node.value)
            # The YAML block begins with the newline that ends the opening "---" line.
            lines[key_path] = key_node.start_mark.line + 1
            _record_lines(value_node, key_path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _record_lines(item, (*path, index), lines)


# --- Field conversion -----------------------------------------------------------------------

def text_field(source, key, value):
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise source.error(f"'{key}' must be text", key)
    value = str(value).strip()
    if not value:
        raise source.error(f"'{key}' must not be empty", key)
    return value


def int_field(source, key, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise source.error(f"'{key}' must be a whole number, 0 or more", key)
    return value


def bool_field(source, key, value):
    if not isinstance(value, bool):
        raise source.error(f"'{key}' must be true or false", key)
    return value


def date_field(source, key, value):
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise source.error(f"'{key}' must be a date written YYYY-MM-DD", key)
    return value


def slug_list_field(source, key, value):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise source.error(f"'{key}' must be a list such as [first-slug, second-slug]", key)
    return [v.strip() for v in value]


def anything(source, key, value):
    return value


@dataclass(eq=False)  # compared and hashed by identity: there are four kinds
class Kind:
    """How one kind of content file maps onto a model."""

    folder: str
    model: type
    lookup: str  # the unique field a file's slug fills
    fields: dict  # front-matter key -> (model field or None, converter, required)
    body_field: str
    body_required: bool = True


REFERENCE = Kind(
    "references", Reference, "key",
    {
        "authors": ("authors", text_field, True),
        "year": ("year", int_field, True),
        "title": ("title", text_field, True),
        "publisher": ("publisher", text_field, True),
        "details": ("details", text_field, False),
        "doi": ("doi", text_field, False),
        "url": ("url", text_field, False),
        "slug": (None, text_field, False),
    },
    body_field="note", body_required=False,
)
TOPIC = Kind(
    "topics", Topic, "slug",
    {
        "title": ("title", text_field, True),
        "summary": ("summary", text_field, True),
        "menu_order": ("menu_order", int_field, True),
        "published": ("published", bool_field, False),
        "last_reviewed": ("last_reviewed", date_field, True),
        "reviewed_by": ("reviewed_by", text_field, True),
        "references": (None, slug_list_field, True),
        "slug": (None, text_field, False),
    },
    body_field="body",
)
FAQ = Kind(
    "faq", FaqEntry, "slug",
    {
        "question": ("question", text_field, True),
        "category": ("category", text_field, True),
        "order": ("order", int_field, True),
        "topic": (None, text_field, False),
        "published": ("published", bool_field, False),
        "slug": (None, text_field, False),
    },
    body_field="answer",
)
CONDITION = Kind(
    "conditions", Condition, "slug",
    {
        "name": ("name", text_field, True),
        "body_region": ("body_region", text_field, True),
        "summary": ("summary", text_field, True),
        "topics": (None, slug_list_field, False),
        "published": ("published", bool_field, False),
        "slug": (None, text_field, False),
    },
    body_field="text",
)
PROVIDER = Kind(
    "providers", Provider, "slug",
    {
        "name": ("name", text_field, True),
        "credentials": ("credentials", text_field, True),
        "role": ("role", text_field, True),
        "training": ("training", text_field, True),
        "locations": (None, slug_list_field, False),
        "order": ("order", int_field, True),
        "published": ("published", bool_field, False),
        "slug": (None, text_field, False),
    },
    body_field="bio", body_required=False,
)
CLINIC_FIELDS = {
    "name": ("name", text_field, True),
    "example_data": ("example_data", bool_field, False),
    "phone": ("phone", text_field, True),
    "email": ("email", text_field, True),
    "booking_url": ("booking_url", text_field, False),
    "locations": (None, anything, True),
}
LOCATION_FIELDS = {"name", "street_address", "city", "region", "postal_code", "phone", "hours"}
KINDS = (REFERENCE, TOPIC, FAQ, CONDITION, PROVIDER)


@dataclass
class Record:
    """A file read and checked, ready to be written."""

    source: Source
    kind: Kind
    slug: str
    values: dict
    links: dict  # front-matter key -> list of slugs (foreign keys and many-to-many)


def convert(source, fields, model=None):
    """Check the front matter against a field list and return model values and links.

    An optional field left out of the file takes the model's default (`published` true, a
    DOI blank), so deleting a line from a file changes the row as it reads."""
    unknown = sorted(set(source.metadata) - set(fields))
    if unknown:
        allowed = ", ".join(sorted(fields))
        raise source.error(f"unknown field '{unknown[0]}' (allowed: {allowed})", unknown[0])
    values, links = {}, {}
    for key, (model_field, converter, required) in fields.items():
        value = source.metadata.get(key)
        if value is None or value == "":
            if required:
                raise source.error(f"missing required field '{key}'", line=1)
            if model is not None and model_field:
                values[model_field] = model._meta.get_field(model_field).get_default()
            continue
        value = converter(source, key, value)
        if model_field:
            values[model_field] = value
        else:
            links[key] = value
    return values, links


def validate_model(source, model, fields, values):
    """Run the model's own validation (lengths, choices, URLs, DOIs) on the file's values;
    `fields` maps front-matter keys to model fields, to name the key in the message."""
    try:
        model(**values).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        reverse_keys = {model_field: key for key, (model_field, _conv, _req) in fields.items() if model_field}
        name, messages = next(iter(exc.message_dict.items()))
        key = reverse_keys.get(name, name)
        line = source.line_of(key) if key in source.metadata else source.body_line
        raise source.error(f"'{key}': {' '.join(messages)}", line=line) from exc


def read_record(path, kind):
    source = read_source(path)
    values, links = convert(source, kind.fields, kind.model)
    slug = source.metadata.get("slug") or path.stem
    if slugify(slug) != slug:
        line = source.line_of("slug")
        raise ContentError(path, f"'{slug}' is not a valid slug: use lower-case letters, digits and hyphens", line)
    body = source.body.strip()
    if kind.body_required and not body:
        raise source.error("the Markdown text after the front matter is empty", line=source.body_line)
    values[kind.lookup] = slug
    values[kind.body_field] = body
    if kind is TOPIC and slug in RESERVED_SLUGS:
        raise source.error(f"'{slug}' is used by the site itself; choose another slug", "slug")
    validate_model(source, kind.model, kind.fields, values)
    return Record(source, kind, slug, values, links)


# --- Cross-file checks ----------------------------------------------------------------------

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


# --- Reading the whole folder ---------------------------------------------------------------

def read_content(directory):
    """Read and check every content file. Raises ContentErrors listing every problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentErrors([ContentError(directory, "content folder not found")])
    records, errors = [], []
    for kind in KINDS:
        for path in sorted((directory / kind.folder).glob("*.md")):
            try:
                records.append(read_record(path, kind))
            except ContentError as exc:
                errors.append(exc)
    clinic = None
    clinic_path = directory / "clinic.md"
    if clinic_path.exists():
        try:
            clinic = read_clinic(clinic_path)
        except ContentError as exc:
            errors.append(exc)
    errors += check_duplicates(records)
    if not errors:
        errors += check_links(records)
        errors += check_provider_locations(records, clinic)
    if errors:
        raise ContentErrors(errors)
    return records, clinic


@dataclass
class ClinicRecord:
    values: dict
    locations: list  # [(values, [(first_day, last_day, opens, closes), ...])]


def read_clinic(path):
    source = read_source(path)
    values, links = convert(source, CLINIC_FIELDS, Clinic)
    values["about"] = source.body.strip()
    validate_model(source, Clinic, CLINIC_FIELDS, values)
    entries = links["locations"]
    if not isinstance(entries, list) or not entries:
        raise source.error("'locations' must be a list with at least one location", "locations")
    locations, slugs = [], set()
    for index, entry in enumerate(entries):
        where, at = f"location {index + 1}", ("locations", index)
        if not isinstance(entry, dict):
            raise source.error(f"{where} must be a set of 'field: value' lines", at)
        unknown = sorted(set(entry) - LOCATION_FIELDS)
        if unknown:
            allowed = ", ".join(sorted(LOCATION_FIELDS))
            raise source.error(f"{where}: unknown field '{unknown[0]}' (allowed: {allowed})", (*at, unknown[0]))
        hours = [
            parse_hours(source, f"{where}, hours line {n + 1}", (*at, "hours", n), row)
            for n, row in enumerate(entry.get("hours") or [])
        ]
        loc_values = {k: str(entry.get(k) or "").strip() for k in sorted(LOCATION_FIELDS - {"hours"})}
        loc_values["slug"] = slugify(loc_values["name"])
        loc_values["order"] = (index + 1) * 10
        if loc_values["slug"] in slugs:
            raise source.error(f"{where}: two locations are called '{loc_values['name']}'", (*at, "name"))
        slugs.add(loc_values["slug"])
        try:
            Location(clinic=Clinic(), **loc_values).full_clean(exclude=["clinic"], validate_constraints=False)
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise source.error(f"{where}: '{name}': {' '.join(messages)}", (*at, name)) from exc
        locations.append((loc_values, hours))
    return ClinicRecord(values, locations)


def parse_hours(source, where, at, row):
    if not isinstance(row, dict) or set(row) != {"days", "opens", "closes"}:
        raise source.error(f"{where}: needs exactly days, opens and closes", at)
    days = str(row["days"]).lower().split("-")
    try:
        first, last = WEEKDAY_NAMES[days[0][:3]], WEEKDAY_NAMES[days[-1][:3]]
    except KeyError:
        raise source.error(f"{where}: days '{row['days']}' should look like Mon-Fri or Sat", (*at, "days")) from None
    times = []
    for key in ("opens", "closes"):
        value = row[key]
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value):
            raise source.error(f"{where}: '{key}' must be a time in quotes, such as \"07:30\"", (*at, key))
        hour, minute = map(int, value.split(":"))
        if hour > 23 or minute > 59:
            raise source.error(f"{where}: '{key}' {value} is not a time of day", (*at, key))
        times.append(datetime.time(hour, minute))
    if last < first or times[1] <= times[0]:
        raise source.error(f"{where}: '{row['days']} {row['opens']}-{row['closes']}' runs backwards", at)
    return (int(first), int(last), times[0], times[1])


# --- Writing --------------------------------------------------------------------------------

def load_content(directory, force=False):
    """Read `directory` and create or update rows to match it, all or nothing.

    A row whose latest revision was made in the admin (not by a load) is left alone and
    reported, so a staff edit is never overwritten by an older file; `force=True` overwrites
    it, and the staff version stays in the row's history.
    """
    records, clinic = read_content(directory)
    report = LoadReport()
    with one_bump_for_many_changes(), transaction.atomic():
        by_kind = {kind: [r for r in records if r.kind is kind] for kind in KINDS}
        save_records(REFERENCE, by_kind[REFERENCE], report, force=force)
        references = {r.key: r for r in Reference.objects.all()}
        save_records(TOPIC, by_kind[TOPIC], report, force=force,
                     links=lambda record: {"references": [references[k] for k in record.links.get("references", [])]})
        topics = {t.slug: t for t in Topic.objects.all()}
        for record in by_kind[FAQ]:
            record.values["topic"] = topics.get(record.links.get("topic"))
        save_records(FAQ, by_kind[FAQ], report, force=force)
        save_records(CONDITION, by_kind[CONDITION], report, force=force,
                     links=lambda record: {"topics": [topics[s] for s in record.links.get("topics", [])]})
        if clinic:
            save_clinic(clinic, report, force=force)
        locations = {loc.slug: loc for loc in Location.objects.all()}
        save_records(PROVIDER, by_kind[PROVIDER], report, force=force,
                     links=lambda record: {"locations": [locations[s] for s in record.links.get("locations", [])]})
    return report


def staff_revision(instance):
    """The latest revision if staff made it in the admin, else None."""
    return latest_staff_revisions(type(instance), [instance.pk]).get(instance.pk)


def report_conflict(report, label, revision):
    who = revision.history_user.get_username() if revision.history_user else "someone"
    report.conflicts.append((label, who, revision.history_date))


def save_records(kind, records, report, force=False, links=None):
    """Create or update the rows of one kind to match its files.

    The existing rows (with their foreign keys and many-to-many links) are read in one go,
    so a load with nothing to change costs a few queries whatever the size. New and changed
    rows are written in bulk, with what a save() would have done besides (history, links,
    redirects, cache): a first load of 6,011 files took 30 s row by row, 2,000 edits 12 s.
    """
    model, lookup = kind.model, kind.lookup
    links = links or (lambda record: {})
    related = [f.name for f in model._meta.concrete_fields if f.many_to_one]
    many = [f.name for f in model._meta.many_to_many]
    existing = {getattr(row, lookup): row for row in model.objects.select_related(*related).prefetch_related(*many)}
    new_rows, changed_rows = [], []
    for record in records:
        label = f"{kind.folder}/{record.slug}"
        instance, m2m = existing.get(record.slug), links(record)
        if instance is None:
            new_rows.append((model(**record.values), m2m))
            report.created.append(label)
            continue
        changed_links = {name: objects for name, objects in m2m.items()
                         if set(getattr(instance, name).all()) != set(objects)}
        changed_fields = {name: value for name, value in record.values.items() if getattr(instance, name) != value}
        if changed_links or changed_fields:
            changed_rows.append((label, changed_fields, instance, changed_links))
        else:
            report.unchanged.append(label)
    staff_revisions = latest_staff_revisions(model, [instance.pk for _l, _r, instance, _m in changed_rows])
    updates, fields = [], set()
    for label, changed_fields, instance, changed_links in changed_rows:
        revision = staff_revisions.get(instance.pk)
        if revision and not force:
            report_conflict(report, label, revision)
            continue
        for name, value in changed_fields.items():
            setattr(instance, name, value)
        updates.append((instance, changed_links))
        fields.update(changed_fields)  # bulk_update's cost grows with rows x fields: only these
        report.updated.append(label)
    if updates:
        update_with_history(model, updates, sorted(fields))
    if new_rows:
        create_with_history(model, new_rows)


def latest_staff_revisions(model, pks):
    """{pk: latest revision} for the rows among `pks` whose latest revision staff made."""
    latest = {}
    for batch in batches(pks):
        revisions = model.history.filter(id__in=batch).select_related("history_user").order_by("-history_id")
        for revision in revisions:
            latest.setdefault(revision.id, revision)
    return {pk: revision for pk, revision in latest.items() if revision.history_change_reason != LOAD_REASON}


BULK_BATCH = 500


def batches(items, size=BULK_BATCH):
    """`items` in lists of `size`: an `__in` query with tens of thousands of values can pass
    the database's limit on parameters (SQLite's is 32,766)."""
    items = list(items)
    return [items[start:start + size] for start in range(0, len(items), size)]


def create_with_history(model, rows):
    """Insert new rows [(instance, {m2m name: objects})] in bulk."""
    instances = model.objects.bulk_create([instance for instance, _m2m in rows], batch_size=BULK_BATCH)
    write_links(model, rows)
    after_bulk_write(model, instances, update=False)


def update_with_history(model, rows, fields):
    """Write changed rows [(instance, {m2m name: objects that changed})] in bulk."""
    instances = [instance for instance, _m2m in rows]
    if fields:  # none when only links changed
        model.objects.bulk_update(instances, fields, batch_size=BULK_BATCH)
    for m2m_field in model._meta.many_to_many:
        through = m2m_field.remote_field.through
        stale = [instance.pk for instance, m2m in rows if m2m_field.name in m2m]
        for batch in batches(stale):
            through.objects.filter(**{m2m_field.m2m_field_name() + "_id__in": batch}).delete()
    write_links(model, rows)
    after_bulk_write(model, instances, update=True)


def write_links(model, rows):
    """Insert the many-to-many links given for each row [(instance, {m2m name: objects})]."""
    for m2m_field in model._meta.many_to_many:
        through = m2m_field.remote_field.through
        source, target = m2m_field.m2m_field_name() + "_id", m2m_field.m2m_reverse_field_name() + "_id"
        through.objects.bulk_create(
            [through(**{source: instance.pk, target: other.pk})
             for instance, m2m in rows for other in m2m.get(m2m_field.name, [])],
            batch_size=BULK_BATCH,
        )


def after_bulk_write(model, instances, update):
    """What save() and its signals would have done for rows written in bulk: a history
    revision for each (with its snapshot of the links, so restoring it in the admin brings
    them back), live addresses freed of old redirects, and a new page-cache version."""
    revisions = {
        revision.id: revision
        for revision in model.history.bulk_history_create(
            instances, batch_size=BULK_BATCH, update=update, default_change_reason=LOAD_REASON)
    }
    history_model = model.history.model
    for m2m_field in history_model._history_m2m_fields:
        through = m2m_field.remote_field.through
        source = m2m_field.m2m_field_name() + "_id"
        snapshot = getattr(history_model, m2m_field.name).model
        columns = [f.attname for f in through._meta.concrete_fields]
        for batch in batches(revisions):
            links = through.objects.filter(**{source + "__in": batch})
            snapshot.objects.bulk_create(
                [snapshot(history=revisions[getattr(link, source)], **{c: getattr(link, c) for c in columns})
                 for link in links],
                batch_size=BULK_BATCH,
            )
    if hasattr(model, "get_absolute_url"):
        redirects.record_live(*(instance.get_absolute_url() for instance in instances if instance.published))
    bump_content_version()


def save_clinic(record, report, force=False):
    """The clinic, its locations and their hours are one file, so they load as one unit."""
    clinic = Clinic.objects.order_by("pk").first()
    if clinic is None:
        clinic = Clinic(**record.values)
        clinic._change_reason = LOAD_REASON
        clinic.save()
        report.created.append("clinic")
    elif not clinic_differs(clinic, record):
        report.unchanged.append("clinic")
        return
    else:
        revisions = [staff_revision(row) for row in clinic_rows(clinic)]
        revision = max((r for r in revisions if r), key=lambda r: r.history_date, default=None)
        if revision and not force:
            report_conflict(report, "clinic", revision)
            return
        for name, value in record.values.items():
            setattr(clinic, name, value)
        clinic._change_reason = LOAD_REASON
        clinic.save()
        report.updated.append("clinic")
    for values, hours in record.locations:
        location = clinic.locations.filter(slug=values["slug"]).first() or Location(clinic=clinic)
        if location.pk is None or any(getattr(location, n) != v for n, v in values.items()):
            for name, value in values.items():
                setattr(location, name, value)
            location._change_reason = LOAD_REASON
            location.save()
        if location_hours(location) != sorted(hours):
            location.hours.all().delete()
            for first, last, opens, closes in hours:
                row = OpeningHours(location=location, first_day=first, last_day=last, opens=opens, closes=closes)
                row._change_reason = LOAD_REASON
                row.save()


def clinic_rows(clinic):
    locations = list(clinic.locations.all())
    return [clinic, *locations, *OpeningHours.objects.filter(location__in=locations)]


def location_hours(location):
    return sorted((h.first_day, h.last_day, h.opens, h.closes) for h in location.hours.all())


def clinic_differs(clinic, record):
    if any(getattr(clinic, n) != v for n, v in record.values.items()):
        return True
    for values, hours in record.locations:
        location = clinic.locations.filter(slug=values["slug"]).first()
        if location is None or any(getattr(location, n) != v for n, v in values.items()):
            return True
        if location_hours(location) != sorted(hours):
            return True
    return False


# --- Writing the database back to files -------------------------------------------------------

LINK_VALUES = {
    "references": lambda obj: [r.key for r in obj.references.order_by("key")],
    "topic": lambda obj: obj.topic.slug if obj.topic else None,
    "topics": lambda obj: [t.slug for t in obj.topics.order_by("slug")],
    "locations": lambda obj: [loc.slug for loc in obj.locations.order_by("order", "name")],
}
LOCATION_KEY_ORDER = ["name", "street_address", "city", "region", "postal_code", "phone"]
WEEKDAY_ABBREVIATIONS = {int(day): name.capitalize() for name, day in WEEKDAY_NAMES.items()}


def front_matter_file(metadata, body):
    text = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
    return f"---\n{text}---\n{body.strip()}\n" if body.strip() else f"---\n{text}---\n"


def export_content(directory):
    """Write every row back to `directory` in the format load_content reads.

    Files of rows that no longer exist are removed, so a later load does not bring back a
    page staff deleted. Returns the number of files written.
    """
    directory = Path(directory)
    written = 0
    for kind in KINDS:
        folder = directory / kind.folder
        folder.mkdir(parents=True, exist_ok=True)
        keep = set()
        for obj in kind.model.objects.all():
            slug = getattr(obj, kind.lookup)
            metadata = {}
            for key, (model_field, _converter, required) in kind.fields.items():
                if key == "slug":
                    continue
                value = getattr(obj, model_field) if model_field else LINK_VALUES[key](obj)
                if key == "published" and value is True:
                    continue  # the default: leave it out, as hand-written files do
                if value in (None, "", []) and not required:
                    continue
                metadata[key] = value
            path = folder / f"{slug}.md"
            path.write_text(front_matter_file(metadata, getattr(obj, kind.body_field)), encoding="utf-8")
            keep.add(path)
            written += 1
        for stale in set(folder.glob("*.md")) - keep:
            stale.unlink()
    clinic = Clinic.objects.order_by("pk").first()
    if clinic:
        metadata = {key: getattr(clinic, key) for key in ("name", "example_data", "phone", "email", "booking_url")}
        metadata["locations"] = [
            {
                **{key: getattr(location, key) for key in LOCATION_KEY_ORDER if getattr(location, key)},
                "hours": [
                    {
                        "days": WEEKDAY_ABBREVIATIONS[h.first_day] if h.first_day == h.last_day
                        else f"{WEEKDAY_ABBREVIATIONS[h.first_day]}-{WEEKDAY_ABBREVIATIONS[h.last_day]}",
                        "opens": f"{h.opens:%H:%M}",
                        "closes": f"{h.closes:%H:%M}",
                    }
                    for h in location.hours.all()
                ],
            }
            for location in clinic.locations.all()
        ]
        (directory / "clinic.md").write_text(front_matter_file(metadata, clinic.about), encoding="utf-8")
        written += 1
    return written
