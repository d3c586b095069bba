#!/usr/bin/env python3
"""Take the README screenshots of the Spanish edition with Debian's headless Chromium.

    .venv/bin/python scripts/screenshots_spanish.py [--out docs/screenshots]

Like scripts/screenshots.py (its own server and temporary database, stopped at the end):
writes es-topic-phone.png (a Spanish guide page on a 390 px phone, first screen) and
admin-spanish-to-update.png (the admin home after an English answer changed: "Spanish pages
to update"). The admin login is a throwaway user in the throwaway database.
"""
import argparse
import secrets
import subprocess
from pathlib import Path

from screenshots import ROOT, local_site, manage, screenshot  # beside this file

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
    password = secrets.token_urlsafe(16)

    def prepare(env):
        manage(env, "createsuperuser", "--no-input", "--username", "translator", "--email", "t@example.org",
               stdout=subprocess.DEVNULL)
        manage(env, "shell", "-c", EDIT_ENGLISH)

    with local_site("screenshots-es-", {"DJANGO_SUPERUSER_PASSWORD": password}, prepare) as (_env, base, driver):
        screenshot(driver, base + "/es/que-es-la-puncion-seca/", out / "es-topic-phone.png", 390, 844, True, False)
        driver.get(base + "/admin/login/")
        driver.find_element("name", "username").send_keys("translator")
        driver.find_element("name", "password").send_keys(password)
        driver.find_element("css selector", "input[type=submit]").click()
        screenshot(driver, base + "/admin/", out / "admin-spanish-to-update.png", 1280, 700, False, False)


if __name__ == "__main__":
    main()
