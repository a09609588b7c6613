"""Each borough's progress against its own pledge, for the chosen campaign.

The rules (expected by today on a straight line, and the status) are `progress.expected_by` and
`progress.pledge_status`. Recruits per borough are counted as the dashboard's borough table
counts them (`queries.recruits_by_borough`). Two queries: the pledges, the recruits.

Borough HR see their own boroughs' figures exactly (they can open those records). LOTI staff
and admins see every borough in the campaign, with disclosure control: the recruited column is a
list of counts of people with its London total, suppressed as the dashboard's lists are
(`suppression.suppress`); where a borough's count is withheld, so are its gap and status, and
sorting by those columns puts it last (its place in the order would tell its count).
"""

from __future__ import annotations

from dataclasses import dataclass

from apprenticeships.models import Pledge

from . import queries
from .progress import PledgeStatus, expected_by, pledge_status
from .suppression import suppress

# Default order: behind first, then on track, achieved, no pledge; withheld statuses last.
STATUS_ORDER = {
    PledgeStatus.BEHIND: 0,
    PledgeStatus.ON_TRACK: 1,
    PledgeStatus.ACHIEVED: 2,
    PledgeStatus.NO_PLEDGE: 3,
}
SORTS = ("status", "borough", "pledge", "recruited", "expected", "gap")
COLUMNS = (
    ("borough", "Borough"),
    ("pledge", "Pledge"),
    ("recruited", "Recruited"),
    ("expected", "Expected by today"),
    ("gap", "Gap"),
    ("status", "Status"),
)


@dataclass(frozen=True)
class PledgeRow:
    borough_name: str
    gss_code: str
    pledge: int | None
    recruited: int | None  # None when withheld (LOTI only)
    recruited_text: str
    expected: int | None  # None with no pledge
    gap: int | None  # expected − recruited: how many short of the line (negative: ahead)
    status: str | None  # a PledgeStatus; None when withheld


@dataclass(frozen=True)
class PledgeTable:
    rows: list[PledgeRow]
    total_recruited_text: str
    sort: str
    descending: bool


def pledge_table(scope: queries.Scope, *, exact: bool, sort: str = "") -> PledgeTable:
    """Every borough of the scope with its pledge and progress, sorted by `sort`.

    `exact` for borough HR (their own boroughs); otherwise counts are suppressed. `sort` is a
    column of SORTS, with "-" in front for descending; anything else is the default (status,
    behind first, then the largest gap).
    """
    pledges = _pledges(scope)
    recruits = queries.recruits_by_borough(scope)
    rows, total_text = _rows(scope, recruits, pledges, exact=exact)
    name = sort.removeprefix("-")
    descending = sort.startswith("-") and name in SORTS
    if name not in SORTS:
        name = "status"
    return PledgeTable(
        rows=_sorted(rows, name, descending),
        total_recruited_text=total_text,
        sort=name,
        descending=descending,
    )


def own_pledge_rows(figures: queries.DashboardFigures) -> list[PledgeRow] | None:
    """Borough HR's dashboard: each of their boroughs in the scope against its pledge, exact,
    from the figures already read and one query for the pledges.

    None when the scope has a date filter: a pledge is for the whole campaign, and the filtered
    counts are not.
    """
    scope = figures.scope
    if scope.start_from is not None or scope.start_to is not None:
        return None
    recruits = {pk: row["recruited"] for pk, row in figures.recruits_by_borough().items()}
    rows, _ = _rows(scope, recruits, _pledges(scope), exact=True)
    return rows


def _pledges(scope: queries.Scope) -> dict[int, int]:
    """Borough id → its pledge to the scope's campaign, for the scope's boroughs."""
    return dict(
        Pledge.objects.filter(target=scope.target, borough_id__in=scope.borough_ids)
        .order_by()
        .values_list("borough_id", "number")
    )


def _rows(
    scope: queries.Scope, recruits: dict[int, int], pledges: dict[int, int], *, exact: bool
) -> tuple[list[PledgeRow], str]:
    """A row per borough of the scope (in the scope's order) and the recruits' total, as text."""
    target, today = scope.target, scope.today
    counts = [recruits.get(b.pk, 0) for b in scope.boroughs]
    suppression = suppress([[n] for n in counts], row_totals=False, columns=1)
    rows = []
    for i, borough in enumerate(scope.boroughs):
        recruited = counts[i]
        hidden = not exact and suppression.is_hidden((i, 0))
        pledge = pledges.get(borough.pk)
        expected = (
            None
            if pledge is None
            else expected_by(
                pledge=pledge, opens_on=target.opens_on, closes_on=target.closes_on, today=today
            )
        )
        status = pledge_status(
            pledge=pledge,
            recruited=recruited,
            opens_on=target.opens_on,
            closes_on=target.closes_on,
            today=today,
        )
        rows.append(
            PledgeRow(
                borough_name=borough.name,
                gss_code=borough.gss_code,
                pledge=pledge,
                recruited=None if hidden else recruited,
                recruited_text=suppression.label((i, 0)) if hidden else f"{recruited:,}",
                expected=expected,
                gap=None if hidden or expected is None else expected - recruited,
                status=None if hidden and pledge is not None else status,
            )
        )
    total_at = (len(counts), 0)
    total_text = (
        suppression.label(total_at)
        if not exact and suppression.is_hidden(total_at)
        else f"{sum(counts):,}"
    )
    return rows, total_text


def _sorted(rows: list[PledgeRow], name: str, descending: bool) -> list[PledgeRow]:
    """Rows in the order asked for; unknown values (no pledge, withheld) always last."""
    if name == "borough":
        return sorted(rows, key=lambda r: r.borough_name, reverse=descending)
    if name == "status":
        # Behind first; among the behind, the furthest behind first.
        known = [r for r in rows if r.status is not None]
        known.sort(key=lambda r: (STATUS_ORDER[r.status or ""], -(r.gap or 0), r.borough_name))
        if descending:
            known.reverse()
        return known + sorted((r for r in rows if r.status is None), key=lambda r: r.borough_name)
    known = [r for r in rows if getattr(r, name) is not None]
    unknown = [r for r in rows if getattr(r, name) is None]
    known.sort(key=lambda r: (getattr(r, name), r.borough_name), reverse=descending)
    return known + sorted(unknown, key=lambda r: r.borough_name)
