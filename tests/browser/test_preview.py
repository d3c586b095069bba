"""Issue 22, "see it before patients do", in Chromium: from the change form's Preview button to
the patient page with the waiting text under the banner; the preview is valid HTML (the Nu
checker) and passes axe, in English and in Spanish."""
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.helpers import axe_violations, describe, left_the_document, require_vnu, save_in_admin, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = "Rest the area for a day if it feels bruised."
BANNER = "Waiting for approval: patients still see the live page."


def translator(django_user_model):
    # Permissions, not the migration's groups: a transactional test database starts empty.
    user = django_user_model.objects.create_user("trans", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="pages", codename__in=[
        "view_topic", "change_topic", "view_faqentry", "change_faqentry"]))
    client = Client()
    client.force_login(user)
    return client


def waiting_preview(client, obj, field, text):
    from pages.models import PendingChange

    assert save_in_admin(client, obj, **{field: getattr(obj, field) + "\n\n" + text}).status_code == 302
    change = PendingChange.objects.get(status="pending", object_id=obj.pk)
    return reverse("admin:pages_pendingchange_preview", args=[change.pk])


def test_preview_button_opens_the_patient_page_with_the_banner_and_passes_axe(
        live_server, site_content, axe_browser, django_user_model):
    from pages.models import Topic

    client = translator(django_user_model)
    topic = Topic.objects.get(language="en", slug="after-care")
    preview = waiting_preview(client, topic, "body", WAITING)
    browser = axe_browser
    browser.get(live_server.url + "/robots.txt")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session, "path": "/"})
    browser.get(f"{live_server.url}/admin/pages/topic/{topic.pk}/change/")
    # Beside History and View on site (which opens the preview too while a change waits).
    links = browser.find_elements(By.CSS_SELECTOR, f'.object-tools a[href="{preview}"]')
    assert [link.text.lower() for link in links] == ["preview the waiting change", "view on site"]
    button = links[0]
    button.click()
    WebDriverWait(browser, 15).until(left_the_document(button))
    assert browser.current_url == live_server.url + preview
    main = browser.find_element(By.TAG_NAME, "main")
    banner = main.find_element(By.CSS_SELECTOR, ".preview-banner")
    assert banner.text.startswith(BANNER) and banner.is_displayed()
    # The banner is the first thing on the page under the header, above the title.
    title = main.find_element(By.TAG_NAME, "h1")
    assert banner.location["y"] < title.location["y"] and title.text == topic.title
    assert WAITING in main.text and "Call 911" in main.text
    violations = axe_violations(browser, live_server.url + preview)
    assert not violations, describe(preview, violations)

    # Patients, signed out, read the live page.
    browser.delete_all_cookies()
    browser.get(live_server.url + topic.get_absolute_url())
    text = browser.find_element(By.TAG_NAME, "main").text
    assert WAITING not in text and BANNER not in text


def test_preview_pages_pass_the_nu_html_checker(live_server, site_content, django_user_model, tmp_path):
    from pages.models import FaqEntry, Topic

    require_vnu()
    client = translator(django_user_model)
    previews = {
        "topic-en.html": waiting_preview(client, Topic.objects.get(language="en", slug="after-care"), "body", WAITING),
        "topic-es.html": waiting_preview(client, Topic.objects.get(language="es", slug="cuidados-despues"), "body",
                                         "Descanse la zona un día si tiene un moretón."),
        "faq-en.html": waiting_preview(client, FaqEntry.objects.get(language="en", slug="does-it-hurt"), "answer",
                                       "**Tell your therapist** if it hurts."),
    }
    for name, url in previews.items():
        response = client.get(url)
        assert response.status_code == 200 and b"preview-banner" in response.content
        (tmp_path / name).write_bytes(response.content)
    errors = vnu_errors([tmp_path / name for name in previews])
    assert not errors, errors
