from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServingConfig(AppConfig):
    """The site's plumbing: the page cache and its middleware, the Redis cache that fails soft,
    the health check, the client's address, backups. It has no models and never imports the
    `pages` app, so it can be read, tested and changed without knowing what a page says."""

    name = "serving"
    verbose_name = _("Serving")
