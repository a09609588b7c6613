"""Sign-in lock-out (django-axes, lockout.py): five failures for one email from any addresses, or
twenty from one address for any emails, pause sign-in. Each test is written as the attack."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from loti_portal.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOCKED = b"Too many attempts to sign in"


def attempt(client, email, password="wrong password", **extra):  # noqa: S107
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def fail(client, email, times=5, **extra):
    for _ in range(times):
        attempt(client, email, **extra)


def page_text(response, email: str) -> bytes:
    """The page without what legitimately differs: the email typed back and the CSRF token."""
    content = response.content.replace(email.encode(), b"EMAIL")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def is_signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_after_five_failures_the_right_password_is_refused(client, hackney_hr):
    fail(client, hackney_hr.email)

    response = attempt(client, hackney_hr.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content
    assert not is_signed_in(client)


def test_four_failures_still_let_the_right_password_in_and_reset_the_count(client, hackney_hr):
    fail(client, hackney_hr.email, times=4)

    response = attempt(client, hackney_hr.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)
    assert not AccessAttempt.objects.exists()


def test_the_fifth_failure_itself_shows_the_lock(client, hackney_hr):
    fail(client, hackney_hr.email, times=4)

    response = attempt(client, hackney_hr.email)

    assert response.status_code == 429
    assert LOCKED in response.content


def test_case_and_spaces_in_the_email_do_not_give_extra_guesses(client, hackney_hr):
    for email in ("HR@hackney.example", " hr@hackney.example", "Hr@Hackney.Example"):
        attempt(client, email)
    fail(client, hackney_hr.email, times=2)

    assert attempt(client, hackney_hr.email, TEST_PASSWORD).status_code == 429


def test_messages_do_not_reveal_whether_the_email_exists(client, hackney_hr):
    wrong_password = attempt(client, hackney_hr.email)
    unknown_email = attempt(client, "nobody@hackney.example")
    assert page_text(wrong_password, hackney_hr.email) == page_text(
        unknown_email, "nobody@hackney.example"
    )

    fail(client, hackney_hr.email, times=4)
    fail(client, "nobody@hackney.example", times=4)
    locked_known = attempt(client, hackney_hr.email, TEST_PASSWORD)
    locked_unknown = attempt(client, "nobody@hackney.example")
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert locked_known.content == locked_unknown.content
    assert hackney_hr.email.encode() not in locked_known.content


def test_rotating_addresses_does_not_dodge_the_account_lock(client, hackney_hr):
    for n in range(5):
        attempt(client, hackney_hr.email, REMOTE_ADDR=f"203.0.113.{n}")

    response = attempt(client, hackney_hr.email, TEST_PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_spraying_many_emails_from_one_address_is_stopped(client, hackney_hr, settings):
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS == 20
    for n in range(40):
        attempt(client, f"guess{n}@council.example", REMOTE_ADDR="203.0.113.9")

    from_there = attempt(client, hackney_hr.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert from_there.status_code == 429
    assert not is_signed_in(client)
    # The accounts sprayed were not themselves attacked five times: elsewhere, sign-in works.
    elsewhere = attempt(client, hackney_hr.email, TEST_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302


def test_one_short_of_the_address_limit_still_signs_in(client, hackney_hr):
    for n in range(19):
        attempt(client, f"guess{n}@council.example", REMOTE_ADDR="203.0.113.9")

    response = attempt(client, hackney_hr.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_addresss_count(
    client, hackney_hr, camden_hr
):
    """The attacker's own account (camden_hr here) must not reset the spray count."""
    for n in range(15):
        attempt(client, f"guess{n}@council.example", REMOTE_ADDR="203.0.113.9")
    assert (
        attempt(client, camden_hr.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.9").status_code
        == 302
    )
    for n in range(15, 20):
        attempt(client, f"guess{n}@council.example", REMOTE_ADDR="203.0.113.9")

    response = attempt(client, hackney_hr.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429


def test_rotating_forwarded_for_sent_straight_to_the_app_server_is_ignored(
    client, hackney_hr, settings
):
    """The finding: with a proxy configured, requests sent past it chose their own address."""
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    for n in range(12):
        attempt(
            client,
            f"guess{n}@council.example",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    for n in range(5):
        attempt(
            client, hackney_hr.email, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )

    response = attempt(
        client,
        hackney_hr.email,
        TEST_PASSWORD,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_lock_ends_after_the_configured_period(client, hackney_hr, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=10)
    fail(client, hackney_hr.email)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=9))
    assert attempt(client, hackney_hr.email, TEST_PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=11))
    response = attempt(client, hackney_hr.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


class TestBehindTheProxy:
    """The proxy appends the address it saw; anything left of that came from the client."""

    PROXY = "10.0.0.2"

    @pytest.fixture(autouse=True)
    def one_proxy(self, settings):
        settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    def via_proxy(self, client_sent: str, real: str) -> dict:
        forwarded = f"{client_sent}, {real}" if client_sent else real
        return {"REMOTE_ADDR": self.PROXY, "HTTP_X_FORWARDED_FOR": forwarded}

    def test_spoofed_forwarded_for_does_not_dodge_the_lock(self, client, hackney_hr):
        for n in range(20):
            attempt(
                client, f"guess{n}@council.example", **self.via_proxy(f"192.0.2.{n}", "203.0.113.9")
            )

        response = attempt(
            client, hackney_hr.email, TEST_PASSWORD, **self.via_proxy("192.0.2.99", "203.0.113.9")
        )

        assert response.status_code == 429
        assert not is_signed_in(client)
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}

    def test_spoofing_a_colleagues_address_does_not_lock_their_network_out(
        self, client, hackney_hr
    ):
        colleague = "198.51.100.7"
        for n in range(20):
            attempt(client, f"guess{n}@council.example", **self.via_proxy(colleague, "203.0.113.9"))

        response = attempt(client, hackney_hr.email, TEST_PASSWORD, **self.via_proxy("", colleague))

        assert response.status_code == 302
        assert is_signed_in(client)

    def test_users_behind_the_same_proxy_are_told_apart(self, client, hackney_hr):
        for n in range(20):
            attempt(client, f"guess{n}@council.example", **self.via_proxy("", "203.0.113.9"))

        response = attempt(
            client, hackney_hr.email, TEST_PASSWORD, **self.via_proxy("", "198.51.100.7")
        )

        assert response.status_code == 302

    def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client(self, client, hackney_hr):
        for n in range(20):
            attempt(
                client,
                f"guess{n}@council.example",
                REMOTE_ADDR=self.PROXY,
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9, 10.0.0.7",
            )

        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_every_attempt_is_recorded_in_utc_without_the_password(client, hackney_hr):
    fail(client, hackney_hr.email, times=2)
    attempt(client, hackney_hr.email, TEST_PASSWORD)

    failures = list(AccessFailureLog.objects.all())
    assert len(failures) == 2
    assert AccessLog.objects.filter(username=hackney_hr.email).count() == 1
    for record in [*failures, *AccessLog.objects.all()]:
        assert record.attempt_time.utcoffset() == datetime.timedelta(0)
    for row in AccessAttempt.objects.values():
        assert "wrong password" not in str(row)
        assert TEST_PASSWORD not in str(row)


def test_admin_sees_and_clears_a_lock_out(client, hackney_hr, otp_admin_client):
    hr_client = client.__class__()
    fail(hr_client, hackney_hr.email)

    listing = otp_admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert hackney_hr.email.encode() in listing.content

    attempt_row = AccessAttempt.objects.get()
    response = otp_admin_client.post(
        f"/admin/axes/accessattempt/{attempt_row.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    assert attempt(hr_client, hackney_hr.email, TEST_PASSWORD).status_code == 302
    assert is_signed_in(hr_client)
