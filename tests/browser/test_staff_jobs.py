"""Issue 22, "what must be shown": each kind of staff does their main jobs in Chromium, through the
screens only, as docs/staff.md tells them to.

One test per person (owner, front desk, clinical editor, translator, therapist). After the first
admin address, every step is a click or typing on what the screen shows: links and buttons found
by their text, fields by their label. Each step asserts what the screen then says. The HTML of
every admin (and staff) page the person opened is kept and checked by the Nu HTML checker at the
end of the test, in one run.

Each job step is one function taking the person's `Screen`, so a later feature (a Preview button,
scheduled changes) adds a step or an assertion without rewriting a test.

What cron runs on the server (`publish_scheduled` every few minutes, `send_review_digest` hourly)
the test runs itself, with the time it says; the live server runs in the test's process, so the
emails it sends land in django.core.mail.outbox, and their links are opened in the browser.
"""
import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.helpers import as_loaded, left_the_document, require_vnu, staff_groups, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-long-enough-1"  # the `make_staff` fixture's
ADDED = "Ask us if you are unsure."  # a sentence staff add to an answer (in no answer yet)
SAVED_FOR_REVIEW = "Saved. A clinical editor will check it before patients see it."
WAITING_TEXT = "You are editing the text that is waiting for a clinical editor. Patients still see the approved text."
GOES_LIVE = "Save: goes live now. Patients see your change at once."
PREVIEW_BANNER = "Waiting for approval: patients still see the live page. Back to the admin"
WAITS = "Save: waits for a clinical editor. Patients keep seeing the approved text until one approves your change."

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
GET_HTML = """
const done = arguments[arguments.length - 1];
fetch(location.href, {credentials: "same-origin"})
  .then(response => response.text().then(text => done([response.status, text])))
  .catch(error => done([0, String(error)]));
"""


@dataclass
class Screen:
    """One person at the browser: what they have open, and the staff pages they opened."""

    driver: object
    base: str
    pages: list = field(default_factory=list, repr=False)  # (address, HTML) of each staff page opened
    seen: set = field(default_factory=set, repr=False)

    @property
    def path(self):
        return self.driver.current_url.removeprefix(self.base)

    def keep_page(self):
        """Keep the HTML the server sends for the page now open, if it is a staff page (the page
        as sent, not as scripts changed it: the same address fetched again, with the session)."""
        if not self.path.startswith((reverse("admin:index"), "/staff/")):
            return
        status, html = self.driver.execute_async_script(GET_HTML)
        same = CSRF_TOKEN.sub("", html)  # a page opened again unchanged is checked once
        if status == 200 and same not in self.seen:
            self.seen.add(same)
            self.pages.append((self.path, html))


@pytest.fixture
def people(live_server, site_content, make_staff, settings):
    """The clinic's staff, each in the group docs/staff.md gives them, signed in by typing."""
    from pages.models import StaffProfile

    settings.SITE_URL = live_server.url  # the links the therapists' kit makes lead to this server
    staff_groups()
    make_staff("boss", superuser=True)
    make_staff("desk", group="Front desk")
    clinician = make_staff("clin", group="Clinical editor")
    clinician.first_name, clinician.last_name = "Carla", "Lin"  # the admin names her so
    clinician.save()
    StaffProfile.objects.create(user=clinician, reviewer_title="Physical therapist, DPT")
    make_staff("trad", group="Translator")
    make_staff("thera", group="Therapist")
    return live_server.url


@pytest.fixture
def screen(people, desktop):
    desktop.delete_all_cookies()
    yield Screen(desktop, people)
    desktop.delete_all_cookies()


# --- Reading and using the screen ---------------------------------------------------------------

def words(text):
    return " ".join(text.split())


def shown(elements):
    return [element for element in elements if element.is_displayed()]


def quoted(text):
    """An XPath string literal for any text (the admin's texts have both quote marks)."""
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", '\"', ".join(f'"{part}"' for part in text.split('"')) + ")"


def link(me, text, within="//body"):
    found = shown(me.driver.find_elements(By.XPATH, f"{within}//a[normalize-space()={quoted(text)}]"))
    assert found, f"no link {text!r} on {me.path}"
    return found[0]


def buttons(me, text):
    return shown(me.driver.find_elements(
        By.XPATH, f"//input[@type='submit' and normalize-space(@value)={quoted(text)}]"
                  f" | //button[normalize-space()={quoted(text)}]"))


def button(me, text):
    found = buttons(me, text)
    assert found, f"no button {text!r} on {me.path}"
    return found[0]


