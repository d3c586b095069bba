"""Keep emailed links working when staff rename or delete a page; a deleted picture's files go."""
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import redirects
from .cache import bump_content_version
from .images import RENDITION_WIDTHS, make_renditions, rendition_name
from .models import Clinic, Condition, FaqEntry, Image, Location, OpeningHours, Provider, Reference, Topic

PAGE_MODELS = (Topic, FaqEntry, Condition)


@receiver(pre_save)
def remember_old_address(sender, instance, raw=False, **kwargs):
    if sender not in PAGE_MODELS or raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).only("slug").first()
    instance._old_url = old.get_absolute_url() if old else None


@receiver(post_save)
def redirect_old_address(sender, instance, raw=False, **kwargs):
    if sender not in PAGE_MODELS or raw:
        return
    new_url = instance.get_absolute_url()
    old_url = getattr(instance, "_old_url", None)
    if old_url and old_url != new_url:
        redirects.record_move(old_url, new_url)
    elif instance.published:
        redirects.record_live(new_url)


@receiver(post_delete)
def retire_address(sender, instance, **kwargs):
    if sender in PAGE_MODELS and instance.published:
        redirects.record_removal(instance.get_absolute_url())


@receiver(post_save, sender=Image)
def make_image_renditions(sender, instance, raw=False, **kwargs):
    if not raw and instance.file:
        make_renditions(instance.file.name, instance.width)


@receiver(post_delete, sender=Image)
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


# Anything a page shows: a change to any of these clears every cached page (pages.cache).
CACHED_MODELS = (Topic, FaqEntry, Condition, Reference, Clinic, Location, OpeningHours, Provider, Image, Redirect)


@receiver(post_save)
@receiver(post_delete)
def clear_page_cache(sender, raw=False, **kwargs):
    if sender in CACHED_MODELS and not raw:
        bump_content_version()


@receiver(m2m_changed)
def clear_page_cache_on_relations(sender, action, **kwargs):
    if action.startswith("post_") and sender._meta.auto_created and sender._meta.auto_created in CACHED_MODELS:
        bump_content_version()
