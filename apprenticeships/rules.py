"""The placement rules, written once (docs/architecture.md, "Where each kind of rule lives").

Every write path asks this module and shows its words unchanged: the add-a-recruit journey and
the edit pages (their forms call `placement_errors` so a fault shows next to its field), the
services (through `Placement.clean()`), the import (the engine runs `full_clean()` on every
row's records), the admin (its model forms run `full_clean()`), and the demo loader (which
builds its records with `initial_status` and checks them with `placement_errors`). The
functions here read nothing from the database: the caller hands over what they need, so an
import of 10,000 rows asks them 10,000 times without a query each.

`ActionKey`s name the changes of circumstance; `available_actions()` says which a placement
offers, so views and templates only ask.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from loti_portal.dates import govuk_date

from .choices import ENDED_STATUSES, Status

if TYPE_CHECKING:
    from .models import Placement, Standard, TrainingProvider

MINIMUM_AGE_AT_START = 16
# Completing this long before the planned end is unusual enough to ask "are you sure?".
EARLY_COMPLETION_MONTHS = 3

Errors = dict[str, list[str]]


def age_on(born: datetime.date | None, day: datetime.date) -> int | None:
    """Whole years from `born` to `day` (a 29 February birthday is reached on 1 March)."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def initial_status(start_date: datetime.date, today: datetime.date) -> str:
    """A new placement starting in the future is waiting to start; otherwise it is in learning."""
    return Status.WAITING_TO_START if start_date > today else Status.IN_LEARNING


@dataclass(frozen=True)
class Before:
    """What a placement held when it was read: the baseline for "changed" and for transitions."""

    status: str
    standard_id: int | None
    provider_id: int | None


# --- Rules about one placement --------------------------------------------------------------


def placement_errors(
    placement: Placement,
    *,
    before: Before | None,
    today: datetime.date,
    date_of_birth: datetime.date | None = None,
) -> Errors:
    """Every rule a placement must meet to be saved, as {model field: [messages]}.

    `before` is the placement as read (None for a new one); `date_of_birth` is the apprentice's
    (passed, so a person not yet saved is checked too). Empty when the placement may be saved.
    """
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    _dates_in_order(placement, add)
    _shape_of_status(placement, add)
    _not_in_future(placement, today, add)
    _choosable(placement, before, add)
    _transition(placement, before, add)
    age = age_on(date_of_birth, placement.start_date) if placement.start_date else None
    if age is not None and age < MINIMUM_AGE_AT_START:
        add(
            "start_date",
            f"The apprentice would be {age} on the start date: apprentices must be at least "
            f"{MINIMUM_AGE_AT_START}.",
        )
    return errors


def _dates_in_order(p: Placement, add) -> None:
    if p.start_date and p.planned_end_date and p.planned_end_date <= p.start_date:
        add("planned_end_date", "Planned end date must be after the start date.")
    if p.start_date and p.actual_end_date and p.actual_end_date < p.start_date:
        add(
            "actual_end_date",
            f"{_end_word(p.status)} must be on or after the start date, "
            f"{govuk_date(p.start_date)}.",
        )


END_WORDS: dict[str, str] = {
    Status.COMPLETED: "The completion date",
    Status.WITHDRAWN: "The withdrawal date",
}


def _end_word(status: str) -> str:
    return END_WORDS.get(status, "The end date")


def _shape_of_status(p: Placement, add) -> None:
    """Which fields each status carries (also database constraints, for what is never stored)."""
    if p.status in ENDED_STATUSES and not p.actual_end_date:
        verb = "completed" if p.status == Status.COMPLETED else "withdrawn"
        add("actual_end_date", f"Enter the date the apprenticeship was {verb}.")
    if p.status not in ENDED_STATUSES and p.actual_end_date:
        add(
            "actual_end_date",
            "Only a completed or withdrawn apprenticeship has an actual end date.",
        )
    if p.status == Status.WITHDRAWN and not p.withdrawal_reason:
        add("withdrawal_reason", "Select why the apprentice withdrew.")
    if p.status != Status.WITHDRAWN and p.withdrawal_reason:
        add("withdrawal_reason", "Only a withdrawn apprenticeship has a withdrawal reason.")
    if p.outcome and p.status != Status.COMPLETED:
        add("outcome", "Only a completed apprenticeship has an outcome.")
    if p.destination and p.status not in ENDED_STATUSES:
        add("destination", "Record what the apprentice went on to do once it has ended.")


