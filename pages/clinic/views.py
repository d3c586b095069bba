"""The clinic's people and places: who does dry needling, and where and when to come."""
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from ..models import Clinic, Provider


@require_safe
def providers(request):
    language = translation.get_language()
    providers = list(Provider.objects.published().prefetch_related("locations", "translations"))
    return render(request, "pages/providers.html", {
        "providers": [(provider, provider.text_for(language)) for provider in providers],
    })


@require_safe
def locations(request):
    clinic = Clinic.objects.prefetch_related("locations__hours").order_by("pk").first()
    return render(request, "pages/locations.html", {
        "locations": clinic.locations.all() if clinic else [],
    })
