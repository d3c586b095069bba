"""The whole site in one archive, and back: the database and the media folder.

    manage.py backup_site site-backup.tar
    manage.py restore_site site-backup.tar     (on a fresh install, after `migrate` or not)

The archive is a plain tar file (mode 0600: it holds the staff's password hashes):
    manifest.json       format, database vendor, rows per table, every file's size and SHA-256
    manifest.sig        HMAC-SHA256 of manifest.json with settings.BACKUP_KEY (BACKUP_KEY in the
                        environment, else the SECRET_KEY): the key is never in the archive
    database.sqlite3    SQLite: sqlite3's online backup API (a consistent copy while the site runs)
    database.pgdump     PostgreSQL: pg_dump --format=custom, restored with pg_restore
    media/...           the uploaded pictures (settings.MEDIA_ROOT)

Sessions and sign-in records (django.contrib.sessions, django-axes) are left out: a session key
in a backup would open the admin as whoever it belonged to.

A restore checks the whole archive first (plain tar, the signature, format, vendor, every name
the manifest gives, no member it does not list, every size before unpacking, every file's
checksum) and changes nothing if anything is wrong; then it replaces the database,
copies the media back and compares the row counts with the manifest.
"""
import hashlib
import hmac
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .cache import bump_content_version

FORMAT = "clinic-site-backup/2"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SIGNATURE = "manifest.sig"
# Apps whose rows never go into a backup: sessions (a key there is a signed-in admin) and
# django-axes' sign-in attempts and logs (addresses and usernames, useless on another install).
LEFT_OUT_APPS = ("sessions", "axes")
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


class BackupError(Exception):
    """Bad input or a failed tool: the message names the file; nothing was changed."""


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def left_out_tables():
    """The tables of LEFT_OUT_APPS: their rows are never written to a backup."""
    installed = {config.label for config in apps.get_app_configs()}
    return sorted({model._meta.db_table for label in LEFT_OUT_APPS if label in installed
                   for model in apps.get_app_config(label).get_models(include_auto_created=True)})


def sign(data):
    """HMAC-SHA256 of `data` (the manifest's bytes) with the backup key, as hex."""
    key = settings.BACKUP_KEY.encode()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def table_counts():
    """Rows in every table of every installed model (history, redirects and users included)."""
    existing = set(connection.introspection.table_names())
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)} & existing)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _vendor():
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups cover SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_env():
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                      ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if db.get(name):
            env[key] = str(db[name])
    return env


def _run(command):
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    proc = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(f"{command[0]} failed ({proc.returncode}): {proc.stderr.strip()}")


def _dump_database(target):
    left_out = left_out_tables()
    if _vendor() == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            for table in left_out:
                if table in existing:
                    copy.execute(f'DELETE FROM "{table}"')
            copy.commit()
            copy.execute("VACUUM")  # the deleted rows' bytes must not stay in free pages
        finally:
            copy.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
              *(f"--exclude-table-data={table}" for table in left_out)])


def _load_database(dump):
    if _vendor() == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()  # no open session of ours holds a lock on the tables pg_restore drops
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={_pg_env().get('PGDATABASE', '')}", str(dump)])


