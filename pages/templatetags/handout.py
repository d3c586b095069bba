from django import template

from pages.addresses.links import absolute_url
from pages.kit.qr import qr_svg

register = template.Library()


@register.simple_tag
def qr_code(path, title):
    """The QR code of a page's absolute address (on SITE_URL), as inline SVG."""
    return qr_svg(absolute_url(path), title)
