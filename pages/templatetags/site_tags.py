"""Template tags for the site's conventions: page metadata, absolute links, the body map."""
from urllib.parse import quote

from django import template
from django.template.loader_tags import BlockNode
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.safestring import mark_safe

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


class RememberedNode(template.Node):
    # Not searched by {% extends %} for blocks (there are none inside: see `remembered`), so
    # the walk every extending page makes over base.html skips what is inside.
    child_nodelists = ()

    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        memo = context.get("site_fragments")
        if memo is None:  # a page rendered without the context processors (e.g. the 500 page)
            return self.nodelist.render(context)
        key = ("fragment", self.name, translation.get_language(), *(v.resolve(context) for v in self.vary_on))
        # Kept as a plain string (it was rendered, and escaped, by the template).
        return mark_safe(memo.get_or_compute(key, lambda: str(self.nodelist.render(context))))


@register.tag
def remembered(parser, token):
    """`{% remembered "name" [value ...] %}...{% endremembered %}`: the block rendered once per
    content version, language and values, then kept in this process as text
    (serving.cache.remembered, through the `site_fragments` the clinic context processor
    gives every page).

    Like {% cache %}, without its key hashing and shared-cache round trip. Everything the block
    shows must come from content (which changes the version), the language or the values
    named: never from the request, the user or the time."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("Usage: {% remembered \"name\" [value ...] %}...{% endremembered %}")
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% remembered %} cannot hold a {% block %}: keep it outside")
    return RememberedNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])


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
