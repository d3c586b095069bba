"""Helpers shared by the tests of every area (the one place tests import helpers from).

- content files: `write`, REAL_CONTENT, RED_FLAGS_FILE;
- the admin as a browser uses it: `change_url`, `change_form_data`, `save_in_admin`, `logged_in`...;
- production-mode commands: `prod_env`, `manage`;
- a tiny HTTP browser against a real gunicorn (`Browser`) and a throwaway Redis (`RedisServer`);
- Chromium: `resize`, `left_the_document` (a click has opened another page), and axe-core
  (`axe_violations`, `describe`);
- the Nu HTML checker: `vnu_errors`, `require_vnu`.
"""
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.urls import reverse
from redis.backoff import NoBackoff
from redis.retry import Retry
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE_DIR = Path(settings.BASE_DIR)


# --- Content files ---------------------------------------------------------------------------

REAL_CONTENT = Path(settings.CONTENT_DIR)


# A small red-flag list (content/red-flags.md) for tests that write a content folder.
RED_FLAGS_FILE = """
    ---
    last_reviewed: 2026-11-02
    reviewed_by: Physical therapist, DPT
    references: [gattie-2017]
    emergency_heading: Call 911 now if you have
    emergency:
      - sign: chest pain, or pain when you breathe in
        areas: [neck, upper-back]
      - sign: fainting (passing out)
        areas: []
    emergency_action: Call 911 or go to the emergency department.
    when_signs_start: These signs can start hours after needling, or even a day or more later.
    clinic_heading: Call the clinic if you have
    clinic:
      - sign: soreness that lasts more than 3 days or gets worse
    clinic_closed: If the clinic is closed, call your doctor or go to an urgent care clinic.
    emergency_department: If you feel very ill with a fever, go to the emergency department.
    ---
    Staff note.
    """


def write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# --- The admin, as a browser posts it ----------------------------------------------------------

def form_values(form):
    """A bound or unbound Django form's current values, as a browser would post them."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[key] = str(value)
    return data


def change_form_data(client, url):
    """The fields of an admin change form (inlines included) as a browser would post them back."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response_form_data(response)


def response_form_data(response):
    data = form_values(response.context["adminform"].form)
    inline_formsets = response.context["inline_admin_formsets"] if "inline_admin_formsets" in response.context else []
    for inline in inline_formsets:
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def change_url(obj):
    return reverse(f"admin:pages_{obj._meta.model_name}_change", args=[obj.pk])


def save_in_admin(client, obj, **changes):
    url = change_url(obj)
    return client.post(url, {**change_form_data(client, url), **changes})


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def delete_in_admin(client, obj, **extra):
    name = obj._meta.model_name
    return client.post(reverse(f"admin:pages_{name}_delete", args=[obj.pk]), {"post": "yes", **extra})


# --- Production mode -------------------------------------------------------------------------

def prod_env(**extra):
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-tests-only-9f8e7d6c",
        "DJANGO_ALLOWED_HOSTS": "clinic.example.org",
        "SITE_URL": "https://clinic.example.org",
        **extra,
    }


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


# --- Chromium and axe-core ---------------------------------------------------------------------

def resize(driver, width, height=800):
    """Set the window size and wait until the page's viewport has that width (resizing is asynchronous)."""
    driver.set_window_size(width, height)
    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: d.execute_script("return innerWidth") == width,
        f"the window did not become {width}px wide",
    )


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(results => done({violations: results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' | ')),
  }))}))
  .catch(error => done({error: String(error)}));
"""


def axe_violations(driver, url):
    driver.get(url)
    result = driver.execute_async_script(RUN_AXE, AXE_TAGS)
    assert "error" not in result, f"axe.run failed on {url}: {result.get('error')}"
    return result["violations"]


# --- The Nu HTML checker (vnu.jar from npm `vnu-jar`, on Java 17) -------------------------------

VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def page_html(url):
    """The HTML the server sends for `url`, error pages too (the 404 page is checked)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


