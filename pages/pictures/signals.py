"""A saved picture gets its resized copies; a deleted picture's files go (connected in
PagesConfig.ready)."""
from django.db import transaction

from ..models import Image
from .images import RENDITION_WIDTHS, make_renditions, rendition_name


def make_image_renditions(sender, instance, raw=False, **kwargs):
    if not raw and instance.file:
        make_renditions(instance.file.name, instance.width)


def remove_image_files(sender, instance, **kwargs):
    """A deleted picture is gone: its file and its copies leave the media folder (once the
    delete is committed, so a rolled-back delete keeps them)."""
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage

    def remove():
        if Image.objects.filter(file=name).exists():
            return  # another row shows the same file
        for path in [name, *(rendition_name(name, width) for width in RENDITION_WIDTHS)]:
            if storage.exists(path):
                storage.delete(path)

    transaction.on_commit(remove)
