"""Keep emailed links working when staff rename or delete a page (connected in PagesConfig.ready)."""
from ..models import Condition, FaqEntry, Topic
from . import redirects

PAGE_MODELS = (Topic, FaqEntry, Condition)


def remember_old_address(sender, instance, raw=False, **kwargs):
    if sender not in PAGE_MODELS or raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).only("slug", "language").first()
    instance._old_url = old.get_absolute_url() if old else None


def redirect_old_address(sender, instance, raw=False, **kwargs):
    if sender not in PAGE_MODELS or raw:
        return
    new_url = instance.get_absolute_url()
    old_url = getattr(instance, "_old_url", None)
    if old_url and old_url != new_url:
        redirects.record_move(old_url, new_url)
    elif instance.published:
        redirects.record_live(new_url)


def retire_address(sender, instance, **kwargs):
    if sender in PAGE_MODELS and instance.published:
        redirects.record_removal(instance.get_absolute_url())
