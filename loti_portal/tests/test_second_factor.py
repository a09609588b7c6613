"""The one-time code for everyone who may see personal data (borough HR and admins), written as
the attacks: a password alone, a wrong or replayed code, an open redirect, a second enrolment."""

import io
import logging
import re
import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apprenticeships.factories import PlacementFactory
from loti_portal.accounts.factories import TEST_PASSWORD
from loti_portal.accounts.otp import SIGNED_IN_AT, ensure_totp_device, first_device

from .test_deploy_check import run_manage

pytestmark = pytest.mark.django_db

CODE_PAGE = reverse("second_factor")
SETUP_PAGE = reverse("second_factor_setup")
QR_CODE = reverse("second_factor_qr")


def current_code(user, *, confirmed: bool = True) -> str:
    """What the user's authenticator app shows now."""
    device = first_device(user, confirmed=confirmed)
    if time.time() % device.step > device.step - 2:
        time.sleep(2)  # about to change: wait for the next one
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(user) -> str:
    return f"{(int(current_code(user)) + 1) % 1_000_000:06d}"


def sign_in_with_password(client, user, next_url: str = "/"):
    response = client.post(
        f"{reverse('login')}?{urlencode({'next': next_url})}",
        {"username": user.email, "password": TEST_PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    return response


def code_page_for(url: str) -> str:
    return f"{CODE_PAGE}?{urlencode({'next': url})}"


@pytest.fixture
def placement(hackney):
    return PlacementFactory(borough=hackney)


# --- A password alone -------------------------------------------------------------------------


def test_after_the_password_hr_gets_the_code_page_not_the_placement(client, hackney_hr, placement):
    ensure_totp_device(hackney_hr)
    url = reverse("apprenticeships:placement_detail", args=[placement.pk])

    sign_in_with_password(client, hackney_hr, url)
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == code_page_for(url)
    assert placement.apprentice.family_name not in response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["apprenticeships:placement_list", "imports:upload", "dashboard:index"]
)
def test_no_workspace_page_before_the_code(unverified_client, hackney_hr, placement, url_name):
    unverified_client.force_login(hackney_hr)
    url = reverse(url_name)

    response = unverified_client.get(url)

    assert response.status_code == 302
    assert response.url == code_page_for(url)


def test_the_code_page_asks_for_the_code_alone_and_shows_no_navigation(client, hackney_hr):
    ensure_totp_device(hackney_hr)
    sign_in_with_password(client, hackney_hr)

    page = client.get(code_page_for("/")).content.decode()

    main = page.split("<main", 1)[1]
    assert set(re.findall(r'<input[^>]+name="([^"]+)"', main)) == {
        "csrfmiddlewaretoken",
        "otp_token",
        "next",
    }
    assert 'autocomplete="one-time-code"' in page
    assert 'aria-label="Menu"' not in page  # no links that would only lead back here


def test_the_right_code_returns_to_where_the_user_was_going(client, hackney_hr, placement):
    ensure_totp_device(hackney_hr)
    url = reverse("apprenticeships:placement_detail", args=[placement.pk])
    sign_in_with_password(client, hackney_hr, url)
    key_before = client.session.session_key

    response = client.post(code_page_for(url), {"otp_token": current_code(hackney_hr), "next": url})

    assert response.status_code == 302
    assert response.url == url
    assert client.session.session_key != key_before  # a new session key at the new privilege
    assert client.get(url).status_code == 200


def test_a_wrong_code_is_refused(client, hackney_hr):
    ensure_totp_device(hackney_hr)
    sign_in_with_password(client, hackney_hr)

    response = client.post(CODE_PAGE, {"otp_token": wrong_code(hackney_hr), "next": "/"})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert client.get(reverse("apprenticeships:placement_list")).status_code == 302


def test_a_code_cannot_be_used_twice(client, hackney_hr):
    """A code seen over a shoulder or in a proxy log is worthless once used."""
    ensure_totp_device(hackney_hr)
    code = current_code(hackney_hr)
    sign_in_with_password(client, hackney_hr)
    assert client.post(CODE_PAGE, {"otp_token": code}).status_code == 302

    other = client.__class__()
    sign_in_with_password(other, hackney_hr)
    response = other.post(CODE_PAGE, {"otp_token": code})

    assert response.status_code == 200
    assert other.get(reverse("apprenticeships:placement_list")).status_code == 302


def test_guessing_codes_is_throttled_even_the_right_one_is_then_refused(
    client, hackney_hr, settings
):
    # django-otp refuses every code for factor x 2^(n-1) seconds after the n-th wrong one in a
    # row (factor 1 in production); a quicker clock here, the same rule.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0.5
    ensure_totp_device(hackney_hr)
    sign_in_with_password(client, hackney_hr)
    for wait in (0.6, 1.1, 0):  # past each delay, so that every guess counts
        client.post(CODE_PAGE, {"otp_token": wrong_code(hackney_hr)})
        time.sleep(wait)

    response = client.post(CODE_PAGE, {"otp_token": current_code(hackney_hr)})

    assert response.status_code == 200
    assert "too many wrong codes" in response.content.decode()
    assert client.get(reverse("apprenticeships:placement_list")).status_code == 302


def test_next_cannot_send_the_user_to_another_site(client, hackney_hr):
    ensure_totp_device(hackney_hr)
    sign_in_with_password(client, hackney_hr)

    response = client.post(
        CODE_PAGE, {"otp_token": current_code(hackney_hr), "next": "https://evil.example/"}
    )

    assert response.url == reverse("home")


def test_badly_typed_codes_are_explained(client, hackney_hr):
    ensure_totp_device(hackney_hr)
    sign_in_with_password(client, hackney_hr)

    blank = client.post(CODE_PAGE, {"otp_token": ""}).content.decode()
    letters = client.post(CODE_PAGE, {"otp_token": "12ab56"}).content.decode()

    assert "Enter the 6-digit code from your authenticator app" in blank
    assert "Enter the code as 6 digits" in letters


def test_spaces_in_the_code_are_ignored(client, hackney_hr):
    ensure_totp_device(hackney_hr)
    sign_in_with_password(client, hackney_hr)
    code = current_code(hackney_hr)

    response = client.post(CODE_PAGE, {"otp_token": f" {code[:3]} {code[3:]} "})

    assert response.status_code == 302


def test_passing_and_failing_are_logged_without_the_email_or_the_code(
    client, hackney_hr, caplog, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0.1
    ensure_totp_device(hackney_hr)
    sign_in_with_password(client, hackney_hr)
    wrong = wrong_code(hackney_hr)
    with caplog.at_level(logging.INFO, logger="loti_portal.auth"):
        client.post(CODE_PAGE, {"otp_token": wrong})
        time.sleep(0.15)  # django-otp refuses every code for a while after a wrong one
        right = current_code(hackney_hr)
        client.post(CODE_PAGE, {"otp_token": right})

    lines = [r.getMessage() for r in caplog.records if "second_factor" in r.getMessage()]
    assert [line.split()[0] for line in lines] == [
        "event=second_factor_failed",
        "event=second_factor_passed",
    ]
    for line in lines:
        assert hackney_hr.email not in line and wrong not in line and right not in line


def test_an_admin_signing_in_to_the_portal_gives_the_code_once_for_the_admin_too(
    client, admin_user
):
    ensure_totp_device(admin_user)
    sign_in_with_password(client, admin_user)
    client.post(CODE_PAGE, {"otp_token": current_code(admin_user)})

    assert client.get("/admin/").status_code == 200


def test_an_admin_who_has_not_given_the_code_gives_only_the_code_and_returns_to_the_admin(
    client, admin_user
):
    ensure_totp_device(admin_user)
    sign_in_with_password(client, admin_user)

    asked = client.get("/admin/boroughs/borough/")
    assert asked["Location"] == code_page_for("/admin/boroughs/borough/")
    page = client.get(asked["Location"]).content.decode()
    assert 'name="password"' not in page
    answered = client.post(
        asked["Location"],
        {"otp_token": current_code(admin_user), "next": "/admin/boroughs/borough/"},
    )

    assert answered["Location"] == "/admin/boroughs/borough/"
    assert client.get("/admin/boroughs/borough/").status_code == 200


def test_removing_a_device_ends_its_verification(client, hackney_hr):
    """An admin removes a lost phone's authenticator: its sessions stop at the next request."""
    client.force_login(hackney_hr)
    assert client.get(reverse("apprenticeships:placement_list")).status_code == 200

    TOTPDevice.objects.filter(user=hackney_hr).delete()

    response = client.get(reverse("apprenticeships:placement_list"))
    assert response.status_code == 302
    assert response.url.startswith(CODE_PAGE)


# --- Who needs it -----------------------------------------------------------------------------


def test_loti_analysts_see_aggregates_without_a_code(unverified_client, loti_analyst):
    unverified_client.force_login(loti_analyst)

    assert unverified_client.get(reverse("dashboard:index")).status_code == 200


def test_when_not_required_hr_sign_in_with_the_password(unverified_client, hackney_hr, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    unverified_client.force_login(hackney_hr)

    assert unverified_client.get(reverse("apprenticeships:placement_list")).status_code == 200


@pytest.mark.parametrize(("debug", "required"), [("0", "True"), ("1", "False")])
def test_required_by_default_unless_debug(debug, required):
    script = "from django.conf import settings; print(settings.SECOND_FACTOR_REQUIRED)"
    result = run_manage("shell", "-v", "0", "-c", script, DJANGO_DEBUG=debug)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == required


# --- Setting up an authenticator ----------------------------------------------------------------


def test_hr_without_an_authenticator_is_shown_how_to_set_one_up(client, hackney_hr):
    sign_in_with_password(client, hackney_hr)

    response = client.get(code_page_for("/placements/"), follow=True)

    assert response.redirect_chain[-1][0] == f"{SETUP_PAGE}?next=%2Fplacements%2F"
    page = response.content.decode()
    assert f'<img src="{QR_CODE}" alt="QR code' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert "style=" not in page and "<style" not in page
    device = first_device(hackney_hr, confirmed=False)
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    assert key.replace(" ", "") in device.config_url


def test_the_qr_code_is_an_svg_image_of_the_authenticator_url(client, hackney_hr):
    sign_in_with_password(client, hackney_hr)
    client.get(SETUP_PAGE)

    response = client.get(QR_CODE)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content
    assert b"<script" not in response.content
    assert "no-store" in response["Cache-Control"]  # it holds the secret


def test_the_first_code_confirms_the_authenticator_and_goes_on(client, hackney_hr):
    sign_in_with_password(client, hackney_hr)
    client.get(SETUP_PAGE)

    response = client.post(
        SETUP_PAGE,
        {"otp_token": current_code(hackney_hr, confirmed=False), "next": "/placements/"},
    )

    assert response.url == "/placements/"
    assert TOTPDevice.objects.filter(user=hackney_hr).values_list("confirmed", flat=True).get()
    assert client.get("/placements/").status_code == 200


def test_the_key_stays_the_same_until_the_setup_is_finished(client, hackney_hr):
    sign_in_with_password(client, hackney_hr)
    first = client.get(SETUP_PAGE).content
    again = client.get(SETUP_PAGE).content

    assert re.search(rb"<code>(.*)</code>", first).group(1) == re.search(
        rb"<code>(.*)</code>", again
    ).group(1)
    assert TOTPDevice.objects.filter(user=hackney_hr).count() == 1


def test_with_an_authenticator_the_setup_and_its_secret_are_closed(unverified_client, hackney_hr):
    """A password alone must not replace an officer's authenticator, nor read its secret."""
    ensure_totp_device(hackney_hr)
    unverified_client.force_login(hackney_hr)

    setup = unverified_client.get(SETUP_PAGE)
    qr = unverified_client.get(QR_CODE)

    assert setup.status_code == 302 and setup.url == CODE_PAGE
    assert qr.status_code == 404
    assert TOTPDevice.objects.filter(user=hackney_hr).count() == 1


def test_an_admin_without_an_authenticator_cannot_set_one_up_with_a_password(
    unverified_client, admin_user
):
    unverified_client.force_login(admin_user)

    response = unverified_client.get(SETUP_PAGE)

    assert response.status_code == 403
    assert "Ask another portal administrator" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert unverified_client.get(QR_CODE).status_code == 404


def test_create_portal_user_gives_hr_an_authenticator_url(hackney, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a sufficiently long passphrase\n"))
    out = io.StringIO()
    call_command(
        "create_portal_user", "new.hr@hackney.example", "--role", "borough_hr",
        "--borough", "E09000012", "--password-stdin", stdout=out,
    )  # fmt: skip

    device = TOTPDevice.objects.get(user__email="new.hr@hackney.example", confirmed=True)
    assert device.config_url in out.getvalue()


def test_load_demo_data_prints_a_demo_otp_code_command_that_works(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo_data", "--placements", "5", stdout=out)
    command = re.search(r"(DJANGO_DEBUG=1 \S+ manage.py demo_otp_code (\S+))", out.getvalue())

    assert command, out.getvalue()
    assert command.group(1).startswith("DJANGO_DEBUG=1 .venv/bin/python manage.py")
    code = io.StringIO()
    call_command("demo_otp_code", command.group(2), stdout=code)
    device = first_device(TOTPDevice.objects.get(user__email=command.group(2)).user)
    assert device.verify_token(code.getvalue().strip())


# --- The absolute session lifetime --------------------------------------------------------------


def age_session(client, hours: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time() - hours * 3600)
    session.save()


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, hackney_hr, settings):
    assert settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() == 12 * 3600
    client.force_login(hackney_hr)
    age_session(client, 11.9)
    assert client.get(reverse("apprenticeships:placement_list")).status_code == 200

    age_session(client, 12.1)
    response = client.get(reverse("apprenticeships:placement_list"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/placements/"
    assert SESSION_KEY not in client.session
    page = client.get(response.url).content.decode()
    assert "Your session has ended" in page


def test_a_session_with_no_sign_in_time_is_ended(client, hackney_hr):
    client.force_login(hackney_hr)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()

    response = client.get(reverse("apprenticeships:placement_list"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_an_expired_session_on_the_sign_in_page_is_simply_signed_out(client, hackney_hr):
    client.force_login(hackney_hr)
    age_session(client, 13)

    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_lifetime_comes_from_session_absolute_hours():
    script = "from django.conf import settings; print(settings.SESSION_ABSOLUTE_LIFETIME)"
    result = run_manage("shell", "-v", "0", "-c", script, SESSION_ABSOLUTE_HOURS="4")

    assert result.stdout.strip() == "4:00:00"
