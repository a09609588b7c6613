"""The campaigns page and the one campaign status rule (progress.campaign_status)."""

import datetime
import html

import pytest
from django.urls import reverse

from apprenticeships.dashboard import campaigns
from apprenticeships.dashboard.progress import CampaignStatus, campaign_status
from apprenticeships.factories import RecruitmentTargetFactory
from apprenticeships.models import Pledge
from boroughs.factories import BoroughFactory

from .conftest import place
from .helpers import page_table

CAMPAIGNS = reverse("dashboard:campaigns")
OPENS = datetime.date(2024, 4, 1)
CLOSES = datetime.date(2025, 3, 31)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "reached_on", "expected"),
    [
        (OPENS - DAY, None, CampaignStatus.UPCOMING),
        (OPENS, None, CampaignStatus.OPEN),  # the opening day is open
        (CLOSES, None, CampaignStatus.OPEN),  # so is the closing day
        (CLOSES + DAY, None, CampaignStatus.CLOSED_SHORT),
        (OPENS, OPENS, CampaignStatus.ACHIEVED),  # reached on the first day, still open
        (CLOSES + DAY, CLOSES, CampaignStatus.ACHIEVED),  # reached on the last day
    ],
)
def test_campaign_status_and_its_edge_dates(today, reached_on, expected):
    status = campaign_status(opens_on=OPENS, closes_on=CLOSES, today=today, reached_on=reached_on)
    assert status == expected


def _rows_by_name(user, today):
    return {row.target.name: row for row in campaigns.campaign_rows(user, today)}


def test_each_campaign_has_its_status_and_london_wide_recruits(loti_analyst, hackney, camden):
    RecruitmentTargetFactory(
        name="Achieved",
        target_number=5,
        opens_on=datetime.date(2019, 6, 1),
        closes_on=datetime.date(2020, 5, 31),
        boroughs=[hackney, camden],
    )
    short = RecruitmentTargetFactory(
        name="Short",
        target_number=50,
        opens_on=datetime.date(2018, 1, 1),
        closes_on=datetime.date(2018, 12, 31),
        boroughs=[hackney],
    )
    RecruitmentTargetFactory(
        name="Upcoming",
        opens_on=datetime.date(2021, 1, 1),
        closes_on=datetime.date(2021, 12, 31),
        boroughs=[hackney, camden],
    )
    RecruitmentTargetFactory(
        name="Open",
        opens_on=datetime.date(2020, 6, 1),
        closes_on=datetime.date(2020, 12, 31),
        boroughs=[camden],
    )
    for i in range(3):
        place(hackney, datetime.date(2019, 9, 2) + i * DAY)
    for i in range(3):
        place(camden, datetime.date(2019, 10, 1) + i * DAY)  # the 5th recruit starts on 2 Oct
    for i in range(2):
        place(hackney, datetime.date(2018, 3, 1) + i * DAY)

    rows = _rows_by_name(loti_analyst, datetime.date(2020, 7, 1))

    assert rows["Achieved"].status == CampaignStatus.ACHIEVED
    assert rows["Achieved"].reached_on == datetime.date(2019, 10, 2)
    assert (rows["Achieved"].recruited_text, rows["Achieved"].percent) == ("6", 120)
    assert rows["Short"].status == CampaignStatus.CLOSED_SHORT
    # Two people: withheld, as on the dashboard's headline.
    assert (rows["Short"].recruited_text, rows["Short"].percent) == ("fewer than 5", None)
    assert rows["Upcoming"].status == CampaignStatus.UPCOMING
    assert rows["Open"].status == CampaignStatus.OPEN
    assert [r.target for r in campaigns.campaign_rows(loti_analyst, datetime.date(2020, 7, 1))][
        -1
    ] == short  # newest first


def test_the_page_matches_the_dashboards_headline(client, loti_analyst, hackney, camden):
    today = datetime.date.today()
    target = RecruitmentTargetFactory(
        name="This year",
        target_number=40,
        opens_on=today - 100 * DAY,
        closes_on=today + 100 * DAY,
        boroughs=[hackney, camden],
    )
    for i in range(7):
        place(hackney, today - (90 - i) * DAY)
    place(camden, today - 10 * DAY)
    place(camden, today + 10 * DAY)  # not started yet: not a recruit
    client.force_login(loti_analyst)

    feed = client.get(reverse("dashboard:progress_json"), {"target": target.pk}).json()
    table = page_table(html.unescape(client.get(CAMPAIGNS).content.decode()), "campaigns")

    assert feed["recruited"] == 8
    assert table[1] == ["This year", table[1][1], "Open", "2", "8 of 40 (20%)"]


def test_hr_see_only_their_campaigns_with_their_own_recruits_and_pledge(
    client, hackney_hr, hackney, camden
):
    today = datetime.date.today()
    islington = BoroughFactory(name="Islington")
    both = RecruitmentTargetFactory(
        name="Hackney and Camden",
        target_number=100,
        opens_on=today - 100 * DAY,
        closes_on=today + 100 * DAY,
        boroughs=[hackney, camden],
    )
    RecruitmentTargetFactory(name="Islington only", boroughs=[islington])
    Pledge.objects.create(target=both, borough=hackney, number=12)
    Pledge.objects.create(target=both, borough=camden, number=30)
    for i in range(3):
        place(hackney, today - (50 + i) * DAY)
    for i in range(9):
        place(camden, today - (50 + i) * DAY)
    client.force_login(hackney_hr)

    page = html.unescape(client.get(CAMPAIGNS).content.decode())
    table = page_table(page, "campaigns")

    assert "Islington only" not in page
    assert [row[0] for row in table[1:]] == ["Hackney and Camden"]
    # Their own count, exact (they can open these records), and their own pledge: never Camden's
    # recruits, London's total or London's target presented as theirs.
    assert table[1][3:] == ["Hackney", "3", "12"]
    assert "12 of 100" not in page and "of 100" not in page
    assert "not for publication" in page


def test_the_page_costs_the_same_queries_at_2_and_at_20_campaigns(
    client, loti_analyst, hackney_hr, hackney, camden, django_assert_num_queries
):
    """LOTI, 8: the session, the user, the campaigns, their boroughs, the recruits of every
    campaign (one UNION ALL), and the session's save (savepoint, update, release). Borough HR,
    10: also their boroughs and their pledges."""
    for number in (2, 20):
        existing = len(campaigns.campaign_rows(loti_analyst, datetime.date.today()))
        for n in range(existing, number):
            target = RecruitmentTargetFactory(
                name=f"Campaign {n}",
                opens_on=datetime.date(2010 + n, 1, 1),
                closes_on=datetime.date(2010 + n, 12, 31),
                boroughs=[hackney, camden],
            )
            Pledge.objects.create(target=target, borough=hackney, number=5)
            place(hackney, datetime.date(2010 + n, 3, 1))
            place(camden, datetime.date(2010 + n, 4, 1))
        client.force_login(loti_analyst)
        with django_assert_num_queries(8):
            assert client.get(CAMPAIGNS).status_code == 200
        client.force_login(hackney_hr)
        with django_assert_num_queries(10):
            assert client.get(CAMPAIGNS).status_code == 200
