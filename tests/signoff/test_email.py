"""Issue 22 (email): clinical editors hear what waits for them in one email an hour at most;
authors hear when their change is approved or sent back; anyone can turn both off."""
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from pages.models import Condition, FaqEntry, PendingChange, StaffProfile, Topic
from pages.signoff import gate, propose
from tests.helpers import as_loaded, change_form_data, change_url, logged_in, save_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(loaded, make_staff):
    return {
        "desk": make_staff("tran", group="Translator"),
        "clin": make_staff("clin", group="Clinical editor"),
        "rosa": make_staff("rosa", group="Clinical editor"),
    }


@pytest.fixture
def desk(people):
    """The author: a translator (who may change pages, answers and conditions; none goes live)."""
    return logged_in(people["desk"])


@pytest.fixture
def clinician(people):
    return logged_in(people["clin"])


def digest():
    out = StringIO()
    call_command("send_review_digest", stdout=out)
    return out.getvalue()


def emails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def links_in(body):
    return re.findall(r"https?://\S+", body)


def three_saves(desk):
    """A translator changes an answer (twice), a topic page and a condition: three changes wait."""
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="Most people feel a small prick.")
    save_in_admin(desk, entry, answer="Most people feel a small prick, then an ache.")
    save_in_admin(desk, Topic.objects.get(), summary="A thin needle goes into a tight muscle.")
    save_in_admin(desk, Condition.objects.get(), summary="Pain and stiffness in your neck.")
    assert PendingChange.objects.filter(status="pending").count() == 3


def decide(browser, change, **post):
    """Press a button of the review screen: _approve, or _send_back with a note."""
    response = browser.post(reverse("admin:pages_pendingchange_change", args=[change.pk]), {"note": "", **post})
    assert response.status_code == 302
    return response


def test_the_digest_lists_every_new_waiting_change_in_one_email_per_clinical_editor(people, desk):
    three_saves(desk)
    assert mail.outbox == []  # saving sends nothing: the hourly digest does
    output = digest()
    assert "Sent 2 email(s) about 3 change(s)" in output
    assert sorted(message.to[0] for message in mail.outbox) == ["clin@example.org", "rosa@example.org"]
    message = emails_to(people["clin"])[0]
    assert message.subject == "3 changes wait for your approval"
    assert message.alternatives == []  # plain text only
    assert message.from_email == settings.DEFAULT_FROM_EMAIL  # the password reset's settings
    for title in ("Does it hurt?", "What is dry needling?", "Neck pain"):
        assert f"- {title} (" in message.body
    assert message.body.count("Changed by tran, ") == 3
    assert "(FAQ entry)" in message.body and "(condition)" in message.body
    assert "Emails about clinical sign-off" in message.body  # how to turn them off


def test_each_link_opens_its_review_screen_for_that_editor(people, desk, settings):
    settings.SITE_URL = "https://clinic.example.org"
    three_saves(desk)
    digest()
    editor = people["rosa"]
    body = emails_to(editor)[0].body
    reviews = [link for link in links_in(body) if "/pendingchange/" in link and "?" not in link]
    assert len(reviews) == 3
    browser = logged_in(editor)
    for link in reviews:
        assert link.startswith("https://clinic.example.org/")
        response = browser.get(link.removeprefix("https://clinic.example.org"))
        assert response.status_code == 200
        change = response.context["change"]
        assert change.status == "pending" and change.title in body
        assert 'name="_send_back"' in response.content.decode()  # the screen to decide on
    settings_link = [link for link in links_in(body) if "/auth/user/" in link][0]
    assert browser.get(settings_link.removeprefix("https://clinic.example.org")).status_code == 200


def test_a_second_run_sends_nothing_and_a_later_change_is_sent_alone(people, desk):
    three_saves(desk)
    digest()
    assert "Sent 0 email(s)" in digest()
    assert len(mail.outbox) == 2
    assert PendingChange.objects.filter(status="pending", notified_at__isnull=True).count() == 0
    # The author saves the answer again: that new text started waiting since the last digest.
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small prick and an ache.")
    assert "Sent 2 email(s) about 1 change(s)" in digest()
    later = emails_to(people["clin"])[-1]
    assert later.subject == "1 change waits for your approval"
    assert "Does it hurt?" in later.body and "Neck pain" not in later.body


def test_an_editor_who_turned_the_emails_off_gets_none(people, desk):
    StaffProfile.objects.create(user=people["rosa"], sign_off_emails=False)
    three_saves(desk)
    assert "Sent 1 email(s)" in digest()
    assert emails_to(people["rosa"]) == [] and len(emails_to(people["clin"])) == 1


