"""Two sign-in lock-outs (django-axes): per account from any address, per address for any account.

- Per account (`LOGIN_FAILURE_LIMIT`, default 5): guessing one person's password from many
  addresses (a botnet, or rotating X-Forwarded-For) is stopped after that many failures in all.
- Per address (`LOGIN_FAILURE_LIMIT_PER_ADDRESS`, default 20): trying one common password against
  many emails from one address ("spraying") is stopped after that many failures in all. Higher
  than the per-account limit because a council's staff often share one outgoing address.

axes counts each lock-out parameter set (`AXES_LOCKOUT_PARAMETERS`) but compares them all with one
limit, and on a successful sign-in clears every set the request matches, so that signing in to
one's own account would wipe the address's count of failures against other people's. This handler
gives each set its own limit and clears only the account's own failures on success.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, with a limit per account and another per address (module doc)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT, the per-account limit.

        The address's count is scaled to that limit, so that it reaches it exactly when the address
        reaches its own limit (integer division: one failure short stays one short).
        """
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=request.axes_ip_address))
        account_limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        return max(by_account, by_address * account_limit // address_limit)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in, forget that account's own failures only.

        Failures from the same address against other accounts stay counted: otherwise an attacker
        could spray, sign in to an account of their own, and spray again.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
