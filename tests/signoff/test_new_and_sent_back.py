"""Issue 22: what a new page and a sent-back change tell the people who wrote them."""
import re

import pytest
from django.urls import reverse

from pages.models import FaqEntry, PendingChange
from tests.helpers import change_form_data, change_url, logged_in, save_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(loaded, make_staff):
    return logged_in(make_staff("desk", group="Front desk"))


@pytest.fixture
def clinician(loaded, make_staff):
    return logged_in(make_staff("clin", group="Clinical editor"))


def add_answer(client):
    url = reverse("admin:pages_faqentry_add")
    data = {**change_form_data(client, url), "question": "Can I drive home?", "slug": "can-i-drive-home",
            "answer": "Yes, most people can.", "category": "aftercare", "order": "5", "published": "on"}
    assert client.post(url, data).status_code == 302
    return FaqEntry.objects.get(slug="can-i-drive-home")


def list_row(html, text):
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.S) if text in row]
    assert len(rows) == 1, f"one row with {text!r}"
    return rows[0]


@pytest.mark.parametrize("who", ["desk", "clinician"])
def test_a_new_answer_is_listed_as_not_yet_reviewed_not_overdue(request, desk, who):
    add_answer(desk)
    browser = request.getfixturevalue(who)
    row = list_row(browser.get(reverse("admin:pages_faqentry_changelist")).content.decode(), "Can I drive home?")
    assert "Not yet reviewed" in row
    assert "overdue" not in row


def test_a_new_answer_says_it_is_a_draft_waiting_for_approval(desk):
    entry = add_answer(desk)
    html = desk.get(change_url(entry)).content.decode()
    assert "Patients still see the approved text" not in html  # there is none yet
    assert "draft waiting for a clinical editor" in html
    assert "Not yet reviewed" in html
    assert "overdue" not in html


def test_the_published_box_of_a_waiting_new_answer_says_it_publishes_on_approval(desk):
    entry = add_answer(desk)
    form = desk.get(change_url(entry)).context["adminform"].form
    assert not entry.published
    assert form["published"].value() is True  # what the author asked for, kept with their text
    assert str(form.fields["published"].label) == "Publish when approved"


def test_a_sent_back_change_has_an_edit_again_link_that_opens_the_authors_text(desk, clinician):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="My new wording, with one figure wrong: 30.1%.")
    change = PendingChange.objects.get()
    clinician.post(reverse("admin:pages_pendingchange_change", args=[change.pk]),
                   {"_send_back": "1", "note": "The study says 3.01%."})
    home = desk.get(reverse("admin:index")).content.decode()
    link = re.search(r'<a href="([^"]+)">Edit again</a>', home)
    assert link, "the note on the admin home links to the form"
    on_page = desk.get(change_url(entry)).content.decode()
    assert re.search(r'<a href="[^"]+">Edit again</a>', on_page)
    form = change_form_data(desk, link.group(1).replace("&amp;", "&"))
    assert form["answer"] == "My new wording, with one figure wrong: 30.1%."
    assert desk.post(change_url(entry), {**form, "answer": "My new wording: 3.01%."}).status_code == 302
    assert PendingChange.objects.get(status="pending").data["answer"] == "My new wording: 3.01%."
    home = desk.get(reverse("admin:index")).content.decode()
    assert "The study says 3.01%." not in home  # the send-back is dealt with: it leaves the list
    assert "Edit again" not in home


def test_edit_again_opens_only_the_authors_own_sent_back_change(desk, clinician, make_staff):
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Desk's text.")
    change = PendingChange.objects.get()
    clinician.post(reverse("admin:pages_pendingchange_change", args=[change.pk]),
                   {"_send_back": "1", "note": "No."})
    other = logged_in(make_staff("other", group="Front desk"))
    form = change_form_data(other, f"{change_url(entry)}?edit_again={change.pk}")
    assert form["answer"] == entry.answer