def backup(archive):
    """Write the archive (atomically: a half-written file never has the final name)."""
    archive = Path(archive)
    vendor = _vendor()
    with tempfile.TemporaryDirectory(prefix="clinic-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAMES[vendor]
        _dump_database(dump)
        media = media_files()
        root = Path(settings.MEDIA_ROOT)
        sizes = {name: (root / name).stat().st_size for name in media}
        tables = {table: 0 if table in left_out_tables() else n for table, n in table_counts().items()}
        manifest = {"format": FORMAT, "vendor": vendor, "created": time.time(), "tables": tables,
                    "database": {"name": dump.name, "sha256": sha256(dump), "size": dump.stat().st_size},
                    "media": media, "media_sizes": sizes}
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        (Path(tmp) / "manifest.json").write_bytes(data)
        (Path(tmp) / SIGNATURE).write_text(sign(data))
        partial = archive.with_name(archive.name + ".partial")
        partial.unlink(missing_ok=True)
        # Created 0600 from the first byte (not chmod-ed afterwards): password hashes are inside.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w") as tar:
            tar.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            tar.add(Path(tmp) / SIGNATURE, arcname=SIGNATURE)
            tar.add(dump, arcname=dump.name)
            for name in media:
                tar.add(root / name, arcname=f"media/{name}")
        os.replace(partial, archive)
    return manifest


def _read_member(archive, tar, members, name):
    member = members.get(name)
    if member is None or not member.isreg() or member.size > MAX_MANIFEST_BYTES:
        return None
    return tar.extractfile(member).read()


def read_archive(archive, into):
    """Unpack and check the archive in `into`; the manifest, or BackupError naming the problem."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    if not tarfile.is_tarfile(archive):
        raise BackupError(f"{archive} is not a site backup (not a tar archive made by backup_site).")
    try:
        with tarfile.open(archive, mode="r:") as tar:  # a plain tar only: never decompressed
            members = {}
            for member in tar.getmembers():
                if member.name in members:
                    raise BackupError(f"{archive} holds {member.name} twice; nothing was changed.")
                members[member.name] = member
            manifest = check_manifest(archive, tar, members)
            expected = expected_members(archive, manifest)
            check_members(archive, members, expected, into)
            tar.extractall(into, filter="data")  # refuses absolute paths, '..' and links out
    except tarfile.ReadError as exc:
        raise BackupError(f"{archive} is compressed (or not a plain tar file); backup_site writes a plain .tar, "
                          f"and restore_site reads only that. Nothing was changed.") from exc
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} could not be unpacked: {exc}") from exc
    into = Path(into)
    for name, (digest, _size) in expected.items():
        if sha256(into / name) != digest:
            raise BackupError(f"{archive} is damaged: {name} does not match its checksum.")
    return manifest


def check_manifest(archive, tar, members):
    """The manifest, read from the archive without unpacking anything, and its signature checked."""
    data = _read_member(archive, tar, members, "manifest.json")
    if data is None:
        raise BackupError(f"{archive} has no readable manifest.json: not made by backup_site.")
    signature = _read_member(archive, tar, members, SIGNATURE)
    if signature is None or not hmac.compare_digest(signature.decode("ascii", "replace").strip(), sign(data)):
        raise BackupError(
            f"{archive} was changed after backup_site wrote it, or was signed with another key: its signature "
            f"({SIGNATURE}) does not match. Restore needs the BACKUP_KEY (or, without one, the DJANGO_SECRET_KEY) "
            f"of the site that made it. Nothing was changed.")
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise BackupError(f"{archive} has no readable manifest.json: not made by backup_site.") from exc
    found = manifest.get("format") if isinstance(manifest, dict) else None
    if found != FORMAT:
        raise BackupError(f"{archive}: unknown backup format {found!r} (this site reads {FORMAT}).")
    if manifest["vendor"] != _vendor():
        raise BackupError(f"{archive} holds a {manifest['vendor']} database; this site uses {connection.vendor}. "
                          f"Restore it on a site with the same database, or set DATABASE_URL.")
    return manifest


def expected_members(archive, manifest):
    """{member name: (SHA-256, size)} for every file the manifest lists, its names checked."""
    database = manifest["database"]
    expected = {database_name(archive, manifest): (database.get("sha256"), database.get("size"))}
    media, sizes = manifest.get("media"), manifest.get("media_sizes")
    if not isinstance(media, dict) or not isinstance(sizes, dict):
        raise BackupError(f"{archive}: manifest.json has no list of media files; nothing was changed.")
    for name, digest in media.items():
        check_media_name(archive, name)
        expected[f"media/{name}"] = (digest, sizes.get(name))
    return expected


def check_members(archive, members, expected, into):
    """Before anything is unpacked: no member the manifest does not list, every listed one a
    regular file of the listed size, and room for all of them."""
    for name in members:
        if name not in expected and name not in ("manifest.json", SIGNATURE):
            raise BackupError(f"{archive} holds {name}, which its manifest does not list; nothing was changed.")
    for name, (_digest, size) in expected.items():
        if name not in members:
            raise BackupError(f"{archive} is incomplete: {name} is missing.")
        if not members[name].isreg():
            raise BackupError(f"{archive}: {name} is not a regular file (a link or a folder); nothing was changed.")
        if members[name].size != size:
            raise BackupError(f"{archive}: {name} is {members[name].size} bytes, but the manifest says {size}; "
                              f"nothing was changed.")
    needed = sum(member.size for member in members.values())
    free = shutil.disk_usage(into).free
    if needed > free:
        raise BackupError(f"{archive} needs {needed} bytes to unpack, and {into} has only {free} free; "
                          f"nothing was changed.")


def database_name(archive, manifest):
    """The database member's name: only the one backup_site writes for this database."""
    wanted = DUMP_NAMES[manifest["vendor"]]
    database = manifest.get("database")
    name = database.get("name") if isinstance(database, dict) else None
    if name != wanted:
        raise BackupError(f"{archive}: manifest.json names the database {name!r}; backup_site writes {wanted!r}. "
                          f"Nothing was changed.")
    return name


def check_media_name(archive, name):
    """A manifest's media name must be a plain relative path that stays inside MEDIA_ROOT
    (restore copies each file to MEDIA_ROOT/name): '../x' or '/etc/x' would write elsewhere."""
    if not isinstance(name, str) or not name:
        problem = "it is empty"
    elif "\\" in name or "\0" in name:
        problem = "it holds a backslash or a NUL character"
    elif posixpath.isabs(name):
        problem = "it is an absolute path"
    elif ".." in name.split("/"):
        problem = "it holds '..'"
    elif posixpath.normpath(name) != name:
        problem = "it is not a plain path (an empty or '.' part)"
    else:
        root = Path(settings.MEDIA_ROOT).resolve()
        problem = None if (root / name).resolve().is_relative_to(root) else "it leads outside the media folder"
    if problem:
        raise BackupError(f"{archive}: manifest.json names a media file {name!r} that is not allowed ({problem}); "
                          f"nothing was changed.")


def restore(archive):
    """Replace the database and add the media files from the archive; returns the manifest."""
    with tempfile.TemporaryDirectory(prefix="clinic-restore-") as tmp:
        manifest = read_archive(archive, tmp)
        _load_database(Path(tmp) / manifest["database"]["name"])
        media_root = Path(settings.MEDIA_ROOT)
        for name in manifest["media"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(tmp) / "media" / name, target)
    # Every cached page was rendered from the database that was just replaced.
    cache.clear()
    bump_content_version()
    counts = table_counts()
    lost = {t: (n, counts.get(t, 0)) for t, n in manifest["tables"].items() if counts.get(t, 0) != n}
    if lost:
        raise BackupError(f"{archive} restored, but row counts differ from the backup (table: backup, now): {lost}")
    return manifest


def has_content():
    """Whether this database already holds users or pages (a restore would replace them)."""
    counts = table_counts()
    return any(counts.get(t) for t in ("auth_user", "pages_topic", "pages_faqentry"))
