"""`check --deploy` with DEBUG off and the production variables set reports no issues."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "loti_portal.settings",
    "DJANGO_DEBUG": "0",
    # 50+ characters, many distinct: what check --deploy requires of a real key.
    "DJANGO_SECRET_KEY": "p7Qz-deploy-check-" + "".join(chr(65 + i % 26) for i in range(60)),
    "DJANGO_ALLOWED_HOSTS": "apprenticeships.loti.example",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "DJANGO_TRUSTED_PROXIES": "10.0.0.0/24",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://apprenticeships.loti.example",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.loti.example:587",
    # Only these variables: a developer's .env is not read.
    "DJANGO_ENV_FILE": "",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "EMAIL_", "SECOND_FACTOR_", "SESSION_"))
    }
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_reports_no_issues():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_weakened_setting_is_reported():
    """The check above can fail: turning HTTPS redirect off is caught."""
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECURE_SSL_REDIRECT="0"
    )

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_without_a_secret_key_the_portal_refuses_to_start():
    result = run_manage("check", DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_proxy_without_trusted_addresses_is_reported():
    """Behind the TLS proxy, no trusted proxy would make every client share the proxy's address."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_TRUSTED_PROXIES="")

    assert result.returncode != 0
    assert "loti_portal.W001" in result.stdout + result.stderr


def test_the_retired_proxy_count_refuses_to_start_in_one_line():
    result = run_manage("check", DJANGO_TRUSTED_PROXY_COUNT="1")

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "DJANGO_TRUSTED_PROXY_COUNT is no longer read: list the proxies' addresses in "
        "DJANGO_TRUSTED_PROXIES instead (and remove DJANGO_TRUSTED_PROXY_COUNT)."
    ]


def test_a_trusted_proxy_that_is_not_an_address_refuses_to_start():
    result = run_manage("check", DJANGO_TRUSTED_PROXIES="10.0.0.2,proxy.internal")

    assert result.returncode != 0
    assert "'proxy.internal' is not an IP address or network" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_second_factor_switched_off_is_reported():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", SECOND_FACTOR_REQUIRED="0")

    assert result.returncode != 0
    assert "loti_portal.W003" in result.stdout + result.stderr
