"""Writing checked content into the database: all or nothing, and idempotent.

The writes happen in one transaction, so a bad file changes nothing; a second load of the
same files finds every row unchanged and writes nothing.
"""
from dataclasses import dataclass, field

from django.db import transaction

from serving.cache import bump_content_version, one_bump_for_many_changes

from ..addresses import redirects
from ..models import Clinic, Location, OpeningHours, Provider, ProviderTranslation, Reference, Topic, stable_key
from ..signoff import gate
from ..translations.status import revision_matching
from .kinds import (
    CONDITION,
    ES_CONDITION,
    ES_FAQ,
    ES_PROVIDER_TEXT,
    ES_RED_FLAGS,
    ES_TOPIC,
    ES_VISIT_NOTE,
    FAQ,
    KINDS,
    PROVIDER,
    RED_FLAGS,
    REFERENCE,
    TOPIC,
    TRANSLATABLE_KINDS,
    VISIT_NOTE,
)
from .reading import read_content

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


def load_content(directory, force=False):
    """Read `directory` and create or update rows to match it, all or nothing.

    A row whose latest revision was made in the admin (not by a load) is left alone and
    reported, so a staff edit is never overwritten by an older file; `force=True` overwrites
    it, and the staff version stays in the row's history.
    """
    records, clinic = read_content(directory, stored_rows=stored_rows)
    report = LoadReport()
    # The files are the clinic's own source, checked by the content gates: they load as they are,
    # through the publishing gate's door for trusted sources.
    with one_bump_for_many_changes(), transaction.atomic(), gate.trusted_source("load_content"):
        by_kind = {kind: [r for r in records if r.kind is kind] for kind in KINDS}
        save_records(REFERENCE, by_kind[REFERENCE], report, force=force)
        references = {r.key: r for r in Reference.objects.all()}

        def topic_links(record):
            return {"references": [references[k] for k in record.links.get("references", [])]}

        # Each kind's English files first, then their translations, which need the English
        # rows (translation_key, source_revision). A translation links to rows in its language.
        for topic_kind in (TOPIC, ES_TOPIC):
            save_records(topic_kind, by_kind[topic_kind], report, force=force, links=topic_links)
        topics = {(t.language, t.slug): t for t in Topic.objects.all()}
        for faq_kind in (FAQ, ES_FAQ):
            for record in by_kind[faq_kind]:
                record.values["topic"] = topics.get((faq_kind.language, record.links.get("topic")))
            save_records(faq_kind, by_kind[faq_kind], report, force=force)
        for list_kind in (RED_FLAGS, ES_RED_FLAGS, VISIT_NOTE, ES_VISIT_NOTE):
            save_records(list_kind, by_kind[list_kind], report, force=force, links=topic_links)
        for condition_kind in (CONDITION, ES_CONDITION):
            save_records(condition_kind, by_kind[condition_kind], report, force=force,
                         links=lambda record, language=condition_kind.language: {
                             "topics": [topics[(language, s)] for s in record.links.get("topics", [])]})
        if clinic:
            save_clinic(clinic, report, force=force)
        locations = {loc.slug: loc for loc in Location.objects.all()}
        save_records(PROVIDER, by_kind[PROVIDER], report, force=force,
                     links=lambda record: {"locations": [locations[s] for s in record.links.get("locations", [])]})
        save_provider_texts(by_kind[ES_PROVIDER_TEXT], report, force=force)
    return report


def stored_rows(kind):
    """{slug: column values} of the rows `kind`'s files write (values, not model instances:
    cheaper for thousands of rows)."""
    rows = kind.model.objects.all()
    if kind.base in TRANSLATABLE_KINDS:
        rows = rows.filter(language=kind.language)
    return {row[kind.lookup]: row for row in rows.values()}


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
    related = [f.name for f in model._meta.concrete_fields if f.many_to_one and f.name != "source_revision"]
    many = [f.name for f in model._meta.many_to_many]
    rows = model.objects.select_related(*related).prefetch_related(*many)
    if kind.base in TRANSLATABLE_KINDS:
        rows = rows.filter(language=kind.language)
    existing = {getattr(row, lookup): row for row in rows}
    if kind.source is not None:
        link_translations(kind, records)
    new_rows, changed_rows = [], []
    for record in records:
        label = f"{kind.folder}/{record.slug}".lstrip("/")
        instance, m2m = existing.get(record.slug), links(record)
        if instance is None:
            values = record.values
            if kind.source is None and "translation_key" in {f.name for f in model._meta.fields}:
                # An English page: the key of its file's slug, which the code names it by.
                values = {"translation_key": stable_key(model, record.slug), **values}
            new_rows.append((model(**values), m2m))
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


def link_translations(kind, records):
    """Give each translation its English row's key, and the English revision it was made
    from: the newest whose text has the file's `source_hash` (none: the English text it
    was made from was never loaded, so it shows as out of date)."""
    if not records:
        return  # nothing to link: no need to read every English row
    model = kind.model
    english = {row.slug: row for row in model.objects.filter(language=kind.source.language)}
    for record in records:
        source = english[record.links["translation_of"]]
        revision = revision_matching(model, source, record.links["source_hash"])
        record.values["translation_key"] = source.translation_key
        record.values["source_revision_id"] = revision.pk if revision else None


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
    # A page at an address of its own; its address is worked out only if some redirect could
    # take it (a first load has none: 6,000 addresses for nothing).
    if getattr(model, "url_name", "") and redirects.any_redirects():
        redirects.record_live(*(instance.get_absolute_url() for instance in instances if instance.published))
    bump_content_version()


def save_provider_texts(records, report, force=False):
    """Create or update providers' texts in other languages to match their files (a handful
    of rows: one save each, with its history)."""
    providers = {provider.slug: provider for provider in Provider.objects.all()}
    existing = {(text.provider_id, text.language): text for text in ProviderTranslation.objects.all()}
    for record in records:
        label = f"{record.kind.folder}/{record.slug}"
        provider = providers[record.links["provider"]]
        text = existing.get((provider.pk, record.values["language"]))
        if text is None:
            text = ProviderTranslation(provider=provider, **record.values)
            report.created.append(label)
        elif all(getattr(text, name) == value for name, value in record.values.items()):
            report.unchanged.append(label)
            continue
        else:
            revision = staff_revision(text)
            if revision and not force:
                report_conflict(report, label, revision)
                continue
            for name, value in record.values.items():
                setattr(text, name, value)
            report.updated.append(label)
        text._change_reason = LOAD_REASON
        text.save()


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
