from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The one app that owns every model, migration, permission and admin URL of the guide.

    Its code is split into areas named for what they mean to a clinic (guide, clinic, addresses,
    pictures, signoff, editing, translations, kit, content), over the models and `text`; the
    import rule between them is in .importlinter. Every signal handler is connected here."""

    name = "pages"
    verbose_name = _("Patient guide")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: the models they use exist only once apps are loaded.
        from . import signals
        from .addresses import site

        signals.connect()
        # Once per migrate (this app is migrated with the rest; the sites table exists by then).
        post_migrate.connect(site.sync_site_domain, sender=self, dispatch_uid="pages.sync_site_domain")
        checks.register(site.check_site_url, checks.Tags.security, deploy=True)
