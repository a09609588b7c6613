"""The test settings run the production configuration whatever the shell or a .env file holds."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# What a developer's shell or .env may well hold, each against a default the tests check.
DEVELOPER_ENV = {
    "DJANGO_DEBUG": "1",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "DJANGO_ALLOWED_HOSTS": "*",
    "SESSION_IDLE_TIMEOUT_MINUTES": "600",
    "LOGIN_FAILURE_LIMIT": "1000",
    "EMAIL_URL": "smtp://mail.example:25",
    "DASHBOARD_CACHE_SECONDS": "60",
}
READ = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_AGE",
    "AXES_FAILURE_LIMIT",
    "EMAIL_BACKEND",
    "DASHBOARD_CACHE_SECONDS",
]


def settings_under(env: dict[str, str]) -> dict:
    """The test settings as a fresh process loads them with `env` added to this one's."""
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {READ!r}}}))"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "loti_portal.settings_test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


PRODUCTION_DEFAULTS = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": False,  # the one production default the test settings switch off
    "SECURE_HSTS_SECONDS": 31536000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "ALLOWED_HOSTS": ["testserver"],
    "SESSION_COOKIE_AGE": 30 * 60,
    "AXES_FAILURE_LIMIT": 5,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DASHBOARD_CACHE_SECONDS": 0,
}


def test_the_shell_does_not_reach_the_test_settings():
    assert settings_under(DEVELOPER_ENV) == PRODUCTION_DEFAULTS


def test_a_env_file_is_not_read(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in DEVELOPER_ENV.items()))

    assert settings_under({"DJANGO_ENV_FILE": str(env_file)}) == PRODUCTION_DEFAULTS


def test_every_variable_the_settings_read_is_listed_in_env_example():
    """The test settings keep out of the tests exactly the variables .env.example lists."""
    source = (BASE_DIR / "loti_portal" / "settings.py").read_text()
    read = set(re.findall(r"\benv\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    listed = set(re.findall(r"\b[A-Z][A-Z0-9_]+\b", (BASE_DIR / ".env.example").read_text()))

    assert "DJANGO_DEBUG" in read
    assert read - listed == set()


def test_a_env_file_copied_from_env_example_keeps_the_production_defaults(tmp_path):
    """`.env.example` leaves variables empty for "the default": empty must not mean false."""
    env_file = tmp_path / ".env"
    env_file.write_text((BASE_DIR / ".env.example").read_text())
    script = (
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS]))"
    )
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_"))
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "loti_portal.settings",
            "DJANGO_ENV_FILE": str(env_file),
            # What an operator must fill in: the portal refuses to start without them.
            "DJANGO_SECRET_KEY": "filled-in-by-the-operator",
            "EMAIL_URL": "smtp+tls://mail.example:587",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False,
        True,
        True,
        31536000,
        "django.db.backends.sqlite3",
        ["localhost", "127.0.0.1"],
    ]
