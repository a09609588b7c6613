"""Expired sessions are removed at each sign-in, so nobody has to remember to schedule it.

A session can hold what an HR officer has typed of a new recruit (docs/data-protection.md), and
Django only deletes expired session rows when `clearsessions` is run. Signing in is frequent
enough (every working day, by someone) that clearing them then keeps personal data from
lingering past its session without a cron job; `clearsessions` still does the same by hand.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in


def clear_expired_sessions(sender, **kwargs) -> None:
    # The same call as `manage.py clearsessions`: one DELETE on the indexed expiry date.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def connect_signals() -> None:
    from .otp import remember_sign_in_time

    user_logged_in.connect(clear_expired_sessions, dispatch_uid="accounts-clear-expired-sessions")
    user_logged_in.connect(remember_sign_in_time, dispatch_uid="accounts-remember-sign-in-time")
