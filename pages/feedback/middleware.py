"""Counts every search page with results that patients are served, including those the page
cache answers without reaching the view (it sits above serving.middleware.PageCacheMiddleware)."""
import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import recording


@functools.cache
def search_paths():
    """{the search page's path: its language}: /search/ and /es/buscar/."""
    paths = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths[reverse("pages:search")] = language
    return paths


class SearchCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = search_paths().get(request.path)
        if (language and request.method == "GET" and response.status_code == 200
                and request.GET.get("page", "1") == "1"  # the next page of results is the same search
                and not getattr(response, "search_found_nothing", False)):  # counted as a miss by the view
            recording.record_results_shown(request, request.GET.get("q", ""), language)
        return response
