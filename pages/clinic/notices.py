"""The clinic's notices ("Closed Dec 24-26"): which ones patient pages show now.

A page shows the notices whose `showing` box is set, read with the header's cached data
(context_processors.site_chrome), so a cached page costs no query for them. `showing` changes
only by a write, which changes the content version: a notice that starts or ends at its time
(`update_notices`, run by `publish_scheduled`) reaches every cached page at once.
"""
from django.db import transaction
from django.utils import timezone

from ..models import Notice


def notices_for(language):
    """[(text, its language)] of the notices pages in `language` show now."""
    return [notice.text_for(language) for notice in Notice.objects.showing().prefetch_related("translations")]


@transaction.atomic
def update_notices(now=None):
    """Start the notices whose time has come and end those whose time is over. Returns
    (started, ended), lists of notices; running it twice changes nothing the second time.
    One write for each (ContentQuerySet.update changes the content version)."""
    now = now or timezone.now()
    notices = list(Notice.objects.select_for_update().all())
    started = [notice for notice in notices if notice.due_to_show(now) and not notice.showing]
    ended = [notice for notice in notices if notice.showing and not notice.due_to_show(now)]
    if started:
        Notice.objects.filter(pk__in=[notice.pk for notice in started]).update(showing=True)
    if ended:
        Notice.objects.filter(pk__in=[notice.pk for notice in ended]).update(showing=False)
    return started, ended
