"""Issue 10: FAQ answers and conditions carry a review date and reviewer, as topic pages do."""
import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from pages.content import ContentErrors, load_content
from pages.models import Condition, FaqEntry, StaffProfile, Topic
from tests.helpers import as_loaded, response_form_data

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def json_ld(html):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


@pytest.mark.parametrize("url", ["/faq/does-it-hurt/", "/conditions/neck-pain/"])
def test_answer_and_condition_pages_show_last_and_next_review(client, loaded, url):
    html = client.get(url).content.decode()
    assert "Last reviewed Nov. 2, 2026 by Physical therapist, DPT." in html
    assert "Next review due Nov. 2, 2027." in html


@pytest.mark.parametrize("url, page_type", [("/faq/does-it-hurt/", "FAQPage"),
                                            ("/conditions/neck-pain/", "MedicalWebPage")])
def test_answer_and_condition_json_ld_say_when_and_by_whom_they_were_reviewed(client, loaded, url, page_type):
    data = json_ld(client.get(url).content.decode())
    assert data["@type"] == page_type
    assert data["lastReviewed"] == "2026-11-02"
    assert data["reviewedBy"] == {"@type": "Person", "jobTitle": "Physical therapist, DPT",
                                  "worksFor": {"@type": "MedicalClinic", "name": "Test Clinic"}}


@pytest.mark.parametrize("relative", ["faq/does-it-hurt.md", "conditions/neck-pain.md"])
def test_loader_requires_a_review_date_for_answers_and_conditions(content_dir, relative):
    path = content_dir / relative
    path.write_text(path.read_text().replace("last_reviewed: 2026-11-02\n", ""))
    with pytest.raises(ContentErrors, match=f"{relative}:1: missing required field 'last_reviewed'"):
        load_content(content_dir)


def test_review_due_lists_answers_and_conditions_too(loaded, capsys):
    with as_loaded():
        FaqEntry.objects.update(last_reviewed=datetime.date(2025, 1, 10))
    with as_loaded():
        Condition.objects.update(last_reviewed=datetime.date(2025, 1, 20))
    call_command("review_due", "--today=2026-12-01")
    out = capsys.readouterr().out
    assert "2 page(s) due for review on 2026-12-01:" in out
    # Longest overdue first; the topic (next due 2027-11-02) is not listed.
    assert out.index("/faq/does-it-hurt/  due 2026-01-10") < out.index("/conditions/neck-pain/  due 2026-01-20")
    assert "what-is-dry-needling" not in out


def test_admin_home_lists_overdue_answers_and_conditions(staff_client, loaded):
    with as_loaded():
        FaqEntry.objects.update(last_reviewed=datetime.date(2020, 1, 1))
    with as_loaded():
        Condition.objects.update(last_reviewed=datetime.date(2020, 1, 1))
    html = staff_client.get(reverse("admin:index")).content.decode()
    section = html[html.index('id="review-due"'):]
    assert reverse("admin:pages_faqentry_change", args=[FaqEntry.objects.get().pk]) in section
    assert reverse("admin:pages_condition_change", args=[Condition.objects.get().pk]) in section
    assert "What is dry needling?" not in section


@pytest.mark.parametrize("model", [FaqEntry, Condition])
def test_admin_lists_show_next_review_sortable_with_overdue_warning(staff_client, loaded, model):
    with as_loaded():
        model.objects.update(last_reviewed=datetime.date(2020, 1, 1))
    url = reverse(f"admin:pages_{model._meta.model_name}_changelist")
    html = staff_client.get(url).content.decode()
    assert "column-next_review_due" in html and "2021-01-01 ⚠ overdue" in html
    assert 'class="sortable column-next_review_due' in html


@pytest.mark.parametrize("model", [FaqEntry, Condition])
def test_clinical_editor_marks_answers_and_conditions_reviewed(loaded, make_staff, model):
    clin = make_staff("clin", group="Clinical editor")
    StaffProfile.objects.create(user=clin, reviewer_title="Physical therapist, DPT")
    client = logged_in(clin)
    page = model.objects.get()
    response = client.post(reverse(f"admin:pages_{model._meta.model_name}_changelist"),
                           {"action": "mark_reviewed", "_selected_action": [page.pk]})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.last_reviewed == datetime.date.today()
    assert page.reviewed_by == "clin, Physical therapist, DPT"
    assert page.history.first().history_change_reason == "Marked reviewed by clin"


def test_front_desk_cannot_set_review_dates_and_a_new_answer_is_due_at_once(loaded, make_staff):
    client = logged_in(make_staff("desk", group="Front desk"))
    changelist = client.get(reverse("admin:pages_faqentry_changelist")).content.decode()
    assert "mark_reviewed" not in changelist
    add_url = reverse("admin:pages_faqentry_add")
    data = {**response_form_data(client.get(add_url)), "question": "Can I swim after?", "slug": "swim",
            "answer": "Wait a day.", "category": "aftercare", "order": "5", "published": "on"}
    assert client.post(add_url, data).status_code == 302
    entry = FaqEntry.objects.get(slug="swim")
    assert entry.reviewed_by == "Not yet reviewed"
    assert entry.next_review_due == datetime.date.today()


def test_migration_marks_existing_answers_and_conditions_due_for_review(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("pages", "0006_topic_slug_not_reserved")])
    old_apps = executor.loader.project_state([("pages", "0006_topic_slug_not_reserved")]).apps
    old_apps.get_model("pages", "FaqEntry").objects.create(
        question="Old?", slug="old", answer="Yes.", category="about", order=1)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    entry = FaqEntry.objects.get(slug="old")
    assert entry.reviewed_by == "Not yet reviewed"
    assert entry.next_review_due == datetime.date.today()
    assert entry in FaqEntry.objects.all().due_for_review(datetime.date.today())
    assert not Topic.objects.exists()


def test_answer_and_condition_sitemap_lastmod_is_the_review_date(client, loaded):
    with as_loaded():
        FaqEntry.objects.update(last_reviewed=datetime.date(2026, 3, 4))
    with as_loaded():
        Condition.objects.update(last_reviewed=datetime.date(2026, 5, 6))
    xml = client.get("/sitemap.xml").content.decode()
    assert re.search(r"/faq/does-it-hurt/</loc>\s*<lastmod>2026-03-04</lastmod>", xml)
    assert re.search(r"/conditions/neck-pain/</loc>\s*<lastmod>2026-05-06</lastmod>", xml)


def test_a_page_reviewed_on_february_29_is_due_on_february_28_a_year_later(loaded):
    with as_loaded():
        FaqEntry.objects.update(last_reviewed=datetime.date(2024, 2, 29))
    assert FaqEntry.objects.due_for_review(datetime.date(2025, 2, 27)) == []
    assert [e.slug for e in FaqEntry.objects.due_for_review(datetime.date(2025, 2, 28))] == ["does-it-hurt"]


def test_a_page_no_clinician_has_reviewed_says_so_and_claims_no_review(client, loaded):
    entry = FaqEntry.objects.get()
    entry.mark_not_reviewed(datetime.date.today())
    with as_loaded():
        entry.save()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Not yet reviewed by a clinician." in html
    assert "Last reviewed" not in html and f"by {FaqEntry.NOT_REVIEWED}" not in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "lastReviewed" not in data and "reviewedBy" not in data
