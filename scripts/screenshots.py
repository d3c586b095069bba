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
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({width}x{clip_height})")


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
    print(f"wrote {pdf_path.relative_to(ROOT)} and handout-print.png")


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


if __name__ == "__main__":
    main()
