"""The dashboard's borough filter offers only the chosen campaign's boroughs."""

import datetime

from django.urls import reverse

from apprenticeships.factories import RecruitmentTargetFactory
from boroughs.factories import BoroughFactory
from loti_portal.accounts.factories import UserFactory

INDEX = reverse("dashboard:index")


def _offered(page: str, *boroughs) -> list[bool]:
    return [f'value="{b.gss_code}"' in page for b in boroughs]


def test_the_filter_offers_only_the_chosen_campaigns_boroughs(
    client, loti_analyst, hackney, camden
):
    islington = BoroughFactory(name="Islington")
    past = RecruitmentTargetFactory(
        name="Past",
        opens_on=datetime.date(2019, 6, 1),
        closes_on=datetime.date(2020, 9, 30),
        boroughs=[hackney, camden],
    )
    RecruitmentTargetFactory(
        name="Open now",
        opens_on=datetime.date(2020, 1, 1),
        closes_on=datetime.date(2099, 12, 31),
        boroughs=[hackney, islington],
    )
    client.force_login(loti_analyst)

    # The page opens on the open campaign: its boroughs, not Camden.
    assert _offered(client.get(INDEX).content.decode(), hackney, camden, islington) == [
        True,
        False,
        True,
    ]
    # The past campaign chosen: its boroughs, not Islington.
    page = client.get(INDEX, {"target": past.pk}).content.decode()
    assert _offered(page, hackney, camden, islington) == [True, True, False]


def test_hr_are_offered_only_their_boroughs_in_the_campaign(client, hackney, camden):
    islington = BoroughFactory(name="Islington")
    RecruitmentTargetFactory(name="Two", boroughs=[hackney, islington, camden])
    other = RecruitmentTargetFactory(
        name="Hackney and Camden",
        opens_on=datetime.date(2018, 1, 1),
        closes_on=datetime.date(2018, 12, 31),
        boroughs=[hackney, camden],
    )
    officer = UserFactory(email="hr@two.example", boroughs=[hackney, islington])
    client.force_login(officer)

    page = client.get(INDEX).content.decode()
    assert _offered(page, hackney, camden, islington) == [True, False, True]
    # In a campaign with one of their boroughs there is nothing to choose: no borough filter.
    page = client.get(INDEX, {"target": other.pk}).content.decode()
    assert _offered(page, hackney, camden, islington) == [False, False, False]
