"""The password-reset request page, rate limited (reset_limits.py), and the second factor: the
one-time code after the password, and setting up an authenticator app (otp.py)."""

import base64
import logging

import django_otp
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from loti_portal.client_ip import client_ip

from . import otp
from .forms import SecondFactorForm
from .reset_limits import allow_reset_request

log = logging.getLogger("loti_portal.auth")

THROTTLED = "You have entered too many wrong codes. Wait a few minutes, then try again."
WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now"


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


def _next_url(request: HttpRequest) -> str:
    """Where the user was going (this site only), else their home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else settings.LOGIN_REDIRECT_URL


def _passed(request: HttpRequest, device, event: str) -> HttpResponse:
    """The code matched: the session is verified from now on, under a new session key."""
    django_otp.login(request, device)
    request.session.cycle_key()
    log.info("event=%s request_id=%s user_id=%s", event, request.request_id, request.user.pk)
    return redirect(_next_url(request))


def _code_error(request: HttpRequest, form: SecondFactorForm, device, event: str) -> None:
    device.refresh_from_db()  # the check counted the failure on its own copy
    message = THROTTLED if otp.throttled(device) else WRONG_CODE
    form.add_error("otp_token", message)
    log.info("event=%s request_id=%s user_id=%s", event, request.request_id, request.user.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password, the one-time code alone; then on to where the user was going."""
    device = otp.first_device(request.user)
    if device is None:
        return _to("second_factor_setup", request)
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        if otp.check_code(request.user, device, form.cleaned_data["otp_token"]):
            return _passed(request, device, "second_factor_passed")
        _code_error(request, form, device, "second_factor_failed")
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/second_factor.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """A borough HR user with no authenticator yet adds one: a QR code, its key, its first code.

    Admins are given theirs by `create_portal_user` (and another admin can remove a lost one);
    anyone with an authenticator already goes to the code page instead.
    """
    if otp.first_device(request.user) is not None:
        return _to("second_factor", request)
    if not request.user.is_borough_hr:
        return render(request, "registration/second_factor_missing.html", status=403)
    device = otp.setup_device(request.user)
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        if otp.check_code(request.user, device, form.cleaned_data["otp_token"]):
            otp.confirm_device(device)
            return _passed(request, device, "second_factor_set_up")
        _code_error(request, form, device, "second_factor_setup_failed")
    context = {"form": form, "next": _next_url(request), "key": _readable_key(device)}
    return render(request, "registration/second_factor_setup.html", context)


@login_required
@require_safe
def second_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up, as an SVG image (never once it is set up)."""
    if otp.first_device(request.user) is not None or not request.user.is_borough_hr:
        raise Http404("No authenticator is being set up.")
    svg = otp.qr_code_svg(otp.setup_device(request.user))
    return HttpResponse(svg, content_type="image/svg+xml")


def _readable_key(device) -> str:
    """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _to(name: str, request: HttpRequest) -> HttpResponse:
    """Redirect to another of these pages, keeping `next`."""
    query = request.GET.urlencode()
    return redirect(f"{reverse(name)}?{query}" if query else reverse(name))
