"""The counting rules (docs/architecture.md), at their edges, through the dashboard's queries."""

import datetime

import pytest
from django.db import connection

from apprenticeships.choices import Status, WithdrawalReason
from apprenticeships.dashboard import progress, queries, tables
from apprenticeships.factories import ApprenticeFactory, RecruitmentTargetFactory
from boroughs.factories import BoroughFactory

from .conftest import CLOSES, OPENS, place

DAY = datetime.timedelta(days=1)


def recruited(scope) -> int:
    return queries.dashboard_figures(scope).headline_counts()["recruited"]


def test_a_start_on_the_windows_last_day_counts_and_the_day_after_does_not(scope_for, hackney):
    place(hackney, CLOSES)
    place(hackney, CLOSES + DAY)

    assert recruited(scope_for()) == 1


def test_a_start_on_the_windows_first_day_counts_and_the_day_before_does_not(scope_for, hackney):
    place(hackney, OPENS)
    place(hackney, OPENS - DAY)

    assert recruited(scope_for()) == 1


def test_a_placement_waiting_to_start_is_not_a_recruit(scope_for, hackney):
    place(hackney, datetime.date(2019, 9, 2), status=Status.WAITING_TO_START)

    assert recruited(scope_for()) == 0


def test_a_start_date_after_today_is_not_a_recruit_yet(scope_for, hackney):
    place(hackney, datetime.date(2019, 9, 2))

    assert recruited(scope_for(today=datetime.date(2019, 9, 1))) == 0
    assert recruited(scope_for(today=datetime.date(2019, 9, 2))) == 1


def test_an_apprentice_with_two_placements_counts_once_at_the_first(scope_for, hackney, camden):
    person = ApprenticeFactory()
    place(camden, datetime.date(2020, 1, 6), apprentice=person)
    place(hackney, datetime.date(2019, 9, 2), apprentice=person)
    figures = queries.dashboard_figures(scope_for())

    assert figures.headline_counts()["recruited"] == 1
    by_borough = figures.recruits_by_borough()
    assert by_borough[hackney.pk]["recruited"] == 1
    assert camden.pk not in by_borough
    assert figures.recruits_by_month() == {datetime.date(2019, 9, 1): 1}


def test_a_borough_filter_counts_the_apprentice_at_the_selected_borough(scope_for, hackney, camden):
    person = ApprenticeFactory()
    place(hackney, datetime.date(2019, 9, 2), apprentice=person)
    place(camden, datetime.date(2020, 1, 6), apprentice=person)

    assert recruited(scope_for(selected=[camden])) == 1


def test_a_withdrawal_after_the_start_still_counts_and_shows_in_retention(scope_for, hackney):
    place(
        hackney,
        datetime.date(2019, 9, 2),
        status=Status.WITHDRAWN,
        actual_end_date=datetime.date(2019, 12, 1),
        withdrawal_reason=WithdrawalReason.RESIGNED,
    )
    for _ in range(5):
        place(hackney, datetime.date(2019, 10, 1))
    figures = queries.dashboard_figures(scope_for())

    counts = figures.headline_counts()
    assert counts["recruited"] == 6
    assert counts["withdrawn"] == 1
    hackney_row = tables.borough_table(figures).rows[1]  # Camden, Hackney, Total
    assert hackney_row[0] == "Hackney"
    assert hackney_row[1] == "6"
    assert hackney_row[5] == "fewer than 5"  # one withdrawal: suppressed
    assert hackney_row[6] == ""  # so retention (5 of 6) is not published either


def test_a_borough_outside_the_targets_scope_does_not_count(scope_for, hackney):
    outsider = BoroughFactory(name="Outside borough")
    place(outsider, datetime.date(2019, 9, 2))
    place(hackney, datetime.date(2019, 9, 2))

    assert recruited(scope_for()) == 1


