"""The password-reset request page, rate limited (reset_limits.py); Django's views for the rest."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render

from loti_portal.client_ip import client_ip

from .reset_limits import allow_reset_request

log = logging.getLogger("loti_portal.auth")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, refused plainly once an email or an address asked too often."""

    # Plain-text email only (Django's default name ends in .html but is sent as text).
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form) -> HttpResponse:
        request_id = getattr(self.request, "request_id", "-")
        allowed = allow_reset_request(
            email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        # Neither the email typed nor whether it has an account is logged.
        log.info("event=password_reset_requested request_id=%s allowed=%s", request_id, allowed)
        if not allowed:
            return self._refused()
        return super().form_valid(form)

    def _refused(self) -> HttpResponse:
        """The same page for every email, held or not: it names neither the email nor a count."""
        minutes = int(settings.PASSWORD_RESET_WINDOW.total_seconds() // 60)
        response = render(
            self.request,
            "registration/password_reset_limited.html",
            {"window_minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(minutes * 60)
        return response
