"""sitemap.xml: every published page, with addresses built on settings.SITE_URL."""
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .links import site_url
from .models import Condition, FaqEntry, Topic


class SiteUrlSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL, whatever host the request came to."""

    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(site_url())
        return parts.netloc + parts.path  # a site served under a path prefix keeps it


class StaticPagesSitemap(SiteUrlSitemap):
    names = ["pages:home", "pages:guide", "pages:faq", "pages:conditions", "pages:providers", "pages:locations"]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class TopicSitemap(SiteUrlSitemap):
    def items(self):
        return Topic.objects.published().order_by("menu_order", "slug")

    def lastmod(self, topic):
        return topic.last_reviewed


class FaqSitemap(SiteUrlSitemap):
    def items(self):
        return FaqEntry.objects.published().order_by("category", "order", "slug")


class ConditionSitemap(SiteUrlSitemap):
    def items(self):
        return Condition.objects.published().order_by("name", "slug")


sitemaps = {
    "pages": StaticPagesSitemap,
    "topics": TopicSitemap,
    "faq": FaqSitemap,
    "conditions": ConditionSitemap,
}