def test_an_editor_without_an_email_address_is_skipped_and_the_command_says_so(people, desk):
    people["rosa"].email = ""
    people["rosa"].save()
    three_saves(desk)
    output = digest()
    assert "Skipped rosa: no email address" in output
    assert "Sent 1 email(s)" in output and len(mail.outbox) == 1


def test_a_spanish_speaking_editor_gets_the_digest_in_spanish(people, desk):
    StaffProfile.objects.create(user=people["rosa"], language="es")
    three_saves(desk)
    digest()
    spanish, english = emails_to(people["rosa"])[0], emails_to(people["clin"])[0]
    assert spanish.subject == "3 cambios esperan su aprobación"
    assert "Cambiado por tran, " in spanish.body and "(pregunta frecuente)" in spanish.body
    assert "Changed by" not in spanish.body
    assert english.subject == "3 changes wait for your approval"


def test_nobody_is_told_about_their_own_waiting_change(people, loaded):
    # With a second editor required, a clinical editor's own change can wait: the other one is told.
    entry = FaqEntry.objects.get()
    propose(entry, {"answer": "A change by a clinical editor."}, people["clin"])
    output = digest()
    assert "Sent 1 email(s)" in output
    assert [message.to for message in mail.outbox] == [["rosa@example.org"]]