def control(me, label):
    """The field a label names ("Phone" finds the label "Phone:"), by `for` or inside the label;
    a label that is a picture (the list's search box) by the picture's alt text."""
    # The label's words, or its first words when the field is inside it (the list's "Action:").
    names = " or ".join(f"normalize-space({part})={quoted(text)}"
                        for part in ("", "text()[1]") for text in (label, label + ":"))
    names += f" or .//img[@alt={quoted(label)}]"
    for found in me.driver.find_elements(By.XPATH, f"//label[{names}]"):
        target = found.get_attribute("for")
        inside = found.find_elements(By.CSS_SELECTOR, "input, select, textarea")
        element = me.driver.find_element(By.ID, target) if target else (inside[0] if inside else None)
        if element is not None and (element.is_displayed() or element.get_attribute("type") == "checkbox"):
            return element
    raise AssertionError(f"no field labelled {label!r} on {me.path}")


def choose(me, label, option):
    Select(control(me, label)).select_by_visible_text(option)


def type_into(me, label, text):
    box = control(me, label)
    box.clear()
    box.send_keys(text)


def type_time(me, label, when):
    """The browser's own date-and-time box ("Goes live at"): month, day, year, then hour,
    minute and AM/PM, as a person types them into its parts."""
    box = control(me, label)
    box.send_keys(when.strftime("%m%d%Y"), Keys.TAB, when.strftime("%I%M%p"))
    assert box.get_attribute("value") == when.strftime("%Y-%m-%dT%H:%M"), box.get_attribute("value")


def type_at_end(me, label, text):
    box = control(me, label)
    box.click()
    box.send_keys(Keys.CONTROL, Keys.END)
    box.send_keys(text)


def click(me, element):
    """Click something that opens another page; wait for it; keep it if it is a staff page."""
    element.click()
    WebDriverWait(me.driver, 15).until(left_the_document(element))
    # A save answers with a redirect: wait for the page it leads to, not the one on the way.
    WebDriverWait(me.driver, 15).until(lambda driver: driver.execute_script("return document.readyState") == "complete")
    me.keep_page()


TEXT = """
const walker = document.createTreeWalker(arguments[0], NodeFilter.SHOW_TEXT);
const parts = [];
while (walker.nextNode()) {
  if (!walker.currentNode.parentElement.closest("script, style, template")) parts.push(walker.currentNode.nodeValue);
}
return parts.join(" ");
"""


def text_of(me, css="#content"):
    """The words of part of the page as written (the admin shows some headings in capitals),
    a space between the words of two elements (a table's cells)."""
    return words(me.driver.execute_script(TEXT, me.driver.find_element(By.CSS_SELECTOR, css)))


def messages(me):
    return [words(item.text) for item in me.driver.find_elements(By.CSS_SELECTOR, "ul.messagelist li")]


def save_line(me):
    """What the line above Save says Save will do."""
    return [words(line.text) for line in me.driver.find_elements(By.CSS_SELECTOR, ".save-does")]


def patient_sees(me):
    """What a patient, not signed in, reads at the address open now (the staff member's own
    session is put back afterwards)."""
    cookies = me.driver.get_cookies()
    me.driver.delete_all_cookies()
    me.driver.refresh()
    text = words(me.driver.find_element(By.TAG_NAME, "main").text)
    for cookie in cookies:
        me.driver.add_cookie({key: cookie[key] for key in ("name", "value", "path")})
    return text


def banner(me):
    return [words(part.text) for part in me.driver.find_elements(By.CSS_SELECTOR, ".preview-banner")]


def run_cron(command, **options):
    """What cron runs on the server, run by the test (with the time it says, for publish_scheduled)."""
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def in_hours(hours):
    """A time `hours` from now in the clinic's time zone, to the minute (as a person types it)."""
    return (timezone.localtime() + datetime.timedelta(hours=hours)).replace(second=0, microsecond=0)


def assert_valid_html(me, tmp_path):
    """The Nu HTML checker finds no error in any staff page the person opened."""
    require_vnu()
    files = {}
    for number, (path, html) in enumerate(me.pages):
        file = tmp_path / f"page-{number:02d}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = path
    assert files, "no staff page was kept"
    errors = vnu_errors([tmp_path / name for name in files])
    report = [f"{files.get(name, name)}: {message}" for name, found in sorted(errors.items()) for message in found]
    assert not report, f"the Nu HTML checker found {len(report)} error(s):\n" + "\n".join(report)


