from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from markdownx.views import MarkdownifyView

from pages.feedback.views import page_feedback, search_click
from pages.pictures.media import media
from pages.pictures.uploads import markdownx_upload
from serving.access import staff_only
from serving.health import health_check
from serving.password_reset import password_reset_view

# django-markdownx's own urls.py lets anyone preview or upload; here only logged-in staff can,
# and uploads go through the site's image checks (pages.pictures.images).
markdownx_urls = [
    path("upload/", markdownx_upload, name="markdownx_upload"),
    path("markdownify/", staff_only(MarkdownifyView.as_view()), name="markdownx_markdownify"),
]

# "Forgotten your password?" on the admin sign-in page: Django's own reset views and the
# admin's templates for them; the email goes through EMAIL_BACKEND (console in development).
# Asking for one is slowed per address and account, and answered before the email is sent
# (serving.password_reset).
password_reset_urls = [
    path("password_reset/", password_reset_view, name="admin_password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path(settings.ADMIN_PATH, include(password_reset_urls)),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", health_check, name="healthz"),
    # "Was this page helpful?" answers (POST only): not a page, so one address for both languages.
    path("feedback/", page_feedback, name="feedback"),
    # A search result opened: the ping its link sends (POST only, 204, nothing identifying).
    path("feedback/search-click/", search_click, name="search_click"),
    path("markdownx/", include(markdownx_urls)),
    # Uploaded pictures, in development and under gunicorn alike (pages.pictures.media).
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media, name="media"),
    # English at the addresses it always had; Spanish under /es/ (Spanish slugs).
    *i18n_patterns(path("", include("pages.urls")), prefix_default_language=False),
]

# A refused page says why and links back (serving/errors.py).
handler403 = "serving.errors.permission_denied"
