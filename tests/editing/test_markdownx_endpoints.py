import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_anonymous_preview_is_not_found(client):
    response = client.post("/markdownx/markdownify/", {"content": "**hi**"})
    assert response.status_code == 404


def test_staff_preview_is_the_sanitised_page_html(staff_client):
    response = staff_client.post("/markdownx/markdownify/", {"content": "**hi** <script>x()</script>"})
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>hi</strong> </p>"


def test_anonymous_upload_is_refused_and_nothing_is_saved(client, media_root):
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    response = client.post("/markdownx/upload/", {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 404
    assert not media_root.exists() or not any(media_root.rglob("*.png"))


def test_staff_can_upload_a_png(staff_client, media_root):
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    response = staff_client.post("/markdownx/upload/", {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert response.json()["image_code"].startswith("\n\n![DESCRIBE THIS PICTURE](/media/images/")


def test_svg_upload_is_refused_even_for_staff(staff_client, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    upload = SimpleUploadedFile("a.svg", svg, content_type="image/svg+xml")
    response = staff_client.post("/markdownx/upload/", {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400
    assert not media_root.exists() or not any(media_root.rglob("*.svg"))