def _not_in_future(p: Placement, today: datetime.date, add) -> None:
    if p.actual_end_date and p.actual_end_date > today:
        add("actual_end_date", f"{_end_word(p.status)} must be today or in the past.")
    if p.start_date and p.start_date > today and p.status != Status.WAITING_TO_START:
        add(
            "status",
            f"The start date, {govuk_date(p.start_date)}, is in the future: until then the "
            "apprenticeship is waiting to start.",
        )


def _choosable(p: Placement, before: Before | None, add) -> None:
    """Inactive standards and providers cannot be newly chosen; a placement keeps its own."""
    standard, provider = _related(p, "standard"), _related(p, "provider")
    if (
        standard is not None
        and not standard.is_active
        and _newly_chosen(before, "standard", standard)
    ):
        add("standard", standard_not_offered(standard))
    if (
        provider is not None
        and not provider.is_active
        and _newly_chosen(before, "provider", provider)
    ):
        add("provider", provider_not_active(provider))


def _newly_chosen(before: Before | None, name: str, record) -> bool:
    return before is None or getattr(before, f"{name}_id") != record.pk


def standard_not_offered(standard: Standard) -> str:
    return f"{standard.reference} is no longer offered, so it cannot be chosen: choose another."


def provider_not_active(provider: TrainingProvider) -> str:
    return f"{provider.name} is no longer active, so it cannot be chosen: choose another."


def _related(p: Placement, name: str):
    """The related record if it is loaded or set (never a query: None if only the id is known)."""
    return p._state.fields_cache.get(name)


def _transition(p: Placement, before: Before | None, add) -> None:
    if before is None or before.status == p.status:
        return
    if p.status not in ALLOWED_TRANSITIONS[before.status]:
        add(
            "status",
            f"This placement is held as {_label(before.status)}; it cannot change to "
            f"{_label(p.status)}.",
        )


def _label(status: str) -> str:
    return Status(status).label.lower()


# --- Changes of circumstance -----------------------------------------------------------------

# Which statuses each status may change to (the apprenticeship service's rules: a break only
# from learning, a return only from a break, complete or withdraw from either).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.WAITING_TO_START: frozenset({Status.IN_LEARNING}),
    Status.IN_LEARNING: frozenset({Status.BREAK_IN_LEARNING, Status.COMPLETED, Status.WITHDRAWN}),
    Status.BREAK_IN_LEARNING: frozenset({Status.IN_LEARNING, Status.COMPLETED, Status.WITHDRAWN}),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


@dataclass(frozen=True)
class Action:
    key: str
    offered_from: frozenset[str]
    verb: str  # "You cannot {verb} an apprenticeship that is on a break in learning."


START, BREAK, RETURN, CHANGE_PROVIDER, COMPLETE, WITHDRAW = (
    "start",
    "break",
    "return",
    "change_provider",
    "complete",
    "withdraw",
)
OPEN = frozenset({Status.IN_LEARNING, Status.BREAK_IN_LEARNING})
ACTIONS: dict[str, Action] = {
    a.key: a
    for a in (
        Action(START, frozenset({Status.WAITING_TO_START}), "record the start of"),
        Action(BREAK, frozenset({Status.IN_LEARNING}), "start a break in learning for"),
        Action(RETURN, frozenset({Status.BREAK_IN_LEARNING}), "record a return to learning for"),
        Action(
            CHANGE_PROVIDER,
            frozenset({Status.WAITING_TO_START, *OPEN}),
            "record a change of training provider for",
        ),
        Action(COMPLETE, OPEN, "record the completion of"),
        Action(WITHDRAW, OPEN, "record a withdrawal from"),
    )
}


def available_actions(status: str) -> list[str]:
    """The changes of circumstance a placement in `status` offers, in the order shown."""
    return [key for key, action in ACTIONS.items() if status in action.offered_from]


def action_refused(key: str, status: str) -> str | None:
    """Why `key` cannot be done from `status`, or None if it can."""
    action = ACTIONS[key]
    if status in action.offered_from:
        return None
    return f"You cannot {action.verb} an apprenticeship that is {_label(status)}."


def not_in_future(day: datetime.date, what: str, today: datetime.date) -> str | None:
    return f"{what} must be today or in the past." if day > today else None


def not_before(day: datetime.date, earliest: datetime.date, what: str, since: str) -> str | None:
    if day < earliest:
        return f"{what} must be on or after {since}, {govuk_date(earliest)}."
    return None


