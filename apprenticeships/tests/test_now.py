"""The programme now: each "current apprentices" state and worklist rule, at its edge dates.

The rules are written once (`models.now_conditions`, `models.action_conditions`, thresholds in
`rules.py`); these tests ask them through the querysets the pages, the placement list's count and
LOTI's counts per borough use. `today` is passed in, never read from the clock.
"""

import datetime

import pytest

from apprenticeships import rules
from apprenticeships.choices import BreakReason, Outcome, Status
from apprenticeships.factories import PlacementFactory
from apprenticeships.models import NEEDS_ACTION, BreakInLearning, Placement

TODAY = datetime.date(2026, 12, 1)
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def waiting(start):
    return PlacementFactory(
        status=Status.WAITING_TO_START, start_date=start, planned_end_date=start + 400 * DAY
    )


def learning(planned_end, status=Status.IN_LEARNING, **kwargs):
    return PlacementFactory(
        status=status,
        start_date=datetime.date(2025, 1, 6),
        planned_end_date=planned_end,
        **kwargs,
    )


def on_break(started_on, returned_before=()):
    placement = learning(TODAY + 200 * DAY, status=Status.BREAK_IN_LEARNING)
    for earlier in returned_before:  # closed breaks never count, however long
        BreakInLearning.objects.create(
            placement=placement,
            started_on=earlier,
            returned_on=earlier + 200 * DAY,
            reason=BreakReason.HEALTH,
        )
    BreakInLearning.objects.create(
        placement=placement, started_on=started_on, reason=BreakReason.HEALTH
    )
    return placement


def reasons(placement, today=TODAY):
    row = Placement.objects.with_action_reasons(today).get(pk=placement.pk)
    return {key for key in rules.ACTION_REASONS if getattr(row, f"needs_{key}")}


def needs_action(placement, today=TODAY) -> bool:
    return Placement.objects.needing_action(today).filter(pk=placement.pk).exists()


def in_state(placement, state, today=TODAY) -> bool:
    return Placement.objects.in_now_state(state, today).filter(pk=placement.pk).exists()


# --- Waiting to start past the start date ----------------------------------------------------


def test_a_start_date_of_today_is_not_past_the_start_date():
    placement = waiting(TODAY)
    assert not needs_action(placement)
    assert reasons(placement) == set()
    assert in_state(placement, rules.WAITING)


def test_waiting_the_day_after_the_start_date_needs_action():
    placement = waiting(TODAY - DAY)
    assert needs_action(placement)
    assert reasons(placement) == {rules.START_PASSED}


def test_a_start_recorded_leaves_the_worklist():
    placement = PlacementFactory(status=Status.IN_LEARNING, start_date=TODAY - 10 * DAY)
    assert not needs_action(placement)


# --- Planned end passed with no outcome recorded ---------------------------------------------


def test_a_planned_end_of_today_is_due_not_past():
    placement = learning(TODAY)
    assert not needs_action(placement)
    assert in_state(placement, rules.DUE_TO_END)
    assert not in_state(placement, rules.PAST_PLANNED_END)


@pytest.mark.parametrize("status", [Status.IN_LEARNING, Status.BREAK_IN_LEARNING])
def test_a_planned_end_yesterday_is_past_for_an_open_placement(status):
    placement = learning(TODAY - DAY, status=status)
    assert needs_action(placement)
    assert rules.PLANNED_END_PASSED in reasons(placement)
    assert in_state(placement, rules.PAST_PLANNED_END)
    assert not in_state(placement, rules.DUE_TO_END)


def test_an_outcome_recorded_leaves_the_worklist():
    completed = learning(
        TODAY - 30 * DAY,
        status=Status.COMPLETED,
        actual_end_date=TODAY - 30 * DAY,
        outcome=Outcome.PASS,
    )
    assert not needs_action(completed)
    assert not in_state(completed, rules.PAST_PLANNED_END)


# --- Due to end in the next 90 days ----------------------------------------------------------


def test_due_to_end_runs_to_the_ninetieth_day_inclusive():
    last_day = learning(TODAY + 90 * DAY)
    too_late = learning(TODAY + 91 * DAY)
    assert in_state(last_day, rules.DUE_TO_END)
    assert not in_state(too_late, rules.DUE_TO_END)
    assert not needs_action(last_day)


# --- A break longer than 12 weeks ------------------------------------------------------------


def test_a_break_of_exactly_12_weeks_is_not_longer_than_12_weeks():
    placement = on_break(TODAY - datetime.timedelta(weeks=12))
    assert not needs_action(placement)
    assert in_state(placement, rules.ON_BREAK)


def test_a_break_of_12_weeks_and_a_day_is_longer_than_12_weeks():
    placement = on_break(TODAY - datetime.timedelta(weeks=12) - DAY)
    assert needs_action(placement)
    assert reasons(placement) == {rules.LONG_BREAK}


def test_only_the_open_break_counts_not_earlier_long_ones():
    placement = on_break(TODAY - 10 * DAY, returned_before=[datetime.date(2025, 2, 3)])
    assert not needs_action(placement)


def test_a_placement_can_need_action_for_two_reasons_and_is_counted_once():
    placement = on_break(TODAY - 100 * DAY)
    Placement.objects.filter(pk=placement.pk).update(planned_end_date=TODAY - 5 * DAY)
    assert reasons(placement) == {rules.LONG_BREAK, rules.PLANNED_END_PASSED}
    assert Placement.objects.needing_action(TODAY).count() == 1
    assert Placement.objects.all().now_counts(TODAY)[NEEDS_ACTION] == 1


# --- Counts ----------------------------------------------------------------------------------


def test_counts_per_state_and_per_borough_agree_with_the_lists(hackney, camden):
    made = [
        waiting(TODAY + 10 * DAY),
        waiting(TODAY - 3 * DAY),
        learning(TODAY + 30 * DAY),
        learning(TODAY - 30 * DAY),
        learning(TODAY + 300 * DAY),
        on_break(TODAY - 100 * DAY),
    ]
    Placement.objects.filter(pk__in=[p.pk for p in made]).update(borough=hackney)
    PlacementFactory(borough=camden, status=Status.IN_LEARNING, start_date=TODAY)
    counts = Placement.objects.filter(borough=hackney).now_counts(TODAY)
    for state in rules.NOW_STATES:
        assert (
            counts[state]
            == Placement.objects.filter(borough=hackney).in_now_state(state, TODAY).count()
        ), state
    assert counts == {
        rules.IN_LEARNING: 3,
        rules.ON_BREAK: 1,
        rules.WAITING: 2,
        rules.DUE_TO_END: 1,
        rules.PAST_PLANNED_END: 1,
        NEEDS_ACTION: 3,
    }
    people = Placement.objects.all().now_people_by_borough(TODAY)
    assert people[hackney.pk] == counts
    assert people[camden.pk][rules.IN_LEARNING] == 1


def test_a_person_with_two_placements_at_a_borough_is_one_person(hackney):
    first = learning(TODAY + 30 * DAY, borough=hackney)
    PlacementFactory(
        apprentice=first.apprentice,
        borough=hackney,
        status=Status.IN_LEARNING,
        start_date=datetime.date(2026, 1, 5),
        planned_end_date=TODAY + 40 * DAY,
    )
    assert Placement.objects.all().now_counts(TODAY)[rules.DUE_TO_END] == 2
    assert Placement.objects.all().now_people_by_borough(TODAY)[hackney.pk][rules.DUE_TO_END] == 1
