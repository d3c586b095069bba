"""Uploaded images: checked with Pillow, stripped of metadata, resized once, reused.

Every upload (the Image admin or the Markdown editor's drag-and-drop) goes through
`clean_upload`: the file must really be a JPEG, PNG or WebP within the size and pixel
limits (decompression bombs are refused before they are decoded); it is re-encoded
without EXIF, so no camera or GPS location data reaches the site. Resized WebP copies
(`renditions`) are made once, when the image is saved, and named after it in their own
folder, `renditions/`.
"""
import io
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1440)


def clean_upload(uploaded):
    """Return a safe re-encoded copy of an uploaded image, or raise ValidationError."""
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("This file is %(size)s MB; the limit is %(limit)s MB. Save a smaller copy and try again."),
            params={"size": round(uploaded.size / 1e6, 1), "limit": round(limit / 1e6)},
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            image = PILImage.open(uploaded)
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise PILImage.DecompressionBombError
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG and WebP pictures can be used here, not %(format)s."),
                    params={"format": image.format},
                )
            image.load()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(
            _("This picture is too large (more than %(mp)s million pixels). Save a smaller copy and try again."),
            params={"mp": settings.IMAGE_MAX_PIXELS // 1_000_000},
        ) from None
    except ValueError:
        # Pillow refuses a text or colour-profile chunk that would unpack past its limit
        # (a "zip bomb" of a few KB): as a form error, not a server error.
        raise ValidationError(
            _("This picture carries too much hidden data (text or a colour profile) to be checked. "
              "Save it again as a new JPEG or PNG and try again.")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("This file is not a picture Pillow can read, or it is damaged.")) from None
    return ContentFile(strip_metadata(image), name=safe_name(uploaded.name, image.format))


def strip_metadata(image):
    """Re-encode the pixels alone: EXIF (camera, GPS), JPEG comments (COM) and text chunks are
    left behind; only the colour profile stays, so colours look the same."""
    fmt = image.format
    image = ImageOps.exif_transpose(image)  # keep the picture upright once its EXIF is gone
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Pillow writes a JPEG's comment back from `info` when it saves: keep nothing but the profile.
    image.info = {key: value for key, value in image.info.items() if key == "icc_profile"}
    out = io.BytesIO()
    options = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}[fmt]
    image.save(out, fmt, **options)
    return out.getvalue()


def safe_name(name, fmt):
    stem = PurePosixPath(name).stem[:60] or "image"
    return f"{stem}.{ALLOWED_FORMATS[fmt]}"


RENDITIONS_DIR = "renditions"


def rendition_name(path, width):
    """`images/x.png` -> `renditions/images/x-480w.webp`.

    In a folder of their own, which no upload can reach (uploads go to `images/`): an
    uploaded `x-480w.webp` can never be taken for the copy of a later `x.png`.
    """
    p = PurePosixPath(path)
    return str(PurePosixPath(RENDITIONS_DIR) / p.parent / f"{p.stem}-{width}w.webp")


def make_renditions(path, width):
    """WebP copies at each standard width below the original's; made once, then reused."""
    made = []
    for target in RENDITION_WIDTHS:
        if target >= width:
            break
        name = rendition_name(path, target)
        if not default_storage.exists(name):
            with default_storage.open(path, "rb") as source:
                image = PILImage.open(source)
                image.load()
            image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            image.thumbnail((target, target * 10))
            out = io.BytesIO()
            image.save(out, "WEBP", quality=80)
            default_storage.save(name, ContentFile(out.getvalue()))
        made.append((name, target))
    return made


def srcset(path, width):
    """`srcset` value for an image: its renditions plus the original at full width."""
    entries = [
        f"{default_storage.url(rendition_name(path, w))} {w}w" for w in RENDITION_WIDTHS if w < width
    ]
    return ", ".join([*entries, f"{default_storage.url(path)} {width}w"])
