from .models import Clinic, Topic


def clinic(request):
    """The clinic's details and the guide's menu, which every page's header and footer show."""
    clinic = Clinic.objects.prefetch_related("locations__hours").order_by("pk").first()
    return {
        "clinic": clinic,
        "menu_topics": Topic.objects.published().only("title", "slug"),
    }
