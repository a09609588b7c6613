"""Current apprentices per borough, for LOTI: counts of people only, with disclosure control.

The states and the worklist rules are the HR pages' own (models.now_conditions and
models.action_conditions); here they are counted per borough in one query and published through
`suppression.py`, as every count of people on the dashboard is. Never a name or a record.

Two tables, each suppressed on its own, as the dashboard's borough table and its starts are:

- where people stand: waiting to start, in learning, on a break, with row and column totals (the
  three are a partition of the open placements, so the row total is the number of people);
- what is coming or overdue: due to end in the next 90 days, past the planned end with no outcome,
  and needing action (any worklist rule). These overlap (someone past their planned end needs
  action), so no row totals are published: each column is a list with its London total.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from apprenticeships import rules
from apprenticeships.models import NEEDS_ACTION, Placement
from boroughs.models import Borough

from .suppression import suppress
from .tables import Table

if TYPE_CHECKING:
    from loti_portal.accounts.models import User

STANDING = [rules.WAITING, rules.IN_LEARNING, rules.ON_BREAK]
COMING = [rules.DUE_TO_END, rules.PAST_PLANNED_END, NEEDS_ACTION]
HEADERS = {**rules.NOW_STATES, NEEDS_ACTION: "Needing action"}


@dataclass(frozen=True)
class CurrentFigures:
    """Plain data read once: the boroughs shown and their counts of people per state."""

    today: datetime.date
    boroughs: tuple[Borough, ...]
    counts: dict[int, dict[str, int]]

    def count(self, borough: Borough, key: str) -> int:
        return self.counts.get(borough.pk, {}).get(key, 0)


def boroughs_for(user: User) -> tuple[Borough, ...]:
    """HR see their own boroughs; LOTI staff and admins every LOTI member borough."""
    boroughs = Borough.objects.for_user(user)
    if not user.is_borough_hr:
        boroughs = boroughs.loti_members()
    return tuple(boroughs.order_by("name"))


def current_figures(user: User, today: datetime.date) -> CurrentFigures:
    """Two queries: the boroughs, then every count per borough (`now_people_by_borough`)."""
    boroughs = boroughs_for(user)
    counts = Placement.objects.filter(
        borough_id__in=[b.pk for b in boroughs]
    ).now_people_by_borough(today)
    return CurrentFigures(today=today, boroughs=boroughs, counts=counts)


def standing_table(figures: CurrentFigures) -> Table:
    cells = [[figures.count(b, k) for k in STANDING] for b in figures.boroughs]
    s = suppress(cells, columns=len(STANDING))
    width = len(STANDING)
    rows = [
        [label, *(s.label((r, c)) for c in range(width)), s.label((r, width))]
        for r, label in enumerate([*(b.name for b in figures.boroughs), "London"])
    ]
    return Table(
        slug="current-standing",
        title="Where current apprentices stand, by borough",
        headers=["Borough", *(HEADERS[k] for k in STANDING), "Total"],
        rows=rows,
        notes=["People with an apprenticeship not yet completed or withdrawn."],
    )


def coming_table(figures: CurrentFigures) -> Table:
    columns = [
        suppress([[figures.count(b, k)] for b in figures.boroughs], row_totals=False, columns=1)
        for k in COMING
    ]
    rows = [
        [label, *(s.label((r, 0)) for s in columns)]
        for r, label in enumerate([*(b.name for b in figures.boroughs), "London"])
    ]
    return Table(
        slug="current-coming",
        title="Ending soon, overdue and needing action, by borough",
        headers=["Borough", *(HEADERS[k] for k in COMING)],
        rows=rows,
        notes=[
            f"Due to end: a planned end date from today to {rules.DUE_TO_END_DAYS} days ahead. "
            "Past their planned end: in learning or on a break after the planned end date, "
            "with no completion or withdrawal recorded.",
            "Needing action: waiting to start after the start date, past the planned end date, "
            f"or on a break that began more than {rules.LONG_BREAK_WEEKS} weeks ago. Someone can "
            "be in more than one column, so the columns are not added up.",
        ],
    )
