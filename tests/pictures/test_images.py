"""Uploads are checked with Pillow, stripped of EXIF/GPS, resized once, and need alt text."""
import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from pages.models import Image, Topic
from tests.helpers import as_loaded, change_form_data

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg_with_gps(size=(1200, 800)):
    image = PILImage.new("RGB", size, "teal")
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def huge_png(width=20_000, height=20_000):
    """A real, valid 20,000 x 20,000 PNG (1-bit, so it is small on disk): a decompression bomb."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def upload_via_editor(client, data, name, content_type):
    return client.post("/markdownx/upload/", {"image": SimpleUploadedFile(name, data, content_type=content_type)},
                       HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def add_in_admin(client, data, name="photo.jpg", follow=False, **fields):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(reverse("admin:pages_image_add"),
                       {"title": "Clinic photo", "alt_text": "The front desk", "caption": "", "file": upload, **fields},
                       follow=follow)


def test_gps_and_camera_data_are_stripped_from_an_admin_upload(staff_client):
    assert PILImage.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(GPS_IFD)  # the test file has GPS
    assert add_in_admin(staff_client, jpeg_with_gps()).status_code == 302
    stored = PILImage.open(Image.objects.get().file.path)
    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif


def test_gps_data_is_stripped_from_an_editor_upload(staff_client):
    response = upload_via_editor(staff_client, jpeg_with_gps(), "photo.jpg", "image/jpeg")
    assert response.status_code == 200
    assert not PILImage.open(Image.objects.get().file.path).getexif().get_ifd(GPS_IFD)


def test_a_20000_by_20000_png_is_refused_and_nothing_is_stored(staff_client, media_root):
    response = upload_via_editor(staff_client, huge_png(), "bomb.png", "image/png")
    assert response.status_code == 400
    assert "too large (more than 40 million pixels)" in response.json()["image"][0]
    response = add_in_admin(staff_client, huge_png(), name="bomb.png")
    assert response.status_code == 200 and b"too large" in response.content
    assert not Image.objects.exists()
    assert not any(media_root.rglob("*.png"))


def test_a_file_that_is_not_an_image_is_refused(staff_client):
    response = upload_via_editor(staff_client, b"GIF89a-not-really", "x.jpg", "image/jpeg")
    assert response.status_code == 400
    assert "not a picture" in response.json()["image"][0]


def test_svg_and_gif_are_refused(staff_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert upload_via_editor(staff_client, svg, "a.svg", "image/svg+xml").status_code == 400
    gif = io.BytesIO()
    PILImage.new("P", (10, 10)).save(gif, "GIF")
    response = upload_via_editor(staff_client, gif.getvalue(), "a.gif", "image/gif")
    assert response.status_code == 400 and "not GIF" in response.json()["image"][0]


def test_files_over_the_size_limit_are_refused(staff_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    response = upload_via_editor(staff_client, jpeg_with_gps(), "photo.jpg", "image/jpeg")
    assert response.status_code == 400 and "the limit is" in response.json()["image"][0]


def test_resized_webp_copies_are_made_once_and_used_in_pages(staff_client, client, loaded):
    add_in_admin(staff_client, jpeg_with_gps(size=(1200, 800)))
    image = Image.objects.get()
    copies = [f"renditions/{image.file.name.rsplit('.', 1)[0]}-{w}w.webp" for w in (480, 960)]
    assert all(default_storage.exists(name) for name in copies)
    assert not default_storage.exists(f"renditions/{image.file.name.rsplit('.', 1)[0]}-1440w.webp")  # no upscaling
    made_at = [default_storage.get_modified_time(name) for name in copies]
    image.caption = "Saved again"
    image.save()
    assert [default_storage.get_modified_time(name) for name in copies] == made_at  # reused, not remade

    with as_loaded():
        Topic.objects.update(body=f"## A picture\n\n![The front desk]({image.file.url})")
    html = client.get("/what-is-dry-needling/").content.decode()
    assert 'width="1200"' in html and 'height="800"' in html and 'loading="lazy"' in html
    assert "-480w.webp 480w" in html and "-960w.webp 960w" in html


def test_a_page_with_a_picture_without_alt_text_cannot_be_saved(staff_client, loaded):
    topic = Topic.objects.get()
    url = reverse("admin:pages_topic_change", args=[topic.pk])
    response = staff_client.post(url, {**change_form_data(staff_client, url), "body": "Look: ![](/media/x.jpg)"})
    assert response.status_code == 200
    assert "A picture has no description" in response.content.decode()


def test_a_full_disk_gives_a_clear_error_and_leaves_nothing_behind(staff_client, monkeypatch, media_root):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "_save", full_disk)
    response = upload_via_editor(staff_client, jpeg_with_gps(), "photo.jpg", "image/jpeg")
    assert response.status_code == 507
    assert "could not be stored" in response.json()["image"][0]
    assert not Image.objects.exists()


def test_a_read_only_media_folder_gives_a_clear_admin_error_and_saves_nothing(staff_client, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(default_storage, "_save", read_only)
    response = add_in_admin(staff_client, jpeg_with_gps(), follow=True)
    assert response.status_code == 200
    assert "could not be stored" in response.content.decode()
    assert not Image.objects.exists()


def test_a_jpeg_comment_is_stripped_like_exif(staff_client):
    image, out = PILImage.new("RGB", (300, 200), "teal"), io.BytesIO()
    image.save(out, "JPEG", comment=b"Patient: Jane Doe, DOB 1970-01-01")
    assert b"Jane Doe" in out.getvalue()  # the test file carries a COM segment
    assert add_in_admin(staff_client, out.getvalue()).status_code == 302
    stored = Image.objects.get()
    with stored.file.open("rb") as file:
        data = file.read()
    assert b"Jane Doe" not in data and b"\xff\xfe" not in data[:data.index(b"\xff\xda")]  # no COM before the scan
    assert "comment" not in PILImage.open(io.BytesIO(data)).info
