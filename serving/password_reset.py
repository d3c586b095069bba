""""Forgotten your password?": Django's reset view, slowed per address and per account, and
answering a known and an unknown email alike.

Django's own view finds the accounts and sends the email before it answers, so a known email
took longer to answer than an unknown one (an SMTP round trip): anyone could test which emails
are staff accounts. Here the answer comes first, the same for both; the accounts are looked up
and the email sent once the response has gone (the WSGI server closes the response then).
"""
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm

from . import rate_limit
from .client_address import client_address

logger = logging.getLogger(__name__)
HOUR = 60 * 60


class PasswordResetAfterResponseForm(PasswordResetForm):
    """save() only keeps the view's options; send() does Django's work with them."""

    options = None

    def save(self, **options):
        self.options = options

    def send(self):
        try:
            PasswordResetForm.save(self, **self.options)
        except Exception:  # the response has gone: nothing else would ever report it
            logger.exception("The password-reset email could not be sent.")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetAfterResponseForm

    def post(self, request, *args, **kwargs):
        address = client_address(request)
        # Every email asked for counts, whether or not it is an account's: a refusal must not tell.
        account = request.POST.get("email", "").strip().casefold()
        wait = max(
            rate_limit.retry_after("password-reset-address", address, settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR,
                                   HOUR),
            rate_limit.retry_after("password-reset-account", account, settings.PASSWORD_RESET_PER_ACCOUNT_PER_HOUR,
                                   HOUR),
        )
        if wait:
            return rate_limit.too_many_requests(wait)
        rate_limit.count("password-reset-address", address, HOUR)
        rate_limit.count("password-reset-account", account, HOUR)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # calls form.save(), which only keeps the options
        # HttpResponse.close() runs these once the server has sent the response.
        response._resource_closers.append(form.send)
        return response


password_reset_view = PasswordResetView.as_view()
