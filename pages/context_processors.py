from .cache import cached
from .models import Clinic, Topic


def site_chrome():
    """The clinic's details and the guide's menu, which every page's header and footer show."""
    return {
        "clinic": Clinic.objects.prefetch_related("locations__hours").order_by("pk").first(),
        "menu_topics": list(Topic.objects.published().only("title", "slug")),
    }


def clinic(request):
    # Cached between content changes: the same on every page, and 4 queries to build.
    return cached("site-chrome", site_chrome)
