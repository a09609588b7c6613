"""Borough HR in a real browser: add a recruit (with a mistake put right), record a withdrawal."""

import pytest
from playwright.sync_api import expect

from apprenticeships.choices import Status, WithdrawalReason
from apprenticeships.factories import StandardFactory, TrainingProviderFactory
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
    assert placement.apprentice.uln == "9999999999"
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
