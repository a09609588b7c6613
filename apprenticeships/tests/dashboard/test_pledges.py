"""Each borough against its own pledge: the rules (progress.expected_by, progress.pledge_status)
and the page, by role."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apprenticeships.dashboard import pledges, queries
from apprenticeships.dashboard.progress import PledgeStatus, expected_by, pledge_status
from apprenticeships.factories import RecruitmentTargetFactory
from apprenticeships.models import Pledge
from boroughs.factories import BoroughFactory

from .conftest import place
from .helpers import page_table

PLEDGES = reverse("dashboard:pledges")
OPENS = datetime.date(2024, 1, 1)
CLOSES = datetime.date(2024, 1, 10)  # a window of 10 days
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (OPENS - DAY, 0),  # not open yet
        (OPENS, 0),  # the first day: no whole day has passed
        (OPENS + DAY, 3),  # 1 day of 10 of a pledge of 25: 2.5, rounded up
        (OPENS + 4 * DAY, 10),  # 4 days: exactly 10
        (CLOSES, 23),  # the last day: 9 days of 10, 22.5 rounded up
        (CLOSES + DAY, 25),  # after the close: the whole pledge
        (CLOSES + 400 * DAY, 25),  # and never more
    ],
)
def test_expected_by_today_on_a_straight_line(today, expected):
    assert expected_by(pledge=25, opens_on=OPENS, closes_on=CLOSES, today=today) == expected


def test_a_one_day_window_expects_the_pledge_only_after_it():
    day = datetime.date(2024, 5, 1)
    assert expected_by(pledge=4, opens_on=day, closes_on=day, today=day) == 0
    assert expected_by(pledge=4, opens_on=day, closes_on=day, today=day + DAY) == 4


@pytest.mark.parametrize(
    ("pledge", "recruited", "today", "status"),
    [
        (None, 7, OPENS + DAY, PledgeStatus.NO_PLEDGE),
        (25, 0, OPENS, PledgeStatus.ON_TRACK),  # nothing is expected on the first day
        (25, 3, OPENS + DAY, PledgeStatus.ON_TRACK),  # exactly the line (2.5 → 3)
        (25, 2, OPENS + DAY, PledgeStatus.BEHIND),  # one short of it
        (25, 23, CLOSES, PledgeStatus.ON_TRACK),
        (25, 24, CLOSES + DAY, PledgeStatus.BEHIND),  # after the close only the pledge will do
        (25, 25, CLOSES + DAY, PledgeStatus.ACHIEVED),
        (25, 30, OPENS, PledgeStatus.ACHIEVED),  # achieved early, and over
    ],
)
def test_pledge_status_and_its_edges(pledge, recruited, today, status):
    assert (
        pledge_status(
            pledge=pledge, recruited=recruited, opens_on=OPENS, closes_on=CLOSES, today=today
        )
        == status
    )


def test_a_pledge_of_0_is_not_allowed(hackney):
    target = RecruitmentTargetFactory(boroughs=[hackney])
    with pytest.raises(ValueError, match="at least one"):
        expected_by(pledge=0, opens_on=OPENS, closes_on=CLOSES, today=OPENS)
    with pytest.raises(ValidationError):
        Pledge(target=target, borough=hackney, number=0).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(target=target, borough=hackney, number=0)


@pytest.fixture
def open_campaign(hackney, camden):
    """An open campaign of four boroughs: Hackney pledged 20 (has 12), Camden 10 (has 3),
    Islington 4 (has 6), Barnet no pledge (has 0)."""
    today = datetime.date.today()
    islington = BoroughFactory(name="Islington")
    barnet = BoroughFactory(name="Barnet")
    target = RecruitmentTargetFactory(
        name="Open campaign",
        target_number=500,
        opens_on=today - 100 * DAY,
        closes_on=today + 100 * DAY,  # halfway: 100 of 201 days passed
        boroughs=[hackney, camden, islington, barnet],
    )
    for borough, number in ((hackney, 20), (camden, 10), (islington, 4)):
        Pledge.objects.create(target=target, borough=borough, number=number)
    for borough, count in ((hackney, 12), (camden, 3), (islington, 6)):
        for i in range(count):
            place(borough, today - (60 + i) * DAY)
    return target


def test_hr_see_their_boroughs_pledge_exactly_and_never_londons_target(
    client, camden_hr, open_campaign
):
    client.force_login(camden_hr)
    page = html.unescape(client.get(PLEDGES, {"target": open_campaign.pk}).content.decode())

    assert "Your borough’s pledge" in page
    assert "not for publication" in page
    # Camden: 3 recruits, shown exactly (the officer can open these records); 10 × 100/201 → 5.
    panel = page[page.index('id="pledge-E09000007"') :]
    for text in ("Pledge", "10", "Recruited", "3", "Expected by today", "5", "Behind"):
        assert text in panel
    assert "Hackney" not in page and "Islington" not in page
    assert "500" not in page  # London's target is not theirs
    assert 'id="table-pledges"' not in page


def test_loti_see_every_borough_suppressed_behind_first(client, loti_analyst, open_campaign):
    client.force_login(loti_analyst)
    page = html.unescape(client.get(PLEDGES, {"target": open_campaign.pk}).content.decode())
    table = page_table(page, "pledges")

    assert table[0] == ["Borough", "Pledge", "Recruited", "Expected by today", "Gap", "Status"]
    # Camden's 3 is withheld; Barnet's 0 is the only other line entry not known... so the
    # smallest other count (Islington's 6) is hidden too. Their gap and status are not shown.
    assert table[1:] == [
        ["Hackney", "20", "12", "10", "-2", "On track"],
        ["Barnet", "None", "0", "–", "–", "No pledge"],
        ["Camden", "10", "fewer than 5", "5", "–", "Not shown"],
        ["Islington", "4", "hidden", "2", "–", "Not shown"],
        ["All boroughs in the campaign", "", "21", ""],
    ]


def test_the_table_sorts_without_javascript_and_keeps_withheld_counts_last(
    client, loti_analyst, open_campaign
):
    client.force_login(loti_analyst)
    by = {}
    for sort in ("", "borough", "-borough", "recruited", "-recruited", "pledge", "nonsense"):
        page = client.get(PLEDGES, {"target": open_campaign.pk, "sort": sort}).content.decode()
        by[sort] = [row[0] for row in page_table(html.unescape(page), "pledges")[1:-1]]

    assert by["borough"] == ["Barnet", "Camden", "Hackney", "Islington"]
    assert by["-borough"] == ["Islington", "Hackney", "Camden", "Barnet"]
    # Sorting by a withheld count would tell it: those rows stay last, by name.
    assert by["recruited"] == ["Barnet", "Hackney", "Camden", "Islington"]
    assert by["-recruited"] == ["Hackney", "Barnet", "Camden", "Islington"]
    assert by["pledge"] == ["Islington", "Camden", "Hackney", "Barnet"]
    assert by["nonsense"] == by[""] == ["Hackney", "Barnet", "Camden", "Islington"]
    page = client.get(PLEDGES, {"target": open_campaign.pk, "sort": "borough"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert f"?target={open_campaign.pk}&amp;sort=-borough" in page


def test_the_page_costs_the_same_queries_at_any_size(
    client, loti_analyst, camden_hr, open_campaign, hackney, camden, django_assert_num_queries
):
    """9 for LOTI and for borough HR, at 4 boroughs and at 34: the session, the user, the
    campaigns (the form's choices), the campaign's boroughs the user may see, the pledges, the
    recruits per borough (one grouped query), the session's save (savepoint, update, release)."""
    for size in ("small", "large"):
        if size == "large":
            for borough in BoroughFactory.create_batch(30):
                open_campaign.boroughs.add(borough)
                Pledge.objects.create(target=open_campaign, borough=borough, number=9)
                place(borough, datetime.date.today() - 5 * DAY)
        for user in (loti_analyst, camden_hr):
            client.force_login(user)
            with django_assert_num_queries(9):
                assert client.get(PLEDGES, {"target": open_campaign.pk}).status_code == 200


def test_behind_comes_first_the_furthest_behind_first(loti_analyst, open_campaign):
    scope = queries.build_scope(
        user=loti_analyst,
        target=open_campaign,
        selected=None,
        start_from=None,
        start_to=None,
        today=datetime.date.today(),
    )
    table = pledges.pledge_table(scope, exact=True)

    # Exact figures: Camden behind (3 of an expected 5), Hackney on track, Islington achieved.
    assert [(r.borough_name, r.status, r.gap) for r in table.rows] == [
        ("Camden", PledgeStatus.BEHIND, 2),
        ("Hackney", PledgeStatus.ON_TRACK, -2),
        ("Islington", PledgeStatus.ACHIEVED, -4),
        ("Barnet", PledgeStatus.NO_PLEDGE, None),
    ]
    assert table.total_recruited_text == "21"


def test_the_hr_dashboard_shows_their_pledge_in_place_of_londons_target(
    client, camden_hr, loti_analyst, open_campaign
):
    index = reverse("dashboard:index")
    client.force_login(camden_hr)
    page = html.unescape(client.get(index, {"target": open_campaign.pk}).content.decode())

    assert "Your borough’s pledge" in page
    assert "not for publication" in page
    panel = page[page.index('id="pledge-E09000007"') :]
    assert "Expected by today" in panel and "Behind" in panel
    assert "of a target of 500" not in page and 'id="headline-recruited"' not in page

    # A date filter: the pledge is not compared with a part of the campaign.
    filtered = client.get(
        index,
        {
            "target": open_campaign.pk,
            "start_from_0": "1",
            "start_from_1": "1",
            "start_from_2": "2000",
        },
    ).content.decode()
    assert 'id="pledge-filtered"' in filtered

    client.force_login(loti_analyst)
    page = html.unescape(client.get(index, {"target": open_campaign.pk}).content.decode())
    assert "of a target of 500" in page and "Your borough’s pledge" not in page


def test_a_changed_pledge_changes_the_figures_version(
    open_campaign, hackney, django_capture_on_commit_callbacks
):
    """HR's cached dashboard shows their pledge, so a changed pledge shows at once."""
    from apprenticeships.dashboard import freshness

    before = freshness.current_version()
    pledge = Pledge.objects.get(borough=hackney)
    pledge.number = 22
    with django_capture_on_commit_callbacks(execute=True):
        pledge.save()
    assert freshness.current_version() == before + 1
