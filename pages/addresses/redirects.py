"""Old addresses keep working: renamed pages answer 301, deleted ones 410.

Built on django.contrib.redirects (its admin lists every redirect, and staff can point a
deleted page's address somewhere else). Chains are collapsed as they are made, so an
address renamed twice goes straight to the newest one, and no redirect ever points at an
address that is itself redirected.
"""
from urllib.parse import urlsplit

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .links import site_url

# The URL name of the redirects from English path words under /es/ (pages/urls.py): a link
# that resolves to one works, but patients should not need it (the content gates say so).
OLD_PATH_WORDS = "old_path_words"


def check_target(new_path):
    """A redirect staff set may lead only to this site: a path ("/after-care/", never "//host"),
    an address on SITE_URL, or nowhere (empty: the old address answers 410 Gone)."""
    if not new_path:
        return
    site = urlsplit(site_url())
    if new_path.startswith("/"):
        allowed = url_has_allowed_host_and_scheme(new_path, allowed_hosts=set())
    else:
        target = urlsplit(new_path)
        allowed = ((target.scheme, target.netloc) == (site.scheme, site.netloc)
                   and url_has_allowed_host_and_scheme(new_path, allowed_hosts={site.netloc},
                                                       require_https=site.scheme == "https"))
    if not allowed:
        raise ValidationError(
            _("A redirect can only lead to a page of this site: an address that starts with one \"/\" "
              "(like /after-care/) or with %(site)s/. Leave it empty to tell visitors the page is gone."),
            code="other_site", params={"site": site_url()},
        )


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


def any_redirects():
    """Whether this site has any redirect (or gone address) at all."""
    return Redirect.objects.filter(site=Site.objects.get_current()).exists()


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