def require_vnu():
    """Fail, saying what to run, when vnu.jar or java is missing."""
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make vnu` (npm ci)")
    if shutil.which("java") is None:
        pytest.fail("java not found: run `make vnu` (installs a Java runtime)")


def vnu_errors(files):
    """{file name: [message, ...]} for every error vnu reports (one Java start for all files)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = {}
    for message in messages:
        name = Path(message.get("url", "file:unknown").removeprefix("file:")).name
        errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors


def describe(path, violations):
    lines = []
    for v in violations:
        lines.append(f"{path}: {v['id']} ({v['impact']}) {v['help']}")
        lines += [f"    {target}" for target in v["nodes"]]
    return "\n".join(lines)


# --- A tiny browser against a real gunicorn: cookies, CSRF and admin forms ---------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class FormParser(HTMLParser):
    """Every form's fields as a browser would submit them (checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.forms = {}  # form id -> list of (name, value)
        self._form = None
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["chosen"].append(a.get("value", ""))
        elif tag == "form":
            self._form = self.forms.setdefault(a.get("id", f"form-{len(self.forms)}"), [])
        elif self._form is None or "name" not in a or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = {"name": a["name"], "first": None, "chosen": []}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            name, value = self._textarea
            self._form.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or ([self._select["first"]] if self._select["first"] is not None else [])
            self._form.extend((self._select["name"], value) for value in chosen)
            self._select = None


def form_fields(html, form_id):
    parser = FormParser()
    parser.feed(html)
    return list(parser.forms[form_id])


def multipart(fields, files):
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    def __init__(self, port, admin_path="admin/"):
        self.port = port
        self.admin = "/" + admin_path
        self.cookies = {}

    @property
    def origin(self):
        return f"https://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            conn.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=None):
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers={
            "Content-Type": content_type, "Origin": self.origin, "Referer": self.origin + path})

    def login(self, username, password):
        page = self.get(self.admin + "login/")
        fields = dict(form_fields(page.text, "login-form"))
        fields.update(username=username, password=password, next=self.admin)
        response = self.post(self.admin + "login/", list(fields.items()))
        assert response.status == 302, f"login failed ({response.status}): {response.text[:2000]}"
        return self

    def change(self, model_path, object_id, form_id, **changes):
        """Open an admin change form, change some fields as a person would, save it."""
        url = f"{self.admin}{model_path}/{object_id}/change/"
        page = self.get(url)
        assert page.status == 200, f"{url}: {page.status}"
        fields = [(k, v) for k, v in form_fields(page.text, form_id) if k not in changes]
        for name, value in changes.items():
            if value is True:
                fields.append((name, "on"))
            elif value is not False:
                fields.append((name, value))
        response = self.post(url, fields + [("_save", "Save")])
        errors = " | ".join(re.findall(r"errorlist[^>]*>(.*?)</ul>", response.text, re.S))
        assert response.status == 302, f"saving {url} failed ({response.status}): {errors}"
        return response


# --- A throwaway redis-server on 127.0.0.1 that a test can stop and start again ----------------

REDIS_SERVER = shutil.which("redis-server")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="clinic-test-redis-"))
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, retry=Retry(NoBackoff(), 0))

    def start(self):
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir),
             "--save", "", "--appendonly", "no", "--logfile", "", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self, save=True):
        if self.proc is None:
            return
        try:
            self.client().shutdown(save=save, nosave=not save)
        except redis.ConnectionError:
            pass  # shutting down closes the connection
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def close(self):
        self.stop(save=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Setting up pages as the clinic's files would ------------------------------------------

def as_loaded():
    """Set up rows patients read directly, as `load_content` would from the clinic's files.

    Pages patients read change only through the publishing gate; a test that arranges its
    starting point says so with this block (a bare .save() fails with GateClosed)."""
    from pages.signoff import gate

    return gate.trusted_source("test set-up")


# --- Staff groups -------------------------------------------------------------------------------

_group_steps = []  # (apps, [RunPython functions]) of pages' migrations, worked out once a run


def staff_groups():
    """Make the staff groups (Front desk, Clinical editor, Translator, Therapist) and their
    permissions as the migrations do, by running the migrations' own group steps again.

    A transactional test (every browser test against the live server) empties every table when
    it ends; Django makes the content types and permissions again, not the groups, so the next
    one would find no "Front desk". The steps use get_or_create and add: running them on a
    database that has the groups changes nothing."""
    import inspect

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    if not _group_steps:
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        steps = [operation.code
                 for app, name in sorted(loader.disk_migrations) if app == "pages"
                 for operation in loader.disk_migrations[app, name].operations
                 if isinstance(operation, RunPython)
                 and 'get_model("auth", "Group")' in inspect.getsource(operation.code)]
        _group_steps.append((loader.project_state().apps, steps))
    apps, steps = _group_steps[0]
    for step in steps:
        step(apps, None)


def left_the_document(element):
    """Like selenium's staleness_of, also when Chromium answers the check with "Node with given
    id does not belong to the document" (a WebDriverException) while the next page loads."""
    def check(_driver):
        try:
            element.is_enabled()
        except WebDriverException:  # StaleElementReferenceException is one too
            return True
        return False
    return check
