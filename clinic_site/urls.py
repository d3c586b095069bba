from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from markdownx.views import MarkdownifyView

from pages.access import staff_only
from pages.health import health_check
from pages.media import media
from pages.uploads import markdownx_upload

# django-markdownx's own urls.py lets anyone preview or upload; here only logged-in staff can,
# and uploads go through the site's image checks (pages.images).
markdownx_urls = [
    path("upload/", markdownx_upload, name="markdownx_upload"),
    path("markdownify/", staff_only(MarkdownifyView.as_view()), name="markdownx_markdownify"),
]

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", health_check, name="healthz"),
    path("markdownx/", include(markdownx_urls)),
    # Uploaded pictures, in development and under gunicorn alike (pages.media).
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media, name="media"),
    path("", include("pages.urls")),
]