# --- Steps every person takes -------------------------------------------------------------------

def sign_in(me, username, password=PASSWORD):
    """Open the admin's address and sign in (the only address typed)."""
    me.driver.delete_all_cookies()
    me.driver.get(me.base + reverse("admin:index"))
    me.keep_page()
    type_into(me, "Username", username)
    type_into(me, "Password", password)
    click(me, button(me, "Log in"))
    assert me.path == reverse("admin:index"), f"{username} is not signed in: {text_of(me)}"


def sign_out(me):
    go_back_to_admin(me)
    click(me, button(me, "Log out"))
    assert "Logged out" in text_of(me)


def go_back_to_admin(me):
    """From a patient page back to the admin, as a person does: the browser's Back button."""
    for _page in range(10):
        if me.path.startswith(reverse("admin:index")):
            return
        me.driver.back()
    raise AssertionError(f"no admin page to go back to from {me.path}")


def open_home(me):
    """The admin's home page, from any page: back to the admin, then its "Home" link."""
    go_back_to_admin(me)
    if me.path != reverse("admin:index"):
        click(me, link(me, "Home", within="//*[contains(@class, 'breadcrumbs')]"))


def open_from_home(me, section):
    """A list on the admin's home page ("FAQ entries", "Users"...)."""
    open_home(me)
    click(me, link(me, section, within="//*[@id='content-main']"))


def search_list(me, words_to_find):
    type_into(me, "Search", words_to_find)
    click(me, button(me, "Search"))


def open_row(me, title, language=None):
    """The row of the list with this title (in this language, for a list of both languages)."""
    row = "//table[@id='result_list']//tr"
    if language:
        row += f"[td[normalize-space()={quoted(language)}]]"
    click(me, link(me, title, within=row))


def open_answer(me, question, language=None):
    """FAQ entries -> search -> the answer's form."""
    open_from_home(me, "FAQ entries")
    search_list(me, question)
    open_row(me, question, language)
    assert me.driver.title.startswith(f"{question} | "), me.driver.title  # the form of that answer


def view_on_site(me):
    """The page's "View on site" link: the page as patients reach it."""
    click(me, link(me, "View on site"))


# --- The owner -----------------------------------------------------------------------------------

def add_staff_account(me, username, password):
    open_from_home(me, "Users")
    click(me, link(me, "Add user"))
    type_into(me, "Username", username)
    type_into(me, "Password", password)
    type_into(me, "Password confirmation", password)
    assert buttons(me, "Save"), "the Add user page has no Save button"
    click(me, button(me, "Save"))
    assert messages(me) == [f"The user “{username}” was added successfully. You may edit it again below."]


def set_up_account(me, first, last, group, reviewer_title, language):
    """On the user's page: name, Staff status, one group, and docs/staff.md's reviewer title and
    admin language, "under Clinical review, admin language and emails"."""
    type_into(me, "First name", first)
    type_into(me, "Last name", last)
    staff = control(me, "Staff status")
    if not staff.is_selected():
        staff.click()
    choose(me, "Available groups", group)
    button(me, "Choose selected groups").click()
    assert "Clinical review, admin language and emails" in text_of(me), \
        "the reviewer title is not where docs/staff.md says"
    type_into(me, "Reviewer title", reviewer_title)
    choose(me, "Admin language", language)
    username = control(me, "Username").get_attribute("value")
    click(me, button(me, "Save"))
    assert messages(me) == [f"The user “{username}” was changed successfully."]


def account_shows(me, username):
    """The user's page as saved: (groups chosen, reviewer title, admin language, staff status)."""
    search_list(me, username)
    open_row(me, username)
    chosen = [option.text for option in Select(control(me, "Chosen groups")).options]
    return (chosen, control(me, "Reviewer title").get_attribute("value"),
            Select(control(me, "Admin language")).first_selected_option.text, control(me, "Staff status").is_selected())


def test_owner_adds_a_staff_account_and_the_new_person_signs_in(screen, tmp_path):
    me = screen
    sign_in(me, "boss")
    add_staff_account(me, "sam", "a-new-staff-password-7")
    set_up_account(me, "Sam", "Lee", "Clinical editor", "Physical therapist, DPT", "Spanish")
    assert account_shows(me, "sam") == (["Clinical editor"], "Physical therapist, DPT", "Spanish", True)
    sign_out(me)

    # Sam signs in: the admin in Spanish, with the clinical editors' queue.
    sign_in(me, "sam", "a-new-staff-password-7")
    home = text_of(me)
    assert "Esperando su aprobación (0)" in home and "Crear enlaces para enviar a un paciente" in home
    assert_valid_html(me, tmp_path)


