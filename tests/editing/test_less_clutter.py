"""Issue 22, less clutter: the approval queue's kinds, history without "None", and page lists
that say each row's language."""
import re

import pytest
from django.urls import reverse

from pages.models import FaqEntry, Topic
from tests.helpers import logged_in, save_in_admin

pytestmark = pytest.mark.django_db


def test_the_queue_filters_by_the_kinds_of_content_that_wait(loaded, make_staff):
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    html = clinician.get(reverse("admin:pages_pendingchange_changelist")).content.decode()
    kinds = html.split('data-filter-title="kind"', 1)[1].split("</details>", 1)[0]
    options = re.findall(r'<a href="\?[^"]*">([^<]+)</a>', kinds)
    assert options == ["All", "condition", "FAQ entry", "red-flag list", "topic page", "visit-sheet note"]


def test_the_queue_kind_filter_narrows_the_list(loaded, make_staff):
    desk = logged_in(make_staff("desk", group="Front desk"))
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    save_in_admin(desk, FaqEntry.objects.get(), answer="Changed.")
    url = reverse("admin:pages_pendingchange_changelist")
    assert len(clinician.get(url + "?kind=faqentry").context["cl"].result_list) == 1
    assert len(clinician.get(url + "?kind=topic").context["cl"].result_list) == 0


def test_history_never_shows_none(staff_client, loaded):
    topic = Topic.objects.get()  # loaded from content/: no user, no reason
    save_in_admin(staff_client, topic, summary="A new summary.")
    html = staff_client.get(reverse("admin:pages_topic_history", args=[topic.pk])).content.decode()
    assert not re.search(r">\s*None\s*<", html)
