"""Fixtures for the dashboard: the 2019–2020 campaign over Hackney and Camden."""

import datetime
import uuid

import pytest
from django.core.cache import caches

from apprenticeships.dashboard import queries
from apprenticeships.factories import PlacementFactory, RecruitmentTargetFactory
from boroughs.factories import BoroughFactory

OPENS = datetime.date(2019, 6, 1)
CLOSES = datetime.date(2020, 9, 30)


@pytest.fixture
def campaign(hackney, camden):
    """Hackney, Camden and eight boroughs with no placements: a London-wide campaign, so the
    equality tables are published on its unfiltered view (queries.LONDON_WIDE_MIN_BOROUGHS)."""
    others = [BoroughFactory(name=f"Quiet borough {n}") for n in range(8)]
    return RecruitmentTargetFactory(
        name="2019–2020 campaign",
        target_number=100,
        opens_on=OPENS,
        closes_on=CLOSES,
        boroughs=[hackney, camden, *others],
    )


@pytest.fixture
def scope_for(campaign, loti_analyst):
    """A scope builder for the LOTI analyst, with `today` injectable."""

    def build(*, today=datetime.date(2021, 1, 1), user=None, selected=None, **dates):
        return queries.build_scope(
            user=user or loti_analyst,
            target=campaign,
            selected=selected,
            start_from=dates.get("start_from"),
            start_to=dates.get("start_to"),
            today=today,
        )

    return build


@pytest.fixture
def busy_campaign(campaign, hackney, camden):
    """Hackney 12 recruits, Camden 3: Camden's figures are small enough to suppress."""
    for i in range(12):
        place(hackney, datetime.date(2019, 9, 2) + datetime.timedelta(days=7 * i))
    for i in range(3):
        place(camden, datetime.date(2020, 2, 3) + datetime.timedelta(days=i))
    return campaign


@pytest.fixture
def page_cache(settings):
    """The page cache on, under keys of this test's own.

    The cache is shared (the database's, or Redis, which outlives the test and may serve other
    test runs): a fresh key prefix gives the test an empty cache without clearing anyone's keys.
    Changing CACHES makes Django build new cache clients from it (django.test.signals).
    """
    settings.DASHBOARD_CACHE_SECONDS = 60
    default = settings.CACHES["default"]
    settings.CACHES = {
        "default": {**default, "KEY_PREFIX": f"{default['KEY_PREFIX']}-{uuid.uuid4().hex}"}
    }
    return caches["default"]


def place(borough, start, **kwargs):
    return PlacementFactory(borough=borough, start_date=start, **kwargs)
