"""Authentication backends: the sign-in lock-out (django-axes), then Django's, one query lighter."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, for sign-ins that come from a web request.

    Every web sign-in (the portal's and the admin's login forms) passes the request, so it is
    always checked. Authentication without a request — the test client's `login()`, a management
    command — cannot be reached from the web, and axes cannot key a lock-out without an address,
    so it is left to the next backend instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PortalModelBackend(ModelBackend):
    """Django's ModelBackend; the signed-in user is loaded with their first authenticator's id.

    `otp_device_pk` (the id of the user's first confirmed TOTP device, or None) comes in the same
    query as the user, so middleware.OTPMiddleware can tell a session that passed the one-time
    code on every request without a query of its own.
    """

    def get_user(self, user_id):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        first_device = (
            TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            .order_by("pk")
            .values("pk")[:1]
        )
        model = get_user_model()
        users = model._default_manager.annotate(otp_device_pk=Subquery(first_device))
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
