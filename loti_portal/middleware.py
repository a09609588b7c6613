"""Site-wide middleware: request id and access log, Permissions-Policy, no-store caching.

A deactivated user's session needs no middleware: Django's ModelBackend.get_user() returns no user
for an inactive account, so their next request is anonymous (tests/test_security.py pins this).
"""

import re
import time
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty

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
