"""sitemap.xml: every published page, with addresses built on settings.SITE_URL."""
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from ..addresses.links import absolute_url, site_url
from ..models import Condition, FaqEntry, Topic


class SiteUrlSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL, whatever host the request came to."""

    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(site_url())
        return parts.netloc + parts.path  # a site served under a path prefix keeps it


class AlternatesSitemap(SiteUrlSitemap):
    """Each address with its versions in every language (<xhtml:link hreflang>)."""

    def versions(self, item):
        raise NotImplementedError

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            versions = self.versions(url["item"])
            url["alternates"] = [{"lang_code": code, "location": absolute_url(path)} for code, path in versions]
            if settings.LANGUAGE_CODE in dict(versions):
                url["alternates"].append(
                    {"lang_code": "x-default", "location": absolute_url(dict(versions)[settings.LANGUAGE_CODE])})
        return urls


class StaticPagesSitemap(AlternatesSitemap):
    names = ["pages:home", "pages:guide", "pages:faq", "pages:conditions", "pages:providers", "pages:locations"]

    def items(self):
        return [(name, code) for code, _label in settings.LANGUAGES for name in self.names]

    def location(self, item):
        name, code = item
        with translation.override(code):
            return reverse(name)

    def versions(self, item):
        return [(code, self.location((item[0], code))) for code, _label in settings.LANGUAGES]


class TranslatedRowsSitemap(AlternatesSitemap):
    """The published rows of a model in every language; translations are alternates. A page's
    clinical review date is when its content last changed in substance."""

    def rows(self):
        raise NotImplementedError

    def items(self):
        rows = list(self.rows())
        self._by_key = {}
        for row in rows:
            self._by_key.setdefault(row.translation_key, []).append(row)
        return rows

    def versions(self, row):
        return [(other.language, other.get_absolute_url()) for other in self._by_key[row.translation_key]]

    def lastmod(self, page):
        return page.last_reviewed


class TopicSitemap(TranslatedRowsSitemap):
    def rows(self):
        return Topic.objects.published().order_by("language", "menu_order", "slug")


class FaqSitemap(TranslatedRowsSitemap):
    def rows(self):
        return FaqEntry.objects.published().order_by("language", "category", "order", "slug")


class ConditionSitemap(TranslatedRowsSitemap):
    def rows(self):
        return Condition.objects.published().order_by("language", "name", "slug")


sitemaps = {
    "pages": StaticPagesSitemap,
    "topics": TopicSitemap,
    "faq": FaqSitemap,
    "conditions": ConditionSitemap,
}
