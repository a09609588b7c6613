"""Who may use the pages that show people: HR staff, and admins past their second factor."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


def unverified_admin_redirect(request):
    """Admins see every borough's people, so only after their one-time code, as on /admin/.

    Returns a redirect to the admin sign-in (which asks for the code) or None when the request
    may go on. `is_verified` is set on the user by django-otp's middleware.
    """
    user = request.user
    if user.is_portal_admin and not user.is_verified():
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return None


def personal_data_required(view):
    """Signed-in HR staff and verified admins only; LOTI staff get 403 (aggregates are theirs)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.may_see_personal_data:
            raise PermissionDenied
        return unverified_admin_redirect(request) or view(request, *args, **kwargs)

    return wrapped