def break_errors(
    *,
    started_on: datetime.date,
    returned_on: datetime.date | None,
    placement_start: datetime.date,
    today: datetime.date,
) -> Errors:
    """A break in learning: within the placement, not in the future, ending after it began."""
    found = {
        "started_on": [
            m
            for m in (
                not_in_future(started_on, "The date the break started", today),
                not_before(
                    started_on, placement_start, "The date the break started", "the start date"
                ),
            )
            if m
        ],
        "returned_on": [
            m
            for m in (
                returned_on and not_in_future(returned_on, "The date they returned", today),
                returned_on
                and not_before(
                    returned_on, started_on, "The date they returned", "the date the break started"
                ),
            )
            if m
        ],
    }
    return {field: messages for field, messages in found.items() if messages}


def moved_planned_end(
    planned_end: datetime.date, started_on: datetime.date, returned_on: datetime.date
) -> datetime.date:
    """The planned end moved on by the length of a break: what a return offers by default."""
    return planned_end + (returned_on - started_on)


def completes_early(planned_end: datetime.date, completed_on: datetime.date) -> bool:
    """More than three calendar months before the planned end: asked to be confirmed."""
    return completed_on < months_before(planned_end, EARLY_COMPLETION_MONTHS)


def early_completion_message(planned_end: datetime.date) -> str:
    return (
        "The completion date is more than three months before the planned end date, "
        f"{govuk_date(planned_end)}. Check the date, and confirm that they completed early."
    )


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (31 May less three months: 28/29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for last_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, last_day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


# --- The programme now: current apprentices and the worklist ---------------------------------
# The conditions themselves are `Q`s on the placement (they need a subquery on its breaks), in
# `models.now_conditions()` and `models.action_conditions()`: written once there, used by the
# HR pages, the placement list's count and LOTI's counts per borough. Their thresholds and
# edge dates are decided here, reading nothing from the database.

LONG_BREAK_WEEKS = 12
DUE_TO_END_DAYS = 90

# The "current apprentices" states, in the order shown.
IN_LEARNING, ON_BREAK, WAITING, DUE_TO_END, PAST_PLANNED_END = (
    "in_learning",
    "on_break",
    "waiting",
    "due_to_end",
    "past_planned_end",
)
NOW_STATES: dict[str, str] = {
    IN_LEARNING: "In learning",
    ON_BREAK: "On a break",
    WAITING: "Waiting to start",
    DUE_TO_END: f"Due to end in the next {DUE_TO_END_DAYS} days",
    PAST_PLANNED_END: "Past their planned end, no outcome recorded",
}

# Why a record is on HR's worklist ("needs action"), in the order shown.
START_PASSED, PLANNED_END_PASSED, LONG_BREAK = "start_passed", "planned_end_passed", "long_break"
ACTION_REASONS: dict[str, str] = {
    START_PASSED: "Start date passed, start not recorded",
    PLANNED_END_PASSED: "Planned end date passed, no outcome recorded",
    LONG_BREAK: f"On a break for more than {LONG_BREAK_WEEKS} weeks",
}


def start_passed_before(today: datetime.date) -> datetime.date:
    """A placement still waiting to start needs action when its start date is before `today`:
    one starting today is not late (its start may be recorded today)."""
    return today


def planned_end_passed_before(today: datetime.date) -> datetime.date:
    """An open placement (in learning or on a break) is past its planned end when that date is
    before `today`: one planned to end today is still due, not overdue."""
    return today


def long_break_started_before(today: datetime.date) -> datetime.date:
    """An open break is *longer than 12 weeks* when it started before this day.

    A break that began exactly 12 weeks (84 days) ago has lasted 12 weeks, not longer, and is
    not on the worklist yet; it is from the next day, 85 days after it began.
    """
    return today - datetime.timedelta(weeks=LONG_BREAK_WEEKS)


def due_to_end_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Planned ends from today to 90 days ahead, both days included, are "due to end"."""
    return today, today + datetime.timedelta(days=DUE_TO_END_DAYS)


# --- Linking a person held by another borough -------------------------------------------------
# A person only other boroughs hold is linked to a new placement only by an administrator
# (apprenticeships/linking.py); this is the comparison shown to them as evidence.


def same_name_and_birth(
    given: str, family: str, born: datetime.date | None, held_given: str, held_family: str,
    held_born: datetime.date | None,
) -> bool:  # fmt: skip
    """Whether typed details name the held person: both names (any case, outer spaces ignored)
    and the date of birth. Evidence for the administrator only: the officer's answer never
    depends on it, or it would tell them who another borough holds."""

    def same(a: str, b: str) -> bool:
        return a.strip().casefold() == b.strip().casefold()

    return (
        born is not None
        and born == held_born
        and same(given, held_given)
        and same(family, held_family)
    )
