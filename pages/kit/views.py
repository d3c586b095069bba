"""What therapists hand patients: the link builder (staff) and the reading list it makes (/r/<code>/),
the visit sheet builder (staff) and the visit's after-care sheet (/v/<code>/)."""
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from serving import rate_limit
from serving.access import staff_only
from serving.client_address import client_address

from ..addresses import links
from ..clinic.context_processors import current_clinic
from ..models import ReadingList, VisitSheet
from . import reading_lists, visit_sheets


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
    ticked_order = data.get("order", "") if selected else ""
    if reading_list and not selected:
        selected = reading_lists.item_keys(reading_list)
        ticked_order = reading_list.order
    context = {
        "form": form if making else None,
        "groups": form.groups,
        "query": query,
        "selected_keys": selected,
        "ticked_order": " ".join(key for key in str(ticked_order).split() if key in selected),
        "shown": {item.key for group in form.groups for item in group.items
                  if item.key in selected or reading_lists.matches(item, query)},
        "reading_list": reading_list,
    }
    if reading_list:
        # The same list in the patient's language: its page and each item's address under /es/.
        languages = dict(settings.LANGUAGES)
        language = request.GET.get("language")
        language = language if language in languages else settings.LANGUAGE_CODE
        clinic = current_clinic()
        with translation.override(language):
            title = _("Your reading from %(clinic)s") % {"clinic": clinic.name} if clinic else _("Your reading")
            link_items = [links.LinkItem(title, links.absolute_url(reading_list.get_absolute_url()))]
            link_items += [links.LinkItem(item.title, links.absolute_url(item.path))
                           for item in reading_lists.list_items(reading_list, language)]
        context.update(link_items=link_items, text=links.as_text(link_items), html_snippet=links.as_html(link_items),
                       link_language=language, link_languages=settings.LANGUAGES)
    return render(request, "pages/link_builder.html", context)


def found_or_miss(request, model, code):
    """The reading list or visit sheet with this code, or the 429 for an address that keeps
    missing: codes are random, so a miss is counted (one count for both kinds of link) and an
    address that keeps missing is slowed for every code alike, so a refusal tells nothing about
    which codes exist. Raises Http404 for a code that is not there."""
    address = client_address(request)
    wait = rate_limit.retry_after("reading-list-misses", address, settings.READING_LIST_MISSES_PER_MINUTE)
    if wait:
        return rate_limit.too_many_requests(wait)
    found = model.objects.filter(code=code).first()
    if found is None:
        rate_limit.count("reading-list-misses", address)
        raise Http404
    return found


@require_safe
def reading_list(request, code):
    # Codes are random (reading_lists.CODE_LENGTH); an address that keeps missing is slowed,
    # for every code alike, so a refusal tells nothing about which codes exist.
    reading_list = found_or_miss(request, ReadingList, code)
    if isinstance(reading_list, HttpResponse):
        return reading_list
    items = reading_lists.list_items(reading_list, translation.get_language())
    return render(request, "pages/reading_list.html", {
        "reading_list": reading_list,
        "items": items,
        "red_flags": any(item.red_flags for item in items),
    })


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def visit_sheet_builder(request):
    """Tick the areas treated today, get the visit's after-care sheet as one short link."""
    form = visit_sheets.VisitSheetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sheet = visit_sheets.visit_sheet_for(**form.cleaned_data)
        return redirect(f"{reverse('pages:visit_sheet_builder')}?sheet={sheet.code}")
    sheet = VisitSheet.objects.filter(code=request.GET.get("sheet", "")).first()
    if sheet and request.method != "POST":
        form = visit_sheets.VisitSheetForm(initial={
            "areas": sheet.area_list, "electric": sheet.electric, "languages": sheet.languages})
    return render(request, "pages/visit_sheet_builder.html", {
        "form": form, "sheet": sheet,
        "sheet_url": links.absolute_url(sheet.get_absolute_url()) if sheet else "",
    })


@require_safe
def visit_sheet(request, code):
    sheet = found_or_miss(request, VisitSheet, code)  # the same miss limiter as /r/<code>/
    if isinstance(sheet, HttpResponse):
        return sheet
    if request.path != sheet.get_absolute_url():
        return redirect(sheet.get_absolute_url())  # a Spanish sheet under /es/, the others without
    parts = [visit_sheets.sheet_in(sheet, language) for language in visit_sheets.sheet_languages(sheet)]
    return render(request, "pages/visit_sheet.html", {
        "sheet": sheet,
        "parts": parts,
        # The call button first, as on guide pages with the box: on the first screen at any text size.
        "shows_call_911": True,
        # Español / English leads to that language's part of this sheet (the sheet is at one address).
        "languages_on_page": {part["language"]: f"sheet-heading-{part['language']}" for part in parts},
    })