def test_hr_users_only_count_their_own_boroughs(scope_for, hackney, camden, hackney_hr):
    place(hackney, datetime.date(2019, 9, 2))
    place(camden, datetime.date(2019, 9, 2))

    scope = scope_for(user=hackney_hr, selected=[camden])  # Camden is not theirs: ignored

    assert scope.borough_ids == []
    assert recruited(scope) == 0
    assert recruited(scope_for(user=hackney_hr)) == 1


def test_the_target_is_achieved_on_the_start_date_of_the_nth_recruit(hackney, loti_analyst):
    target = RecruitmentTargetFactory(target_number=3, boroughs=[hackney])
    for start in (datetime.date(2019, 7, 1), datetime.date(2019, 8, 1), datetime.date(2019, 9, 1)):
        place(hackney, start)
    place(hackney, datetime.date(2019, 10, 1))
    scope = queries.build_scope(
        user=loti_analyst,
        target=target,
        selected=None,
        start_from=None,
        start_to=None,
        today=datetime.date(2019, 12, 1),
    )

    headline = progress.build_headline(queries.dashboard_figures(scope))

    assert headline.status == progress.Status.ACHIEVED
    assert headline.reached_on == datetime.date(2019, 8 + 1, 1)


def test_on_track_and_at_risk_follow_the_last_three_months(hackney, loti_analyst):
    target = RecruitmentTargetFactory(
        target_number=20,
        opens_on=datetime.date(2020, 1, 1),
        closes_on=datetime.date(2020, 12, 31),
        boroughs=[hackney],
    )
    for day in range(1, 11):  # 10 recruits in March 2020
        place(hackney, datetime.date(2020, 3, day))

    def headline(today):
        scope = queries.build_scope(
            user=loti_analyst,
            target=target,
            selected=None,
            start_from=None,
            start_to=None,
            today=today,
        )
        return progress.build_headline(queries.dashboard_figures(scope))

    on_track = headline(datetime.date(2020, 4, 1))
    assert on_track.status == progress.Status.ON_TRACK
    assert on_track.recruited == 10
    assert on_track.still_needed == 10
    assert on_track.days_left == 274
    assert on_track.forecast_on is not None and on_track.forecast_on < target.closes_on

    stalled = headline(datetime.date(2020, 9, 1))  # nobody since March
    assert stalled.status == progress.Status.AT_RISK
    assert stalled.forecast_on is None


def test_age_bands_use_the_age_on_the_start_date(scope_for, hackney):
    start = datetime.date(2019, 9, 2)
    for born in (
        datetime.date(2000, 9, 3),  # 18 the day before their 19th birthday
        datetime.date(2000, 9, 2),  # 19 on the day
        datetime.date(1994, 9, 3),  # 24
        datetime.date(1994, 9, 2),  # 25
    ):
        place(hackney, start, apprentice=ApprenticeFactory(date_of_birth=born))
    place(hackney, start, apprentice=ApprenticeFactory(date_of_birth=None))

    counts = queries.dashboard_figures(scope_for()).recruits_by_age_band()

    assert counts == {"16–18": 1, "19–24": 2, "25 and over": 1, "Not recorded": 1}


def test_the_age_bands_leave_no_age_out():
    """PostgreSQL places an age among the bands' lower bounds (width_bucket): no gaps allowed."""
    for (_, _, high), (_, low, _) in zip(queries.AGE_BANDS, queries.AGE_BANDS[1:], strict=False):
        assert low == high + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_planner_setting_for_the_breakdowns_ends_with_them(scope_for, hackney):
    """The lower parallel cost is for the breakdowns' query only, even inside a transaction."""
    place(hackney, datetime.date(2019, 9, 2))
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('parallel_tuple_cost')")
        (before,) = cursor.fetchone()
        assert recruited(scope_for()) == 1
        cursor.execute("SELECT current_setting('parallel_tuple_cost')")
        assert cursor.fetchone() == (before,)
