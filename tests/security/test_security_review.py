"""Findings of the security review of 23 November: each test failed on the code before its fix."""
import pytest
from django.contrib.auth.models import Permission
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from pages.models import FaqEntry, PendingChange
from tests.helpers import as_loaded, delete_in_admin, logged_in

pytestmark = pytest.mark.django_db


def with_perms(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="pages", codename__in=codenames))
    return logged_in(type(user).objects.get(pk=user.pk))  # fresh user: no cached permissions


def deleted_record(model):
    return model.history.filter(history_type="-").latest("history_id")


# --- 1. "Recently deleted" restore ----------------------------------------------------------

def test_restoring_a_deleted_page_needs_the_delete_permission(staff_client, loaded, make_staff):
    delete_in_admin(staff_client, FaqEntry.objects.get())
    desk = logged_in(make_staff("desk", group="Front desk"))  # may add and change answers, not delete
    url = reverse("admin:pages_faqentry_deleted")
    assert desk.get(url).status_code == 403
    assert desk.post(url, {"history_id": deleted_record(FaqEntry).history_id}).status_code == 403
    assert not FaqEntry.objects.exists()


def test_a_clinical_page_restored_by_someone_who_cannot_approve_waits_unpublished(
        client, staff_client, loaded, make_staff):
    delete_in_admin(staff_client, FaqEntry.objects.get())
    desk = with_perms(make_staff("desk", group="Front desk"), "delete_faqentry")
    response = desk.post(reverse("admin:pages_faqentry_deleted"), {"history_id": deleted_record(FaqEntry).history_id})
    assert response.status_code == 302
    entry = FaqEntry.objects.get()
    assert not entry.published
    change = PendingChange.objects.get(status="pending")
    assert change.is_new and change.object_id == entry.pk and change.data["published"] is True
    assert client.get("/faq/does-it-hurt/").status_code in (404, 410)


def test_an_unpublished_restore_keeps_the_redirect_an_editor_set_to_a_replacement(
        client, staff_client, loaded, make_staff):
    delete_in_admin(staff_client, FaqEntry.objects.get(), redirect_to="/what-is-dry-needling/")
    assert client.get("/faq/does-it-hurt/")["Location"] == "/what-is-dry-needling/"
    desk = with_perms(make_staff("desk", group="Front desk"), "delete_faqentry")
    desk.post(reverse("admin:pages_faqentry_deleted"), {"history_id": deleted_record(FaqEntry).history_id})
    assert Redirect.objects.get(old_path="/faq/does-it-hurt/").new_path == "/what-is-dry-needling/"
    response = client.get("/faq/does-it-hurt/")
    assert (response.status_code, response["Location"]) == (301, "/what-is-dry-needling/")


def test_approving_a_restored_page_publishes_it_at_its_addresses(client, staff_client, loaded, make_staff):
    from tests.helpers import save_in_admin

    save_in_admin(staff_client, FaqEntry.objects.get(), slug="is-it-painful")
    delete_in_admin(staff_client, FaqEntry.objects.get(), redirect_to="/what-is-dry-needling/")
    desk = with_perms(make_staff("desk", group="Front desk"), "delete_faqentry")
    desk.post(reverse("admin:pages_faqentry_deleted"), {"history_id": deleted_record(FaqEntry).history_id})
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    change = PendingChange.objects.get(status="pending")
    clinician.post(reverse("admin:pages_pendingchange_change", args=[change.pk]), {"note": ""})
    assert FaqEntry.objects.get().published
    assert client.get("/faq/is-it-painful/").status_code == 200
    response = client.get("/faq/does-it-hurt/")  # its first address, 410 since the delete
    assert (response.status_code, response["Location"]) == (301, "/faq/is-it-painful/")


def test_a_clinical_editor_restores_a_page_published_at_once(client, loaded, make_staff):
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    delete_in_admin(clinician, FaqEntry.objects.get())
    clinician.post(reverse("admin:pages_faqentry_deleted"), {"history_id": deleted_record(FaqEntry).history_id})
    assert FaqEntry.objects.get().published
    assert not PendingChange.objects.filter(status="pending").exists()
    assert client.get("/faq/does-it-hurt/").status_code == 200


def test_the_recently_deleted_link_shows_only_to_those_who_may_restore(staff_client, loaded, make_staff):
    desk = logged_in(make_staff("desk", group="Front desk"))
    url = reverse("admin:pages_faqentry_deleted")
    assert url not in desk.get(reverse("admin:pages_faqentry_changelist")).content.decode()
    assert url in staff_client.get(reverse("admin:pages_faqentry_changelist")).content.decode()


# --- 3. history "Revert" needs the change permission -------------------------------------------

