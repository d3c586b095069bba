from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .sitemaps import sitemaps

app_name = "pages"

# Short, stable addresses: therapists paste them into emails.
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide_index, name="guide"),
    path("faq/", views.faq_list, name="faq"),
    path("faq/<slug:slug>/", views.faq_entry, name="faq_entry"),
    path("conditions/", views.condition_list, name="conditions"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition"),
    path("search/", views.search, name="search"),
    path("providers/", views.providers, name="providers"),
    path("locations/", views.locations, name="locations"),
    path("staff/links/", views.link_builder, name="link_builder"),
    path("r/<str:code>/", views.reading_list, name="reading_list"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Last: any other single segment is a topic page.
    path("<slug:slug>/", views.topic_detail, name="topic"),
]