# --- The front desk ------------------------------------------------------------------------------

def edit_answer(me, question, language=None, *, add=ADDED):
    """Open an answer, read the line above Save, add a sentence, save. Returns (line, messages)."""
    open_answer(me, question, language)
    line = save_line(me)
    type_at_end(me, "Answer", "\n\n" + add)
    click(me, button(me, "Save"))
    return line, messages(me)


def my_changes(me):
    """The "Your changes" box on the admin home of someone who cannot approve."""
    open_home(me)
    return text_of(me, "#your-changes")


def edit_clinic_phone(me, phone):
    open_from_home(me, "Clinic details")
    open_row(me, "Example Physical Therapy (demo)")
    assert save_line(me) == [GOES_LIVE]  # the clinic's details go live at once for front desk
    type_into(me, "Phone", phone)
    click(me, button(me, "Save"))
    assert messages(me) == ["The clinic details “Example Physical Therapy (demo)” was changed successfully."]


def edit_closing_time(me, location, hours, closes):
    """A location's opening hours: the row that reads `hours`, its Closes box."""
    open_from_home(me, "Locations")
    open_row(me, location)
    table = me.driver.find_element(By.XPATH, "//h2[normalize-space()='Opening hours']/following-sibling::table")
    columns = [words(th.get_attribute("textContent")) for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    row = table.find_element(By.XPATH, f".//tr[td[normalize-space()={quoted(hours)}]]")
    box = row.find_elements(By.TAG_NAME, "td")[columns.index("Closes")].find_element(By.TAG_NAME, "input")
    box.clear()
    box.send_keys(closes)
    click(me, button(me, "Save"))
    assert messages(me) == [f"The location “{location}” was changed successfully."]


def live_page_of_my_change(me, title):
    """The page a waiting change is to, as patients read it now: the admin home's "Your
    changes", the change, then its page's link."""
    if banner(me):
        click(me, link(me, "Back to the admin"))  # from a preview
    open_home(me)
    click(me, link(me, title, within="//*[@id='your-changes']"))
    click(me, link(me, title, within="//*[@id='content']//table"))
    return patient_sees(me)


def live_answer(me, question):
    """An answer with no change waiting: its form's "View on site", as a patient reads it."""
    open_answer(me, question)
    view_on_site(me)
    return patient_sees(me)


def schedule_answer_change(me, question, add, when):
    """Add a sentence to an answer and fill "Goes live at"; Save keeps it for then."""
    open_answer(me, question)
    type_at_end(me, "Answer", "\n\n" + add)
    type_time(me, "Goes live at", when)
    help_near_save = [words(line.text) for line in me.driver.find_elements(By.CSS_SELECTOR, ".save-when")]
    assert help_near_save == ["With a date and time in “Goes live at”, Save keeps your change and it goes live then."]
    click(me, button(me, "Save"))
    [said] = messages(me)
    assert said.startswith("Scheduled: patients see this change from ") and said.endswith("Nothing has changed yet.")


def scheduled_list(me):
    """The admin home's "Changes scheduled to go live later": the rows' titles."""
    open_home(me)
    click(me, link(me, "Changes scheduled to go live later"))
    return [words(cell.text) for cell in me.driver.find_elements(By.CSS_SELECTOR, "#result_list tbody th")]


def add_notice(me, text, starts, ends):
    open_from_home(me, "Notices")
    click(me, link(me, "Add notice"))
    type_into(me, "Notice", text)
    type_time(me, "Shows from", starts)
    type_time(me, "Shows until", ends)
    click(me, button(me, "Save"))
    assert messages(me) == [f"The notice “{text}” was added successfully."]


def clinic_notices(me):
    """The clinic notices a patient reads on the page open now."""
    patient_sees(me)  # the page as a patient gets it, then the notices on it
    return [words(notice.text) for notice in me.driver.find_elements(By.CSS_SELECTOR, ".clinic-notice")]


def test_front_desk_edits_answers_and_the_clinic_details(screen, tmp_path):
    me = screen
    sign_in(me, "desk")

    # An answer about cost goes live: the line above Save says so, and patients read it at once.
    line, said = edit_answer(me, "How much does dry needling cost?")
    assert line == [GOES_LIVE]
    assert said == ["The FAQ entry “How much does dry needling cost?” was changed successfully."]
    open_answer(me, "How much does dry needling cost?")
    view_on_site(me)
    seen = patient_sees(me)
    # docs/staff.md: it goes live, and its page says so until a clinical editor reviews it.
    assert ADDED in seen and "Not yet reviewed by a clinician." in seen

    # A clinical answer waits: the line says so, patients keep the approved text, and the desk's
    # own list shows it waiting.
    line, said = edit_answer(me, "Will I get a bruise?")
    assert line == [WAITS]
    assert said == [SAVED_FOR_REVIEW]
    open_answer(me, "Will I get a bruise?")
    assert messages(me) == [WAITING_TEXT]
    assert control(me, "Answer").get_attribute("value").endswith(ADDED)  # their waiting text
    # "View on site" opens the waiting change as patients will see it, under a banner; the
    # patient page itself keeps the approved text.
    view_on_site(me)
    assert banner(me) == [PREVIEW_BANNER]
    assert ADDED in words(me.driver.find_element(By.TAG_NAME, "main").text)
    seen = live_page_of_my_change(me, "Will I get a bruise?")
    assert "You might." in seen and ADDED not in seen
    assert "Will I get a bruise? waiting for approval" in my_changes(me)

    # A new price line, scheduled: listed with the changes to go live later, and patients read
    # it once publish_scheduled (cron) runs at or after its time, not before.
    new_price = "New prices from next month: ask us when you book."
    when = in_hours(2)
    schedule_answer_change(me, "How much does dry needling cost?", new_price, when)
    assert "How much does dry needling cost?" in scheduled_list(me)
    assert "Nothing to publish" in run_cron("publish_scheduled", now=when - datetime.timedelta(minutes=1))
    assert new_price not in live_answer(me, "How much does dry needling cost?")
    assert "Published " in run_cron("publish_scheduled", now=when)
    assert new_price in patient_sees(me)

    # A holiday notice: patient pages show it between its start and its end, not outside.
    closed = "Closed December 24 to 26. Open again December 27 at 7:30."
    starts, ends = in_hours(3), in_hours(27)
    add_notice(me, closed, starts, ends)
    click(me, link(me, "View site"))
    assert clinic_notices(me) == []
    run_cron("publish_scheduled", now=starts + datetime.timedelta(minutes=1))
    assert clinic_notices(me) == [f"Clinic notice: {closed}"]
    run_cron("publish_scheduled", now=ends + datetime.timedelta(minutes=1))
    assert clinic_notices(me) == []

    # Clinic details: a new phone and Friday's closing time, on the pages patients read.
    edit_clinic_phone(me, "555-0199")
    edit_closing_time(me, "Riverside", "Friday-Friday 07:30-13:00", "14:00")
    click(me, link(me, "View site"))
    click(me, link(me, "Locations, opening hours and maps"))
    seen = patient_sees(me)
    assert "Call us: 555-0199" in words(me.driver.find_element(By.TAG_NAME, "header").text)
    riverside = seen.split("Riverside", 1)[1].split("Hillcrest", 1)[0]
    assert "Friday 7:30 a.m. – 2 p.m." in riverside
    assert_valid_html(me, tmp_path)


# --- The clinical editor --------------------------------------------------------------------------

def open_waiting_change(me, title):
    """The admin home's "Waiting for your approval (N)": a change's review page. Returns N."""
    open_home(me)
    box = text_of(me, "#waiting-for-approval")
    count = int(box.split("Waiting for your approval (", 1)[1].split(")", 1)[0])
    click(me, link(me, title, within="//*[@id='waiting-for-approval']"))
    assert "Review a change" in text_of(me) and title in text_of(me, ".breadcrumbs")
    return count


def word_diff(me):
    """The review page's word diff: (removed words, added words)."""
    removed = [words(part.text) for part in me.driver.find_elements(By.CSS_SELECTOR, ".word-diff del")]
    added = [words(part.text) for part in me.driver.find_elements(By.CSS_SELECTOR, ".word-diff ins")]
    return removed, added


def approve(me):
    click(me, button(me, "Approve and publish"))
    assert messages(me) == ["Approved: patients now see this change. View on site"]


def send_back(me, note):
    type_into(me, "Note for the author (needed to send it back)", note)
    click(me, button(me, "Send back to the author"))
    assert messages(me) == ["Sent back to the author with your note."]


def emails_to(username):
    return [message for message in mail.outbox if message.to == [f"{username}@example.org"]]


def link_after(body, words_before):
    """The address that follows these words in an email."""
    found = re.search(re.escape(words_before) + r".*?(https?://\S+)", body, re.DOTALL)
    assert found, f"no link after {words_before!r} in:\n{body}"
    return found.group(1)


def open_emailed_link(me, address):
    """A link from an email, opened in the browser (the person is signed in already)."""
    assert address.startswith(me.base + "/"), address
    me.driver.get(address)
    me.keep_page()


def turn_off_my_emails(me, username):
    """"Your emails" at the top of every admin page: one's own user page, its one box."""
    open_home(me)
    click(me, link(me, "Your emails"))
    box = control(me, "Emails about clinical sign-off")
    assert box.is_selected()
    box.click()
    click(me, button(me, "Save"))
    errors = [words(e.text) for e in me.driver.find_elements(By.CSS_SELECTOR, ".errorlist, .errornote")]
    assert messages(me) == [f"The user “{username}” was changed successfully."], errors


def test_clinical_editor_approves_one_change_and_sends_one_back(screen, tmp_path):
    me = screen
    # Front desk changes two clinical answers; both wait.
    sign_in(me, "desk")
    assert edit_answer(me, "Will I get a bruise?")[1] == [SAVED_FOR_REVIEW]
    assert edit_answer(me, "Should I use heat or ice?", add="Use ice for an hour.")[1] == [SAVED_FOR_REVIEW]
    sign_out(me)

    # The hourly digest: the clinical editor opens the first change from its link.
    mail.outbox.clear()
    run_cron("send_review_digest")
    [digest] = emails_to("clin")
    sign_in(me, "clin")
    open_emailed_link(me, link_after(digest.body, "- Will I get a bruise?"))
    assert "Review a change" in text_of(me) and "Will I get a bruise?" in text_of(me, ".breadcrumbs")
    review = text_of(me)
    assert "Changed by desk" in review and "What changes, compared with what patients see now" in review
    assert word_diff(me) == ([], [ADDED])
    # "See it as patients will": the waiting text on the patient page, under the banner.
    click(me, link(me, "See it as patients will"))
    assert banner(me) == [PREVIEW_BANNER]
    assert ADDED in words(me.driver.find_element(By.TAG_NAME, "main").text)
    click(me, link(me, "Back to the admin"))
    approve(me)
    click(me, link(me, "View on site"))
    assert ADDED in patient_sees(me)
    # The author is emailed: approved, with a link to the page patients now read.
    [approved] = emails_to("desk")
    assert approved.subject == "Your change was approved: Will I get a bruise?"
    assert "Carla Lin approved your change to “Will I get a bruise?” (FAQ entry)." in approved.body
    open_emailed_link(me, link_after(approved.body, "Patients see it now:"))
    assert ADDED in patient_sees(me)

    # The second goes back to its author with a note.
    assert open_waiting_change(me, "Should I use heat or ice?") == 1
    assert word_diff(me) == ([], ["Use ice for an hour."])
    send_back(me, "Please keep to 15 to 20 minutes at a time.")
    open_home(me)
    assert "Waiting for your approval (0) Nothing is waiting." in text_of(me, "#waiting-for-approval")
    turn_off_my_emails(me, "clin")
    sign_out(me)

    # The author sees the note on their home page; "Edit again" opens their own waiting text.
    sign_in(me, "desk")
    mine = text_of(me, "#your-changes")
    assert "Should I use heat or ice? sent back: Please keep to 15 to 20 minutes at a time. Edit again" in mine
    click(me, link(me, "Edit again", within="//*[@id='your-changes']"))
    assert messages(me) == ["Carla Lin sent your change back: Please keep to 15 to 20 minutes at a time. Edit again"]
    answer = control(me, "Answer")
    assert answer.get_attribute("value").endswith("Use ice for an hour.")
    answer.send_keys(Keys.BACKSPACE * len("Use ice for an hour."), "Use ice for 15 to 20 minutes at a time.")
    click(me, button(me, "Save"))
    assert messages(me) == [SAVED_FOR_REVIEW]
    mine = my_changes(me)
    # Saved again: the sent-back note has left the list.
    assert "Should I use heat or ice? waiting for approval" in mine and "sent back" not in mine
    # The next digest lists it for the owner (who may approve too), and sends Carla nothing.
    mail.outbox.clear()
    assert "Sent 1 email(s) about 1 change(s)" in run_cron("send_review_digest")
    assert emails_to("clin") == [] and len(emails_to("boss")) == 1
    assert_valid_html(me, tmp_path)


# --- The translator --------------------------------------------------------------------------------

def never_translated(question):
    """Set-up: the Spanish of this English answer as if nobody had translated it yet (its row,
    history and address gone). Returns the Spanish row that was there, to type from."""
    from django.contrib.redirects.models import Redirect

    from pages.models import FaqEntry

    english = FaqEntry.objects.get(language="en", question=question)
    spanish = FaqEntry.objects.get(language="es", translation_key=english.translation_key)
    address = spanish.get_absolute_url()
    with as_loaded():
        spanish.delete()
    FaqEntry.history.filter(translation_key=english.translation_key, language="es").delete()
    Redirect.objects.filter(old_path=address).delete()
    return spanish


def english_changed(question, sentence):
    """Set-up: the clinic's files add a sentence to an English answer; its Spanish is out of date."""
    from pages.models import FaqEntry

    english = FaqEntry.objects.get(language="en", question=question)
    english.answer += "\n\n" + sentence
    with as_loaded():
        english.save()


def tick_row(me, title, language):
    row = (f"//table[@id='result_list']//tr[td[normalize-space()={quoted(language)}]]"
           f"[.//a[normalize-space()={quoted(title)}]]")
    me.driver.find_element(By.XPATH, row + "//input[@type='checkbox']").click()


def run_action(me, action):
    choose(me, "Action", action)
    click(me, button(me, "Go"))


def make_spanish_draft(me, question):
    """FAQ entries -> the English answer ticked -> "Make a Spanish draft" -> Go."""
    open_from_home(me, "FAQ entries")
    search_list(me, question)
    tick_row(me, question, "English")
    run_action(me, "Make a Spanish draft of the selected pages (not yet translated)")
    assert messages(me) == ["1 Spanish draft made: translate its text and slug, then publish it."]


def translate_draft(me, english_question, spanish):
    """The Spanish draft's form: its question, slug and answer in Spanish, Published ticked."""
    open_row(me, english_question, "Spanish")
    assert not control(me, "Published").is_selected()  # a draft: patients see nothing yet
    type_into(me, "Question", spanish.question)
    type_into(me, "Slug", spanish.slug)
    type_into(me, "Answer", spanish.answer)
    control(me, "Published").click()
    assert save_line(me) == [WAITS]
    click(me, button(me, "Save"))
    assert messages(me) == [SAVED_FOR_REVIEW]


def open_translation_to_update(me, question):
    """The admin home's "Spanish pages to update": what changed in the English, word by word."""
    open_home(me)
    click(me, link(me, question, within="//*[@id='translations-to-update']"))
    assert "What changed in the English" in text_of(me)


def mark_translation_updated(me, question):
    open_translation_to_update(me, question)
    click(me, button(me, "Mark translation updated"))
    # Back on the form: the mark waits with the text, and nothing asks to update it again.
    assert messages(me) == [SAVED_FOR_REVIEW, WAITING_TEXT]


def test_translator_drafts_and_updates_spanish_answers_a_clinical_editor_approves(screen, tmp_path):
    spanish = never_translated("Should I use heat or ice?")
    english_changed("Will I be sore afterward?", ADDED)
    me = screen
    sign_in(me, "trad")

    # A Spanish draft of an English answer, translated and saved: it waits for sign-off.
    make_spanish_draft(me, "Should I use heat or ice?")
    translate_draft(me, "Should I use heat or ice?", spanish)

    # The English of another answer changed: the translator reads what changed, updates the
    # Spanish (Save: waits), then marks the translation updated, in the order docs/staff.md gives.
    open_translation_to_update(me, "¿Voy a tener dolor después?")
    assert word_diff(me)[1] == [ADDED]
    click(me, link(me, "¿Voy a tener dolor después?", within="//*[contains(@class, 'breadcrumbs')]"))
    assert save_line(me) == [WAITS]
    type_at_end(me, "Answer", "\n\nPregúntenos si no está seguro.")
    click(me, button(me, "Save"))
    assert messages(me) == [SAVED_FOR_REVIEW]
    mark_translation_updated(me, "¿Voy a tener dolor después?")
    view_on_site(me)  # the waiting change, as patients will see it
    assert banner(me) == [PREVIEW_BANNER]
    seen = live_page_of_my_change(me, "¿Voy a tener dolor después? (Español)")
    assert "Pregúntenos si no está seguro." not in seen and "La versión en inglés de esta página cambió" in seen
    sign_out(me)

    # The clinical editor approves both; the Spanish pages show them.
    sign_in(me, "clin")
    # The queue names each change with its page's language.
    assert open_waiting_change(me, "¿Voy a tener dolor después? (Español)") == 2
    assert word_diff(me)[1][0] == "Pregúntenos si no está seguro."  # then the revision it was marked with
    # The revision it was marked with, as a local date and time (not a UTC stamp).
    marked = text_of(me).lower().split("translated from revision", 1)[1]
    assert "+00:00" not in marked and f"{timezone.localdate():%Y}" in marked
    approve(me)
    click(me, link(me, "View on site"))
    seen = patient_sees(me)
    assert "Pregúntenos si no está seguro." in seen and "La versión en inglés de esta página cambió" not in seen
    # The draft is named by the title it had when the translator saved (the English one), marked
    # as Spanish: it is not a change to the English page.
    open_waiting_change(me, "Should I use heat or ice? (Español)")
    assert "¿Debo usar calor o hielo?" in word_diff(me)[1]
    approve(me)
    click(me, link(me, "View on site"))
    seen = patient_sees(me)
    assert spanish.question in seen and spanish.answer.split(".")[0] in seen
    assert_valid_html(me, tmp_path)


# --- The therapist ---------------------------------------------------------------------------------

def build_reading_list(me, picks):
    """The link builder: for each (words, title), type the words in "Find a page" and tick the
    title; then "Make the link". Returns the short link shown under "Ready to send"."""
    open_home(me)
    click(me, link(me, "Build links to send to a patient"))
    for words_to_find, title in picks:
        type_into(me, "Find a page", words_to_find)
        me.driver.find_element(By.XPATH, f"//label[normalize-space()={quoted(title)}]").click()
    click(me, button(me, "Make the link"))
    assert "Ready to send" in text_of(me, "main")
    return me.driver.find_element(By.CSS_SELECTOR, ".list-link a")


def build_visit_sheet(me, areas, language="English"):
    click(me, link(me, "After-care sheet for today's visit"))
    for area in areas:
        control(me, area).click()
    control(me, language).click()
    click(me, button(me, "Make the sheet"))
    assert "Ready to print or send" in text_of(me, "main")
    return me.driver.find_element(By.CSS_SELECTOR, ".list-link a")


def test_therapist_sends_a_reading_list_and_a_visit_sheet_and_cannot_edit(screen, tmp_path):
    me = screen
    sign_in(me, "thera")

    # Three pages, ticked in an order that is not the builder's: the list keeps it.
    picks = [("whiplash", "Whiplash"), ("sore", "Will I be sore afterward?"), ("after", "After-care sheet")]
    short_link = build_reading_list(me, picks)
    assert re.fullmatch(rf"{me.base}/r/\w+/", short_link.text)
    click(me, short_link)
    titles = [words(h.text) for h in me.driver.find_elements(By.CSS_SELECTOR, ".reading-items h2")]
    assert titles == ["Whiplash", "Will I be sore afterward?", "After-care sheet"]
    assert link(me, "Call 911").get_attribute("href") == "tel:911"  # the after-care page has the box
    me.driver.back()

    # The visit sheet for a neck and a low back: its link opens the sheet, the 911 box first.
    short_link = build_visit_sheet(me, ["Neck", "Low back"])
    assert re.fullmatch(rf"{me.base}/v/\w+/", short_link.text)
    click(me, short_link)
    sheet = text_of(me, "main")
    assert "Areas treated today: neck, low back" in sheet
    assert link(me, "Call 911").get_attribute("href") == "tel:911"
    assert sheet.index("Call 911") < sheet.index("After-care sheet")
    me.driver.back()

    # A sheet in English and Spanish: on screen as on paper, it ends with its own clinic part in
    # each language, not with the site's English footer after the Spanish.
    open_home(me)
    click(me, link(me, "Build links to send to a patient"))
    short_link = build_visit_sheet(me, ["Neck"], "English and Spanish")
    click(me, short_link)
    assert [words(h.text) for h in me.driver.find_elements(By.CSS_SELECTOR, ".visit-sheet h1")] == [
        "Your after-care sheet", "Su hoja de cuidados después de la visita"]
    assert not shown(me.driver.find_elements(By.CSS_SELECTOR, ".site-footer"))
    me.driver.back()

    # Reading the guide in the admin: view only, nothing to save.
    click(me, link(me, "Back to the admin"))
    open_answer(me, "Will I be sore afterward?")
    assert "View FAQ entry" in text_of(me) and not buttons(me, "Save") and not save_line(me)
    assert_valid_html(me, tmp_path)
