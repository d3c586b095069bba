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


class ReviewedSitemap(SiteUrlSitemap):
    """A page's clinical review date is when its content last changed in substance."""

    def lastmod(self, page):
        return page.last_reviewed


class TopicSitemap(ReviewedSitemap):
    def items(self):
        return Topic.objects.published().order_by("menu_order", "slug")


class FaqSitemap(ReviewedSitemap):
    def items(self):
        return FaqEntry.objects.published().order_by("category", "order", "slug")


class ConditionSitemap(ReviewedSitemap):
    def items(self):
        return Condition.objects.published().order_by("name", "slug")


sitemaps = {
    "pages": StaticPagesSitemap,
    "topics": TopicSitemap,
    "faq": FaqSitemap,
    "conditions": ConditionSitemap,
}
