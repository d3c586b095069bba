"""The admin pages of addresses: redirects (django.contrib.redirects', refusing a redirect to
another site: a patient following an old link must never be sent somewhere the clinic does not
run), and the Sites page, shown, never edited, because SITE_URL sets the site's address
(pages.addresses.site.sync_site_domain writes it after every migrate)."""
from django import forms
from django.contrib.redirects.admin import RedirectAdmin
from django.contrib.redirects.models import Redirect
from django.contrib.sites.admin import SiteAdmin
from django.utils.translation import gettext_lazy as _

from serving.access import ReadOnlyAdminMixin

from .redirects import check_target


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]

    def clean_new_path(self):
        new_path = self.cleaned_data["new_path"]
        check_target(new_path)
        return new_path


class SiteRedirectAdmin(RedirectAdmin):
    form = RedirectForm


WHERE_IT_IS_SET = _("The site's address comes from the SITE_URL setting on the server; change it there, "
                    "not here.")


class ReadOnlySiteAdmin(ReadOnlyAdminMixin, SiteAdmin):
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "subtitle": WHERE_IT_IS_SET})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}),
                                                                   "subtitle": WHERE_IT_IS_SET})
