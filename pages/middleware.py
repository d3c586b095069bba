from django.contrib.redirects.middleware import RedirectFallbackMiddleware as BaseRedirectFallbackMiddleware
from django.shortcuts import render


class RedirectFallbackMiddleware(BaseRedirectFallbackMiddleware):
    """django.contrib.redirects, with a helpful page instead of an empty 410 response."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.status_code == 410 and not response.content:
            return render(request, "410.html", status=410)
        return response
