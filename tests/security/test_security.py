"""Issue 11, the outside security probe: one test (or more) per finding."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from PIL import Image as PILImage

from pages.kit import reading_lists, visit_sheets
from pages.models import Image, Topic


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


# Finding 3: sign-in lock-out by username AND the client's real address behind the proxy.

@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "the-right-password-1")


def sign_in(password, via_proxy_from=None, direct_from=None, forwarded=None):
    """A sign-in from a fresh browser: through the local TLS proxy, or straight to the app server."""
    meta = {"REMOTE_ADDR": "127.0.0.1" if via_proxy_from else direct_from}
    chain = [part for part in (forwarded, via_proxy_from) if part]
    if chain:
        meta["HTTP_X_FORWARDED_FOR"] = ", ".join(chain)
    return Client().post(reverse("admin:login"), {"username": "root", "password": password}, **meta)


def test_an_attacker_elsewhere_cannot_lock_out_the_real_person(root, settings):
    assert settings.TRUSTED_PROXY_COUNT == 1  # the documented deployment: one proxy on this machine
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", via_proxy_from="203.0.113.66")
    assert sign_in("the-right-password-1", via_proxy_from="203.0.113.66").status_code == 429
    assert sign_in("the-right-password-1", via_proxy_from="198.51.100.7").status_code == 302


def test_a_spoofed_forwarded_for_through_the_proxy_does_not_escape_the_lock_out(root, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", via_proxy_from="203.0.113.66", forwarded=f"192.0.2.{n}")
    assert sign_in("the-right-password-1", via_proxy_from="203.0.113.66", forwarded="192.0.2.99").status_code == 429


def test_a_spoofed_forwarded_for_from_a_direct_client_is_ignored(root, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", direct_from="203.0.113.66", forwarded=f"192.0.2.{n}")
    assert sign_in("the-right-password-1", direct_from="203.0.113.66", forwarded="198.51.100.7").status_code == 429
    # ... and cannot pass itself off as the real person's address either.
    assert sign_in("the-right-password-1", via_proxy_from="198.51.100.7").status_code == 302


@pytest.mark.parametrize("count, peer, forwarded, expected", [
    (1, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
    (1, "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
    (1, "127.0.0.1", None, "127.0.0.1"),
    (1, "203.0.113.9", "6.6.6.6", "203.0.113.9"),
    (2, "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
    (0, "127.0.0.1", "6.6.6.6", "127.0.0.1"),
    (1, "127.0.0.1", "unknown", "127.0.0.1"),
])
def test_client_address_takes_exactly_the_trusted_hops(rf, settings, count, peer, forwarded, expected):
    from serving.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = count
    meta = {"REMOTE_ADDR": peer, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    assert client_address(rf.get("/", **meta)) == expected


# Finding 10: public pages answer GET and HEAD only; OPTIONS and TRACE get 405 with Allow.

def public_paths():
    """One address per route of pages.urls, so a page added later is checked too."""
    from pages import urls

    examples = {"slug": "what-is-dry-needling"}
    paths = {}
    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        if route.startswith("staff/"):
            continue
        slug = {"faq/<slug:slug>/": "does-it-hurt", "conditions/<slug:slug>/": "neck-pain"}.get(route)
        kwargs = {"slug": slug or examples["slug"]} if "<slug:slug>" in route else {}
        if pattern.name == "visit_sheet":
            kwargs = {"code": visit_sheets.visit_sheet_for(["neck"], False, "en").code}
        elif "<str:code>" in route:
            topic = Topic.objects.get(slug=examples["slug"])
            kwargs = {"code": reading_lists.reading_list_for([reading_lists.topic_item(topic).key]).code}
        paths[pattern.name] = reverse(f"pages:{pattern.name}", kwargs=kwargs)
    return paths


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "DELETE"])
def test_public_pages_refuse_other_methods_with_405_and_allow(client, loaded, method):
    for name, path in public_paths().items():
        assert client.get(path).status_code == 200, path  # the page exists
        response = client.generic(method, path)
        assert response.status_code == 405, (name, path, response.status_code)
        assert response["Allow"] == "GET, HEAD", path
        assert b"<html" not in response.content, path


def test_a_cached_page_is_not_served_to_options(client, loaded):
    assert client.get("/faq/").status_code == 200  # now in the page cache
    assert client.options("/faq/").status_code == 405
    assert client.head("/faq/").status_code == 200


# Finding 5: a small PNG whose text or colour-profile chunk unpacks past Pillow's limit.

def png_with_oversized_chunk(kind):
    from PIL import PngImagePlugin

    buffer = io.BytesIO()
    if kind == "zTXt":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "A" * (3 * 1024 * 1024), zip=True)
        PILImage.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    else:
        PILImage.new("RGB", (4, 4)).save(buffer, "PNG", icc_profile=b"\0" * (3 * 1024 * 1024))
    assert len(buffer.getvalue()) < 4000
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["zTXt", "iCCP"])
def test_a_chunk_bomb_png_is_a_clear_error_in_the_editor_upload(staff_client, media_root, kind):
    response = upload(staff_client, "bomb.png", png_with_oversized_chunk(kind))
    assert response.status_code == 400
    assert "too much hidden data" in response.json()["image"][0]
    assert not Image.objects.exists()


@pytest.mark.parametrize("kind", ["zTXt", "iCCP"])
def test_a_chunk_bomb_png_is_a_clear_error_in_the_image_admin(staff_client, media_root, kind):
    image = SimpleUploadedFile("bomb.png", png_with_oversized_chunk(kind), content_type="image/png")
    response = staff_client.post(reverse("admin:pages_image_add"),
                                 {"title": "Bomb", "alt_text": "x", "caption": "", "file": image})
    assert response.status_code == 200
    assert "too much hidden data" in str(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


# Finding 6: an uploaded file can never stand in for another picture's resized copy.

def test_an_uploaded_file_named_like_a_rendition_is_not_used_as_one(staff_client, media_root):
    planted = io.BytesIO()
    PILImage.new("RGB", (480, 320), "red").save(planted, "WEBP")
    assert upload(staff_client, "planted-480w.webp", planted.getvalue()).status_code == 200
    assert upload(staff_client, "planted.png", png_bytes((1200, 800))).status_code == 200

    real = Image.objects.get(title="planted.png")
    from pages.pictures.images import rendition_name, srcset

    small = rendition_name(real.file.name, 480)
    assert not Image.objects.filter(file=small).exists()
    with real.file.storage.open(small) as copy:
        colour = PILImage.open(copy).convert("RGB").getpixel((10, 10))
    assert colour[1] > 100 and colour[0] < 50  # teal, the real picture's copy, not the planted red
    assert srcset(real.file.name, real.width).startswith(f"/media/renditions/{real.file.name[:-4]}-480w.webp 480w")


# Finding 9: uploaded pictures are served by the app (so under gunicorn too).

def test_uploaded_pictures_and_their_copies_are_served_with_caching_and_nosniff(staff_client, client, media_root):
    assert upload(staff_client, "diagram.png", png_bytes((1200, 800))).status_code == 200
    image = Image.objects.get()
    original = client.get(image.file.url)
    assert original.status_code == 200
    assert original["Content-Type"] == "image/png"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert "max-age=86400" in original["Cache-Control"]
    assert b"".join(original.streaming_content) == image.file.open("rb").read()
    copy = client.get("/media/renditions/" + image.file.name.removesuffix(".png") + "-480w.webp",
                      HTTP_ACCEPT_ENCODING="gzip")
    assert copy.status_code == 200 and copy["Content-Type"] == "image/webp"
    assert copy["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Encoding" not in copy  # pictures are not gzipped again


def test_only_pictures_an_image_owns_are_served(client, staff_client, media_root):
    assert upload(staff_client, "diagram.png").status_code == 200
    stray = media_root / "images" / "stray.png"
    stray.write_bytes(png_bytes())
    (media_root / "notes.txt").write_text("private")
    for path in ("/media/images/stray.png", "/media/notes.txt", "/media/../manage.py", "/media/images/",
                 "/media/renditions/../notes.txt"):
        assert client.get(path).status_code == 404, path
    Image.objects.get().delete()
    assert client.get("/media/images/diagram.png").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_an_uploaded_picture(tmp_path):
    """`make serve-prod`'s set-up: DEBUG off, gunicorn alone, no other web server."""
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    sys.path.insert(0, str(Path(settings.BASE_DIR)))
    from bench._server import PYTHON, REPO, Server, http_get, prod_env

    media = tmp_path / "media"
    env = prod_env(tmp_path / "db.sqlite3", DJANGO_MEDIA_ROOT=media, CONTENT_VERSION_FILE=tmp_path / "version")
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--no-input", "-v0"], cwd=REPO, env=env, check=True,
                   timeout=300)
    made = subprocess.run([str(PYTHON), "manage.py", "shell", "-c", (
        "import io; from PIL import Image as P; from django.core.files.base import ContentFile;"
        "from pages.models import Image; b = io.BytesIO(); P.new('RGB', (1200, 800), 'teal').save(b, 'PNG');"
        "i = Image(title='t', alt_text='a'); i.file.save('diagram.png', ContentFile(b.getvalue()), save=False);"
        "i.width, i.height = 1200, 800; i.save(); print(i.file.url)"
    )], cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=True)
    url = made.stdout.strip().splitlines()[-1]
    with Server(env, workers=1, log_dir=tmp_path) as server:
        status, headers, body, _ = http_get(server.port, url)
        assert status == 200, server.log_tail()
        assert headers["content-type"] == "image/png" and headers["x-content-type-options"] == "nosniff"
        assert body == (media / url.removeprefix("/media/")).read_bytes()
        status, headers, body, _ = http_get(server.port, url.replace("/media/", "/media/renditions/")
                                            .replace(".png", "-480w.webp"))
        assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
        assert body[:4] == b"RIFF"


def test_the_upgrade_makes_copies_in_the_new_folder_for_pictures_already_uploaded(staff_client, media_root):
    import importlib
    import shutil

    from django.apps import apps

    assert upload(staff_client, "old.png", png_bytes((1200, 800))).status_code == 200
    shutil.rmtree(media_root / "renditions")  # as before the upgrade: no copies in renditions/
    Image.objects.bulk_create([Image(title="file gone", file="images/missing.png", width=1200, height=800)])
    migration = importlib.import_module("pages.migrations.0009_renditions_in_their_own_folder")
    migration.make_renditions_in_new_folder(apps, None)
    image = Image.objects.get(title="old.png")
    assert (media_root / "renditions" / (image.file.name.removesuffix(".png") + "-960w.webp")).is_file()
