"""Thin views: fetch what a page shows, hand it to its template."""
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import links, structured_data
from . import search as site_search
from .context_processors import clinic as clinic_context
from .markdown import cited_keys
from .models import Clinic, Condition, FaqEntry, Provider, Reference, Topic


def sources_for(text, references):
    """The references a page lists: those cited in the text first, in citation order."""
    by_key = {ref.key: ref for ref in references}
    cited = [by_key[key] for key in cited_keys(text) if key in by_key]
    return cited + [ref for ref in references if ref not in cited]


# The questions patients ask most, first on the home page (issue 16); unpublished ones are left out.
HOME_QUESTIONS = ["does-it-hurt", "will-i-be-sore", "will-i-bruise", "what-are-the-risks", "how-many-visits",
                  "is-it-covered-by-insurance"]


def home(request):
    # The first MENU_TOPICS pages as cards; a larger guide links to its full index.
    topics = list(Topic.objects.published()[: settings.MENU_TOPICS + 1])
    return render(request, "pages/home.html", {
        "questions": published_questions(HOME_QUESTIONS),
        "topics": topics[: settings.MENU_TOPICS],
        "more_topics": len(topics) > settings.MENU_TOPICS,
        "structured_data": _clinic_structured_data(),
    })


def list_page(request, queryset):
    """One page of a long list: ?page=N (anything else gives the nearest real page)."""
    return Paginator(queryset, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))


def guide_index(request):
    return render(request, "pages/guide_index.html", {
        "page_obj": list_page(request, Topic.objects.published().only("slug", "title", "summary")),
    })


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.visible_to(request.user), slug=slug)
    references = list(topic.references.all())
    return render(request, "pages/topic_detail.html", {
        "topic": topic,
        "references": sources_for(topic.body, references),
        "faq_entries": topic.faq_entries.published(),
        "structured_data": structured_data.json_ld(structured_data.topic_page(topic, _clinic())),
    })


def faq_list(request):
    page = list_page(request, FaqEntry.objects.published().in_reading_order().select_related("topic"))
    entries = list(page.object_list)
    groups = [
        (label, [entry for entry in entries if entry.category == value])
        for value, label in FaqEntry.Category.choices
    ]
    return render(request, "pages/faq_list.html", {
        "page_obj": page,
        "groups": [(label, items) for label, items in groups if items],
        "references": _cited_references("".join(e.answer for e in entries)),
        "structured_data": structured_data.json_ld(
            structured_data.faq_page(entries, links.list_page_path(request.path, page))),
    })


def faq_entry(request, slug):
    entry = get_object_or_404(FaqEntry.objects.visible_to(request.user).select_related("topic"), slug=slug)
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


# What every condition page links to: does it hurt, is it safe, how many visits (issue 16).
CONDITION_QUESTIONS = ["does-it-hurt", "what-are-the-risks", "how-many-visits"]


def published_questions(slugs):
    """The published FAQ answers with these slugs, in this order."""
    found = FaqEntry.objects.published().in_bulk(slugs, field_name="slug")
    return [found[slug] for slug in slugs if slug in found]


def condition_detail(request, slug):
    condition = get_object_or_404(Condition.objects.visible_to(request.user), slug=slug)
    return render(request, "pages/condition_detail.html", {
        "condition": condition,
        "questions": published_questions(CONDITION_QUESTIONS),
        "topics": condition.topics.published(),
        "references": _cited_references(condition.text),
    })


def _cited_references(text):
    keys = cited_keys(text)
    by_key = Reference.objects.in_bulk(keys, field_name="key")
    return [by_key[key] for key in keys if key in by_key]


# Finding, contacting and linking: search, the clinic's people and places, staff links.

def _clinic():
    return clinic_context(None)["clinic"]


def _clinic_structured_data():
    clinic = _clinic()
    return structured_data.json_ld(structured_data.medical_clinic(clinic)) if clinic else ""


def search(request):
    query = site_search.clean_query(request.GET.get("q", ""))
    return render(request, "pages/search.html", {
        "query": query,
        "results": site_search.search(query),
    })


def providers(request):
    return render(request, "pages/providers.html", {
        "providers": Provider.objects.published().prefetch_related("locations"),
    })


def locations(request):
    clinic = Clinic.objects.prefetch_related("locations__hours").order_by("pk").first()
    return render(request, "pages/locations.html", {
        "locations": clinic.locations.all() if clinic else [],
    })


@staff_member_required
def link_builder(request):
    topic_items, faq_items = links.link_choices()
    selected = request.GET.getlist("item")
    chosen = links.chosen(topic_items + faq_items, selected)
    return render(request, "pages/link_builder.html", {
        "topic_items": topic_items,
        "faq_items": faq_items,
        "selected_keys": set(selected),
        "chosen": chosen,
        "text": links.as_text(chosen),
        "html_snippet": links.as_html(chosen),
    })


def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in (reverse("admin:index"), "/staff/", "/markdownx/")),
        f"Sitemap: {links.absolute_url(reverse('pages:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
