"""Who may open the staff pages that live outside the admin (/staff/, /markdownx/), and the admin
pages that only show rows."""
from functools import wraps

from django.http import Http404


def staff_only(view):
    """Staff only; anyone else gets the ordinary 404 page.

    Not a redirect to the admin's login page: that would tell anyone the admin's address,
    which DJANGO_ADMIN_PATH keeps out of sight. Staff log in through the admin first.
    """
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapped


class ReadOnlyAdminMixin:
    """For a ModelAdmin whose page only shows rows (a report, the site's address, the queue
    that decides through its own buttons): nobody adds, changes or deletes them there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
