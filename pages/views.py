"""Thin views: fetch what a page shows, hand it to its template."""
from django.shortcuts import get_object_or_404, render

from .markdown import cited_keys
from .models import Condition, FaqEntry, Reference, Topic


def sources_for(text, references):
    """The references a page lists: those cited in the text first, in citation order."""
    by_key = {ref.key: ref for ref in references}
    cited = [by_key[key] for key in cited_keys(text) if key in by_key]
    return cited + [ref for ref in references if ref not in cited]


def home(request):
    return render(request, "pages/home.html", {
        "topics": Topic.objects.published(),
        "regions": Condition.BodyRegion.choices,
    })


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    references = list(topic.references.all())
    return render(request, "pages/topic_detail.html", {
        "topic": topic,
        "references": sources_for(topic.body, references),
        "faq_entries": topic.faq_entries.published(),
        "conditions": topic.conditions.published(),
    })


def faq_list(request):
    entries = FaqEntry.objects.published().select_related("topic")
    groups = [
        (label, [entry for entry in entries if entry.category == value])
        for value, label in FaqEntry.Category.choices
    ]
    return render(request, "pages/faq_list.html", {
        "groups": [(label, items) for label, items in groups if items],
        "references": _cited_references("".join(e.answer for e in entries)),
    })


def faq_entry(request, slug):
    entry = get_object_or_404(FaqEntry.objects.published().select_related("topic"), slug=slug)
    return render(request, "pages/faq_entry.html", {
        "entry": entry,
        "references": _cited_references(entry.answer),
    })


def condition_list(request):
    conditions = Condition.objects.published()
    groups = [
        (value, label, [c for c in conditions if c.body_region == value])
        for value, label in Condition.BodyRegion.choices
    ]
    return render(request, "pages/condition_list.html", {
        "groups": [group for group in groups if group[2]],
    })


def condition_detail(request, slug):
    condition = get_object_or_404(Condition.objects.published(), slug=slug)
    return render(request, "pages/condition_detail.html", {
        "condition": condition,
        "topics": condition.topics.published(),
        "references": _cited_references(condition.text),
    })


def _cited_references(text):
    keys = cited_keys(text)
    by_key = Reference.objects.in_bulk(keys, field_name="key")
    return [by_key[key] for key in keys if key in by_key]
