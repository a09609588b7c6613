"""The sign-in lock-out as an authentication backend (django-axes)."""

from axes.backends import AxesStandaloneBackend


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
