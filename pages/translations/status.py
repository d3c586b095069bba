"""Translations of guide pages, answers and conditions, and whether they are out of date.

A translation is its own row (pages.models.base.Translatable) sharing `translation_key` with its
English source. It records `source_revision`, the English row's history revision it was made
from. It is *out of date* when the English row's translatable fields now differ from that
revision's: a new warning in the English must not go unnoticed in the Spanish.
"""
import difflib
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from serving.cache import cached

from ..models import FaqEntry

SOURCE_LANGUAGE = settings.LANGUAGE_CODE  # translations are made from the English

# For og:locale: the site is written for readers in the US.
OG_LOCALES = {"en": "en_US", "es": "es_US"}


def translatable_values(model, row):
    """The translatable fields of `row` (a model instance, a historical revision or a dict)."""
    get = row.get if isinstance(row, dict) else (lambda name: getattr(row, name))
    return [get(name) or "" for name in model.translatable_fields]


def fingerprint(model, row):
    """12 hex digits that change whenever a translatable field changes (content files'
    `source_hash`, so a file can name the English text it was translated from)."""
    text = json.dumps(translatable_values(model, row), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def source_of(row):
    """The English row a translation was made from (None for an English row or an orphan)."""
    if row.language == SOURCE_LANGUAGE:
        return None
    return type(row).objects.filter(translation_key=row.translation_key, language=SOURCE_LANGUAGE).first()


def translations_of(row, published_only=True):
    """{language: row} of every version of `row`, itself included."""
    rows = type(row).objects.filter(translation_key=row.translation_key)
    if published_only:
        rows = rows.filter(published=True)
    found = {other.language: other for other in rows}
    found.setdefault(row.language, row)
    return found


def named_answer_slug(name, language):
    """The slug, now, of the published `language` version of the FAQ answer the code calls
    `name` (e.g. URGENT_ANSWER), found by its stable key; None if there is none (one query)."""
    return FaqEntry.objects.published().named(name).filter(language=language).values_list("slug", flat=True).first()


def answer_url(name, language=None):
    """The address of the FAQ answer the code calls `name` (URGENT_ANSWER...) on a page in
    `language` (default: the current one): its published translation's own address, with no
    redirect hop on the way; else the English answer's slug under that language (the English
    answer under a notice there). Found by stable key, never by slug: renaming the answer keeps
    every link, and no other page can take its place. Cached until content changes."""
    language = language or translation.get_language() or SOURCE_LANGUAGE

    def find():
        slug = named_answer_slug(name, language) or named_answer_slug(name, SOURCE_LANGUAGE) or name
        with translation.override(language):
            return reverse("pages:faq_entry", kwargs={"slug": slug})

    return cached(f"answer-url:{language}:{name}", find)


def latest_revision(row):
    return row.history.order_by("-history_date", "-history_id").first()


def revision_matching(model, row, source_hash):
    """The newest revision of English `row` whose translatable fields have `source_hash`."""
    for revision in row.history.order_by("-history_date", "-history_id"):
        if fingerprint(model, revision) == source_hash:
            return revision
    return None


@dataclass
class Staleness:
    """What changed in the English since a translation was made."""

    translation: models.Model
    source: models.Model
    changed_on: object  # datetime of the English row's latest revision

    def diff(self):
        """[(field label, [(kind, words), ...])] for each translatable field that changed;
        kind is "same", "removed" or "added"."""
        model = type(self.source)
        old = self.translation.source_revision
        before = translatable_values(model, old) if old else [""] * len(model.translatable_fields)
        after = translatable_values(model, self.source)
        changes = []
        for name, old_text, new_text in zip(model.translatable_fields, before, after, strict=True):
            if old_text != new_text:
                changes.append((model._meta.get_field(name).verbose_name, word_diff(old_text, new_text)))
        return changes


def staleness(row, source=None):
    """A Staleness if `row` is a translation whose English has changed since, else None.
    `source`: the English row, when the caller has it already."""
    if row.language == SOURCE_LANGUAGE:
        return None
    source = source or source_of(row)
    if source is None:
        return None
    model = type(row)
    revision = row.source_revision
    if revision is not None and translatable_values(model, revision) == translatable_values(model, source):
        return None
    latest = latest_revision(source)
    return Staleness(row, source, latest.history_date if latest else None)


def out_of_date(model):
    """Every translation of `model` whose English changed since it was made (two queries,
    and one more per out-of-date translation for the date the English changed)."""
    translations = list(model.objects.exclude(language=SOURCE_LANGUAGE).select_related("source_revision"))
    sources = {row.translation_key: row for row in model.objects.filter(
        language=SOURCE_LANGUAGE, translation_key__in=[t.translation_key for t in translations])}
    found = []
    for row in translations:
        source = sources.get(row.translation_key)
        stale = staleness(row, source=source) if source is not None else None
        if stale:
            found.append(stale)
    return found


def marked_updated(row):
    """The change that says the translator has brought `row` in step with the English as it is
    now ({"source_revision": ...}), or None for a row that is not a translation. It hides the
    public "the English changed" notice, so it is made through the publishing gate like any
    other change (pages.translations.admin)."""
    source = source_of(row)
    if source is None:
        return None
    revision = latest_revision(source)
    return {"source_revision": revision.pk if revision else None}


def draft_of(row, language):
    """An unpublished, unsaved copy of English `row` in `language` for a translator to translate
    (its source revision is the English as it is now), with {relation: pks} to give it; None if
    one exists already. Saved through the publishing gate (pages.translations.admin)."""
    model = type(row)
    if model.objects.filter(translation_key=row.translation_key, language=language).exists():
        return None
    slug = row.slug
    if model.objects.filter(language=language, slug=slug).exists():
        slug = f"{slug}-{language}"
    values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    source = latest_revision(row)
    values.update(language=language, slug=slug, published=False, source_revision_id=source.pk if source else None)
    if "topic_id" in values and row.topic_id:  # an answer's "read more": the page in the same language
        same = type(row.topic).objects.filter(translation_key=row.topic.translation_key, language=language).first()
        values["topic_id"] = same.pk if same else None
    relations = {}
    if hasattr(model, "references"):
        relations["references"] = sorted(row.references.values_list("pk", flat=True))
    return model(**values), relations


def word_diff(old, new):
    """[(kind, text)] turning `old` into `new`, word by word."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", " ".join(new_words[b1:b2])))
    return parts


def language_name(code):
    """A language's name in that language ("Español"), as a language switch shows it."""
    name = translation.get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]  # "español" starts a menu item: "Español"
