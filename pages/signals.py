"""What a change to the site's rows sets off, all connected in one place (PagesConfig.ready).

Each handler lives in its area; here they are connected to the models they watch, by sender,
so a save of any other model (a history record, a session) calls none of them.
"""
from django.apps import apps
from django.contrib.redirects.models import Redirect
from django.core.signals import request_finished
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from serving.cache import bump_content_version

from .addresses import signals as addresses
from .feedback import recording as feedback
from .models import (
    Clinic,
    Condition,
    FaqEntry,
    Image,
    Location,
    Notice,
    NoticeTranslation,
    OpeningHours,
    Provider,
    RedFlagList,
    Reference,
    Reviewed,
    Topic,
    VisitNote,
    check_relation_change_gated,
    search_made,
)
from .pictures import signals as pictures
from .signoff import signals as signoff

# Anything a page shows: a change to any of these clears every cached page (serving.cache).
CACHED_MODELS = (
    Topic, FaqEntry, Condition, RedFlagList, VisitNote, Reference, Clinic, Location, OpeningHours, Provider, Image,
    Redirect, Notice, NoticeTranslation,
)


def clear_page_cache(sender, raw=False, **kwargs):
    if not raw:
        bump_content_version()


def clear_page_cache_on_relations(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_content_version()


def connect():
    for model in addresses.PAGE_MODELS:
        uid = f"pages.{model._meta.model_name}"
        pre_save.connect(addresses.remember_old_address, sender=model, dispatch_uid=f"{uid}.remember_old_address")
        post_save.connect(addresses.redirect_old_address, sender=model, dispatch_uid=f"{uid}.redirect_old_address")
        post_delete.connect(addresses.retire_address, sender=model, dispatch_uid=f"{uid}.retire_address")
        post_delete.connect(signoff.withdraw_edits_of_deleted_pages, sender=model,
                            dispatch_uid=f"{uid}.withdraw_edits_of_deleted_pages")
    post_save.connect(pictures.make_image_renditions, sender=Image, dispatch_uid="pages.image.make_renditions")
    post_delete.connect(pictures.remove_image_files, sender=Image, dispatch_uid="pages.image.remove_files")
    for model in CACHED_MODELS:
        uid = f"{model._meta.label_lower}.clear_page_cache"
        post_save.connect(clear_page_cache, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(clear_page_cache, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(clear_page_cache_on_relations, sender=field.remote_field.through,
                                dispatch_uid=f"{uid}.{field.name}")
    # The relations (references, related topics) of what patients read: only the gate changes them.
    for model in apps.get_app_config("pages").get_models():
        if not issubclass(model, Reviewed):
            continue
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(check_relation_change_gated, sender=field.remote_field.through,
                                dispatch_uid=f"{model._meta.label_lower}.{field.name}.gated")
    # What patients could not find (issue 24): the search view says what it found.
    search_made.connect(feedback.record_search, dispatch_uid="pages.search.record_miss")
    request_finished.connect(feedback.flush_counts_when_due, dispatch_uid="pages.search.flush_counts")
