"""QR codes for printed sheets, made on the server by segno (no image library, no outside service)."""
import segno
from django.utils.safestring import mark_safe


def qr_code(url):
    return segno.make_qr(url, error="m")


def qr_svg(url, title):
    """An inline <svg> of the QR code for `url`, sized by CSS (class "qr"). segno escapes the title;
    the rest is segno's own markup, with nothing typed by a person in it."""
    svg = qr_code(url).svg_inline(scale=1, border=4, title=title, svgclass="qr", lineclass=None, omitsize=True)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
