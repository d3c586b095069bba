"""Backup and restore drill: backup_site on one install, restore_site on a fresh one.

Content, history, redirects, users and pictures come back (every table's rows), and the
pages served after the restore are byte-identical to those served before. Runs on SQLite,
and on PostgreSQL too when DATABASE_URL points at one (`make test-postgres-redis`).
"""
import gzip
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command

from pages.models import FaqEntry, Topic
from serving.backup import SIGNATURE, sign, table_counts
from tests.helpers import Browser, as_loaded

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
from _server import Server, free_port, manage, prod_env  # noqa: E402  (bench/_server.py)

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))

PAGES = ["/", "/faq/", "/faq/heat-or-ice-after-needling/", "/what-is-dry-needling/", "/conditions/"]

MAKE_HISTORY = """
from django.core.files.base import ContentFile
from PIL import Image as Picture
import io
from pages.models import FaqEntry, Image
from pages.signoff import gate
with gate.trusted_source("backup drill"):     # set up as the clinic's files would
    entry = FaqEntry.objects.get(slug="heat-or-ice")
    entry.slug = "heat-or-ice-after-needling"   # a rename leaves a redirect behind
    entry.save()
    entry.answer += "\\n\\nBackup drill: this sentence was added in the admin."
    entry.save()                                # a second history revision
picture = io.BytesIO()
Picture.new("RGB", (40, 30), (20, 120, 200)).save(picture, "PNG")
Image.objects.create(title="Drill picture", alt_text="A blue square.",
                     file=ContentFile(picture.getvalue(), "drill.png"))
"""

COUNTS = "import json; from serving.backup import SIGNATURE, sign, table_counts; print(json.dumps(table_counts()))"


def postgres_database(name):
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}"))


def install(tmp, name, vendor):
    """A fresh install's environment: its own database and media folder."""
    # Each install has its own secret key; the clinic keeps one BACKUP_KEY for its backups.
    env = prod_env(tmp / f"{name}.sqlite3", DJANGO_MEDIA_ROOT=tmp / f"{name}-media",
                   DJANGO_SUPERUSER_PASSWORD="a-long-drill-password", BACKUP_KEY="the-clinic-backup-key-0123456789")
    if vendor == "postgresql":
        env["DATABASE_URL"] = postgres_database(f"clinic_drill_{name}_{os.getpid()}")
    return env


def serve(env, port, tmp):
    """Every page's status and body, and where an old address sends the browser."""
    with Server(env, workers=1, port=port, log_dir=tmp) as server:
        patient = Browser(server.port)
        bodies = {path: (r.status, r.body) for path in PAGES for r in [patient.get(path)]}
        moved = patient.get("/faq/heat-or-ice/")
        return bodies, (moved.status, moved.headers.get("location"))


@pytest.mark.parametrize("vendor", [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://...")),
])
def test_a_backup_restored_on_a_fresh_install_brings_everything_back(tmp_path, vendor):
    before = install(tmp_path, "before", vendor)
    manage("migrate", "--no-input", env=before)
    manage("load_content", env=before)
    manage("collectstatic", "--no-input", env=before)
    manage("createsuperuser", "--no-input", "--username", "desk", "--email", "desk@example.org", env=before)
    with as_loaded():
        manage("shell", "-c", MAKE_HISTORY, env=before)
    port = free_port()
    pages_before, moved_before = serve(before, port, tmp_path)
    assert moved_before[0] == 301 and all(status == 200 for status, _body in pages_before.values())
    counts_before = json.loads(manage("shell", "-c", COUNTS, env=before)[1].stdout.splitlines()[-1])
    archive = tmp_path / "site.tar"
    manage("backup_site", str(archive), env=before)

    after = install(tmp_path, "after", vendor)
    manage("migrate", "--no-input", env=after)  # a fresh install, as `make migrate` leaves it
    manage("restore_site", "--no-input", str(archive), env=after)

    counts_after = json.loads(manage("shell", "-c", COUNTS, env=after)[1].stdout.splitlines()[-1])
    assert counts_after == counts_before
    for table in ("auth_user", "pages_historicalfaqentry", "django_redirect", "pages_image", "pages_topic"):
        assert counts_after[table] > 0, table
    media_before = sorted(p.relative_to(tmp_path / "before-media") for p in (tmp_path / "before-media").rglob("*.png"))
    assert media_before
    for name in media_before:
        assert (tmp_path / "after-media" / name).read_bytes() == (tmp_path / "before-media" / name).read_bytes()
    pages_after, moved_after = serve(after, port, tmp_path)  # same port: the same SITE_URL
    assert moved_after == moved_before
    for path in PAGES:
        assert pages_after[path] == pages_before[path], path


