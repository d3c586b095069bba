"""Reading lists: the pages a therapist picks for a patient, sent as one short link /r/<code>/.

A list holds page references only. Its code is random (`secrets`), not derived from the
selection: an HMAC of the selection would also give the same code for the same pages, but
it ties every emailed link to SECRET_KEY (rotating the key would make new codes for old
selections) and a truncated hash can collide. The same selection finds the same list through
`ReadingList.selection`, a unique hash of the sorted references, so no duplicates pile up.
"""
import dataclasses
import hashlib
import html
import secrets
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Condition, FaqEntry, ReadingList, Topic
from ..pictures.rendering import render

MAX_ITEMS = 20
# No 0/o, 1/l/i: a code may be typed from a printed sheet. 31**7 is about 27 billion codes.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7

# Checkbox value prefix -> (model, ReadingList field)
KINDS = {"topic": (Topic, "topics"), "faq": (FaqEntry, "faq_entries"), "condition": (Condition, "conditions")}


@dataclass(frozen=True)
class Item:
    key: str  # the checkbox value, "<kind>:<primary key>"
    title: str
    path: str
    summary: str = ""
    language: str = ""  # set when it differs from the page around it (an untranslated page)
    red_flags: bool = False  # the page shows the "Call 911" box: so does a list holding it


@dataclass
class Group:
    section: str
    label: str
    items: list = field(default_factory=list)


def topic_item(topic):
    return Item(f"topic:{topic.pk}", topic.title, topic.get_absolute_url(), topic.summary,
                red_flags=topic.red_flags)


def faq_item(entry, with_summary=False):
    return Item(f"faq:{entry.pk}", entry.question, entry.get_absolute_url(),
                answer_summary(entry.answer) if with_summary else "", red_flags=entry.red_flags)


def condition_item(condition):
    return Item(f"condition:{condition.pk}", condition.name, condition.get_absolute_url(), condition.summary,
                red_flags=condition.red_flags)


def answer_summary(markdown_text, words=30):
    """The start of an answer as plain text: FAQ answers have no summary of their own."""
    text = html.unescape(strip_tags(render(markdown_text).html))
    return Truncator(" ".join(text.split())).words(words)


def in_region_order(conditions):
    rank = {value: index for index, value in enumerate(Condition.BodyRegion.values)}
    return sorted(conditions, key=lambda c: (rank.get(c.body_region, len(rank)), c.name))


def choice_groups():
    """Everything a therapist can send, grouped and ordered as the public site shows it."""
    guide, questions, conditions = _("Guide pages"), _("Questions and answers"), _("Conditions")
    groups = [Group(guide, guide, [topic_item(t) for t in Topic.objects.published()])]
    entries = list(FaqEntry.objects.published().in_reading_order())
    for value, label in FaqEntry.Category.choices:
        groups.append(Group(questions, label, [faq_item(e) for e in entries if e.category == value]))
    published = in_region_order(Condition.objects.published())
    for value, label in Condition.BodyRegion.choices:
        groups.append(Group(conditions, label, [condition_item(c) for c in published if c.body_region == value]))
    return [group for group in groups if group.items]


class ReadingListForm(forms.Form):
    """Only ticks of published pages: nothing a person types can reach a list."""

    item = forms.MultipleChoiceField(
        error_messages={
            "required": _("Tick at least one page, answer or condition."),
            "invalid_choice": _(
                "One of the ticked items (%(value)s) is not published any more. "
                "Untick it or choose again; no link was made."
            ),
        },
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = choice_groups() if groups is None else groups
        self.fields["item"].choices = [(item.key, item.title) for group in self.groups for item in group.items]

    def clean_item(self):
        keys = list(dict.fromkeys(self.cleaned_data["item"]))
        if len(keys) > MAX_ITEMS:
            raise forms.ValidationError(
                ngettext(
                    "A list can hold at most %(max)d item; %(count)d are ticked. Untick some; no link was made.",
                    "A list can hold at most %(max)d items; %(count)d are ticked. Untick some; no link was made.",
                    MAX_ITEMS,
                ),
                code="too_many", params={"max": MAX_ITEMS, "count": len(keys)},
            )
        return keys


def selection_key(keys):
    """The same for the same pages in any order."""
    return hashlib.sha256("\n".join(sorted(set(keys))).encode()).hexdigest()


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def reading_list_for(keys):
    """The list of these (checked, published) items: the existing one, or a new one."""
    key = selection_key(keys)
    for _attempt in range(5):
        existing = ReadingList.objects.filter(selection=key).first()
        if existing:
            return existing
        try:
            with transaction.atomic():
                reading_list = ReadingList.objects.create(code=new_code(), selection=key)
                for kind, (_model, field_name) in KINDS.items():
                    pks = [int(k.split(":", 1)[1]) for k in keys if k.split(":", 1)[0] == kind]
                    if pks:
                        getattr(reading_list, field_name).set(pks)
                return reading_list
        except IntegrityError:
            # Someone made the same list at the same moment, or (rarely) the code was taken.
            continue
    raise RuntimeError("could not make a reading list after 5 attempts")


def list_items(reading_list, language=None):
    """What the list shows today: published items only (unpublished or deleted ones drop out),
    in the public order, each with a short summary. In another language each item is its
    published translation, or the English page at that language's address (it shows there
    under a notice that it is not translated yet)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    rows = [
        (topic_item, list(reading_list.topics.published())),
        (lambda e: faq_item(e, with_summary=True), list(reading_list.faq_entries.published().in_reading_order())),
        (condition_item, in_region_order(reading_list.conditions.published())),
    ]
    if language == settings.LANGUAGE_CODE:
        return [make(row) for make, kind_rows in rows for row in kind_rows]
    items = []
    for make, kind_rows in rows:
        if not kind_rows:
            continue
        model = type(kind_rows[0])
        translated = {row.translation_key: row for row in model.objects.published().filter(
            language=language, translation_key__in=[row.translation_key for row in kind_rows])}
        for row in kind_rows:
            item = make(translated.get(row.translation_key, row))
            if row.translation_key not in translated:
                with translation.override(language):
                    item = dataclasses.replace(item, path=reverse(row.url_name, kwargs={"slug": row.slug}),
                                               language=row.language)
            items.append(item)
    return items


def item_keys(reading_list):
    return {f"{kind}:{pk}" for kind, (_model, name) in KINDS.items()
            for pk in getattr(reading_list, name).values_list("pk", flat=True)}


def matches(item, query):
    """Every word of the search box is in the title (the builder's JS does the same)."""
    title = item.title.casefold()
    return all(word in title for word in query.casefold().split())
