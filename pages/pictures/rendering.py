"""Markdown as patients get it: the one pipeline (pages.text.markdown) with this site's
pictures sized and given their resized copies, so a page never shifts as a picture loads."""
from django.conf import settings

from ..models import Image
from ..text import markdown
from .images import srcset


def picture_attributes(src):
    """An uploaded picture's width, height and resized copies; nothing for any other address."""
    prefix = f"{settings.MEDIA_URL}images/"
    if not src.startswith(prefix):
        return None
    image = Image.objects.filter(file=src.removeprefix(settings.MEDIA_URL)).first()
    if not (image and image.width):
        return None
    return {
        "width": str(image.width),
        "height": str(image.height),
        "srcset": srcset(image.file.name, image.width),
        "sizes": "(min-width: 44rem) 42rem, 100vw",
    }


def render(text, cite_links=True):
    """`pages.text.markdown.render` with pictures: what every patient page shows."""
    return markdown.render(text, cite_links, picture_attributes)


def render_markdown(text):
    """The HTML alone: markdownx's preview (MARKDOWNX_MARKDOWNIFY_FUNCTION), so what staff
    preview in the editor is what patients see."""
    return render(text).html
