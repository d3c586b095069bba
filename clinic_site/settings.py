"""Settings for the clinic site.

Everything that differs between a laptop and a server comes from environment variables.
The defaults are safe for local development; `DJANGO_DEBUG=0` switches on production
hardening and then requires a real secret key.
"""
import hashlib
import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0 "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Only ever used on a developer's machine: DEBUG is on.
    SECRET_KEY = "django-insecure-development-only-key"

# Signs backups (serving.backup: HMAC-SHA256), so restore_site refuses an archive changed since.
# Kept apart from the archives; set it (and keep it) to restore on an install with another
# DJANGO_SECRET_KEY. Without it, the secret key signs.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "") or SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# Absolute address of the site, used where a link must work outside the site (emails, sitemaps).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# "Was this page helpful?" answers one client address may send an hour (pages.feedback).
try:
    FEEDBACK_PER_HOUR = int(os.environ.get("FEEDBACK_PER_HOUR", 10))
except ValueError:
    raise ImproperlyConfigured(
        f"FEEDBACK_PER_HOUR must be a whole number, not {os.environ.get('FEEDBACK_PER_HOUR')!r}.") from None

INSTALLED_APPS = [
    # The site's plumbing (page cache, health check, backups): no models, never imports pages.
    "serving",
    "pages",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.redirects",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "markdownx",
    "simple_history",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # ETag and 304 answers for every page, cached or not.
    "django.middleware.http.ConditionalGetMiddleware",
    # Counts searches with results, those the page cache answers too (issue 24: searches nobody
    # clicked); only the normalised words and a count (pages/feedback/recording.py).
    "pages.feedback.middleware.SearchCountMiddleware",
    # Patients' pages from the cache, whole: the response as the middleware below finished
    # it (security headers and CSP included), so a hit does less work than a static file.
    "serving.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "serving.middleware.StaffPagesMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for browsers that accept gzip (static files come precompressed from
    # WhiteNoise above): a 47 KB FAQ page travels as about 12 KB to a phone on a slow network.
    "serving.middleware.GZipMiddleware",  # Django's, leaving pictures alone
    # A friendly 503 page, not a traceback, while the database is unreachable.
    "serving.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in the signed-in person's language (their staff profile); patients' pages keep theirs.
    "pages.editing.staff.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: locks out repeated failed admin logins (django-axes).
    "axes.middleware.AxesMiddleware",
    # Records which staff user made each change in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a 404 at a renamed page's old address into a 301 (or a 410 for a deleted one).
    "pages.addresses.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "clinic_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project templates come first so a clinic can override any app template.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.clinic.context_processors.clinic",
                "pages.translations.context_processors.language_offer",
            ],
        },
    },
]

WSGI_APPLICATION = "clinic_site.wsgi.application"

# SQLite by default; DATABASE_URL (e.g. postgres://user:pass@host:5432/clinic) for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///" + os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", 60)),
        conn_health_checks=True,  # a dropped connection is replaced on the next request
    )
}

# Local memory by default; CACHE_URL or REDIS_URL (redis://host:6379/0) shares one cache
# between app servers, so a staff edit clears every server's pages at once.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    # Fails soft (serving.redis_cache): if Redis goes away pages are rendered from the database.
    # Short timeouts: a Redis that hangs must not hold up every page for long.
    CACHES = {"default": {
        "BACKEND": "serving.redis_cache.FailSoftRedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or rediss://, not {CACHE_URL!r}.")
else:
    # Django's default of 300 entries would hold only 300 of a large guide's pages; each
    # entry is about 15 KB, so the default 2,000 is about 30 MB per worker at most.
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "clinic-site",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", 2000))},
    }}
