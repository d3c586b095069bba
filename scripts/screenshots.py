#!/usr/bin/env python3
"""Take the README screenshots of the home page with Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Also the therapists' kit (README "Therapists' kit"): the link builder on a phone
(builder-phone.png, the top 1400 px) and a reading list printed as a handout with Chromium's print-to-PDF
(handout-print.pdf, and its first page as handout-print.png by pdftoppm, `make poppler`).

Starts its own server on 127.0.0.1 (runserver --noreload on a free port) with a temporary SQLite
database, migrated and loaded from content/, and stops it at the end, even on error. Writes
home-phone.png (390x844 viewport, whole page), home-desktop.png (1280x900 viewport) and
after-care-phone.png (the first 390x844 screen of the after-care page, with its "Call 911" box).

And clinical sign-off (docs/staff.md): the change form's line above Save as front desk reads it
(save-waits.png) and as a clinical editor does (save-live.png), cropped to the line and the
buttons at 1280 px; and a front-desk change waiting for a clinical editor, previewed as patients
will see it, on a phone (preview-phone.png, the first 390x844 screen, with its banner).
Needs /usr/bin/chromium and /usr/bin/chromedriver (`make browser`); downloads nothing.
"""
import argparse
import base64
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from chromium import CHROMEDRIVER, CHROMIUM  # scripts/chromium.py, beside this file
from chromium import FLAGS as CHROMIUM_FLAGS
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
FLAGS = [*CHROMIUM_FLAGS, "--hide-scrollbars"]
SHOTS = [
    # name, page, width, height, mobile, whole page
    ("home-phone.png", "/", 390, 844, True, True),
    ("home-desktop.png", "/", 1280, 900, False, False),
    ("after-care-phone.png", "/after-care/", 390, 844, True, False),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True, **kwargs)


