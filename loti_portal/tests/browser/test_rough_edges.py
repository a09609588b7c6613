"""Rough edges a new user met, seen in Chromium at 1280 and 320 px wide (check_page: axe, and
no sideways scrolling at 320 px)."""

import re

import pytest
from playwright.sync_api import Page, expect

from apprenticeships.choices import Status
from apprenticeships.tests.helpers import placement_in
from loti_portal.accounts.factories import TEST_PASSWORD
from loti_portal.accounts.otp import ensure_totp_device, first_device

from .axe import check_page
from .journeys import give_the_code, sign_in

WIDE = {"width": 1280, "height": 800}


@pytest.fixture
def hackney_records(hackney):
    for status in Status.values:
        placement_in(status, borough=hackney)


def test_placements_list_tags_sorting_end_dates_and_borough_name(
    page: Page, hackney_hr, hackney_records
):
    page.set_viewport_size(WIDE)
    favicon_answers = []
    page.on(
        "response",
        lambda r: favicon_answers.append(r.status) if "favicon" in r.url else None,
    )
    sign_in(page, hackney_hr)
    page.goto("/placements/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Hackney\s+Placements"))
    expect(page.locator(".govuk-tag--green", has_text="Completed")).to_be_visible()
    expect(page.locator(".govuk-tag--orange", has_text="Break in learning")).to_be_visible()
    expect(page.get_by_role("columnheader", name="End date")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name=re.compile("^Apprentice")).click()
    expect(page.get_by_role("columnheader", name=re.compile("^Apprentice"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    check_page(page)
    # At 320 px the rows scroll inside their own labelled region, not the page.
    page.set_viewport_size({"width": 320, "height": 640})
    region = page.get_by_role("region", name="Placements")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert favicon_answers and all(status in (200, 301, 304) for status in favicon_answers)


def test_the_add_a_recruit_page_marks_only_add_a_recruit(page: Page, hackney_hr):
    page.set_viewport_size(WIDE)
    sign_in(page, hackney_hr)
    page.get_by_role("link", name="Add a recruit").first.click()
    expect(page.locator("nav[aria-label=Menu] [aria-current]")).to_have_count(1)
    expect(page.locator("nav[aria-label=Menu] [aria-current]")).to_have_text("Add a recruit")
    check_page(page)


def test_an_admin_opening_the_admin_before_the_code_gives_only_the_code(page: Page, admin_user):
    page.set_viewport_size(WIDE)
    ensure_totp_device(admin_user)
    # Password only: the portal's sign-in, then straight to an admin page.
    page.goto("/accounts/login/?next=/admin/boroughs/borough/")
    page.get_by_label("Email address").fill(admin_user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Email address")).to_have_count(0)
    check_page(page)
    give_the_code(page, first_device(admin_user))
    expect(page).to_have_url(re.compile(r"/admin/boroughs/borough/$"))
    expect(page.get_by_text("one-time code")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("borough", re.I))
