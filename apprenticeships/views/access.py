"""Who may use the HR pages: people allowed to see personal data (HR and admins), signed in."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def personal_data_required(view):
    """Signed-in HR staff and admins only; LOTI staff get 403 (aggregates are their pages)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.may_see_personal_data:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
