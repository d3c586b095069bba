"""The redirects admin (django.contrib.redirects'), refusing a redirect to another site:
a patient following an old link must never be sent somewhere the clinic does not run."""
from django import forms
from django.contrib.redirects.admin import RedirectAdmin
from django.contrib.redirects.models import Redirect

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
