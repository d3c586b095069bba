"""Template tags for the site's conventions: page metadata, absolute links, the body map."""
from urllib.parse import quote

from django import template
from django.utils.encoding import escape_uri_path

from pages.addresses.links import absolute_url as _absolute_url
from pages.addresses.links import internal_links as _internal_links
from pages.addresses.links import list_page_path
from pages.guide import body_map as body_map_module
from pages.pictures.rendering import render
from pages.text.markdown import text_of

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist  # found by {% extends %}, so a {% block %} inside still works
        self.name = name

    def render(self, context):
        # Stored as plain text, not as markup marked safe: wherever the name is used (an
        # attribute, <title>) the template escapes it again, so nothing a block rendered,
        # even a value marked safe, can end the attribute or add a tag.
        context[self.name] = text_of(self.nodelist.render(context))
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}...{% endcapture %}`: render once, use as often as needed.

    The name holds the block's TEXT (tags dropped, entities decoded), never markup.

    base.html wraps the title and description blocks in it, so the <title>, the description
    and the Open Graph tags all say the same thing.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """SITE_URL plus this page's path: the address search engines should use. The query
    string is dropped, except the page number of a long list after its first page."""
    request = context.get("request")
    path = escape_uri_path(request.path) if request is not None else "/"
    # A page shown under another language's address (not yet translated) names its own.
    path = context.get("canonical_path") or path
    return _absolute_url(list_page_path(path, context.get("page_obj")))


@register.filter
def absolute_url(path):
    return _absolute_url(str(path))


@register.filter
def map_url(location):
    """An OpenStreetMap search for a location's address (no key, no tracking script)."""
    address = f"{location.street_address}, {location.city}, {location.region} {location.postal_code}"
    return "https://www.openstreetmap.org/search?query=" + quote(address, safe="")


@register.filter
def internal_links(markdown_text):
    """(text, absolute URL) of each link to another page of this site in some Markdown."""
    return _internal_links(render(markdown_text).html)


@register.inclusion_tag("pages/_body_map.html")
def body_map():
    """The clickable front/back body outline and the same links as a plain list."""
    return {
        "view_box": body_map_module.VIEW_BOX,
        "decoration": body_map_module.DECORATION,
        "regions": body_map_module.regions(),
    }
