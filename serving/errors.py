"""Error pages that say what happened: a 403 in the admin looks like the admin and links back."""
from django.shortcuts import render
from django.utils.translation import gettext as _

from .middleware import is_staff_path


def permission_denied(request, exception=None):
    template = "admin/403.html" if is_staff_path(request.path) and request.user.is_authenticated else "403.html"
    return render(request, template, {"title": _("You can't open this page")}, status=403)
