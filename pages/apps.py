from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Patient guide")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import addresses, signals  # noqa: F401  (connects the receivers, registers checks)

        # Once per migrate (this app is migrated with the rest; the sites table exists by then).
        post_migrate.connect(addresses.sync_site_domain, sender=self, dispatch_uid="pages.sync_site_domain")
