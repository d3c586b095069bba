"""The one Markdown pipeline: what staff preview in the editor is what patients see.

Python-Markdown (tables, footnotes, heading ids) turns text into HTML, a tree processor
adds the site's conventions (citations, no second h1, external links, lazy images), and
nh3 then removes anything that could run script, whatever a staff member pasted.

No database here: a picture's size and resized copies come from the `picture_attributes`
function the caller passes in (pages.pictures.rendering does, where patient pages render).
"""
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

CITATION_RE = r"\[@([a-z0-9][a-z0-9-]*)\]"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "ol", "p", "pre", "s", "section", "small", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href", "rel", "class"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "div": {"class"},
    "li": {"id"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def citation_label(key):
    """`gattie-2017` -> `Gattie 2017`, `halle-2016a` -> `Halle 2016a` (a second source by the
    same author that year): the in-text label of a citation."""
    *name, year = key.split("-")
    if not name or not re.fullmatch(r"\d{4}[a-z]?", year):
        return key
    return " ".join(part.capitalize() for part in name) + " " + year


class CitationProcessor(InlineProcessor):
    """`[@gattie-2017]` -> a link to that source in the page's reference list, or only its
    label where links would cost a Tab stop each (the FAQ list: links=False)."""

    def __init__(self, pattern, md, links=True):
        super().__init__(pattern, md)
        self.links = links

    def handleMatch(self, m, data):
        key = m.group(1)
        if not self.links:
            return f"({citation_label(key)})", m.start(0), m.end(0)
        link = etree.Element("a", {"class": "cite", "href": f"#ref-{key}"})
        link.text = f"({citation_label(key)})"
        return link, m.start(0), m.end(0)


class SiteConventions(Treeprocessor):
    def __init__(self, md, picture_attributes=None):
        super().__init__(md)
        self.picture_attributes = picture_attributes

    def run(self, root):
        for element in root.iter():
            if element.tag == "h1":
                # The page title is the only h1; a `#` heading in a body becomes a section.
                element.tag = "h2"
            elif element.tag == "a" and is_external(element.get("href", "")):
                element.set("rel", "noopener")
            elif element.tag == "img":
                element.set("loading", "lazy")
                element.set("decoding", "async")
                if self.picture_attributes is not None:
                    for name, value in (self.picture_attributes(element.get("src", "")) or {}).items():
                        element.set(name, value)


class PatientGuideExtension(Extension):
    def __init__(self, cite_links=True, picture_attributes=None, **kwargs):
        super().__init__(**kwargs)
        self.cite_links = cite_links
        self.picture_attributes = picture_attributes

    def extendMarkdown(self, md):
        # Above the link pattern (160) so `[@key]` is never read as a reference link.
        md.inlinePatterns.register(CitationProcessor(CITATION_RE, md, links=self.cite_links), "citation", 175)
        # After the toc tree processor, so h1 ids are already set.
        md.treeprocessors.register(SiteConventions(md, self.picture_attributes), "site_conventions", 0)


# What a dragged-in picture's alt text says until someone describes the picture.
ALT_PLACEHOLDER = "DESCRIBE THIS PICTURE"


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def picture_exists(src):
    """A site-local picture path names a stored upload or a static file; others are not checked."""
    path = urlsplit(src).path
    if urlsplit(src).scheme or not path.startswith("/"):
        return True  # an external picture: nothing here to look up
    try:
        if path.startswith(settings.MEDIA_URL):
            return default_storage.exists(unquote(path.removeprefix(settings.MEDIA_URL)))
        if path.startswith(settings.STATIC_URL):
            return finders.find(unquote(path.removeprefix(settings.STATIC_URL))) is not None
    except SuspiciousFileOperation:  # `../` out of the media or static folders: none of their files
        return False
    return False


def is_site_address(url):
    """A picture address on this site itself: a path with no host or scheme ("/media/...",
    "/static/..."), never "https://...", "//host/..." or "/\\host/..." (browsers read that as
    "//host"). A picture from anywhere else lets its owner see every visit to the page, and
    can change after the page was approved."""
    return url_has_allowed_host_and_scheme(url, allowed_hosts=set())


def _srcset_addresses(srcset):
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.split()]