# Part of every cache key. Bump it whenever the shape of a cached value changes or a class
# that is pickled into the cache moves: two servers mid-deploy then use separate keys instead
# of unpickling each other's objects. 2: the code moved into areas (pages.models.*, serving).
CACHES["default"]["VERSION"] = 2
# With the per-process default cache, this file tells every process on the machine that
# content changed (serving.cache). Any path the app can write to; one per database, so two
# sites (or a test run and a server) on one machine do not clear each other's pages.
_database = DATABASES["default"]
_database_id = f"{BASE_DIR}|{_database.get('HOST', '')}|{_database.get('PORT', '')}|{_database.get('NAME', '')}"
CONTENT_VERSION_FILE = Path(
    os.environ.get("CONTENT_VERSION_FILE")
    or Path(tempfile.gettempdir()) / f"clinic-site-{hashlib.sha1(_database_id.encode()).hexdigest()[:10]}.version"
)
# The query parameters pages read (search's `q`, a long list's `page`): the page cache keys on
# these alone. A request carrying any other parameter (?x=1, utm_source=...) is served but never
# stored, so unique junk query strings cannot push real pages out of the cache or fill Redis.
PAGE_CACHE_QUERY_PARAMETERS = env_list("PAGE_CACHE_QUERY_PARAMETERS", ["q", "page"])
# How long a rendered page may be served from the cache; every content change clears it anyway.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 24 * 60 * 60))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 1))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # both: an attacker elsewhere cannot lock you out
# The client's address behind the TLS proxy: exactly TRUSTED_PROXY_COUNT proxies (1: the
# documented set-up, the proxy on this machine; 0: no proxy) at TRUSTED_PROXIES addresses
# write X-Forwarded-For; anything a client writes there itself is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 1))
TRUSTED_PROXY_NETWORKS = [
    ipaddress.ip_network(part.strip())
    for part in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if part.strip()
]
AXES_CLIENT_IP_CALLABLE = "serving.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# The admin's address; a clinic may move it away from the well-known /admin/.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
# Where signing in lands when the sign-in link's `next` is missing or unsafe (another host,
# //host, javascript:): the admin's home, not Django's /accounts/profile/ (a 404 here).
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email (password reset): printed to the console in development; SMTP from the environment
# in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# "Forgotten your password?" requests per hour from one client address, and for one email
# address from anywhere (serving.password_reset); beyond them, 429 until the hour is up.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", 10))
PASSWORD_RESET_PER_ACCOUNT_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_ACCOUNT_PER_HOUR", 3))

# django.contrib.redirects keeps old addresses working; it needs the sites framework.
SITE_ID = 1

# Where load_content reads from when no --path is given.
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))
# The seed pages the content was written from; the originality gate compares against them.
SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", BASE_DIR.parent / "shared" / "seeds"))
# How many guide pages every page's menu lists; beyond that it links to the full list.
MENU_TOPICS = int(os.environ.get("MENU_TOPICS", 20))
# Long lists (the FAQ answers, the index of guide pages) are split into pages of this many,
# so a hospital group's thousands of answers never make one multi-megabyte page; a clinic's own
# FAQ (53 answers) stays one page patients can search with the browser's find.
LIST_PAGE_SIZE = int(os.environ.get("LIST_PAGE_SIZE", 60))
# For a clinic with two clinical editors: a change to a page with the "Call 911" box then
# waits for a second clinical editor, and nobody approves their own (pages.signoff.gate).
CLINICAL_SIGNOFF_SECOND_EDITOR = env_bool("CLINICAL_SIGNOFF_SECOND_EDITOR", False)
# Reading-list codes (/r/<code>/) that do not exist, per client address per minute, before
# that address gets 429 for the rest of the minute (pages.kit: guessing codes is slowed).
READING_LIST_MISSES_PER_MINUTE = int(os.environ.get("READING_LIST_MISSES_PER_MINUTE", 20))
# A topic is due for clinical review this many months after its last review.
REVIEW_INTERVAL_MONTHS = int(os.environ.get("REVIEW_INTERVAL_MONTHS", 12))

# Uploaded images: checked and re-encoded by pages.pictures.images before they are stored.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))

# django-markdownx: staff preview goes through the same sanitising pipeline patients get,
# and uploads are limited to raster images (an SVG can carry script).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "pages.pictures.rendering.render_markdown"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
MARKDOWNX_UPLOAD_MAX_SIZE = IMAGE_UPLOAD_MAX_BYTES
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cross-Origin-Opener-Policy only on staff pages (serving.middleware.StaffPagesMiddleware):
# a patient page holds nothing another window could learn from, and the header makes Chrome
# switch renderer process on arrival, which cost the FAQ page 100-170 ms of Lighthouse's
# Total Blocking Time on a phone profile (98-99 instead of 100).
SECURE_CROSS_ORIGIN_OPENER_POLICY = None
STAFF_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = {
    feature: [] for feature in ["camera", "geolocation", "microphone", "payment", "usb", "interest-cohort"]
}

# Content-Security-Policy (django-csp): scripts only from this site, never inline. Inline
# styles stay allowed: the admin and markdownx set style attributes. Pictures only from this
# site (uploads under /media/, static files): a picture from elsewhere lets its owner see every
# visit, and can change after approval (pages.text.markdown refuses and drops them too).
# Nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Request size limits: image uploads are checked again, more strictly, by pages.pictures.images.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
