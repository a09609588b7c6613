"""/healthz: 200 with the database, 503 without it (a really unreachable one), never a trace."""

import copy
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import InterfaceError, OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("healthz")


@pytest.fixture
def unreachable_database():
    """A connection like the default one but pointing where no database answers.

    PostgreSQL: a closed port on this machine. SQLite: a file in a directory that does not exist.
    The shared PostgreSQL server is never stopped for this.
    """
    real = connections[DEFAULT_DB_ALIAS]
    settings_dict = copy.deepcopy(real.settings_dict)
    if real.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    else:
        settings_dict.update(NAME="/nonexistent-directory/for-healthz/db.sqlite3")
    broken = real.__class__(settings_dict, alias=DEFAULT_DB_ALIAS)
    with mock.patch("loti_portal.views.connection", broken):
        yield broken
    broken.close()


def test_healthy_database_answers_200_ok(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_unreachable_database_answers_503_without_a_stack_trace(client, unreachable_database):
    response = client.get(URL)

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert response["Content-Type"] == "text/plain"


def test_it_recovers_when_the_database_returns(client, unreachable_database):
    assert client.get(URL).status_code == 503

    with mock.patch("loti_portal.views.connection", connection):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_dropped_connection_answers_503(client, error):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=error("server closed the connection unexpectedly"),
    ):
        response = client.get(URL)

    assert response.status_code == 503
    assert b"server closed" not in response.content


def test_only_get_and_head_are_allowed(client):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405
