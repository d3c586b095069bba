import re

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from pages.models import RedFlagList
from pages.pictures.rendering import render
from pages.text.markdown import render_plain_text

register = template.Library()


@register.filter
def markdown(text):
    """Render Markdown through the site's one sanitising pipeline."""
    return mark_safe(render(text).html)  # nh3 has already removed anything unsafe


@register.filter
def plain_text(text):
    """Some Markdown as the words a reader sees, as a plain str: for <meta> descriptions and
    other attributes. It is not marked safe, so the template escapes it where it is used."""
    return render_plain_text(text)


@register.filter
def markdown_cites_as_text(text):
    """Like `markdown`, with citations as text, not links: for lists of many answers, where a
    link per citation would be a Tab stop each between a question and the next."""
    return mark_safe(render(text, cite_links=False).html)  # nh3 has already removed anything unsafe


@register.simple_tag
def headings(text, level=2):
    """The (id, text) of each section heading at `level`, for an "On this page" list."""
    return [(anchor, name) for lvl, anchor, name in render(text).headings if lvl == level]


@register.filter
def first_sentence(text):
    """The opening sentence of a summary, for lists where the whole paragraph is too long."""
    match = re.match(r"(.+?[.!?])(\s|$)", text or "", re.DOTALL)
    return match.group(1) if match else text


@register.simple_tag(takes_context=True)
def red_flag_list(context):
    """The one red-flag list in the page's language (else English), as plain values; on a staff
    preview of a waiting change to the list, the waiting list (`red_flag_values`, never saved)."""
    supplied = context.get("red_flag_values")
    return supplied if supplied is not None else RedFlagList.objects.values_for(translation.get_language())
