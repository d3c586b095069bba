"""Thin views: fetch what a page shows, hand it to its template.

Every page here is read-only: `require_safe` answers any method but GET and HEAD (OPTIONS,
TRACE, POST...) with 405 and an Allow header, as Django's class-based views do.
"""
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import links, reading_lists, structured_data
from . import search as site_search
from .access import staff_only
from .context_processors import clinic as clinic_context
from .markdown import cited_keys
from .models import Clinic, Condition, FaqEntry, Provider, ReadingList, Reference, Topic


def sources_for(text, references):
    """The references a page lists: those cited in the text first, in citation order."""
    by_key = {ref.key: ref for ref in references}
    cited = [by_key[key] for key in cited_keys(text) if key in by_key]
    return cited + [ref for ref in references if ref not in cited]


# The questions patients ask most, first on the home page (issue 16); unpublished ones are left out.
HOME_QUESTIONS = ["does-it-hurt", "will-i-be-sore", "will-i-bruise", "what-are-the-risks", "how-many-visits",
                  "is-it-covered-by-insurance"]


@require_safe
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


@require_safe
def guide_index(request):
    return render(request, "pages/guide_index.html", {
        "page_obj": list_page(request, Topic.objects.published().only("slug", "title", "summary")),
    })


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.visible_to(request.user), slug=slug)
    references = list(topic.references.all())
    return render(request, "pages/topic_detail.html", {
        "topic": topic,
        "references": sources_for(topic.body, references),
        "faq_entries": topic.faq_entries.published(),
        "structured_data": structured_data.json_ld(structured_data.topic_page(topic, _clinic())),
    })


@require_safe
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


@require_safe
def faq_entry(request, slug):
    entry = get_object_or_404(FaqEntry.objects.visible_to(request.user).select_related("topic"), slug=slug)
    return render(request, "pages/faq_entry.html", {
        "entry": entry,
        "references": _cited_references(entry.answer),
        "structured_data": structured_data.json_ld(structured_data.faq_answer_page(entry, _clinic())),
    })


@require_safe
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


@require_safe
def condition_detail(request, slug):
    condition = get_object_or_404(Condition.objects.visible_to(request.user), slug=slug)
    return render(request, "pages/condition_detail.html", {
        "condition": condition,
        "questions": published_questions(CONDITION_QUESTIONS),
        "topics": condition.topics.published(),
        "references": _cited_references(condition.text),
        "structured_data": structured_data.json_ld(structured_data.condition_page(condition, _clinic())),
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


@require_safe
def search(request):
    query = site_search.clean_query(request.GET.get("q", ""))
    return render(request, "pages/search.html", {
        "query": query,
        "results": site_search.search(query),
    })


@require_safe
def providers(request):
    return render(request, "pages/providers.html", {
        "providers": Provider.objects.published().prefetch_related("locations"),
    })


@require_safe
def locations(request):
    clinic = Clinic.objects.prefetch_related("locations__hours").order_by("pk").first()
    return render(request, "pages/locations.html", {
        "locations": clinic.locations.all() if clinic else [],
    })


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def link_builder(request):
    """Pick pages, get one short link (POST makes the list, then shows it: ?list=<code>)."""
    data = request.POST if request.method == "POST" else request.GET
    form = reading_lists.ReadingListForm(data if request.method == "POST" else None)
    query = data.get("q", "").strip()[:100]
    making = request.method == "POST" and data.get("action") != "filter"
    if making and form.is_valid():
        reading_list = reading_lists.reading_list_for(form.cleaned_data["item"])
        return redirect(f"{reverse('pages:link_builder')}?list={reading_list.code}")
    reading_list = ReadingList.objects.filter(code=request.GET.get("list", "")).first()
    selected = set(data.getlist("item"))
    if reading_list and not selected:
        selected = reading_lists.item_keys(reading_list)
    context = {
        "form": form if making else None,
        "groups": form.groups,
        "query": query,
        "selected_keys": selected,
        "shown": {item.key for group in form.groups for item in group.items
                  if item.key in selected or reading_lists.matches(item, query)},
        "reading_list": reading_list,
    }
    if reading_list:
        clinic = _clinic()
        title = _("Your reading from %(clinic)s") % {"clinic": clinic.name} if clinic else _("Your reading")
        link_items = [links.LinkItem(title, links.absolute_url(reading_list.get_absolute_url()))]
        link_items += [links.LinkItem(item.title, links.absolute_url(item.path))
                       for item in reading_lists.list_items(reading_list)]
        context.update(link_items=link_items, text=links.as_text(link_items), html_snippet=links.as_html(link_items))
    return render(request, "pages/link_builder.html", context)


@require_safe
def reading_list(request, code):
    reading_list = get_object_or_404(ReadingList, code=code)
    return render(request, "pages/reading_list.html", {
        "reading_list": reading_list,
        "items": reading_lists.list_items(reading_list),
    })


@require_safe
def robots_txt(request):
    # Not the admin's address: robots.txt is public, and DJANGO_ADMIN_PATH keeps it out of
    # sight (the admin's own pages tell search engines not to index them).
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ("/staff/", "/markdownx/")),
        f"Sitemap: {links.absolute_url(reverse('pages:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
