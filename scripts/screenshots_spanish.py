#!/usr/bin/env python3
"""Take the README screenshots of the Spanish edition with Debian's headless Chromium.

    .venv/bin/python scripts/screenshots_spanish.py [--out docs/screenshots]

Like scripts/screenshots.py (its own server and temporary database, stopped at the end):
writes es-topic-phone.png (a Spanish guide page on a 390 px phone, first screen) and
admin-spanish-to-update.png (the admin home after an English answer changed: "Spanish pages
to update"). The admin login is a throwaway user in the throwaway database.
"""
import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from screenshots import ROOT, chromium, free_port, manage, screenshot, wait_for  # beside this file

# Changes one English answer, as staff would in the admin, so its Spanish version is out of date.
EDIT_ENGLISH = """
from pages.models import FaqEntry
answer = FaqEntry.objects.get(language="en", slug="does-it-hurt")
answer.answer += " Tell your therapist if the ache stays."
answer.save()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="where to write the PNGs")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="screenshots-es-"))
    password = secrets.token_urlsafe(16)
    env = {**os.environ, "DJANGO_SQLITE_PATH": str(tmp / "db.sqlite3"), "PYTHONUNBUFFERED": "1",
           "DJANGO_SUPERUSER_PASSWORD": password}
    server = driver = None
    try:
        manage(env, "migrate", "--no-input", stdout=subprocess.DEVNULL)
        manage(env, "load_content", stdout=subprocess.DEVNULL)
        manage(env, "createsuperuser", "--no-input", "--username", "translator", "--email", "t@example.org",
               stdout=subprocess.DEVNULL)
        manage(env, "shell", "-c", EDIT_ENGLISH)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/", server)
        driver = chromium(tmp / "profile")
        screenshot(driver, base + "/es/que-es-la-puncion-seca/", out / "es-topic-phone.png", 390, 844, True, False)
        driver.get(base + "/admin/login/")
        driver.find_element("name", "username").send_keys("translator")
        driver.find_element("name", "password").send_keys(password)
        driver.find_element("css selector", "input[type=submit]").click()
        screenshot(driver, base + "/admin/", out / "admin-spanish-to-update.png", 1280, 700, False, False)
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


if __name__ == "__main__":
    main()
