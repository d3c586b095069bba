from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import MarkdownifyView

from pages.health import health_check
from pages.uploads import markdownx_upload

# django-markdownx's own urls.py lets anyone preview or upload; here only logged-in staff can,
# and uploads go through the site's image checks (pages.images).
markdownx_urls = [
    path("upload/", markdownx_upload, name="markdownx_upload"),
    path("markdownify/", staff_member_required(MarkdownifyView.as_view()), name="markdownx_markdownify"),
]

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", health_check, name="healthz"),
    path("markdownx/", include(markdownx_urls)),
    # English at the addresses it always had; Spanish under /es/ (Spanish slugs).
    *i18n_patterns(path("", include("pages.urls")), prefix_default_language=False),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
