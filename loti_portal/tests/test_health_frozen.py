"""A database that accepts connections but never answers: /healthz says 503 within 3 seconds, on a
new connection and on one already open, and pages that need no database stay up.

The frozen database is a listener on 127.0.0.1 (frozen_db.py), so these tests run on SQLite too;
only the relay to the real PostgreSQL, frozen mid-session, needs PostgreSQL.
"""

import time
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.db.utils import OperationalError
from django.urls import reverse

from .frozen_db import FrozenListener, Relay, postgres_connection

pytestmark = pytest.mark.django_db

HEALTHZ = reverse("healthz")
LIMIT_SECONDS = 3.0
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="relays to the PostgreSQL the suite runs on"
)


def timed_get(client, url: str, **extra):
    started = time.monotonic()
    response = client.get(url, **extra)
    return response, time.monotonic() - started


@contextmanager
def as_the_database(replacement):
    """The portal's default connection is `replacement` within the block, for every request.

    Unlike patching the health check's module alone, Django's own handling of the connection at
    each request's start and end (close_old_connections, CONN_HEALTH_CHECKS) takes part too.
    """
    real = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = replacement
    try:
        yield replacement
    finally:
        connections[DEFAULT_DB_ALIAS] = real


@pytest.fixture
def frozen():
    with FrozenListener() as listener:
        frozen_connection = postgres_connection("127.0.0.1", listener.port)
        yield frozen_connection
        frozen_connection.close()


@pytest.fixture
def relay():
    """A relay to the suite's PostgreSQL test database, and a connection through it, reused
    between requests and health-checked as in production."""
    real = connection.settings_dict
    with Relay(real["HOST"] or "127.0.0.1", int(real["PORT"] or 5432)) as relay:
        through = postgres_connection(
            "127.0.0.1",
            relay.port,
            name=real["NAME"],
            USER=real["USER"],
            PASSWORD=real["PASSWORD"],
            CONN_MAX_AGE=60,
            CONN_HEALTH_CHECKS=True,
        )
        yield relay, through
        through.close()


def test_the_portals_postgresql_options_bound_every_wait():
    options = settings.POSTGRESQL_OPTIONS
    if connection.vendor == "postgresql":
        assert settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"] == "loti_portal.postgresql"
    assert options["connect_timeout"] == 2
    assert options["options"] == "-c statement_timeout=20000"
    assert options["keepalives"] == 1
    assert options["keepalives_idle"] == 30
    assert options["tcp_user_timeout"] == 30_000
    if connection.vendor == "postgresql":
        assert settings.DATABASES[DEFAULT_DB_ALIAS]["OPTIONS"].items() >= options.items()


def test_healthz_answers_503_quickly_on_a_new_connection_to_a_frozen_database(client, frozen):
    with mock.patch("loti_portal.views.connection", frozen):
        response, seconds = timed_get(client, HEALTHZ)

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert seconds < LIMIT_SECONDS
    print(f"\nhealthz, new connection to a frozen listener: {seconds:.2f} s")


def test_pages_that_need_no_database_stay_up_while_it_is_frozen(client, frozen, settings):
    settings.WHITENOISE_USE_FINDERS = True
    with as_the_database(frozen):
        pages = [
            timed_get(client, url)
            for url in (
                "/accounts/login/",
                "/accessibility/",
                "/privacy/",
                "/static/css/portal.css",
            )
        ]
        signed_in_page, db_seconds = timed_get(
            client.__class__(raise_request_exception=False),
            reverse("apprenticeships:placement_list"),
            HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=some-session",
        )

    for response, seconds in pages:
        assert response.status_code == 200
        assert seconds < 1.0
    # A page that needs the database fails rather than hangs: it tries twice (reading the session,
    # then saving it after the error page), each bounded by the connect timeout.
    assert signed_in_page.status_code == 500
    assert db_seconds < 2 * settings.DATABASE_CONNECT_TIMEOUT + 1


@needs_postgresql
def test_healthz_answers_503_quickly_when_an_open_connection_freezes(client, relay):
    relay_server, through = relay
    with as_the_database(through):
        assert client.get(HEALTHZ).status_code == 200  # the connection is open and working
        assert client.get(HEALTHZ).status_code == 200  # ...and reused, health-checked
        relay_server.freeze()
        response, seconds = timed_get(client, HEALTHZ)
        again, seconds_again = timed_get(client, HEALTHZ)  # a new connection through the relay

    assert response.status_code == again.status_code == 503
    assert seconds < LIMIT_SECONDS
    assert seconds_again < LIMIT_SECONDS
    assert through.connection is None  # closed, so the next probe connects afresh
    print(f"\nhealthz frozen mid-session: {seconds:.2f} s open, {seconds_again:.2f} s new")


@needs_postgresql
def test_healthz_replaces_a_connection_the_server_closed_at_once(client, relay):
    """A database restart closes every connection: the next probe reconnects and says 200."""
    relay_server, through = relay
    with as_the_database(through):
        assert client.get(HEALTHZ).status_code == 200
        relay_server.drop()
        response, seconds = timed_get(client, HEALTHZ)

    assert response.status_code == 200
    assert seconds < 1.0


@needs_postgresql
def test_a_frozen_connection_does_not_hold_the_next_request_after_an_error(relay):
    """After an error, Django checks the connection as every request starts and ends (the test
    client leaves that out, so it is called here as the request signals call it): bounded."""
    relay_server, through = relay
    through.ensure_connection()
    through.errors_occurred = True  # as after any database error in a request
    relay_server.freeze()

    with as_the_database(through):
        started = time.monotonic()
        close_old_connections()
        seconds = time.monotonic() - started

    assert seconds < LIMIT_SECONDS
    assert through.connection is None


@needs_postgresql
def test_a_page_needing_the_database_fails_within_seconds_on_a_frozen_open_connection(relay):
    """The first query of a request checks the reused connection (CONN_HEALTH_CHECKS): bounded,
    then a new connection, bounded too; the page fails instead of holding a worker."""
    relay_server, through = relay
    through.ensure_connection()
    through.health_check_done = False  # as at the start of every request
    relay_server.freeze()

    started = time.monotonic()
    with pytest.raises(OperationalError):
        through.cursor()

    assert time.monotonic() - started < 2 * settings.DATABASE_CONNECT_TIMEOUT + 1


@needs_postgresql
def test_the_server_cancels_a_statement_after_the_statement_timeout(relay):
    _, through = relay
    with through.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("20s",)
        cursor.execute("SET statement_timeout = 200")
        with pytest.raises(Exception, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(5)")


@needs_postgresql
def test_keepalives_are_on_for_the_connection(relay):
    _, through = relay
    through.ensure_connection()

    parameters = through.connection.get_dsn_parameters()

    assert parameters["keepalives"] == "1"
    assert parameters["keepalives_idle"] == "30"
    assert parameters["tcp_user_timeout"] == "30000"
