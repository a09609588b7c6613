"""Steps of the journeys, shared by the mouse, keyboard and no-JavaScript tests.

`check` is called on every page the journey reaches (axe and reflow, or nothing), so that the
accessibility checks cover exactly the pages a user goes through, error states included.
"""

import re
import time
from collections.abc import Callable

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from loti_portal.accounts.factories import TEST_PASSWORD
from loti_portal.accounts.otp import ensure_totp_device, first_device

Check = Callable[[Page], None]


def no_check(page: Page) -> None:
    pass


def current_code(device: TOTPDevice) -> str:
    """What the user's authenticator app shows now (django_otp's TOTPDevice.verify_token maths)."""
    if time.time() % device.step > device.step - 3:
        time.sleep(3)  # a code about to expire would be refused by the time it is typed
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def sign_in(page: Page, user, check: Check = no_check, *, lands_in_portal: bool = True) -> None:
    """Email and password, then (HR and admins) the code from their authenticator app."""
    if user.may_see_personal_data:
        ensure_totp_device(user)  # set up already, as create_portal_user does
    page.goto("/accounts/login/")
    check(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if user.may_see_personal_data:
        give_the_code(page, first_device(user), check)
    if lands_in_portal:  # an admin goes on to the admin site instead
        expect(page.get_by_text(user.email)).to_be_visible()


def give_the_code(page: Page, device: TOTPDevice, check: Check = no_check) -> None:
    """On the code page (or the set-up page): the authenticator's current code, then Continue."""
    check(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()


def fill_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def add_recruit_with_a_mistake(
    page: Page, *, standard, provider, check: Check = no_check, follow_error_link: bool = True
) -> None:
    """From the navigation to "Recruit added": a wrong ULN first, put right from the summary."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Add a recruit").click()
    expect(page.get_by_role("heading", name="Apprentice’s details")).to_be_visible()
    check(page)
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email address (optional)").fill("grace.hopper@example.org")
    uln = page.get_by_label("Unique Learner Number (ULN) (optional)")
    uln.fill("12345")  # too short: the mistake
    fill_date(page, "Date of birth", 9, 12, 2003)
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check(page)
    error_link = summary.get_by_role("link", name=re.compile("ULN|Unique Learner Number"))
    if follow_error_link:
        error_link.click()
        expect(uln).to_be_focused()
    uln.fill("")  # not known yet: the hint says to leave it blank
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=re.compile("Equality monitoring|sex", re.I)).first)
    check(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_label("Apprenticeship standard")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Continue").click()  # nothing filled in: the error state
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the start date")
    check(page)
    page.get_by_label("Apprenticeship standard").select_option(label=str(standard))
    page.get_by_label("Training provider").select_option(label=str(provider))
    page.get_by_label("Job title (optional)").fill("Apprentice software developer")
    fill_date(page, "Start date", 2, 9, 2024)
    fill_date(page, "Planned end date", 1, 3, 2026)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(["Grace"])
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Not known yet")
    check(page)
    page.get_by_role("button", name="Save recruit").click()
    expect(page.get_by_role("heading", name="Recruit added")).to_be_visible()
    expect(page.locator(".govuk-panel")).to_contain_text("Grace Hopper at Hackney")
    check(page)


def record_withdrawal(page: Page, *, check: Check = no_check) -> None:
    """From the placement page: an incomplete form first, then the withdrawal."""
    page.get_by_role("link", name="Record a withdrawal").click()
    check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the reason")
    check(page)
    fill_date(page, "Date they withdrew", 15, 1, 2025)
    page.get_by_label("Reason for withdrawal").select_option(label="Resigned")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Withdrawal recorded")).to_be_visible()
    check(page)
