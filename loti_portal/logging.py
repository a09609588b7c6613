"""Log lines for operations: UTC timestamps, a request id, and never any personal data.

The access line names the user by database id only, and the path without its query string
(a search box or a filter may put a name or an email in it). Sign-in events are logged the same
way: the outcome and, on success, the user id — never the email typed or the password.
"""

import logging
import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

access_log = logging.getLogger("loti_portal.access")
auth_log = logging.getLogger("loti_portal.auth")


class UTCFormatter(logging.Formatter):
    """ISO 8601 timestamps in UTC, whatever the server's or Django's time zone."""

    converter = time.gmtime
    default_msec_format = "%s.%03dZ"

    def __init__(self) -> None:
        super().__init__(fmt="%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


def log_request(
    *, request_id: str, user_id: int | None, method: str, path: str, status: int, duration_ms: float
) -> None:
    """The one access-log line of a request."""
    access_log.info(
        "request_id=%s user_id=%s method=%s path=%s status=%d duration_ms=%.1f",
        request_id,
        user_id if user_id is not None else "-",
        method,
        path,
        status,
        duration_ms,
    )


def _request_id(request) -> str:
    return getattr(request, "request_id", "-") if request is not None else "-"


@receiver(user_logged_in, dispatch_uid="loti_portal.logging.signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    auth_log.info("event=sign_in request_id=%s user_id=%s", _request_id(request), user.pk)


@receiver(user_login_failed, dispatch_uid="loti_portal.logging.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # `credentials` holds the email typed; it is deliberately left out of the line.
    auth_log.info("event=sign_in_failed request_id=%s", _request_id(request))


@receiver(user_logged_out, dispatch_uid="loti_portal.logging.signed_out")
def _signed_out(sender, request, user, **kwargs) -> None:
    user_id = user.pk if user is not None else "-"
    auth_log.info("event=sign_out request_id=%s user_id=%s", _request_id(request), user_id)
