"""Absolute links for use outside the site: emails from therapists, sitemaps, print.

Every absolute address is built on settings.SITE_URL, never on the request's host, so a
link pasted into an email always points at the real site.
"""
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.utils.html import escape


def site_url():
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def absolute_url(path):
    """`/after-care/` -> `https://clinic.example/after-care/` (absolute URLs are left alone)."""
    if "://" in path or path.startswith(("mailto:", "tel:")):
        return path
    return site_url() + (path if path.startswith("/") else "/" + path)


@dataclass(frozen=True)
class LinkItem:
    title: str
    url: str  # absolute


def list_page_path(path, page):
    """The address of one page of a long list: the list's own for page 1, else ?page=N."""
    return path if page is None or page.number == 1 else f"{path}?page={page.number}"


def as_text(items):
    """One `Title — URL` line per item, ready to paste into a plain-text email or message."""
    return "\n".join(f"{item.title} — {item.url}" for item in items)


def as_html(items):
    """The same as an HTML list, for rich email; titles and addresses HTML-escaped."""
    lines = [f'  <li><a href="{escape(item.url)}">{escape(item.title)}</a></li>' for item in items]
    return "<ul>\n" + "\n".join(lines) + "\n</ul>" if lines else ""


class _InternalLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self._href = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self._href, self._text = href, []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), absolute_url(self._href)))
            self._href = None


def internal_links(html):
    """(text, absolute URL) of each link to another page of the site in some rendered HTML."""
    parser = _InternalLinks()
    parser.feed(html or "")
    parser.close()
    seen, links = set(), []
    for text, url in parser.links:
        if url not in seen:
            seen.add(url)
            links.append((text, url))
    return links
