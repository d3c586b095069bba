"""QR codes for printed sheets, made on the server by segno (no image library, no outside service)."""
from functools import lru_cache

import segno
from django.utils.safestring import mark_safe


def qr_code(url):
    return segno.make_qr(url, error="m")


def qr_svg(url, title):
    """An inline <svg> of the QR code for `url`, sized by CSS (class "qr"). segno escapes the title;
    the rest is segno's own markup, with nothing typed by a person in it."""
    return _qr_svg(str(url), str(title))


# Encoding a QR code (segno tries all 8 masks in pure Python) costs ~4.5 ms of CPU: more
# than the rest of an uncached topic page. The SVG depends only on the address and the
# title, so each process makes it once per (address, title); ~2 KB each, so 4,096 entries
# are ~8 MB at most.
@lru_cache(maxsize=4096)
def _qr_svg(url, title):
    svg = qr_code(url).svg_inline(scale=1, border=4, title=title, svgclass="qr", lineclass=None, omitsize=True)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