def wait_for(url, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def chromium(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


@contextlib.contextmanager
def local_site(prefix, extra_env=None, prepare=None):
    """A throwaway copy of the site on 127.0.0.1: a temporary SQLite database, migrated and
    loaded from content/ (then `prepare(env)`, if given), served by runserver on a free port,
    and headless Chromium. Yields (env, base URL, driver); everything is stopped and removed
    afterwards, even on error."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "DJANGO_SQLITE_PATH": str(tmp / "db.sqlite3"), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    server = driver = None
    try:
        manage(env, "migrate", "--no-input", stdout=subprocess.DEVNULL)
        manage(env, "load_content", stdout=subprocess.DEVNULL)
        if prepare:
            prepare(env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/", server)
        driver = chromium(tmp / "profile")
        yield env, base, driver
    finally:
        if driver is not None:
            driver.quit()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def shown(path):
    """A path as printed: inside the repository relative to it, else whole (--out elsewhere)."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def screenshot(driver, url, path, width, height, mobile, whole_page):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.get(url)
    driver.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done());")
    clip_height = height
    if whole_page:
        clip_height = driver.execute_script("return document.documentElement.scrollHeight")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": whole_page,
            "clip": {"x": 0, "y": 0, "width": width, "height": clip_height, "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    print(f"wrote {shown(path)} ({width}x{clip_height})")


# Signs a staff user in and makes a reading list of three pages; prints "<session key> <code>".
KIT_SETUP = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from pages.kit import reading_lists
from pages.models import Condition, FaqEntry, Topic
user = get_user_model().objects.create_user("screenshots", is_staff=True)
client = Client()
client.force_login(user)
picks = [f"topic:{Topic.objects.get(slug='after-care').pk}", f"faq:{FaqEntry.objects.published().first().pk}",
         f"condition:{Condition.objects.published().first().pk}"]
print(client.cookies[settings.SESSION_COOKIE_NAME].value, reading_lists.reading_list_for(picks).code)
"""
# What a therapist might fill in before printing (in the browser only; never sent).
BLANKS = {"blank-therapist": "Your physical therapist", "blank-areas": "Neck and right shoulder",
          "blank-next": "Thursday, 10:30"}


def kit_shots(driver, env, base, out):
    # The last line: `shell` may print other things first.
    output = manage(env, "shell", "-c", KIT_SETUP, capture_output=True, text=True).stdout
    session, code = output.strip().splitlines()[-1].split()
    driver.get(base + "/robots.txt")
    driver.add_cookie({"name": "sessionid", "value": session, "path": "/"})
    screenshot(driver, f"{base}/staff/links/?list={code}", out / "builder-phone.png", 390, 1400, True, False)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.get(f"{base}/r/{code}/")
    for element_id, value in BLANKS.items():
        driver.execute_script("document.getElementById(arguments[0]).value = arguments[1]", element_id, value)
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "displayHeaderFooter": False})
    pdf_path = out / "handout-print.pdf"
    pdf_path.write_bytes(base64.b64decode(pdf["data"]))
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                    str(out / "handout-print")], check=True)
    print(f"wrote {shown(pdf_path)} and handout-print.png")


# Front desk and a clinical editor signed in, and a front-desk change to a clinical answer waiting
# for approval; prints "<desk session> <editor session> <answer id> <change id>".
SIGNOFF_SETUP = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from pages.models import FaqEntry
from pages.signoff import gate
sessions = []
for name, group in [("desk", "Front desk"), ("clin", "Clinical editor")]:
    user = get_user_model().objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
desk = get_user_model().objects.get(username="desk")
entry = FaqEntry.objects.get(language="en", slug="does-it-hurt")
text = entry.answer.replace("stop at any time.", "stop at any time, or to take a short break.")
change = gate.submit(desk, entry, {"answer": text}, reason="screenshots")
print(*sessions, entry.pk, change.pk)
"""

# The union of the elements' boxes, in page coordinates (the page scrolled to show them).
ELEMENTS_BOX = """
document.querySelector(arguments[0][0]).scrollIntoView({block: "center"});
const boxes = arguments[0].map(s => document.querySelector(s).getBoundingClientRect());
const top = Math.min(...boxes.map(b => b.top)), bottom = Math.max(...boxes.map(b => b.bottom));
const left = Math.min(...boxes.map(b => b.left)), right = Math.max(...boxes.map(b => b.right));
return {x: left + scrollX, y: top + scrollY, width: right - left, height: bottom - top};
"""


def crop_shot(driver, selectors, path, pad=12):
    """A picture of just the elements `selectors` name (with `pad` px around them)."""
    box = driver.execute_script(ELEMENTS_BOX, selectors)
    clip = {"x": max(box["x"] - pad, 0), "y": max(box["y"] - pad, 0), "width": box["width"] + 2 * pad,
            "height": box["height"] + 2 * pad, "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": False, "clip": clip})
    path.write_bytes(base64.b64decode(shot["data"]))
    print(f"wrote {shown(path)} ({round(clip['width'])}x{round(clip['height'])})")


def signoff_shots(driver, env, base, out):
    output = manage(env, "shell", "-c", SIGNOFF_SETUP, capture_output=True, text=True).stdout
    desk, clin, entry, change = output.strip().splitlines()[-1].split()
    form = f"{base}/admin/pages/faqentry/{entry}/change/"
    for session, name in [(desk, "save-waits.png"), (clin, "save-live.png")]:
        driver.delete_all_cookies()
        driver.add_cookie({"name": "sessionid", "value": session, "path": "/"})
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        driver.get(form)
        crop_shot(driver, [".save-does", ".submit-row"], out / name)
    driver.delete_all_cookies()
    driver.add_cookie({"name": "sessionid", "value": desk, "path": "/"})
    screenshot(driver, f"{base}/admin/pages/pendingchange/{change}/preview/", out / "preview-phone.png",
               390, 844, True, False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="where to write the PNGs")
    args = parser.parse_args()
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} not found: run `make browser` (apt-get install chromium chromium-driver)")
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm not found: run `make poppler` (apt-get install poppler-utils)")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    with local_site("screenshots-") as (env, base, driver):
        for name, page, width, height, mobile, whole_page in SHOTS:
            screenshot(driver, base + page, out / name, width, height, mobile, whole_page)
        kit_shots(driver, env, base, out)
        signoff_shots(driver, env, base, out)


if __name__ == "__main__":
    main()
