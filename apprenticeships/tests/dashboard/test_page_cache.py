"""The page cache is shared by every process, and a committed change retires a page in all of them.

gunicorn runs several worker processes; each has its own database connection and its own cache
client. These tests make requests as two such workers: threads that each keep their own
connection and cache client (they run everywhere), and a second Python process (wherever the
test database can be reached from one). CI runs them with the database cache and again with
Redis (.ci/run).
"""

import datetime
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from apprenticeships.dashboard import queries
from apprenticeships.factories import RecruitmentTargetFactory

from .conftest import place
from .helpers import bulk_placements, page_table

INDEX = reverse("dashboard:index")
BASE_DIR = Path(__file__).resolve().parents[3]


def total(page: str) -> list[str]:
    return page_table(page, "boroughs")[-1][:2]


@pytest.fixture
def reads(monkeypatch):
    """Every scope whose figures were read from the database, by any thread of this process."""
    scopes = []
    read = queries.dashboard_figures
    monkeypatch.setattr(
        queries, "dashboard_figures", lambda scope: scopes.append(scope) or read(scope)
    )
    return scopes


class Worker:
    """A gunicorn worker's share of the state: its own thread, so its own database connection and
    its own cache client, kept from one request to the next."""

    def __init__(self, session: str):
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.session = session

    def run(self, function):
        return self.thread.submit(function).result()

    def get(self, path: str = INDEX) -> str:
        def request() -> str:
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session
            response = client.get(path)
            assert response.status_code == 200
            return response.content.decode()

        return self.run(request)

    def stop(self) -> None:
        self.run(connections.close_all)  # the test database is dropped only once it is unused
        self.thread.shutdown()


@pytest.fixture
def signed_in(client, loti_analyst) -> str:
    """A LOTI analyst's session key, as the browser would send it to any worker."""
    client.force_login(loti_analyst)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_cache_is_the_one_every_process_shares(db, page_cache):
    """Redis when REDIS_URL is set, else the database's: never memory of one process."""
    expected = RedisCache if settings.REDIS_URL else DatabaseCache
    assert isinstance(page_cache, expected)
    page_cache.set("shared-check", "seen", 5)
    assert caches.create_connection("default").get("shared-check") == "seen"  # a second client


@pytest.mark.django_db(transaction=True)  # the workers' connections see only committed data
def test_workers_share_a_page_and_a_change_retires_it_in_every_one(
    page_cache, signed_in, busy_campaign, hackney, reads
):
    first, second = Worker(signed_in), Worker(signed_in)
    try:
        assert first.run(lambda: caches["default"]) is not second.run(lambda: caches["default"])

        assert total(first.get()) == ["Total", "15"]
        assert len(reads) == 1  # computed by the first worker
        assert total(second.get()) == ["Total", "15"]
        assert len(reads) == 1  # and served to the second from the shared cache

        place(hackney, datetime.date(2020, 3, 2))  # committed: the figures' version goes up

        assert total(second.get()) == ["Total", "16"]
        assert len(reads) == 2  # the second worker's page was retired: computed again
        assert total(first.get()) == ["Total", "16"]
        assert len(reads) == 2  # and the first worker's too: it serves the new page
    finally:
        first.stop()
        second.stop()


def in_another_process(session: str) -> dict:
    order = {
        "database": connection.settings_dict["NAME"],
        "caches": settings.CACHES,
        "session": session,
        "path": INDEX,
    }
    done = subprocess.run(
        [sys.executable, "-m", "apprenticeships.tests.dashboard.worker"],
        input=json.dumps(order),
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == 200
    return answer


@pytest.mark.django_db(transaction=True)  # the other process sees only committed data
def test_another_process_serves_the_page_computed_here_until_a_change(
    page_cache, signed_in, busy_campaign, hackney, reads
):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database exists in this process only")
    here = Worker(signed_in)
    try:
        assert total(here.get()) == ["Total", "15"]

        there = in_another_process(signed_in)
        assert there["reads"] == 0  # the page computed here, from the shared cache
        assert total(there["body"]) == ["Total", "15"]

        place(hackney, datetime.date(2020, 3, 2))

        there = in_another_process(signed_in)
        assert there["reads"] == 1  # retired by the change: computed there
        assert total(there["body"]) == ["Total", "16"]
        assert total(here.get()) == ["Total", "16"]
        assert len(reads) == 1  # and served here from the page the other process computed
    finally:
        here.stop()


@pytest.mark.parametrize("placements", [10, 2000])
def test_the_cached_page_costs_the_same_queries_at_any_size(
    client, page_cache, loti_analyst, hackney, camden, placements, django_assert_num_queries
):
    RecruitmentTargetFactory(boroughs=[hackney, camden])
    bulk_placements(placements, [hackney, camden])
    client.force_login(loti_analyst)
    client.get(INDEX)
    # 1 session, 2 user, 3 the targets, 4 the scope's boroughs, 5 the filter's boroughs, 6 the
    # figures' version, then the page: with the database cache 7 its entry's SELECT; 8-10 the
    # session's save (savepoint, update, release). No figure is read.
    database_cache = isinstance(page_cache, DatabaseCache)
    with django_assert_num_queries(10 if database_cache else 9):
        assert client.get(INDEX).status_code == 200


def test_migrate_creates_the_database_cache_table(db, settings):
    """`make run`, `make serve`, the load test and a deployment only run `migrate`."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache_made_by_migrate",
        }
    }
    assert "portal_cache_made_by_migrate" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    assert "portal_cache_made_by_migrate" in connection.introspection.table_names()
