"""The dashboard filter's boroughs: in collapsed Inner and Outer London groups when there are
many (33 checkboxes pushed the figures far down the page), a plain list when there are few."""

import datetime

import pytest
from django.urls import reverse

from apprenticeships.factories import RecruitmentTargetFactory
from boroughs.factories import BoroughFactory
from boroughs.models import INNER_LONDON

pytestmark = pytest.mark.django_db

GSS = [f"E090000{n:02d}" for n in range(1, 34)]


@pytest.fixture
def london(db):
    boroughs = [BoroughFactory(gss_code=code, name=f"Borough {code}") for code in GSS]
    RecruitmentTargetFactory(
        boroughs=boroughs,
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2027, 12, 31),
    )
    return boroughs


def _groups(page: str) -> list[str]:
    return [part.split(" (")[0] for part in page.split('govuk-details__summary-text">')[1:]]


def test_many_boroughs_come_in_closed_sub_regions(client, loti_analyst, london):
    client.force_login(loti_analyst)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert _groups(page)[-2:] == ["Inner London", "Outer London"]
    assert f"Inner London ({len(INNER_LONDON)})" in page
    assert f"Outer London ({33 - len(INNER_LONDON)})" in page
    assert page.count('type="checkbox"') == 33
    # Neither group is open while no borough in it is ticked.
    assert 'govuk-!-margin-bottom-2" open>' not in page


def test_the_group_of_a_ticked_borough_is_open(client, loti_analyst, london):
    client.force_login(loti_analyst)
    page = client.get(reverse("dashboard:index"), {"boroughs": "E09000012"}).content.decode()
    inner = page.split("Inner London (")[0].rsplit("<details", 1)[1]
    outer = page.split("Outer London (")[0].rsplit("<details", 1)[1]
    assert " open>" in inner and " open>" not in outer


def test_an_officer_of_one_borough_gets_no_groups(client, hackney_hr, hackney):
    RecruitmentTargetFactory(boroughs=[hackney])
    client.force_login(hackney_hr)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "Inner London" not in page and "Outer London" not in page
