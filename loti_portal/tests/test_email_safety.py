"""Password-reset mail: never printed into the logs by default, never logged as a link, and rate
limited per email and per address. Each test is written as the attack or the mistake."""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from loti_portal.accounts.models import PasswordResetRequest

from .test_deploy_check import run_manage

RESET = "/accounts/password/reset/"
LIMITED = b"Too many requests to reset a password"


def ask_reset(client, email: str, address: str = "203.0.113.9"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


# --- Mail would go to the console or a file ---------------------------------------------------


def test_without_email_url_and_debug_off_the_portal_refuses_to_start_in_one_line():
    result = run_manage("check", EMAIL_URL="")

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("EMAIL_URL is not set")


def test_with_debug_on_mail_goes_to_the_console_by_default():
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        EMAIL_URL="",
        DJANGO_DEBUG="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize("url", ["consolemail://", "filemail:///tmp/portal-mail"])
def test_the_console_or_a_file_named_explicitly_starts_but_check_deploy_warns(url):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", EMAIL_URL=url)

    assert result.returncode != 0
    assert "loti_portal.W002" in result.stdout + result.stderr


# --- Reset links in the logs --------------------------------------------------------------------


def test_a_reset_link_followed_is_never_in_the_access_log(client, hackney_hr, caplog):
    ask_reset(client, hackney_hr.email)
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    uid, token = link.rstrip("/").split("/")[-2:]

    with caplog.at_level(logging.INFO):
        form_url = client.get(link).url
        client.get(form_url)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "path=/accounts/password/reset/<uidb64>/<token>/" in logged
    assert token not in logged
    assert uid not in logged
    assert hackney_hr.email not in logged


def test_a_reset_request_logs_neither_the_email_nor_whether_it_is_held(client, hackney_hr, caplog):
    with caplog.at_level(logging.INFO):
        ask_reset(client, hackney_hr.email)
        ask_reset(client, "nobody@council.example")

    lines = [r.getMessage() for r in caplog.records if "password_reset_requested" in r.getMessage()]
    assert len(lines) == 2
    assert all(line.endswith("allowed=True") for line in lines)
    for line in lines:
        assert "@" not in line


# --- Rate limits --------------------------------------------------------------------------------


def test_twelve_resets_for_one_person_send_three_emails_then_refuse(client, hackney_hr):
    responses = [ask_reset(client, hackney_hr.email) for _ in range(12)]

    assert [r.status_code for r in responses] == [302] * 3 + [429] * 9
    assert len(mail.outbox) == 3
    refused = responses[-1]
    assert LIMITED in refused.content
    assert hackney_hr.email.encode() not in refused.content
    assert refused["Retry-After"] == "3600"


def test_the_limit_for_one_email_holds_across_addresses(client, hackney_hr):
    for n in range(3):
        assert ask_reset(client, hackney_hr.email, address=f"198.51.100.{n}").status_code == 302

    assert ask_reset(client, hackney_hr.email, address="192.0.2.50").status_code == 429
    assert len(mail.outbox) == 3


def test_one_address_asking_for_many_emails_is_refused_after_ten(client, hackney_hr):
    for n in range(10):
        assert ask_reset(client, f"someone{n}@council.example").status_code == 302

    assert ask_reset(client, hackney_hr.email).status_code == 429
    assert mail.outbox == []
    # From elsewhere, the officer can still reset their password.
    assert ask_reset(client, hackney_hr.email, address="198.51.100.7").status_code == 302
    assert len(mail.outbox) == 1


def test_a_refusal_reveals_nothing_about_whether_the_account_exists(client, hackney_hr):
    for _ in range(3):
        ask_reset(client, hackney_hr.email)
        ask_reset(client, "nobody@council.example", address="198.51.100.7")

    held = ask_reset(client, hackney_hr.email)
    unheld = ask_reset(client, "nobody@council.example", address="198.51.100.7")

    assert held.status_code == unheld.status_code == 429
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub(b"", held.content) == strip.sub(b"", unheld.content)


def test_the_window_passing_allows_requests_again(client, hackney_hr):
    for _ in range(4):
        ask_reset(client, hackney_hr.email)
    assert len(mail.outbox) == 3

    PasswordResetRequest.objects.update(
        requested_at=timezone.now() - datetime.timedelta(minutes=61)
    )

    assert ask_reset(client, hackney_hr.email).status_code == 302
    assert len(mail.outbox) == 4
    # Old requests count for nothing and are removed as new ones arrive.
    assert PasswordResetRequest.objects.count() == 1


def test_the_email_is_kept_only_as_a_keyed_hash(client, hackney_hr):
    ask_reset(client, hackney_hr.email)

    row = PasswordResetRequest.objects.values().get()
    assert hackney_hr.email not in str(row)
    assert "hackney" not in str(row)


def test_an_invalid_form_is_not_counted(client, db):
    for _ in range(5):
        response = client.post(RESET, {"email": "not an email"})
        assert response.status_code == 200

    assert not PasswordResetRequest.objects.exists()
    assert reverse("password_reset") == RESET
