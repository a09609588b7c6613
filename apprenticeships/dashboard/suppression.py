"""Disclosure control for published counts of people (docs/architecture.md, "Counting rules").

Primary suppression: every count from 1 to 4 is hidden and shown as "fewer than 5".

Secondary suppression, so that no hidden count can be worked out by subtraction. A table is seen
as a grid with its margins: each *line* is a row (its cells and the row total) or a column (its
cells and the column total); when both margins are published, the row totals and the column
totals are lines too (both sum to the grand total). If a line holds exactly one hidden entry, that
entry equals the line's total minus the others, so one more entry of that line is hidden: the
smallest non-zero visible cell (ties: the first), or the line's total when no visible non-zero
cell is left. This is repeated over every line until nothing changes. Hiding only ever grows, so
it stops; at the end every line holds no hidden entry or at least two, and no hidden count is the
difference of published figures in any row or column. Totals are never altered: a total is shown
as its true value unless it is itself 1–4 or was hidden by the rule above.

Cumulative series (recruits to date by month) follow the same idea along time: a month's running
total is published only when the increase since the previous published month is 0 or at least 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

SMALL_MIN = 1
SMALL_MAX = 4
FEWER_THAN_5 = "fewer than 5"
HIDDEN = "hidden"


class Hidden(Enum):
    PRIMARY = "primary"  # the count itself is 1–4
    SECONDARY = "secondary"  # hidden so that a primary count cannot be worked out


def is_small(value: int) -> bool:
    return SMALL_MIN <= value <= SMALL_MAX


Position = tuple[int, int]


@dataclass(frozen=True)
class Suppression:
    """Which entries of a table (cells and margins) are hidden, and why.

    Positions are (row, column) in the grid with margins: row `len(cells)` holds the column
    totals, column `len(cells[0])` the row totals.
    """

    grid: tuple[tuple[int, ...], ...]
    hidden: dict[Position, Hidden]

    def is_hidden(self, position: Position) -> bool:
        return position in self.hidden

    def label(self, position: Position) -> str:
        """The text published for an entry: its value, "fewer than 5" or "hidden"."""
        reason = self.hidden.get(position)
        if reason is Hidden.PRIMARY:
            return FEWER_THAN_5
        if reason is Hidden.SECONDARY:
            return HIDDEN
        return str(self.grid[position[0]][position[1]])


def _grid_with_margins(
    cells: Sequence[Sequence[int]], n_cols: int, row_totals: bool, column_totals: bool
) -> list[list[int]]:
    grid = [list(row) + ([sum(row)] if row_totals else []) for row in cells]
    width = n_cols + (1 if row_totals else 0)
    if column_totals:
        grid.append([sum(row[c] for row in grid) for c in range(width)])
    return grid


def _lines(
    n_rows: int, n_cols: int, row_totals: bool, column_totals: bool
) -> list[tuple[list[Position], Position]]:
    """Each line as (its member cells, its total), in grid positions."""
    lines = []
    all_rows = n_rows + (1 if column_totals else 0)
    all_cols = n_cols + (1 if row_totals else 0)
    if row_totals:
        for r in range(all_rows):
            lines.append(([(r, c) for c in range(n_cols)], (r, n_cols)))
    if column_totals:
        for c in range(all_cols):
            lines.append(([(r, c) for r in range(n_rows)], (n_rows, c)))
    return lines


def suppress(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    columns: int | None = None,
) -> Suppression:
    """Primary then secondary suppression of a table of counts of people.

    `cells` is a list of rows of counts; the totals are computed here so they are always the true
    totals. `row_totals` / `column_totals` say which margins are published (a one-column list
    with a total has `row_totals=False`). `columns` gives the width when there may be no rows.
    """
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else (columns or 0)
    grid = _grid_with_margins(cells, n_cols, row_totals, column_totals)
    hidden: dict[Position, Hidden] = {
        (r, c): Hidden.PRIMARY
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if is_small(value)
    }
    lines = _lines(n_rows, n_cols, row_totals, column_totals)
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            if sum(p in hidden for p in [*members, total]) != 1:
                continue
            candidates = [p for p in members if p not in hidden and grid[p[0]][p[1]] > 0]
            if candidates:
                chosen = min(candidates, key=lambda p: (grid[p[0]][p[1]], p))
            elif total not in hidden:
                chosen = total
            else:  # pragma: no cover - a hidden total with no non-zero cell cannot be 1–4
                continue
            hidden[chosen] = Hidden.SECONDARY
            changed = True
    return Suppression(grid=tuple(tuple(row) for row in grid), hidden=hidden)


def publishable_cumulative(running_totals: Sequence[int]) -> list[bool]:
    """Which points of a running total may be published without revealing a count of 1–4.

    A point is published when its increase over the previous published point (or over 0) is 0 or
    at least 5. The last point (the overall total, published elsewhere) is always kept unless it
    is itself 1–4; if its increase is 1–4, the previous published point is withdrawn instead, so
    the gap merges into one of at least 5 + 1.
    """
    published = [False] * len(running_totals)
    last = 0
    last_index = -1
    for i, value in enumerate(running_totals):
        if not is_small(value - last):
            published[i] = True
            last, last_index = value, i
    if running_totals:
        final = len(running_totals) - 1
        if not published[final] and not is_small(running_totals[final]):
            # Withdraw published points until the final gap is safe (each withdrawal widens it).
            while last_index >= 0 and is_small(running_totals[final] - last):
                published[last_index] = False
                previous = [j for j in range(last_index) if published[j]]
                last_index = previous[-1] if previous else -1
                last = running_totals[last_index] if last_index >= 0 else 0
            published[final] = not is_small(running_totals[final] - last)
    return published
