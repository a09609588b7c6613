"""Password-reset requests, limited per email typed and per client address (settings.py).

Without a limit anyone could send an officer a dozen reset emails a second. The counts live in the
database, shared by every app server and worker (the cache is per process). Each request is
written and committed *before* it is counted, so of any number of simultaneous requests at most
the limit see a count within it; refused requests count too, so hammering does not reopen the
window. The limit for an email applies whether or not it belongs to an account, so a refusal
reveals nothing about accounts.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import PasswordResetRequest


def email_digest(email: str) -> str:
    """A keyed hash of the email as sign-in reads it (case and surrounding spaces ignored)."""
    return salted_hmac("loti_portal.password_reset", email.strip().lower()).hexdigest()


def allow_reset_request(*, email: str, ip_address: str) -> bool:
    """Record one request; True when both its email and its address are within their limits."""
    now = timezone.now()
    since = now - settings.PASSWORD_RESET_WINDOW
    # Rows older than the window count for nothing: removing them keeps the table small.
    PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
    digest = email_digest(email)
    PasswordResetRequest.objects.create(
        email_digest=digest, ip_address=ip_address, requested_at=now
    )
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    return (
        recent.filter(email_digest=digest).count() <= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT
        and recent.filter(ip_address=ip_address).count()
        <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
