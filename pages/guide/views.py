"""Thin views: fetch what a page shows, hand it to its template.

Every page here is read-only: `require_safe` answers any method but GET and HEAD (OPTIONS,
TRACE, POST...) with 405 and an Allow header, as Django's class-based views do.
"""
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ..addresses import links
from ..clinic.context_processors import current_clinic
from ..models import CONDITION_QUESTIONS, HOME_QUESTIONS, Condition, FaqEntry, Reference, Topic, search_made, stable_key
from ..text.markdown import cited_keys
from ..text.queries import normalised_query
from ..translations.status import SOURCE_LANGUAGE, staleness
from . import search as site_search
from . import structured_data


def sources_for(text, references):
    """The references a page lists: those cited in the text first, in citation order."""
    by_key = {ref.key: ref for ref in references}
    cited = [by_key[key] for key in cited_keys(text) if key in by_key]
    return cited + [ref for ref in references if ref not in cited]




# The guide's first pages the home page lists (the after-care sheet is the 7th), then a link to
# all of them: every page listed made the home page 3.7 screens long on a phone (issue 24).
HOME_TOPICS = 7


@require_safe
def home(request):
    # The first pages as cards; the guide's index has them all.
    shown = min(HOME_TOPICS, settings.MENU_TOPICS)
    topics = list(Topic.objects.published().in_language()[: shown + 1])
    response = render(request, "pages/home.html", {
        "questions": published_questions(HOME_QUESTIONS),
        "topics": topics[:shown],
        "more_topics": len(topics) > shown,
        "structured_data": _clinic_structured_data(),
    })
    # The language offer (pages.translations.context_processors) depends on Accept-Language;
    # LocaleMiddleware says so too, except on an address with a language prefix.
    patch_vary_headers(response, ["Accept-Language"])
    return response


def translated_page(request, queryset, slug):
    """The row at `slug` in the current language, as (row, context).

    One query finds the row and its versions in the other languages (for the language switch
    and hreflang). Under /es/ a page with no Spanish version yet is the English page under a
    notice (not a 404), and the English slug of a page that has a Spanish version leads to it."""
    language = translation.get_language()
    if language != SOURCE_LANGUAGE:
        # staleness() reads a translation's source revision (a history row of ~20 columns):
        # joined in only where there is one to read. An English page has none, and the join
        # doubled the cost of building and reading this query (~0.5 ms a page).
        queryset = queryset.select_related("source_revision")
    versions = {row.language: row for row in queryset.filter(
        translation_key__in=queryset.filter(language=language, slug=slug).values("translation_key"))}
    row = versions.get(language)
    if row is not None:
        return row, translation_context(row, versions)
    if language != SOURCE_LANGUAGE:
        source = queryset.filter(language=SOURCE_LANGUAGE, slug=slug).first()
        if source is not None:
            translated = queryset.filter(language=language, translation_key=source.translation_key).first()
            if translated is not None:
                raise TranslationMoved(translated.get_absolute_url())
            return source, {"page_object": source, "untranslated": True, "content_language": source.language,
                            "canonical_path": source.get_absolute_url()}
    raise Http404


def translation_context(row, versions):
    """What the language switch, hreflang and the "English changed" notice need for `row`,
    given its versions ({language: row}, `row`'s own included)."""
    return {
        "page_object": row,
        "page_versions": {code: other for code, other in versions.items() if other.published or other is row},
        "translation_status": staleness(row, source=versions.get(SOURCE_LANGUAGE)),
    }


def supplied_page_context(row):
    """The translation context of a row a caller supplies instead of finding it by its address
    (a staff preview of a waiting change: `row` holds values that are not saved). The other
    languages are the saved ones; the canonical address is the row's own, whatever the
    request's address."""
    versions = {other.language: other for other in type(row).objects.filter(
        translation_key=row.translation_key).exclude(pk=row.pk).select_related("source_revision")}
    return {**translation_context(row, {**versions, row.language: row}), "canonical_path": row.get_absolute_url()}


class TranslationMoved(Exception):
    """The page asked for has a translation at another address (its own slug)."""

    def __init__(self, url):
        self.url = url


def translated_view(view):
    """A detail view whose /es/<english-slug>/ answers 301 to the Spanish slug once translated,
    so links written before the translation keep working."""
    @functools.wraps(view)
    def wrapper(request, slug):
        try:
            return view(request, slug)
        except TranslationMoved as moved:
            return redirect(moved.url, permanent=True)
    return wrapper


