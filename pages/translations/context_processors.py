"""The offer of another edition, on every page a browser that prefers it lands on (issue 24)."""
from django.conf import settings
from django.utils import translation

from .status import SOURCE_LANGUAGE


def language_offer(request):
    """`offer_language`: the language the browser prefers (Accept-Language, or the language
    cookie) when the page is in English and that language is another edition; else None.

    A browser is offered that edition, never sent there: the address a therapist emailed must
    show what it says. The page cache keys every page on this same preference
    (serving.middleware.PageCacheMiddleware uses get_language_from_request too), and
    LocaleMiddleware adds Vary: Accept-Language to every page without a language prefix.
    """
    preferred = translation.get_language_from_request(request)
    offered = translation.get_language() == SOURCE_LANGUAGE != preferred and preferred in dict(settings.LANGUAGES)
    return {"offer_language": preferred if offered else None}
