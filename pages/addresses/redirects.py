"""Old addresses keep working: renamed pages answer 301, deleted ones 410.

Built on django.contrib.redirects (its admin lists every redirect, and staff can point a
deleted page's address somewhere else). Chains are collapsed as they are made, so an
address renamed twice goes straight to the newest one, and no redirect ever points at an
address that is itself redirected.
"""
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site

# The URL name of the redirects from English path words under /es/ (pages/urls.py): a link
# that resolves to one works, but patients should not need it (the content gates say so).
OLD_PATH_WORDS = "old_path_words"


def record_move(old_path, new_path):
    site = Site.objects.get_current()
    # The new address is live again: a redirect away from it would never be reached, and
    # would make a loop if it pointed at the old one.
    Redirect.objects.filter(site=site, old_path=new_path).delete()
    # Anything that pointed at the old address now points straight at the new one.
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    Redirect.objects.update_or_create(site=site, old_path=old_path, defaults={"new_path": new_path})


def record_removal(old_path):
    """A deleted page answers 410 Gone until staff point its address elsewhere."""
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path="")
    Redirect.objects.update_or_create(site=site, old_path=old_path, defaults={"new_path": ""})


def record_live(*paths):
    """Pages now live at `paths`: drop any redirect that would send visitors away from them."""
    if paths:
        Redirect.objects.filter(site=Site.objects.get_current(), old_path__in=paths).delete()


def revive_addresses(obj):
    """Addresses a page ever had answer 410 since its delete: they lead to it again.
    (A redirect staff pointed elsewhere stays; its current address becomes live.)"""
    url = obj.get_absolute_url()
    slugs = set(type(obj).history.filter(id=obj.pk).values_list("slug", flat=True))
    old_urls = {type(obj)(slug=slug).get_absolute_url() for slug in slugs} - {url}
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, old_path__in=old_urls, new_path="").update(new_path=url)
    record_live(url)
