"""Test settings: only what makes the suite faster or self-contained."""

import os
import uuid

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment")
# The test client speaks plain HTTP; the redirect to HTTPS is tested by switching it back on
# (loti_portal/tests/test_security.py). Every other production default stays as it is.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from loti_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
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
