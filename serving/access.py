"""Who may open the staff pages that live outside the admin (/staff/, /markdownx/)."""
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
