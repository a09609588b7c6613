"""Per-user limits on how often a revealing or expensive action may be repeated.

The add-a-recruit journey and the import's check both look people up across the portal; even
with no answer depending on other boroughs' records (apprenticeships/linking.py), a script
making thousands of guesses an hour is not an officer at work.

Each use is a row (accounts.LimitedAction), counted over the last hour: exact, shared by every
worker, and an audit trail. Not django-ratelimit: it counts in the cache, its system check
refuses Django's database cache (this portal's default shared cache), whose increments are not
atomic and reset the expiry anyway, and it has had no release since 2023.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from loti_portal.accounts.models import LimitedAction

WINDOW = datetime.timedelta(hours=1)
KEPT_FOR = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    name: str
    per_hour: int

    def message(self) -> str:
        return (
            f"You have done this {self.per_hour} times in the last hour, which is the most "
            "allowed. Try again later, or ask LOTI's portal administrators if you need more."
        )


def limit(name: str) -> Limit:
    """The limit named in settings.RATE_LIMITS_PER_HOUR."""
    return Limit(name, settings.RATE_LIMITS_PER_HOUR[name])


def allow(name: str, user_id: int) -> bool:
    """Record one more use by this user, or refuse (recording nothing) once the hour's are used.

    Three queries: the count of the last hour, and, when allowed, the new row and the removal of
    this user's rows older than a day. Two requests at the same instant may both take the last
    use: against a script, a limit that is one or two out is as good.
    """
    now = timezone.now()
    mine = LimitedAction.objects.filter(user_id=user_id, name=name)
    if mine.filter(at__gt=now - WINDOW).count() >= limit(name).per_hour:
        return False
    LimitedAction.objects.create(user_id=user_id, name=name)
    mine.filter(at__lt=now - KEPT_FOR).delete()
    return True
