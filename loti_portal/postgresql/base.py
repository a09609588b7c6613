"""Django's PostgreSQL backend, except that checking a connection waits a bounded time.

Django checks that a reused connection still works with `SELECT 1` (`is_usable()`): at the first
query of each request (CONN_HEALTH_CHECKS) and at a request's start and end after an error. A
server that froze answers neither that nor any timeout of its own (db_deadline.py), so every
request, even for a page that needs no database, would wait for ever. Here the check gives up
after DATABASE_CONNECT_TIMEOUT seconds, the connection is closed, and the request goes on to a new
connection (bounded by libpq's connect_timeout) or to its error page.
"""

from django.conf import settings
from django.db.backends.postgresql import base

from loti_portal.db_deadline import deadline


class DatabaseWrapper(base.DatabaseWrapper):
    """settings.py names this backend in place of Django's when DATABASE_URL is PostgreSQL."""

    # Whether the last check gave up waiting (rather than finding the connection closed).
    check_timed_out = False

    def is_usable(self) -> bool:
        with deadline(self, settings.DATABASE_CONNECT_TIMEOUT) as check:
            usable = super().is_usable()
        self.check_timed_out = check.fired
        return usable
