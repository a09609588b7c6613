"""Per-user limits on how often an expensive or revealing action may be repeated.

The add-a-recruit journey and the import's check both look people up across the portal; even
with no answer depending on other boroughs' records (apprenticeships/linking.py), a script
making thousands of guesses an hour is not an officer at work. Counts are kept in the shared
cache (every worker sees the same count) in fixed windows of an hour.

Not django-ratelimit: its system check refuses Django's database cache (this portal's default
shared cache) and it has had no release since 2023. Django's database cache increments by read
then write, so two requests at the same instant may both pass the last slot: a limit is
approximate by one or two, which is enough against a script; Redis increments atomically.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Limit:
    name: str
    per_hour: int

    def message(self) -> str:
        return (
            f"You have done this {self.per_hour} times in the last hour, which is the most "
            "allowed. Try again in an hour, or ask LOTI's portal administrators if you need "
            "more."
        )


def limit(name: str) -> Limit:
    """The limit named in settings.RATE_LIMITS_PER_HOUR."""
    return Limit(name, settings.RATE_LIMITS_PER_HOUR[name])


def allow(name: str, user_id: int) -> bool:
    """Count one more for this user; False once past the limit for this hour."""
    rule = limit(name)
    window = int(time.time()) // WINDOW_SECONDS
    key = f"ratelimit:{name}:{user_id}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count <= rule.per_hour
