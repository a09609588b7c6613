"""Sign-in, sign-out, password change and reset, and the idle timeout."""

import re

from django.conf import settings
from django.core import mail
from django.urls import reverse

from loti_portal.accounts.factories import TEST_PASSWORD
from loti_portal.accounts.otp import ensure_totp_device

from .test_second_factor import current_code

NEW_PASSWORD = "a much longer new passphrase 42"


def test_login_form_asks_for_an_email_address(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'for="id_username"' in page and "Email address" in page
    assert 'name="username"' in page


def test_sign_in_with_email_in_any_case_then_the_code_takes_hr_to_placements(client, hackney_hr):
    ensure_totp_device(hackney_hr)
    response = client.post(
        reverse("login"), {"username": "HR@Hackney.example", "password": TEST_PASSWORD}
    )
    assert response.url == reverse("home")
    code_page = client.get(response.url).url
    assert code_page == f"{reverse('second_factor')}?next=%2F"

    response = client.post(code_page, {"otp_token": current_code(hackney_hr), "next": "/"})

    assert response.url == reverse("home")
    assert client.get(response.url).url == reverse("apprenticeships:placement_list")


def test_wrong_password_is_explained_and_the_email_kept(client, hackney_hr):
    page = client.post(
        reverse("login"), {"username": "hr@hackney.example", "password": "wrong"}
    ).content.decode()
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert 'value="hr@hackney.example"' in page


def test_blank_sign_in_says_what_is_missing(client, db):
    page = client.post(reverse("login"), {}).content.decode()
    assert "Enter your email address" in page and "Enter your password" in page


def test_sign_out_is_a_post(client, hackney_hr):
    client.force_login(hackney_hr)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("apprenticeships:placement_list")).status_code == 302


def test_password_change(client, hackney_hr):
    client.force_login(hackney_hr)
    page = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "short", "new_password2": "short"},
    ).content.decode()
    assert "There is a problem" in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.url == reverse("password_change_done")
    hackney_hr.refresh_from_db()
    assert hackney_hr.check_password(NEW_PASSWORD)


def test_password_reset_by_email(client, hackney_hr):
    response = client.post(reverse("password_reset"), {"email": "hr@hackney.example"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your London Apprenticeships Portal password"
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-held one
    page = client.get(form_url).content.decode()
    assert "Choose a new password" in page
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("password_reset_complete")
    hackney_hr.refresh_from_db()
    assert hackney_hr.check_password(NEW_PASSWORD)
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_sessions_end_after_thirty_idle_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