def test_a_view_only_user_cannot_save_through_the_revert_form(loaded, make_staff):
    from pages.models import Provider
    from tests.helpers import response_form_data

    provider = Provider.objects.get()
    old = provider.history.latest("history_id")
    provider.credentials = "PT, DPT, OCS"
    provider.save()
    viewer = with_perms(make_staff("viewer"), "view_provider")
    url = reverse("admin:pages_provider_simple_history", args=[provider.pk, old.history_id])
    response = viewer.get(url)
    assert response.status_code == 200  # they may look at an old version
    data = {**response_form_data(response), "credentials": "Set by a view-only user"}
    assert viewer.post(url, data).status_code == 403
    provider.refresh_from_db()
    assert provider.credentials == "PT, DPT, OCS"


# --- 4. a revert by someone who may not review keeps the live review date and reviewer ---------

def test_a_front_desk_revert_keeps_the_live_rows_review_fields(loaded, make_staff):
    import datetime

    from tests.helpers import response_form_data

    entry = FaqEntry.objects.get()
    old = entry.history.latest("history_id")
    entry.last_reviewed, entry.reviewed_by = datetime.date.today(), "Casey Editor, DPT"
    with as_loaded():
        entry.save()  # a clinical editor's review, after the old version
    desk = logged_in(make_staff("desk", group="Front desk"))
    url = reverse("admin:pages_faqentry_simple_history", args=[entry.pk, old.history_id])
    response = desk.post(url, response_form_data(desk.get(url)))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.last_reviewed, entry.reviewed_by) == (datetime.date.today(), "Casey Editor, DPT")


def test_a_clinical_editor_revert_may_bring_back_the_old_review(loaded, make_staff):
    import datetime

    from tests.helpers import response_form_data

    entry = FaqEntry.objects.get()
    old = entry.history.latest("history_id")
    entry.last_reviewed, entry.reviewed_by = datetime.date.today(), "Casey Editor, DPT"
    with as_loaded():
        entry.save()
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    url = reverse("admin:pages_faqentry_simple_history", args=[entry.pk, old.history_id])
    assert clinician.post(url, response_form_data(clinician.get(url))).status_code == 302
    entry.refresh_from_db()
    assert (entry.last_reviewed, entry.reviewed_by) == (old.last_reviewed, old.reviewed_by)


# --- 5. /media/ serves only pictures an Image row owns, and their copies -----------------------

@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def webp_bytes(size=(1200, 800), colour="teal"):
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "WEBP")
    return buffer.getvalue()


def stored_picture(name="photo.webp"):
    from django.core.files.base import ContentFile

    from pages.models import Image

    image = Image(title=name, alt_text="A teal square.")
    image.file.save(name, ContentFile(webp_bytes()), save=False)
    image.width, image.height = 1200, 800  # set on assignment, not by storage.save
    image.save()
    return image


def test_a_deleted_pictures_file_and_copies_are_removed_and_not_served(
        client, media_root, django_capture_on_commit_callbacks):
    from pages.pictures.images import rendition_name

    image = stored_picture()
    paths = [image.file.name, rendition_name(image.file.name, 480), rendition_name(image.file.name, 960)]
    assert all((media_root / path).is_file() for path in paths)
    assert client.get("/media/" + paths[1]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    for path in paths:
        assert not (media_root / path).exists(), path
        assert client.get("/media/" + path).status_code == 404, path


def test_a_copy_is_served_only_when_a_picture_on_file_makes_that_name(client, media_root):
    from pages.pictures.images import rendition_name

    image = stored_picture()
    stray = media_root / "renditions" / "images" / "stray-480w.webp"
    stray.write_bytes(webp_bytes((480, 320), "red"))  # no Image row makes this name
    assert client.get("/media/renditions/images/stray-480w.webp").status_code == 404
    assert client.get("/media/" + rendition_name(image.file.name, 480)).status_code == 200
    assert client.get("/media/" + rendition_name(image.file.name, 1440)).status_code == 404  # no upscaled copy


@pytest.mark.parametrize("dots", ["..", "%2e%2e", "%2E%2e", "./.."])
def test_a_path_with_dot_dot_is_refused_even_when_it_ends_at_a_picture(client, media_root, dots):
    stored_picture()
    (media_root / "images" / "gone.webp").write_bytes(webp_bytes())  # a deleted picture's file
    response = client.get(f"/media/renditions/images/{dots}/{dots}/images/gone.webp")
    assert response.status_code == 404


# --- 6. X-Forwarded-For entries with a port or IPv6 brackets ------------------------------------

@pytest.mark.parametrize("forwarded, expected", [
    ("203.0.113.9:5555", "203.0.113.9"),
    ("6.6.6.6, 203.0.113.9:5555", "203.0.113.9"),
    ("[2001:db8::1]", "2001:db8::1"),
    ("[2001:db8::1]:443", "2001:db8::1"),
    ("2001:db8::1", "2001:db8::1"),
    ("::ffff:203.0.113.9", "203.0.113.9"),
    ("[2001:db8::1", "127.0.0.1"),
    ("unknown", "127.0.0.1"),
])
def test_client_address_reads_an_entry_with_a_port_or_ipv6_brackets(rf, settings, forwarded, expected):
    from serving.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)) == expected
