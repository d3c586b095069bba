"""Reading content files: each file parsed and checked on its own, then the whole folder.

Every file is read and checked before anything is written (see writing.py), so a bad file
changes nothing.
"""
import datetime
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ..models import RESERVED_SLUGS, Clinic, Location
from ..text.markdown import validate_images_have_alt
from .checking import (
    check_duplicates,
    check_links,
    check_provider_locations,
    check_provider_texts,
    check_visit_notes,
)
from .errors import ContentError, ContentErrors
from .kinds import (
    CLINIC_FIELDS,
    ES_PROVIDER_TEXT,
    KINDS,
    LOCATION_FIELDS,
    TOPIC,
    TRANSLATABLE_KINDS,
    WEEKDAY_NAMES,
    Kind,
)

MAX_FILE_BYTES = 1024 * 1024


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


def check_is_content_file(path, root, checked_folders=()):
    """A content file must be a regular file inside the content folder: a FIFO would hang
    the read, a folder or a broken link crash it, and a link out of the folder would load
    whatever file it points to.

    `checked_folders`: folders already found to be inside the content folder (read_content
    checks each kind's folder once). A file in one of them that is itself a regular file,
    not a link, is inside it too: one lstat() instead of resolving every part of the path
    (resolve() cost ~50 µs a file, 0.3 s of a 6,000-file load)."""
    if path.parent in checked_folders:
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                return
        except OSError:
            pass  # the full check below says what is wrong
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        raise ContentError(path, "is a link to a file that does not exist") from None
    except (OSError, RuntimeError) as exc:  # a loop of links, no permission
        raise ContentError(path, f"cannot be read ({exc})") from None
    if not target.is_relative_to(Path(root).resolve()):
        raise ContentError(path, f"is a link to {target}, outside the content folder: copy the file in instead")
    if not stat.S_ISREG(target.stat().st_mode):
        raise ContentError(path, "is not a regular file (a folder, pipe or device): only .md text files are read")


def folder_inside(folder, root):
    """Whether `folder` (followed through any links) is a folder inside `root`."""
    try:
        return folder.resolve(strict=True).is_relative_to(Path(root).resolve()) and folder.is_dir()
    except (OSError, RuntimeError):
        return False


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
    except FrontMatterProblem as exc:
        raise ContentError(path, f"malformed front matter: {exc}", exc.line) from exc
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


class FrontMatterProblem(ValueError):
    """A problem the YAML parser lets through, with the line (of the YAML block) it is on."""

    def __init__(self, message, line):
        super().__init__(message)
        self.line = line


def parse_yaml(text):
    """The front matter's values, and the line each one was written on (one parse for both):
    ("locations", 0, "hours", 1, "opens") -> line, for error messages.

    Refused, with their line: anchors and aliases (a few hundred bytes of nested aliases
    expand to millions of values; content files have no use for them), a key written twice
    (YAML keeps the last silently) and a date that is not a real day."""
    refuse_anchors(text)
    loader = YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        try:
            # One walk records the lines and builds the values: PyYAML's constructor walked the
            # nodes again in Python (with the dates built twice), a third of a load with nothing to change.
            key_lines = {}
            return _read_plain(loader, node, (), key_lines), key_lines
        except _NotPlain:
            key_lines = {}
            _record_lines(loader, node, (), key_lines)
            return loader.construct_document(node), key_lines
    finally:
        loader.dispose()


def refuse_anchors(text):
    if "&" not in text and "*" not in text:
        return  # an anchor is written &name and an alias *name: neither can be here
    for event in yaml.parse(text, Loader=YAML_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise FrontMatterProblem(
                "YAML anchors (&name) and aliases (*name) are not allowed here: write the value out",
                event.start_mark.line + 1,
            )


def _field(key_node, first_lines, path, lines):
    """A field name's path, its line recorded; refuses (naming the line) a name that is not a
    plain word, or one written twice in the same map. Both walks below check fields here."""
    # The YAML block begins with the newline that ends the opening "---" line, hence + 1.
    line = key_node.start_mark.line + 1
    if not isinstance(key_node, yaml.ScalarNode):
        raise FrontMatterProblem("a field name must be a plain word", line)
    if key_node.value in first_lines:
        raise FrontMatterProblem(
            f"duplicate field '{key_node.value}' (first written on line {first_lines[key_node.value]}): keep one",
            line)
    first_lines[key_node.value] = line
    key_path = (*path, key_node.value)
    lines[key_path] = line
    return key_path


class _NotPlain(Exception):
    """A merge key (<<) or a collection tag such as !!set: PyYAML's own constructor builds it."""


MAP, SEQ, STR, MERGE = (f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "merge"))


