from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.utils import translation
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from .addresses.redirects import OLD_PATH_WORDS
from .clinic import views as clinic_views
from .guide import views
from .guide.sitemaps import sitemaps
from .kit import views as kit_views

# Every public address of the site, in one place (the views live in their areas). The name
# stays "pages", so every reverse("pages:...") and {% url "pages:..." %} keeps working.
app_name = "pages"

# Path words are translated (the .po gives /es/preguntas/ for faq/); English keeps its own.
ROUTES = [
    (pgettext_lazy("URL path", "guide/"), views.guide_index, "guide"),
    (pgettext_lazy("URL path", "faq/"), views.faq_list, "faq"),
    (pgettext_lazy("URL path", "faq/<slug:slug>/"), views.faq_entry, "faq_entry"),
    (pgettext_lazy("URL path", "conditions/"), views.condition_list, "conditions"),
    (pgettext_lazy("URL path", "conditions/<slug:slug>/"), views.condition_detail, "condition"),
    (pgettext_lazy("URL path", "search/"), views.search, "search"),
    (pgettext_lazy("URL path", "providers/"), clinic_views.providers, "providers"),
    (pgettext_lazy("URL path", "locations/"), clinic_views.locations, "locations"),
]


def untranslated(route):
    with translation.override(settings.LANGUAGE_CODE):
        return str(route)


# Short, stable addresses: therapists paste them into emails.
urlpatterns = [
    path("", views.home, name="home"),
    *(path(route, view, name=name) for route, view, name in ROUTES),
    # A Spanish address written with the English path words (/es/faq/duele/, links made before
    # the words were translated) answers 301 to the Spanish words, query kept. In English the
    # translated patterns above match first, so these are never reached there.
    *(path(untranslated(route), RedirectView.as_view(pattern_name=f"pages:{name}", permanent=True,
                                                          query_string=True),
           name=OLD_PATH_WORDS)
      for route, _view, name in ROUTES),
    path("staff/links/", kit_views.link_builder, name="link_builder"),
    path("r/<str:code>/", kit_views.reading_list, name="reading_list"),
    path("staff/visit-sheet/", kit_views.visit_sheet_builder, name="visit_sheet_builder"),
    path("v/<str:code>/", kit_views.visit_sheet, name="visit_sheet"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Last: any other single segment is a topic page.
    path("<slug:slug>/", views.topic_detail, name="topic"),
]
