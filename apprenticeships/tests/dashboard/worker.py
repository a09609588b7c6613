"""Another process for the page cache's tests: one dashboard request, as a second gunicorn worker.

    python -m apprenticeships.tests.dashboard.worker < order.json

The order (JSON on stdin) names the test's database, its cache settings and a signed-in session
cookie; the answer (JSON on stdout) gives the response's status, its body and how many times the
figures were read from the database. The process shares nothing with the test but the database
and the cache server, like gunicorn's workers.
"""

import json
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti_portal.settings_test")


def main() -> None:
    order = json.load(sys.stdin)

    import django
    from django.conf import settings

    # Before any connection or cache is made: the test's database and the test's cache keys.
    settings.DATABASES["default"]["NAME"] = order["database"]
    settings.CACHES = order["caches"]
    settings.DASHBOARD_CACHE_SECONDS = 60
    django.setup()

    from django.test import Client
    from django.test.utils import setup_test_environment

    from apprenticeships.dashboard import queries

    setup_test_environment()  # the test client's host name, as in the test
    logging.disable(logging.CRITICAL)  # stdout carries the answer alone
    reads = []
    read = queries.dashboard_figures
    queries.dashboard_figures = lambda scope: reads.append(scope) or read(scope)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = order["session"]
    response = client.get(order["path"])
    answer = {
        "status": response.status_code,
        "body": response.content.decode(),
        "reads": len(reads),
    }
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
