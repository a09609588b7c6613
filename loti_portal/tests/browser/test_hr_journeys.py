"""Borough HR in a real browser: add a recruit (with a mistake put right), record a withdrawal;
record a break, a return, a change of provider and an early completion."""

import datetime

import pytest
from playwright.sync_api import expect

from apprenticeships.choices import Status, WithdrawalReason
from apprenticeships.factories import (
    PlacementFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import Placement

from .axe import check_page
from .journeys import add_recruit_with_a_mistake, record_withdrawal, sign_in


@pytest.fixture
def standard(db):
    return StandardFactory(reference="ST0116", title="Software developer", level=4)


@pytest.fixture
def provider(db):
    return TrainingProviderFactory(name="Hackney Digital Skills Ltd", ukprn="10012345")


def test_hr_adds_a_recruit_then_records_a_withdrawal(page, hackney_hr, standard, provider):
    sign_in(page, hackney_hr, check=check_page)
    add_recruit_with_a_mistake(page, standard=standard, provider=provider, check=check_page)

    placement = Placement.objects.get()
    assert placement.apprentice.full_name == "Grace Hopper"
    assert placement.apprentice.uln == ""  # left blank: not known yet
    assert (placement.borough.name, placement.standard, placement.provider) == (
        "Hackney",
        standard,
        provider,
    )

    page.get_by_role("link", name="View the placement").click()
    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    check_page(page)
    record_withdrawal(page, check=check_page)

    expect(page.locator("main")).to_contain_text("Withdrawn")
    placement.refresh_from_db()
    assert placement.status == Status.WITHDRAWN
    assert placement.withdrawal_reason == WithdrawalReason.RESIGNED
    assert str(placement.actual_end_date) == "2025-01-15"


def _fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    for label, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(label).fill(str(value))


def test_hr_records_a_break_a_return_a_new_provider_and_an_early_completion(
    page, hackney_hr, hackney, standard, provider
):
    """Every change of circumstance stays on the placement's timeline; each page passes axe."""
    start = datetime.date.today() - datetime.timedelta(days=200)
    placement = PlacementFactory(
        borough=hackney,
        standard=standard,
        provider=provider,
        start_date=start,
        planned_end_date=start + datetime.timedelta(days=700),
    )
    other = TrainingProviderFactory(name="Camden Code College", ukprn="10054321")
    sign_in(page, hackney_hr, check=check_page)
    page.goto(f"/placements/{placement.pk}/")

    page.get_by_role("link", name="Start a break in learning").click()
    _fill_date(page, "Date the break started", start + datetime.timedelta(days=30))
    page.get_by_label("Caring responsibilities").check()
    check_page(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Break in learning recorded")).to_be_visible()

    page.get_by_role("link", name="Record a return from the break").click()
    check_page(page)  # the revised planned end date is offered, moved on by the break
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Return to learning recorded")).to_be_visible()

    page.get_by_role("link", name="Record a change of training provider").click()
    _fill_date(page, "Date of the change", start + datetime.timedelta(days=150))
    page.get_by_label("New training provider").select_option(label=str(other))
    check_page(page)
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Record completion").click()
    _fill_date(page, "Completion date", datetime.date.today())
    page.get_by_label("Pass").check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("more than three months before the planned end date").first
    ).to_be_visible()
    check_page(page)  # the error state, with the confirmation box
    page.get_by_label("Yes, they completed more than three months early").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Completion recorded")).to_be_visible()

    timeline = page.get_by_role("region", name="Changes of circumstance")
    for happened in (
        "Break in learning started",
        "Returned to learning",
        "Planned end date changed",
        "Training provider changed",
    ):
        expect(timeline).to_contain_text(happened)
    check_page(page)
    placement.refresh_from_db()
    assert (placement.status, placement.provider) == (Status.COMPLETED, other)
