"""Renamed pages answer 301 and deleted ones 410, with a page that says so."""
from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware as BaseRedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import render


class RedirectFallbackMiddleware(BaseRedirectFallbackMiddleware):
    """django.contrib.redirects, with a helpful page instead of an empty 410 response."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.status_code == 404 and request.META.get("QUERY_STRING"):
            response = self.redirect_keeping_query(request, response)
        if response.status_code == 410 and not response.content:
            return render(request, "410.html", status=410)
        return response

    def redirect_keeping_query(self, request, response):
        """An old address with a query string (?utm_source=email, ?fbclid=...) still redirects.

        Django's middleware looks up the path *with* its query, which no stored redirect has;
        here the path alone is looked up and the query travels on to the new page.
        """
        paths = [request.path]
        if settings.APPEND_SLASH and not request.path.endswith("/"):
            paths.append(request.path + "/")
        found = Redirect.objects.filter(site=get_current_site(request), old_path__in=paths)
        redirect = min(found, key=lambda r: paths.index(r.old_path), default=None)
        if redirect is None:
            return response
        if redirect.new_path == "":
            return self.response_gone_class()
        joiner = "&" if "?" in redirect.new_path else "?"
        return self.response_redirect_class(f"{redirect.new_path}{joiner}{request.META['QUERY_STRING']}")
