"""Site-wide views that belong to no single app: home, health check and the error pages."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from .db_deadline import deadline

log = logging.getLogger("loti_portal.health")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the portal's icon."""
    return redirect(static("favicon.svg"), permanent=True)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Take each role to where it works."""
    user = request.user
    if user.is_portal_admin:
        return redirect("admin:index")
    url_name = "apprenticeships:placement_list" if user.is_borough_hr else "dashboard:index"
    try:
        return redirect(reverse(url_name))
    except NoReverseMatch:
        return redirect("admin:index")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise; never a stack trace, never a hang.

    Touches neither the session nor the user, so a probe costs one `SELECT 1` and works for a load
    balancer without cookies.
    """
    try:
        answers = _database_answers(settings.DATABASE_CONNECT_TIMEOUT)
    except DatabaseError as error:  # OperationalError, InterfaceError, ...: all of django.db.Error
        # The class name says enough to operators; the message may hold host names.
        log.warning("healthz database_unavailable error=%s", type(error).__name__)
        answers = False
    if not answers:
        # Drop the broken connection so the next probe reconnects once the database is back.
        connection.close()
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _database_answers(seconds: float) -> bool:
    """`SELECT 1`, waiting at most `seconds` in all for a server that stopped answering.

    A reused connection is checked first, as Django's CONN_HEALTH_CHECKS would, with the
    portal's bounded check (loti_portal/postgresql/base.py): one the server closed fails at once
    and is replaced, while one the server no longer answers is not then given a second wait for a
    new connection. A new connection is bounded by libpq's connect_timeout (the same seconds).
    """
    if connection.connection is not None:
        usable = connection.is_usable()
        connection.health_check_done = True  # checked just now: Django need not check again
        if not usable:
            connection.close()
            if getattr(connection, "check_timed_out", False):
                log.warning("healthz database_unavailable error=NoAnswer")
                return False
    with deadline(connection, seconds), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: one page whether the email exists or not."""
    # Neither limit is shown: which lock-out (account or address) applies is not said either.
    context = {"lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "registration/locked_out.html", context, status=429)


# Error pages: fixed wording from templates, never the exception's text or the path asked for.


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid token (often a page left open too long): same 403 page."""
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context: the failure may be the database the context needs.

    (The navigation and the signed-in user come from the session, which lives in the database.)
    """
    return HttpResponseServerError(loader.get_template("500.html").render())