def site_pictures_only(tag, attribute, value):
    """nh3's attribute filter: a picture address from another website is dropped."""
    if tag == "img" and attribute == "src" and not is_site_address(value):
        return None
    if tag == "img" and attribute == "srcset" and not all(map(is_site_address, _srcset_addresses(value))):
        return None
    return value


def validate_images_have_alt(text):
    """Every picture on the page as patients get it (Markdown, reference-style or raw <img>)
    has words for people who cannot see it, and is a file the site has."""
    if "![" not in (text or "") and "<img" not in (text or "").lower():
        return  # no picture can come out of the text: skip the render (load_content checks thousands)
    parser = _Images()
    # Rendered with other websites' pictures kept, so the message can name them.
    parser.feed(render_markdown(text or "", site_pictures=False))
    errors = []
    for image in parser.images:
        src = image.get("src", "")
        if (image.get("alt") or "").strip() in ("", ALT_PLACEHOLDER):
            errors.append(ValidationError(
                _("A picture has no description: %(src)s. Write what it shows between the square brackets: "
                  "![A diagram of neck pain](...)."),
                code="image_without_alt", params={"src": src or _("(no address)")},
            ))
        outside = [address for address in [src, *_srcset_addresses(image.get("srcset") or "")]
                   if address and not is_site_address(address)]
        if outside:
            errors.append(ValidationError(
                _("The picture %(src)s is on another website. Patient pages show only pictures kept on this "
                  "site. Upload it under Images (if the clinic may use it) and use the address shown there, "
                  "or remove it."),
                code="image_external", params={"src": outside[0]},
            ))
        elif src and not picture_exists(src):
            errors.append(ValidationError(
                _("The picture %(src)s is not a file on this site (not an uploaded image, not a static file). "
                  "Upload it under Images, or correct the address."),
                code="image_missing", params={"src": src},
            ))
    if errors:
        raise ValidationError(errors)


def is_external(href):
    return urlsplit(href).scheme in {"http", "https"}


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple  # ((level, id, text), ...) for a table of contents


@lru_cache(maxsize=1024)
def render(text, cite_links=True, picture_attributes=None, site_pictures=True):
    """Render Markdown to sanitised HTML and list its section headings.

    cite_links=False gives citations as text, not links (see CitationProcessor).
    picture_attributes(src) -> {attribute: value} adds a picture's size and resized copies.
    Pictures from other websites are dropped (their description stays); only the validator,
    which names them, renders with site_pictures=False."""
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "sane_lists",
            TocExtension(toc_depth="2-3"),
            PatientGuideExtension(cite_links=cite_links, picture_attributes=picture_attributes),
        ],
        output_format="html",
    )
    raw_html = md.convert(text or "")
    safe_html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=site_pictures_only if site_pictures else None,
    )
    headings = tuple(_flatten(md.toc_tokens))
    return Rendered(html=safe_html, headings=headings)


def _flatten(tokens):
    for token in tokens:
        # toc gives names HTML-escaped; templates escape again, so unescape once here.
        yield (token["level"], token["id"], html.unescape(token["name"]))
        yield from _flatten(token["children"])


def render_markdown(text, site_pictures=True):
    """The HTML alone: markdownx's preview function (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    return render(text, site_pictures=site_pictures).html


def text_of(markup):
    """The words of some HTML as a plain str (tags gone, entities decoded, spaces collapsed).

    The result is text, not markup: a template escapes it again wherever it goes, which is
    what keeps a staff member's quotes inside a <meta content="..."> attribute.
    """
    return " ".join(html.unescape(strip_tags(str(markup))).split())


def link_targets(text):
    """The addresses the links of some Markdown lead to, as a browser gets them (rendered and
    sanitised: "tel:9%31%31" is a link that dials 911)."""
    return [unquote(html.unescape(href)) for href in re.findall(r'\shref="([^"]*)"', render(text).html)]


@lru_cache(maxsize=4096)
def render_plain_text(text):
    """Some Markdown as the words a reader sees: for descriptions in <head> and the answers in
    structured data. Remembered (a str from a str): strip_tags was a tenth of /faq/."""
    return text_of(render(text).html)


def cited_keys(text):
    """Reference keys cited with `[@key]`, in order of first appearance."""
    return list(dict.fromkeys(re.findall(CITATION_RE, text or "")))
