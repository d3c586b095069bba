"""Uploaded pictures, served by the app itself so `make serve-prod` (gunicorn alone) shows them.

Django's own `static.serve` does the serving (safe path joining, no directory listings,
If-Modified-Since, a FileResponse that gunicorn sends with sendfile). It answers only for
pictures an Image row owns and for their resized copies, nothing else in MEDIA_ROOT
(no path with '..', no copy whose picture is gone).
A clinic's traffic is small; the larger deployment puts media on object storage (README).
"""
import posixpath
import re

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

from ..models import Image
from .images import RENDITION_WIDTHS, RENDITIONS_DIR, rendition_name

RENDITION = re.compile(rf"{RENDITIONS_DIR}/(?P<original>.+)-(?P<width>\d+)w\.webp")

# A copy's name never changes meaning (made once from an upload whose own name is unique),
# so browsers may keep it for a year; an original may be deleted, so a day.
RENDITION_CACHE = "public, max-age=31536000, immutable"
ORIGINAL_CACHE = "public, max-age=86400"


def is_rendition_of_a_picture(path):
    """Whether an Image row's file has `path` among its resized copies' names."""
    match = RENDITION.fullmatch(path)
    width = int(match["width"]) if match else None
    if width not in RENDITION_WIDTHS:
        return False
    candidates = Image.objects.filter(file__startswith=match["original"] + ".", width__gt=width)
    return any(rendition_name(name, width) == path for name in candidates.values_list("file", flat=True))


@require_safe
def media(request, path):
    # Only plain paths: '..' (or '%2e%2e', which reaches us decoded) could lead from a name
    # that looks like a copy to a file no row owns, such as a deleted picture's.
    if "\\" in path or posixpath.normpath(path) != path or ".." in path.split("/"):
        raise Http404
    upload_dir = Image._meta.get_field("file").upload_to
    if path.startswith(f"{RENDITIONS_DIR}/{upload_dir}") and is_rendition_of_a_picture(path):
        cache_control = RENDITION_CACHE
    elif path.startswith(upload_dir) and Image.objects.filter(file=path).exists():
        cache_control = ORIGINAL_CACHE
    else:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"  # also set by SecurityMiddleware; never sniff an upload
    return response
