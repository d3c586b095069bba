"""A tiny browser for tests against a real gunicorn: cookies, CSRF and admin forms.

It stands behind an imagined TLS proxy (X-Forwarded-Proto: https), as production does, so
the Secure session and CSRF cookies are sent back.
"""
import http.client
import re
import secrets
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode


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
