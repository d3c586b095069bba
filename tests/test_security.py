"""Issue 11, the outside security probe: one test (or more) per finding."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse
from PIL import Image as PILImage

from pages.models import Image


def png_bytes(size=(20, 20)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, name="a.png", data=None):
    image = SimpleUploadedFile(name, data if data is not None else png_bytes(), content_type="image/png")
    return client.post("/markdownx/upload/", {"image": image}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# Finding 2: the editor's upload endpoint asks for the same permission as the Image admin.

def test_markdownx_upload_needs_the_add_image_permission(db, make_staff, media_root):
    desk = make_staff("desk", group="Front desk")
    assert not desk.has_perm("pages.add_image")
    assert logged_in(desk).get(reverse("admin:pages_image_add")).status_code == 403
    assert upload(logged_in(desk)).status_code == 403
    assert not Image.objects.exists()


def test_markdownx_upload_works_with_the_add_image_permission(db, make_staff, media_root):
    from django.contrib.auth.models import Permission

    user = make_staff("pictures")
    user.user_permissions.add(Permission.objects.get(codename="add_image", content_type__app_label="pages"))
    assert upload(logged_in(user)).status_code == 200
    assert Image.objects.count() == 1


# Finding 7: the admin's moved address is not disclosed.

@pytest.fixture
def secret_admin_path(settings):
    import importlib

    import clinic_site.urls

    settings.ADMIN_PATH = "clinic-staff-7f3a/"
    importlib.reload(clinic_site.urls)
    clear_url_caches()
    yield "clinic-staff-7f3a"
    settings.ADMIN_PATH = "admin/"
    importlib.reload(clinic_site.urls)
    clear_url_caches()


@pytest.mark.parametrize("method, path", [
    ("get", "/robots.txt"), ("get", "/staff/links/"), ("post", "/markdownx/upload/"),
    ("post", "/markdownx/markdownify/"), ("get", "/no-such-page/"),
])
def test_anonymous_visitors_never_learn_the_admin_address(client, db, secret_admin_path, method, path):
    assert reverse("admin:index") == "/clinic-staff-7f3a/"
    response = getattr(client, method)(path)
    assert secret_admin_path not in response.content.decode()
    assert secret_admin_path not in response.get("Location", "")
    if path != "/robots.txt":
        assert response.status_code == 404


def test_non_staff_users_get_not_found_on_staff_pages(client, db, django_user_model):
    client.force_login(django_user_model.objects.create_user("patient", password="a-long-test-password"))
    assert client.get("/staff/links/").status_code == 404
    assert upload(client).status_code == 404