def _read_plain(loader, node, path, lines):
    """_record_lines and PyYAML's safe constructor in one walk, for the plain maps, lists and
    scalars content files have; raises _NotPlain for anything else."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STR:
            return node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return _timestamp(loader, node, path)
        return loader.construct_object(node)
    if isinstance(node, yaml.MappingNode) and node.tag == MAP:
        first_lines, values = {}, {}
        for key_node, value_node in node.value:
            key_path = _field(key_node, first_lines, path, lines)
            if key_node.tag == MERGE:
                raise _NotPlain
            key = key_node.value if key_node.tag == STR else loader.construct_object(key_node)
            values[key] = _read_plain(loader, value_node, key_path, lines)
        return values
    if isinstance(node, yaml.SequenceNode) and node.tag == SEQ:
        items = []
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            items.append(_read_plain(loader, item, (*path, index), lines))
        return items
    raise _NotPlain


def _timestamp(loader, node, path):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as exc:
        name = f"'{path[-1]}': " if path and isinstance(path[-1], str) else ""
        raise FrontMatterProblem(f"{name}{node.value} is not a real date ({exc})", node.start_mark.line + 1) from None


def _record_lines(loader, node, path, lines):
    # The YAML block begins with the newline that ends the opening "---" line, hence + 1.
    if isinstance(node, yaml.MappingNode):
        first_lines = {}
        for key_node, value_node in node.value:
            key_path = _field(key_node, first_lines, path, lines)
            _record_lines(loader, value_node, key_path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _record_lines(loader, item, (*path, index), lines)
    elif node.tag == "tag:yaml.org,2002:timestamp":
        _timestamp(loader, node, path)


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


# Validators whose answer can change while the value stays the same: whether a picture the
# text shows is still a file the site has.
VALIDATORS_OF_MORE_THAN_THE_VALUE = (validate_images_have_alt,)


def validate_model(source, model, fields, values, exclude=None, stored=False):
    """Run the model's own validation (lengths, choices, URLs, DOIs) on the file's values;
    `fields` maps front-matter keys to model fields, to name the key in the message.

    `stored`: the database already holds exactly these values for this file's row, so they
    passed this validation when they were written, and a load writes nothing for them; only the
    validators whose answer can change with the same value run again (a picture deleted since).
    Half the time of a load with nothing to change was spent validating again what was stored."""
    try:
        if stored:
            validate_what_may_have_changed(model, values)
        else:
            model(**values).full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        reverse_keys = {model_field: key for key, (model_field, _conv, _req) in fields.items() if model_field}
        name, messages = next(iter(exc.message_dict.items()))
        key = reverse_keys.get(name, name)
        line = source.line_of(key) if key in source.metadata else source.body_line
        raise source.error(f"'{key}': {' '.join(messages)}", line=line) from exc


def validate_what_may_have_changed(model, values):
    errors = {}
    for name, value in values.items():
        for validator in model._meta.get_field(name).validators:
            if validator in VALIDATORS_OF_MORE_THAN_THE_VALUE:
                try:
                    validator(value)
                except ValidationError as exc:
                    errors.setdefault(name, []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)


def is_stored(row, values):
    """Whether `row` (a row's column values, or None) holds every one of `values`."""
    return row is not None and all(name in row and row[name] == value for name, value in values.items())


def read_record(path, kind, stored_rows=None):
    """One file, read and checked. `stored_rows`: {slug: column values} of this kind's rows
    in the database (see validate_model), or None to validate every value."""
    source = read_source(path)
    values, links = convert(source, kind.fields, kind.model)
    slug = source.metadata.get("slug") or path.stem
    if slugify(slug) != slug:
        line = source.line_of("slug")
        raise ContentError(path, f"'{slug}' is not a valid slug: use lower-case letters, digits and hyphens", line)
    body = source.body.strip()
    if kind.body_required and not body:
        raise source.error("the Markdown text after the front matter is empty", line=source.body_line)
    values[kind.body_field] = body
    if kind is ES_PROVIDER_TEXT:
        # Named after the English provider's file; the row is linked to it when written.
        links["provider"] = slug
        values["language"] = kind.language
        validate_model(source, kind.model, kind.fields, values, exclude=["provider"])
        return Record(source, kind, slug, values, links)
    values[kind.lookup] = slug
    if kind.base in TRANSLATABLE_KINDS:
        values["language"] = kind.language
    if kind.base is TOPIC and slug in RESERVED_SLUGS:
        raise source.error(f"'{slug}' is used by the site itself; choose another slug", "slug")
    stored = stored_rows is not None and is_stored(stored_rows.get(slug), values)
    validate_model(source, kind.model, kind.fields, values, stored=stored)
    return Record(source, kind, slug, values, links)


# --- Reading the whole folder ---------------------------------------------------------------

def read_content(directory, stored_rows=None):
    """Read and check every content file. Raises ContentErrors listing every problem.

    `stored_rows`: kind -> {slug: column values} of the rows in the database (load_content
    gives it: a file whose values are all stored is not validated again, see validate_model)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentErrors([ContentError(directory, "content folder not found")])
    records, errors = [], []
    for kind in KINDS:
        folder = directory / kind.folder
        checked_folders = {folder} if folder_inside(folder, directory) else set()
        paths = sorted(folder.glob(kind.pattern), key=lambda path: path.name)  # names: Path comparison is slow
        rows = stored_rows(kind) if stored_rows is not None and paths and kind is not ES_PROVIDER_TEXT else None
        for path in paths:
            try:
                check_is_content_file(path, directory, checked_folders)
                records.append(read_record(path, kind, rows))
            except ContentError as exc:
                errors.append(exc)
    clinic = None
    clinic_path = directory / "clinic.md"
    if clinic_path.exists() or clinic_path.is_symlink():
        try:
            check_is_content_file(clinic_path, directory)
            clinic = read_clinic(clinic_path)
        except ContentError as exc:
            errors.append(exc)
    errors += check_duplicates(records)
    if not errors:
        errors += check_links(records)
        errors += check_provider_locations(records, clinic)
        errors += check_provider_texts(records)
        errors += check_visit_notes(records)
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
