"""Uploaded pictures, served by the app itself so `make serve-prod` (gunicorn alone) shows them.

Django's own `static.serve` does the serving (safe path joining, no directory listings,
If-Modified-Since, a FileResponse that gunicorn sends with sendfile). It answers only for
pictures an Image row owns and for their resized copies, nothing else in MEDIA_ROOT.
A clinic's traffic is small; the larger deployment puts media on object storage (README).
"""
from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

from .images import RENDITIONS_DIR
from .models import Image

# A copy's name never changes meaning (made once from an upload whose own name is unique),
# so browsers may keep it for a year; an original may be deleted, so a day.
RENDITION_CACHE = "public, max-age=31536000, immutable"
ORIGINAL_CACHE = "public, max-age=86400"


@require_safe
def media(request, path):
    upload_dir = Image._meta.get_field("file").upload_to
    if path.startswith(f"{RENDITIONS_DIR}/{upload_dir}") and path.endswith(".webp"):
        cache_control = RENDITION_CACHE
    elif path.startswith(upload_dir) and Image.objects.filter(file=path).exists():
        cache_control = ORIGINAL_CACHE
    else:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"  # also set by SecurityMiddleware; never sniff an upload
    return response
