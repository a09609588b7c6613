"""The one-time code in Chromium: an HR officer sets up an authenticator app from the QR code page,
and another gives a wrong code, then the right one, with the keyboard alone; axe and reflow on
each page, error states included."""

import re

from playwright.sync_api import expect

from loti_portal.accounts.factories import TEST_PASSWORD
from loti_portal.accounts.otp import ensure_totp_device, first_device

from .axe import check_page
from .journeys import current_code, give_the_code


def password_step(page, user, url: str) -> None:
    page.goto(url)  # sent to sign in, then on to the code
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_hr_sets_up_an_authenticator_and_goes_on_to_the_placements(page, hackney_hr):
    password_step(page, hackney_hr, "/placements/")

    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0  # loaded under the strict CSP
    key = page.locator("main code").inner_text().replace(" ", "")
    device = first_device(hackney_hr, confirmed=False)
    assert key in device.config_url
    give_the_code(page, device, check_page)

    expect(page).to_have_url(re.compile(r"/placements/$"))
    expect(page.get_by_role("heading", name=re.compile("Placements|Apprentices"))).to_be_visible()
    assert first_device(hackney_hr) == device


def test_a_wrong_code_then_the_right_one_with_the_keyboard_alone(page, camden_hr):
    ensure_totp_device(camden_hr)
    password_step(page, camden_hr, "/placements/")
    field = page.get_by_label("Code from your authenticator app")
    expect(field).to_be_visible()
    check_page(page)

    field.focus()
    page.keyboard.type("000000" if current_code(first_device(camden_hr)) != "000000" else "111111")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not right")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)

    page.wait_for_timeout(1100)  # django-otp refuses any code for a second after a wrong one
    summary.get_by_role("link").click()
    expect(field).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(current_code(first_device(camden_hr)))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/placements/$"))
    expect(page.get_by_text(camden_hr.email)).to_be_visible()
