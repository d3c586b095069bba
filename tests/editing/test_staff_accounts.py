"""Issue 22: staff accounts, the Sites page, and the groups each kind of staff gets."""
import re

import pytest
from django.apps import apps
from django.contrib.sites.models import Site
from django.urls import reverse

from pages.models import StaffProfile
from tests.helpers import change_form_data, logged_in, staff_groups

pytestmark = pytest.mark.django_db

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def test_no_model_fields_help_text_contains_markup():
    # The admin renders help_text unescaped: a '<title>' in one swallowed the rest of the page.
    offending = [
        f"{model._meta.label}.{field.name}: {field.help_text}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if MARKUP.search(str(getattr(field, "help_text", "") or ""))
    ]
    assert not offending, "help texts are plain text:\n" + "\n".join(offending)


@pytest.mark.parametrize("page", ["add", "change"])
def test_user_pages_have_one_title_and_a_save_button(staff_client, make_staff, page):
    person = make_staff("ana")
    url = reverse("admin:auth_user_add") if page == "add" else reverse("admin:auth_user_change", args=[person.pk])
    html = staff_client.get(url).content.decode()
    assert html.count("<title") == 1, "a help text opened a second <title>, which hides the rest of the page"
    assert 'name="_save"' in html.split("<title", 2)[-1].split("</title>", 1)[-1]


def test_the_sites_page_is_read_only_and_says_where_the_address_is_set(staff_client, settings):
    site = Site.objects.get(pk=settings.SITE_ID)
    url = reverse("admin:sites_site_change", args=[site.pk])
    html = staff_client.get(url).content.decode()
    assert 'name="_save"' not in html
    assert "SITE_URL" in html
    listing = staff_client.get(reverse("admin:sites_site_changelist")).content.decode()
    assert "SITE_URL" in listing
    assert staff_client.post(url, {"domain": "evil.example", "name": "x"}).status_code == 403
    site.refresh_from_db()
    assert site.domain != "evil.example"
    assert staff_client.get(reverse("admin:sites_site_add")).status_code == 403


def test_therapists_get_the_link_builder_and_read_the_guide_without_changing_it(loaded, make_staff):
    from pages.models import FaqEntry, Topic

    therapist = logged_in(make_staff("thera", group="Therapist"))
    assert therapist.get(reverse("pages:link_builder")).status_code == 200
    topic, entry = Topic.objects.first(), FaqEntry.objects.first()
    for obj in (topic, entry):
        url = reverse(f"admin:pages_{obj._meta.model_name}_change", args=[obj.pk])
        html = therapist.get(url).content.decode()
        assert 'name="_save"' not in html  # view only
        assert therapist.post(url, {}).status_code == 403
    assert therapist.get(reverse("admin:pages_topic_add")).status_code == 403
    assert therapist.get(reverse("admin:pages_clinic_changelist")).status_code == 403


def set_admin_language(user, language):
    from pages.models import StaffProfile

    StaffProfile.objects.update_or_create(user=user, defaults={"language": language})


def test_staff_whose_language_is_spanish_see_the_admin_in_spanish(loaded, make_staff):
    person = make_staff("lucia", group="Front desk")
    set_admin_language(person, "es")
    browser = logged_in(person)
    response = browser.get(reverse("admin:index"))
    assert response.headers["Content-Language"] == "es"
    assert "Cerrar sesión" in response.content.decode()  # Django's own "Log out", in Spanish
    # The public site keeps its own language: English at English addresses.
    public = browser.get("/faq/")
    assert public.headers["Content-Language"] == "en"


def test_the_spanish_admin_says_saved_without_a_wrong_article_and_its_history_in_spanish(loaded, make_staff):
    # "El pregunta frecuente ... se cambió correctamente" and an English history page (a staff review).
    from pages.models import FaqEntry
    from tests.helpers import save_in_admin

    person = make_staff("carla", group="Clinical editor")
    set_admin_language(person, "es")
    browser = logged_in(person)
    entry = FaqEntry.objects.get()
    response = save_in_admin(browser, entry, answer=entry.answer + " Más.")
    shown = browser.get(response["Location"]).content.decode()
    assert "Cambios guardados: pregunta frecuente" in shown and "El pregunta" not in shown
    history = browser.get(reverse("admin:pages_faqentry_history", args=[entry.pk])).content.decode()
    assert "Elija una fecha de la lista" in history and "Choose a date" not in history


def test_staff_without_a_language_see_the_admin_in_english(loaded, make_staff):
    browser = logged_in(make_staff("sam", group="Front desk"))
    response = browser.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.headers["Content-Language"] == "en"


def test_the_admin_language_is_chosen_on_the_users_page(staff_client, make_staff):
    person = make_staff("lucia")
    html = staff_client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()
    assert 'name="staff_profile-0-language"' in html


@pytest.mark.parametrize("page", ["add", "change"])
def test_the_reviewer_title_is_under_the_heading_the_staff_manual_names(staff_client, make_staff, page):
    # docs/staff.md: the reviewer title is "under *Clinical review, admin language and emails*".
    person = make_staff("ana")
    url = reverse("admin:auth_user_add") if page == "add" else reverse("admin:auth_user_change", args=[person.pk])
    html = staff_client.get(url).content.decode()
    heading = re.search(r'<h2 id="staff_profile-heading"[^>]*>(.*?)</h2>', html, re.S).group(1)
    assert heading.strip() == "Clinical review, admin language and emails"
    assert "Staff profile" not in html


def test_a_clinical_editor_with_a_reviewer_title_turns_their_emails_off_on_their_own_page(make_staff):
    """"Your emails" for someone whose staff profile exists already (every clinical editor with a
    reviewer title): the page shows that profile, and saving it unticked turns the emails off."""
    staff_groups()
    editor = make_staff("clin", group="Clinical editor")
    StaffProfile.objects.create(user=editor, reviewer_title="Physical therapist, DPT")
    browser = logged_in(editor)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    form = change_form_data(browser, url)
    assert form["staff_profile-INITIAL_FORMS"] == "1"  # their own profile, not an empty one to add
    del form["staff_profile-0-sign_off_emails"]
    assert browser.post(url, form).status_code == 302
    profile = StaffProfile.objects.get(user=editor)
    assert profile.sign_off_emails is False and profile.reviewer_title == "Physical therapist, DPT"


def test_a_front_desk_member_sets_their_own_admin_language_on_their_own_page(make_staff):
    # The box is headed "Clinical review, admin language and emails" but showed only the emails
    # (a staff review). A person may choose the language they read the admin in; nothing more.
    staff_groups()
    person = make_staff("dana", group="Front desk")
    browser = logged_in(person)
    url = reverse("admin:auth_user_change", args=[person.pk])
    html = browser.get(url).content.decode()
    assert 'name="staff_profile-0-language"' in html and 'name="staff_profile-0-reviewer_title"' not in html
    form = {**change_form_data(browser, url), "staff_profile-0-language": "es"}
    assert browser.post(url, form).status_code == 302
    assert StaffProfile.objects.get(user=person).language == "es"
    assert browser.get(reverse("admin:index")).headers["Content-Language"] == "es"