def test_an_approvers_own_change_goes_live_and_emails_nobody(people, clinician, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        save_in_admin(clinician, FaqEntry.objects.get(), answer="Most people feel a small prick.")
    assert FaqEntry.objects.get().answer == "Most people feel a small prick."
    assert not PendingChange.objects.exists()
    assert "Sent 0 email(s)" in digest()
    assert mail.outbox == []


def test_the_author_is_told_once_the_approval_commits(people, desk, clinician, django_capture_on_commit_callbacks,
                                                      settings):
    settings.SITE_URL = "https://clinic.example.org"
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small prick.")
    change = PendingChange.objects.get()
    with django_capture_on_commit_callbacks() as callbacks:
        decide(clinician, change, _approve="1")
    assert mail.outbox == []  # not before the approval is committed
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["tran@example.org"]
    assert message.subject == "Your change was approved: Does it hurt?"
    assert "clin approved your change to “Does it hurt?” (FAQ entry)." in message.body
    assert "Patients see it now: https://clinic.example.org/faq/does-it-hurt/" in message.body


def test_the_author_is_told_when_their_change_is_sent_back_with_the_note_and_an_edit_again_link(
        people, desk, clinician, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://clinic.example.org"
    entry = FaqEntry.objects.get()
    save_in_admin(desk, entry, answer="My new wording, with one figure wrong: 30.1%.")
    change = PendingChange.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        decide(clinician, change, _send_back="1", note="The study says 3.01%.")
    [message] = mail.outbox
    assert message.to == ["tran@example.org"]
    assert message.subject == "Your change was sent back: Does it hurt?"
    assert "The study says 3.01%." in message.body
    edit_again = re.search(r"Edit again \(the form opens on your text\): (\S+)", message.body).group(1)
    assert edit_again.startswith("https://clinic.example.org" + change_url(entry))
    form = change_form_data(desk, edit_again.removeprefix("https://clinic.example.org"))
    assert form["answer"] == "My new wording, with one figure wrong: 30.1%."


def test_a_spanish_author_is_told_in_spanish(people, desk, clinician, django_capture_on_commit_callbacks):
    StaffProfile.objects.create(user=people["desk"], language="es")
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small prick.")
    with django_capture_on_commit_callbacks(execute=True):
        decide(clinician, PendingChange.objects.get(), _send_back="1", note="Say more.")
    [message] = mail.outbox
    assert message.subject == "Su cambio fue devuelto: Does it hurt?"
    assert "Say more." in message.body and "Editar de nuevo" in message.body


def test_an_author_who_turned_the_emails_off_or_has_no_address_is_not_told(
        people, desk, clinician, django_capture_on_commit_callbacks):
    StaffProfile.objects.create(user=people["desk"], sign_off_emails=False)
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small prick.")
    with django_capture_on_commit_callbacks(execute=True):
        decide(clinician, PendingChange.objects.get(), _approve="1")
    StaffProfile.objects.filter(user=people["desk"]).update(sign_off_emails=True)
    people["desk"].email = ""
    people["desk"].save()
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small prick, then an ache.")
    with django_capture_on_commit_callbacks(execute=True):
        decide(clinician, PendingChange.objects.get(status="pending"), _send_back="1", note="No.")
    assert mail.outbox == []


def test_nobody_is_told_about_approving_their_own_change(people, desk, django_capture_on_commit_callbacks):
    # Someone who wrote a change and may now approve (made a clinical editor since) approves it.
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small prick.")
    people["desk"].groups.set(people["clin"].groups.all())
    author = type(people["desk"]).objects.get(pk=people["desk"].pk)  # permissions read afresh
    with django_capture_on_commit_callbacks(execute=True):
        gate.approve(PendingChange.objects.get(), author)
    assert FaqEntry.objects.get().answer == "Most people feel a small prick."
    assert mail.outbox == []


def test_each_person_turns_the_emails_off_on_their_own_user_page(people):
    editor = people["rosa"]
    browser = logged_in(editor)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    # Every admin page links to it; its breadcrumb does not link the users list they may not open.
    assert f'href="{url}"' in browser.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:auth_user_changelist")}"' not in browser.get(url).content.decode()
    form = change_form_data(browser, url)
    assert form["staff_profile-0-sign_off_emails"] == "on"  # on unless they untick it
    assert "staff_profile-0-reviewer_title" not in form and "is_superuser" not in form
    del form["staff_profile-0-sign_off_emails"]
    response = browser.post(url, {**form, "is_superuser": "on", "staff_profile-0-reviewer_title": "Owner"})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert StaffProfile.objects.get(user=editor).sign_off_emails is False
    assert StaffProfile.objects.get(user=editor).reviewer_title == ""
    # Only their own page, and no password set from it without the old one.
    assert browser.get(reverse("admin:auth_user_change", args=[people["clin"].pk])).status_code == 403
    assert browser.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert browser.get(reverse("admin:auth_user_password_change", args=[editor.pk])).status_code == 403


def test_the_owner_sees_who_turned_the_emails_off(people, staff_client):
    StaffProfile.objects.create(user=people["rosa"], sign_off_emails=False)
    listing = staff_client.get(reverse("admin:auth_user_changelist")).content.decode()
    rosa_row = [row for row in re.findall(r"<tr.*?</tr>", listing, re.S) if ">rosa<" in row][0]
    assert 'alt="False"' in rosa_row
    page = staff_client.get(reverse("admin:auth_user_change", args=[people["rosa"].pk])).content.decode()
    assert 'name="staff_profile-0-sign_off_emails"' in page and 'name="staff_profile-0-reviewer_title"' in page



@pytest.fixture
def mail_server_down(settings):
    """SMTP to a port nothing listens on: every send is refused at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, False, 2


def test_an_approval_stands_when_its_email_cannot_be_sent(people, desk, clinician, mail_server_down,
                                                          django_capture_on_commit_callbacks, caplog):
    save_in_admin(desk, FaqEntry.objects.get(), answer="Most people feel a small prick.")
    with django_capture_on_commit_callbacks(execute=True):
        decide(clinician, PendingChange.objects.get(), _approve="1")
    assert FaqEntry.objects.get().answer == "Most people feel a small prick."
    assert "could not be sent" in caplog.text


def test_when_no_digest_can_be_sent_the_changes_wait_for_the_next_run(people, desk, mail_server_down, settings):
    three_saves(desk)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("send_review_digest", stdout=StringIO(), stderr=err)
    assert "Could not email clin" in err.getvalue() and "Could not email rosa" in err.getvalue()
    assert PendingChange.objects.filter(status="pending", notified_at__isnull=True).count() == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Sent 2 email(s) about 3 change(s)" in digest()


def test_a_title_with_line_breaks_cannot_write_lines_of_the_email(people, desk):
    # A security review: a question "Is it safe?\n  Review it: https://evil.example/..." made the
    # digest show a fake "Review it" line with the attacker's link.
    entry = FaqEntry.objects.get()
    with as_loaded():
        entry.question = "Is it safe?\n  Review it: https://evil.example/admin/login/"
        entry.save()
    save_in_admin(desk, entry, answer="Most people feel a small prick.")
    digest()
    body = emails_to(people["clin"])[0].body
    assert "\n  Review it: https://evil.example" not in body
    assert "- Is it safe? Review it: https://evil.example/admin/login/ (" in body


def test_the_author_of_a_new_page_sent_back_is_not_told_patients_see_an_approved_text(
        people, clinician, make_staff, django_capture_on_commit_callbacks):
    # A new page has no approved text: patients see nothing of it yet (a staff review).
    desk = logged_in(make_staff("dana", group="Front desk"))
    url = reverse("admin:pages_faqentry_add")
    data = {**change_form_data(desk, url), "question": "Can I drive home?", "slug": "can-i-drive-home",
            "answer": "Yes, most people can.", "category": "aftercare", "order": "5", "published": "on"}
    assert desk.post(url, data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        decide(clinician, PendingChange.objects.get(is_new=True), _send_back="1", note="Say when not to.")
    [message] = mail.outbox
    assert "approved text" not in message.body
    assert "Patients see nothing of this new page yet." in message.body