@pytest.fixture
def archive(tmp_path, transactional_db, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "site.tar"
    call_command("backup_site", str(path), stdout=io.StringIO())
    return path


def restore_fails(path, message):
    before = table_counts()
    with pytest.raises(CommandError, match=message):
        call_command("restore_site", "--no-input", str(path), stdout=io.StringIO())
    assert table_counts() == before


def test_a_missing_archive_is_named_and_nothing_changes(tmp_path, loaded):
    restore_fails(tmp_path / "nowhere.tar", r"nowhere\.tar: no such file")
    assert Topic.objects.exists()


def test_a_file_that_is_not_an_archive_is_refused(tmp_path, loaded):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a backup")
    restore_fails(bad, r"notes\.txt is not a site backup")


def test_an_archive_without_a_manifest_is_refused(tmp_path, loaded):
    bad = tmp_path / "other.tar"
    with tarfile.open(bad, "w") as tar:
        tar.add(__file__, arcname="something.py")
    restore_fails(bad, r"other\.tar has no readable manifest\.json")


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path, loaded, archive):
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    database = next(p for p in unpacked.iterdir() if p.name.startswith("database."))
    damaged_bytes = bytearray(database.read_bytes())
    damaged_bytes[len(damaged_bytes) // 2] ^= 0xFF  # one byte flipped: always a different file
    database.write_bytes(bytes(damaged_bytes))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as tar:
        for member in sorted(unpacked.rglob("*")):
            tar.add(member, arcname=member.relative_to(unpacked).as_posix(), recursive=False)
    with as_loaded():
        FaqEntry.objects.all().delete()  # would come back if the restore went ahead
    restore_fails(damaged, r"damaged\.tar is damaged: database\.\w+ does not match its checksum")
    assert not FaqEntry.objects.exists()


def test_an_archive_of_another_database_kind_is_refused(tmp_path, loaded, archive):
    def other_vendor(manifest, digest):
        manifest["vendor"] = "postgresql" if manifest["vendor"] == "sqlite" else "sqlite"

    other = tampered(archive, tmp_path, other_vendor, out="other-kind.tar")  # signed, as another site's would be
    restore_fails(other, r"other-kind\.tar holds a \w+ database; this site uses")


def test_restore_asks_before_replacing_a_database_with_content(tmp_path, loaded, archive, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    before = table_counts()
    with pytest.raises(CommandError, match="cancelled; nothing was changed"):
        call_command("restore_site", str(archive), stdout=io.StringIO())
    assert table_counts() == before


# --- Names in the manifest (security review, 23 November) --------------------------------------

def tampered(archive, tmp_path, change_manifest, extra_members=(), out="tampered.tar", key_known=True):
    """A copy of `archive` with its manifest changed and members added: (name, bytes or a link target).

    Signed again with the site's backup key unless `key_known` is False: the checks after the
    signature must hold on their own (against someone who has the key, or a careless clinic)."""
    import hashlib
    import io
    import json
    import tarfile

    out = tmp_path / out
    with tarfile.open(archive) as src, tarfile.open(out, "w") as tar:
        manifest = json.loads(src.extractfile("manifest.json").read())
        signature = src.extractfile(SIGNATURE).read()
        for member in src.getmembers():
            if member.name not in ("manifest.json", SIGNATURE):
                tar.addfile(member, src.extractfile(member) if member.isfile() else None)
        for name, payload in extra_members:
            info = tarfile.TarInfo(name)
            if isinstance(payload, bytes):
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
            else:
                info.type, info.linkname = tarfile.SYMTYPE, payload
                tar.addfile(info)
        change_manifest(manifest, hashlib.sha256(PAYLOAD).hexdigest())
        data = json.dumps(manifest).encode()
        signature = sign(data).encode() if key_known else signature
        for name, payload in (("manifest.json", data), (SIGNATURE, signature)):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return out


PAYLOAD = b"written by a crafted backup archive\n"


def add_media(name):
    def change(manifest, digest):
        manifest["media"][name] = digest
        manifest["media_sizes"][name] = len(PAYLOAD)
    return change


@pytest.mark.parametrize("name, member", [
    ("../outside.txt", "outside.txt"),
    ("images/../../outside.txt", "outside.txt"),
    ("images\\..\\..\\outside.txt", "media/images\\..\\..\\outside.txt"),
    ("ABSOLUTE", "media/ABSOLUTE"),
])
def test_restore_refuses_a_manifest_media_name_that_leaves_the_media_folder(
        tmp_path, loaded, archive, settings, name, member):
    target = tmp_path / "outside.txt"
    if name == "ABSOLUTE":
        name, member = str(target), f"media/{str(target).lstrip('/')}"
    bad = tampered(archive, tmp_path, add_media(name), [(member, PAYLOAD)])
    with as_loaded():
        FaqEntry.objects.all().delete()  # would come back if the restore went ahead
    restore_fails(bad, r"tampered\.tar: manifest\.json names a media file .*(outside|not allowed)")
    assert not target.exists() and not (tmp_path / "media" / "outside.txt").exists()
    assert not FaqEntry.objects.exists()


def test_restore_refuses_a_media_entry_that_is_a_link_in_the_archive(tmp_path, loaded, archive):
    bad = tampered(archive, tmp_path, add_media("images/link.png"), [("media/images/link.png", "../../manifest.json")])
    restore_fails(bad, r"tampered\.tar: media/images/link\.png is not a regular file")


def test_restore_refuses_a_database_name_other_than_the_one_backup_site_writes(tmp_path, loaded, archive):
    def rename(manifest, digest):
        manifest["database"] = {"name": "../elsewhere.sqlite3", "sha256": digest, "size": len(PAYLOAD)}

    bad = tampered(archive, tmp_path, rename, [("elsewhere.sqlite3", PAYLOAD)])
    restore_fails(bad, r"tampered\.tar: manifest\.json names the database '\.\./elsewhere\.sqlite3'")


# --- What a backup holds, and who may change it (issue 21) --------------------------------------

def test_the_archive_is_readable_by_its_owner_only(archive):
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_a_backup_leaves_out_sessions_and_sign_in_records(tmp_path, transactional_db, settings, make_staff):
    from axes.models import AccessAttempt, AccessLog
    from django.contrib.sessions.backends.db import SessionStore

    settings.MEDIA_ROOT = tmp_path / "media"
    session = SessionStore()
    session["_auth_user_id"] = str(make_staff("root", superuser=True).pk)
    session.create()
    AccessAttempt.objects.create(username="root", ip_address="203.0.113.9", user_agent="x", failures_since_start=1)
    AccessLog.objects.create(username="root", ip_address="203.0.113.9", user_agent="x")
    path = tmp_path / "site.tar"
    call_command("backup_site", str(path), stdout=io.StringIO())
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        if ON_POSTGRES:
            # pg_dump's custom format is compressed: read its rows back as SQL text.
            (tmp_path / "database.pgdump").write_bytes(tar.extractfile("database.pgdump").read())
            dump = subprocess.run(["pg_restore", "--data-only", "--file=-", str(tmp_path / "database.pgdump")],
                                  check=True, capture_output=True).stdout
            assert b"COPY public.auth_user" in dump  # the rows that are kept are there to read
        else:
            dump = tar.extractfile("database.sqlite3").read()
    assert session.session_key.encode() not in dump  # not in a row, nor left in a free page
    assert b"203.0.113.9" not in dump
    for table in ("django_session", "axes_accessattempt", "axes_accesslog"):
        assert manifest["tables"][table] == 0, table
    assert manifest["tables"]["auth_user"] == 1


def test_a_compressed_archive_is_refused(tmp_path, loaded, archive):
    packed = tmp_path / "site.tar.gz"
    packed.write_bytes(gzip.compress(archive.read_bytes()))
    restore_fails(packed, r"site\.tar\.gz is compressed")


def test_a_member_the_manifest_does_not_list_is_refused(tmp_path, loaded, archive):
    bad = tampered(archive, tmp_path, lambda manifest, digest: None, [("media/extra.png", PAYLOAD)])
    restore_fails(bad, r"tampered\.tar holds media/extra\.png, which its manifest does not list")
    assert not (tmp_path / "media" / "extra.png").exists()


def test_sizes_are_checked_before_anything_is_unpacked(tmp_path, loaded, archive, monkeypatch):
    def bigger(manifest, digest):
        add_media("images/big.png")(manifest, digest)
        manifest["media_sizes"]["images/big.png"] = 10

    def unpacked(*args, **kwargs):
        raise AssertionError("unpacked before the sizes were checked")

    monkeypatch.setattr(tarfile.TarFile, "extractall", unpacked)
    bad = tampered(archive, tmp_path, bigger, [("media/images/big.png", PAYLOAD)])
    restore_fails(bad, rf"tampered\.tar: media/images/big\.png is {len(PAYLOAD)} bytes, but the manifest says 10")


def test_an_archive_too_big_for_the_free_space_is_refused_before_unpacking(tmp_path, loaded, archive, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9 - 100, 100))
    restore_fails(archive, r"site\.tar needs \d+ bytes to unpack, and .* has only 100 free")


def test_an_archive_changed_without_the_key_is_refused(tmp_path, loaded, archive):
    def swap_picture(manifest, digest):
        add_media("images/swapped.png")(manifest, digest)

    bad = tampered(archive, tmp_path, swap_picture, [("media/images/swapped.png", PAYLOAD)], key_known=False)
    with as_loaded():
        FaqEntry.objects.all().delete()  # would come back if the restore went ahead
    restore_fails(bad, r"tampered\.tar was changed after backup_site wrote it, or was signed with another key")
    assert not FaqEntry.objects.exists()


def test_an_archive_signed_with_another_backup_key_is_refused(tmp_path, loaded, archive, settings):
    settings.BACKUP_KEY = "another-clinic's-key"
    restore_fails(archive, r"site\.tar was changed after backup_site wrote it, or was signed with another key")


def test_the_backup_key_comes_from_the_environment_and_falls_back_to_the_secret_key():
    code = "from django.conf import settings; print(settings.BACKUP_KEY == settings.SECRET_KEY)"
    own = manage("shell", "-c", code, env=prod_env(Path("unused.sqlite3"), BACKUP_KEY="kept-apart-1234"))[1]
    fallback = manage("shell", "-c", code, env=prod_env(Path("unused.sqlite3")))[1]
    assert own.stdout.splitlines()[-1] == "False" and fallback.stdout.splitlines()[-1] == "True"
