"""The site's own address, SITE_URL, is the one every absolute link uses.

django.contrib.sites keeps a domain too ("View on site" in the admin, redirects, sitemaps);
after every migrate it is set from SITE_URL, so the two never disagree. A production site
whose SITE_URL still points at this machine would email links nobody can open: a deploy check
error says what to set.
"""
from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.sites.models import SITE_CACHE
from django.core.checks import Error

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", ""})


def site_domain():
    """SITE_URL's host and port, e.g. clinic.example.org or 127.0.0.1:8000."""
    return urlsplit(settings.SITE_URL).netloc


def sync_site_domain(using="default", apps=None, **kwargs):
    """post_migrate: the Site row (SITE_ID) gets SITE_URL's domain."""
    apps = apps or global_apps
    try:
        Site = apps.get_model("sites", "Site")
    except LookupError:  # the sites app is not migrated yet in this run
        return
    domain = site_domain()
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": domain}
    )
    SITE_CACHE.clear()


def check_site_url(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    raw = settings.SITE_URL
    parts = urlsplit(raw)
    if parts.scheme in ("http", "https") and (parts.hostname or "") not in LOCAL_HOSTS:
        return []
    return [Error(
        f"SITE_URL is {raw!r}, which is not the site's public address: links in emails, the sitemap "
        "and the admin's 'View on site' would point at this machine.",
        hint="Set the SITE_URL environment variable to the address patients use, e.g. "
             "SITE_URL=https://clinic.example.org",
        id="pages.E001",
    )]
