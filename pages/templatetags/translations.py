"""The language switch and the alternates search engines read (hreflang, og:locale)."""
import functools

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

from pages.addresses.links import absolute_url, list_page_path
from pages.translations.status import OG_LOCALES, answer_url, language_name, translations_of

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context):
    """This page in each language: [{code, name, url, available, current}].

    A guide page, answer or condition links to its own translation (another slug); a page
    not yet translated links to the English page under the other language's notice
    (`available` false). Other pages (home, lists, search) are the same address under /es/;
    a page that holds several languages (`languages_on_page`) links to its parts."""
    request = context.get("request")
    current = translation.get_language()
    on_page = context.get("languages_on_page")
    if on_page is not None:
        # A page holding its languages itself (a visit sheet in English and Spanish): each links
        # to its own part, by its anchor; a language the page does not hold is not offered.
        return [{"code": code, "name": language_name(code), "url": f"#{anchor}",
                 "absolute_url": absolute_url(request.path if request else "/") + f"#{anchor}",
                 "available": True, "current": code == current} for code, anchor in on_page.items()]
    row = context.get("page_object")
    versions = context.get("page_versions") or (translations_of(row) if row is not None else {})
    languages = []
    for code, _name in settings.LANGUAGES:
        if row is not None:
            available = code in versions
            if available:
                url = versions[code].get_absolute_url()
            else:
                with translation.override(code):
                    url = reverse(row.url_name, kwargs={"slug": row.slug})
        else:
            available = True
            # The same address in the other language; of the query only a list's page number
            # (a search's words are not repeated into links).
            path = request.path if request else "/"
            url = list_page_path(translated_path(path, code, current), context.get("page_obj"))
            # No such page (Django's 404 view passes `request_path`): that language's home.
            if code != current and (url == path or "request_path" in context):
                with translation.override(code):
                    url = reverse("pages:home")
        if code == current and context.get("untranslated"):
            available = False
        languages.append({
            "code": code, "name": language_name(code), "url": url, "absolute_url": absolute_url(url),
            "available": available, "current": code == current,
        })
    return languages


@functools.lru_cache(maxsize=1024)
def translated_path(path, code, current):
    """translate_url(path, code) under the `current` language, kept: it resolves and reverses
    the path (about 0.1 ms), and the URL patterns are fixed while the process runs."""
    return translate_url(path, code)


@register.simple_tag
def og_locale(code=None):
    return OG_LOCALES.get(code or translation.get_language(), "en_US")


@register.simple_tag
def name_of_language(code):
    return language_name(code)


@register.simple_tag
def answer_link(slug):
    """The address of a fixed FAQ answer (English `slug`) in the page's language:
    {% answer_link "when-to-call-911" %} is /es/preguntas/cuando-llamar-al-911/ on a Spanish page."""
    return answer_url(slug)