def list_page(request, queryset):
    """One page of a long list: ?page=N (anything else gives the nearest real page)."""
    return Paginator(queryset, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
def guide_index(request):
    return render(request, "pages/guide_index.html", {
        "page_obj": list_page(request, Topic.objects.published().in_language().only(
            "language", "slug", "title", "summary")),
    })


# The sheets patients print (issue 24), by English slug: a Print button (print-button.js) on
# these only, so the other guide pages load no script at all.
PRINTED_SHEETS = {"after-care"}


@require_safe
@translated_view
def topic_detail(request, slug):
    topic, context = translated_page(request, Topic.objects.visible_to(request.user), slug)
    return render_topic(request, topic, context)


def render_topic(request, topic, context, references=None):
    """A guide page for `topic`, found at its address or supplied (with `references`, the
    rows it cites, when they are not the saved ones): the one way a topic page is drawn."""
    references = list(topic.references.all()) if references is None else list(references)
    source = context.get("page_versions", {}).get(SOURCE_LANGUAGE, topic)
    return render(request, "pages/topic_detail.html", {
        **context,
        "topic": topic,
        "print_button": source.slug in PRINTED_SHEETS,
        "references": sources_for(topic.body, references),
        "faq_entries": topic.faq_entries.published(),
        "structured_data": structured_data.json_ld(structured_data.topic_page(topic, current_clinic())),
    })


@require_safe
def faq_list(request):
    page = list_page(request, FaqEntry.objects.published().in_language().in_reading_order())
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
            structured_data.faq_page(entries, links.list_page_path(request.path, page), translation.get_language())),
    })


@require_safe
@translated_view
def faq_entry(request, slug):
    entry, context = translated_page(
        request, FaqEntry.objects.visible_to(request.user).select_related("topic"), slug)
    return render_faq_entry(request, entry, context)


def render_faq_entry(request, entry, context):
    """An answer's own page for `entry`, found at its address or supplied. A `red_flag_values`
    in `context` is the red-flag list its "Call 911" box shows (a preview of a waiting list)."""
    return render(request, "pages/faq_entry.html", {
        **context,
        "entry": entry,
        "references": _cited_references(entry.answer),
        "structured_data": structured_data.json_ld(structured_data.faq_answer_page(entry, current_clinic())),
    })


@require_safe
def condition_list(request):
    conditions = Condition.objects.published().in_language()
    groups = [
        (value, label, [c for c in conditions if c.body_region == value])
        for value, label in Condition.BodyRegion.choices
    ]
    return render(request, "pages/condition_list.html", {
        "groups": [group for group in groups if group[2]],
    })


def published_questions(names):
    """The published FAQ answers the code calls `names` (HOME_QUESTIONS...), in this order, in
    the page's language: found by their stable keys, so a renamed answer stays listed and a page
    given one's old slug never is. Unpublished or untranslated ones are left out."""
    keys = {stable_key(FaqEntry, name): name for name in names}
    found = {keys[e.translation_key]: e for e in FaqEntry.objects.published().in_language().filter(
        translation_key__in=keys)}
    return [found[name] for name in names if name in found]


@require_safe
@translated_view
def condition_detail(request, slug):
    condition, context = translated_page(request, Condition.objects.visible_to(request.user), slug)
    return render_condition(request, condition, context)


def render_condition(request, condition, context, topics=None):
    """A condition's page for `condition`, found at its address or supplied (with `topics`, its
    related topic pages, when they are not the saved ones)."""
    topics = condition.topics.all() if topics is None else topics
    return render(request, "pages/condition_detail.html", {
        **context,
        "condition": condition,
        "questions": published_questions(CONDITION_QUESTIONS),
        "topics": topics.published(),
        "references": _cited_references(condition.text),
        "structured_data": structured_data.json_ld(structured_data.condition_page(condition, current_clinic())),
    })


def _cited_references(text):
    keys = cited_keys(text)
    by_key = Reference.objects.in_bulk(keys, field_name="key")
    return [by_key[key] for key in keys if key in by_key]


# Finding: search.

def _clinic_structured_data():
    clinic = current_clinic()
    return structured_data.json_ld(structured_data.medical_clinic(clinic)) if clinic else ""


# The other box's name, in its own language ("Buscar en español" in the English box).
OTHER_BOX_LABELS = {"es": gettext_lazy("Search in Spanish"), "en": gettext_lazy("Search in English")}


@require_safe
def search(request):
    query = site_search.clean_query(request.GET.get("q", ""))
    findings = site_search.find(query)
    other_box = None
    if findings.other_language:
        with translation.override(findings.other_language):
            other_box = {"url": f"{reverse('pages:search')}?{urlencode({'q': query})}",
                         "label": str(OTHER_BOX_LABELS[findings.other_language]),
                         "language": findings.other_language}
    results = findings.results
    # Each result's link pings this address when followed (no JavaScript; its href stays the
    # page's own address, which therapists copy): the clinic learns which searches nobody opened.
    # Absolute (SITE_URL), as the HTML standard asks of ping addresses.
    words = urlencode({"q": normalised_query(query), "lang": translation.get_language()})
    ping = f"{links.absolute_url(reverse('search_click'))}?{words}"
    response = render(request, "pages/search.html", {
        "ping": ping,
        "query": query,
        "results": findings.results,
        "corrected": findings.corrected,
        "not_found": findings.not_found,
        "other_box": other_box,
    })
    search_made.send(sender=None, request=request, response=response, query=query, results=results)  # issue 24
    return response


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
