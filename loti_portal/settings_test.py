"""Test settings: only what makes the suite faster or self-contained.

Self-contained: the tests run the production configuration (DEBUG off, and every default as
production has it) whatever the shell or a developer's `.env` holds, because the security tests
check those defaults. Of the portal's variables only DATABASE_URL is taken from outside, to run
the same suite on PostgreSQL.
"""

import os
import re
import uuid
from pathlib import Path

# Every variable the portal reads is listed in .env.example (tests/test_settings_test.py checks
# that settings.py reads no other): none of them reaches the tests from the shell but the two
# that choose which real database and shared cache the suite runs against (CI runs it on
# SQLite, PostgreSQL, and the dashboard's tests with Redis)...
_EXAMPLE = Path(__file__).resolve().parent.parent / ".env.example"
for _name in re.findall(r"^([A-Z][A-Z0-9_]*)=", _EXAMPLE.read_text(), flags=re.MULTILINE):
    if _name not in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(_name, None)
# ...nor from a .env file, which is not read at all.
os.environ["DJANGO_ENV_FILE"] = ""
# A retired variable makes the settings refuse to start (settings.py); an old shell must not.
os.environ.pop("DJANGO_TRUSTED_PROXY_COUNT", None)
os.environ["DJANGO_SECRET_KEY"] = "test-only-secret-key-not-for-any-real-deployment"  # noqa: S105
# Mail is kept in memory (django.core.mail.outbox), named as production must name its server.
os.environ["EMAIL_URL"] = "memorymail://"
# The test client speaks plain HTTP; the redirect to HTTPS is tested by switching it back on
# (loti_portal/tests/test_security.py). Every other production default stays as it is.
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"

from loti_portal.settings import *  # noqa: E402, F403

# The test client's host: any in-process client works, not only pytest-django's, which adds it
# by itself (benchmarks/dashboard.py uses these settings too).
ALLOWED_HOSTS = ["testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed static files need collectstatic; tests read the source files instead.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test sees its own data at once: no page is cached unless a test turns the page cache on,
# and the `page_cache` fixture (apprenticeships/tests/dashboard/conftest.py) that does gives it
# keys of its own. The cache itself is the one the environment names (the database's, or Redis
# with REDIS_URL), so the tests exercise what production runs; this run's prefix keeps test runs
# that share a Redis out of each other's keys, and out of a deployment's.
DASHBOARD_CACHE_SECONDS = 0
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}  # noqa: F405
