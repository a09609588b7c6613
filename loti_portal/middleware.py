"""Site-wide middleware: request id and access log, Permissions-Policy, no-store caching, and the
sign-in policies (the one-time code, django-otp's verification without a query, the absolute
session lifetime).

A deactivated user's session needs no middleware: Django's ModelBackend.get_user() returns no user
for an inactive account, so their next request is anonymous (tests/test_security.py pins this).
"""

import re
import time
import uuid
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject, empty
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts.otp import SIGNED_IN_AT, second_factor_pending
from .logging import log_request

# Only log a request id a proxy sent if it is short and plain: it is written into our log lines.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# Parts of a URL that work as a password: a password-reset link sets a new password for whoever
# follows it, so its user id and token never reach a log line.
_SECRET_URL_PARTS = frozenset({"uidb64", "token"})


def loggable_path(request) -> str:
    """The path without its query string (which may hold personal data) or any secret part."""
    match = getattr(request, "resolver_match", None)
    if match is None or not _SECRET_URL_PARTS & match.kwargs.keys():
        return request.path
    # The URL pattern instead, e.g. /accounts/password/reset/<uidb64>/<token>/
    return f"/{match.route}"


def _user_id(request) -> int | None:
    """The signed-in user's id, if the request already looked them up (no query just to log)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestLogMiddleware:
    """Give each request an id (X-Request-ID) and write its one access-log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        log_request(
            request_id=request.request_id,
            user_id=_user_id(request),
            method=request.method,
            path=loggable_path(request),
            status=response.status_code,
            duration_ms=(time.perf_counter() - started) * 1000,
        )
        response["X-Request-ID"] = request.request_id
        return response


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and Django's other never-cache headers) on every response.

    Placed inside whitenoise, so static files keep their long public caching; everything else may
    show personal data (a placement, a list, a CSV, the JSON feed, an import, the admin) or a form,
    and no browser, shared computer or proxy should keep a copy. Deciding page by page would miss
    the next page added, so there is no exception.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (`request.user.is_verified()`), without its query per request.

    When the session's device is the user's first confirmed authenticator, whose id came with the
    user (auth_backends.PortalModelBackend), the device is known to exist, to be the user's and to
    be confirmed: it is loaded only if something asks for it. Any other case is django-otp's own.
    """

    def _verify_user_sync(self, request, user):
        first = getattr(user, "otp_device_pk", None)
        if first is None or request.session.get(DEVICE_ID_SESSION_KEY) != _persistent_id(first):
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        user.otp_device = SimpleLazyObject(partial(TOTPDevice.objects.get, pk=first))
        return user


def _persistent_id(device_pk: int) -> str:
    return f"{TOTPDevice.model_label()}/{device_pk}"


# Pages a signed-in user may reach before the one-time code or after their session's lifetime:
# none shows personal data. The admin's pages are not open: a signed-in admin who has not given
# the code is sent to the portal's code step like anyone else, and the admin (admin_site.py)
# accepts a session verified there, so nobody types their email and password twice.
_OPEN_PAGES = frozenset(
    {
        "healthz",
        "favicon",
        "login",
        "logout",
        "second_factor",
        "second_factor_setup",
        "second_factor_qr",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "pages:accessibility",
        "pages:privacy",
        "pages:counting",
    }
)


def _on_open_page(request) -> bool:
    return request.resolver_match.view_name in _OPEN_PAGES


class SessionLifetimeMiddleware:
    """Sign out a session SESSION_ABSOLUTE_LIFETIME after it signed in, however active it is.

    The idle timeout alone lets a session that keeps being used (or taken over) last for ever.
    A session with no sign-in time (made before this existed) is signed out too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.lifetime = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name == "healthz" or not request.user.is_authenticated:
            return None
        signed_in_at = request.session.get(SIGNED_IN_AT)
        if signed_in_at is not None and time.time() - signed_in_at < self.lifetime:
            return None
        logout(request)
        if _on_open_page(request):
            return None  # e.g. the sign-in page itself: it serves anyone
        messages.info(request, "Your session has ended. Sign in again to carry on.")
        return redirect_to_login(request.get_full_path())


class SecondFactorMiddleware:
    """Send a signed-in user who must give a one-time code, and has not, to the code page.

    Every page but the open ones (`_OPEN_PAGES`) is refused until then, so a page added later is
    covered without remembering to. The code page returns them to where they were going.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _on_open_page(request):
            return None
        if not second_factor_pending(request.user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('second_factor')}?{query}")
