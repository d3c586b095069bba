"""A waiting change as patients will see it (issue 22): the patient page drawn by the guide's own
views and templates (pages.guide.views.render_topic and its siblings), given the row with the
waiting values set on it in memory (pages.signoff.rules.waiting_version), under a banner.

The page is in the page's language, as at its address. The banner is in the language the staff
member reads the admin in (their staff profile; English when they have none), marked with its
own `lang`: it is the one sentence written for them, and a Spanish-reading front desk member
checking an English page, or an English-reading clinical editor checking a Spanish one, must
understand it. Who may see a preview, and what is never stored, is pages.signoff.admin's.
"""
from django.conf import settings
from django.http import Http404
from django.utils import translation

from ..guide import views
from ..models import URGENT_ANSWER, Condition, FaqEntry, RedFlagList, Reference, Topic


def render(request, obj, many, banner):
    """The patient page of `obj` (not saved), or for the red-flag list the 911 answer showing it."""
    banner = {**banner, "language": translation.get_language() or settings.LANGUAGE_CODE}
    with translation.override(obj.language):
        response = page(request, obj, many, banner)
    response["Content-Language"] = obj.language  # the page's, not the admin's (LocaleMiddleware keeps it)
    return response


def preview_context(obj, banner):
    """The page's context, with no remembered fragments (site_tags.remembered): a preview draws
    every part afresh from the waiting values, and leaves nothing in the memo patients' pages
    are drawn from (the "Call 911" box with waiting signs, a waiting title in the menu)."""
    return {**views.supplied_page_context(obj), "preview": banner, "site_fragments": None}


def page(request, obj, many, banner):
    if isinstance(obj, RedFlagList):
        return red_flag_list_page(request, obj, banner)
    context = preview_context(obj, banner)
    if isinstance(obj, Topic):
        references = Reference.objects.filter(pk__in=many["references"]) if "references" in many else None
        return views.render_topic(request, obj, context, references=references)
    if isinstance(obj, FaqEntry):
        return views.render_faq_entry(request, obj, context)
    if isinstance(obj, Condition):
        topics = Topic.objects.filter(pk__in=many["topics"]) if "topics" in many else None
        return views.render_condition(request, obj, context, topics=topics)
    raise Http404


def red_flag_list_page(request, flags, banner):
    """The 911 answer in the list's language (else English), its "Call 911" box showing the
    waiting list: the list has no address of its own, and that page shows all of it."""
    answers = {row.language: row for row in FaqEntry.objects.named(URGENT_ANSWER).published().filter(
        language__in={flags.language, settings.LANGUAGE_CODE})}
    answer = answers.get(flags.language) or answers.get(settings.LANGUAGE_CODE)
    if answer is None:
        raise Http404
    context = {**preview_context(answer, banner), "red_flag_values": flags.as_values()}
    return views.render_faq_entry(request, answer, context)
