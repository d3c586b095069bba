from django.conf import settings
from django.utils import translation

from serving.cache import remembered

from ..models import Clinic, Topic
from .notices import notices_for


def site_chrome():
    """The clinic's details, the guide's menu and the clinic's notices now showing, which every
    page's header and footer show.

    The menu lists the first MENU_TOPICS pages; a large guide (a hospital group's, say) gets a
    link to the full list on the home page instead of thousands of links on every page.
    """
    topics = list(Topic.objects.published().in_language().only("language", "title", "slug")[: settings.MENU_TOPICS + 1])
    return {
        "clinic": Clinic.objects.prefetch_related("locations__hours").order_by("pk").first(),
        "menu_topics": topics[: settings.MENU_TOPICS],
        "menu_has_more": len(topics) > settings.MENU_TOPICS,
        "notices": notices_for(translation.get_language() or settings.LANGUAGE_CODE),
    }


def clinic(request):
    # Kept in this process between content changes (serving.cache.remembered): the same on
    # every page, and 4 queries to build; one per language (the menu lists the guide pages
    # written in the page's language). Never pickled into the shared cache: rows are objects
    # whose class may move between releases. `site_fragments` is the same memo, where
    # {% remembered %} keeps the fragments base.html renders alike on many pages.
    version, memo = remembered()
    chrome = memo.get_or_compute(("site-chrome", translation.get_language()), site_chrome)
    return {**chrome, "chrome_version": version.key, "site_fragments": memo}


def current_clinic():
    """The clinic whose details every page shows (None before any is entered), cached as above."""
    return clinic(None)["clinic"]
