"""Site-wide views that belong to no single app."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache


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


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise; never a stack trace."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
