"""The admin asks for a one-time code (TOTP, django-otp) before it opens."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from loti_portal.accounts.factories import TEST_PASSWORD
from loti_portal.accounts.otp import ensure_totp_device

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def admin_sign_in(client, user, **fields):
    data = {"username": user.email, "password": TEST_PASSWORD, "next": "/admin/", **fields}
    return client.post(ADMIN_LOGIN, data)


def test_password_alone_does_not_open_the_admin(unverified_client, admin_user):
    unverified_client.force_login(admin_user)

    response = unverified_client.get("/admin/boroughs/borough/")

    # Signed in to the portal, but not past the code: the portal's code step, only the code,
    # then back to the admin page they asked for (not the admin's email-password-code form).
    assert response.status_code == 302
    assert response["Location"] == "/accounts/code/?next=%2Fadmin%2Fboroughs%2Fborough%2F"


def test_an_admin_past_the_portals_code_opens_the_admin_without_signing_in_again(
    client, admin_user
):
    client.force_login(admin_user)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "one-time code" not in response.content.decode()


def test_admin_sign_in_without_the_code_is_refused(client, admin_user):
    ensure_totp_device(admin_user)

    response = admin_sign_in(client, admin_user)

    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_admin_sign_in_with_a_wrong_code_is_refused(client, admin_user):
    ensure_totp_device(admin_user)
    device = TOTPDevice.objects.get(user=admin_user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = admin_sign_in(client, admin_user, otp_device=device.persistent_id, otp_token=wrong)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The code is wrong or has expired" in page
    assert "Invalid token" not in page
    assert client.get("/admin/").status_code == 302


def test_admin_sign_in_with_the_current_code_opens_the_admin(client, admin_user):
    ensure_totp_device(admin_user)
    device = TOTPDevice.objects.get(user=admin_user)

    # Only what an admin types: email, password and the code (no device to choose).
    response = admin_sign_in(client, admin_user, otp_token=current_code(device))

    assert response.status_code == 302
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b"London Apprenticeships Portal administration" in index.content


def test_the_login_page_asks_for_the_code(client):
    response = client.get(ADMIN_LOGIN)

    assert b'name="otp_token"' in response.content
    assert b"Code from your authenticator app" in response.content
    # No device list or "challenge" button: admins have one authenticator app each.
    assert b'name="otp_device"' not in response.content
    assert b'name="otp_challenge"' not in response.content


def test_ensure_totp_device_returns_an_authenticator_url_and_is_idempotent(admin_user):
    first = ensure_totp_device(admin_user)
    second = ensure_totp_device(admin_user)

    assert first.startswith("otpauth://totp/")
    assert "secret=" in first
    assert first == second
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).count() == 1
