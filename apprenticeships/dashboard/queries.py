"""Reads for the progress dashboard: every figure is an aggregate computed in the database.

Counting rules (DESIGN.md): an apprentice is *recruited* towards a target when one of their
placements started (start date on or before today, status not "waiting to start") inside the
target's window, at a borough in its scope. Each apprentice counts once per target: the
breakdowns attribute each recruit to their *recruiting placement*, the earliest qualifying one
(ties broken by the older record), so every table adds up to the headline figure. Filters
(boroughs, start dates) narrow the qualifying placements before the rule is applied.

The recruit breakdowns all come from one query per request (`count_recruits`, cached on the
scope); the query functions below read their part of it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from apprenticeships.choices import ENDED_STATUSES, Disability, EthnicGroup, Sex, Status
from apprenticeships.models import Placement, RecruitmentTarget
from boroughs.models import Borough

# Equality figures for a target of fewer boroughs, or for a date range, could be subtracted from
# another view's to single out a person (found in review: two end dates a day apart showed one
# starter's sex). A campaign across this many boroughs is London-wide in the DESIGN.md sense.
LONDON_WIDE_MIN_BOROUGHS = 10


@dataclass(frozen=True)
class Scope:
    """What a dashboard request counts: one target, the boroughs it may see, a date range."""

    target: RecruitmentTarget
    boroughs: tuple[Borough, ...]  # the target's boroughs the user may see, after the filter
    start_from: datetime.date | None
    start_to: datetime.date | None
    today: datetime.date
    # True for the unfiltered view (no borough or date filter) of a target of at least
    # LONDON_WIDE_MIN_BOROUGHS boroughs, seen by LOTI staff or admins: the only view on which the
    # equality breakdowns are published (DESIGN.md: London-wide only, never per borough).
    is_london_wide: bool
    # No borough filter: every one of the target's boroughs the user may see.
    is_whole_target: bool = True

    @property
    def borough_ids(self) -> list[int]:
        return [b.pk for b in self.boroughs]

    @property
    def counts_up_to(self) -> datetime.date:
        """The last start date that can count: today, the window's close or the filter's end."""
        return min(d for d in (self.today, self.target.closes_on, self.start_to) if d)

    @property
    def counts_from(self) -> datetime.date:
        return max(d for d in (self.target.opens_on, self.start_from) if d)

    @cached_property
    def recruit_counts(self) -> RecruitCounts:
        """Every breakdown of the recruits, from one query on first use.

        A scope lives for one request, so the page's headline and tables all read this one
        result: the recruiting placements are derived once per request, not once per table.
        """
        return count_recruits(self)


def build_scope(
    *,
    user,
    target: RecruitmentTarget,
    selected: list[Borough] | None,
    start_from: datetime.date | None,
    start_to: datetime.date | None,
    today: datetime.date,
) -> Scope:
    """The target's boroughs this user may see (one query), narrowed to `selected` if given.

    A selected borough outside the user's boroughs is dropped here as well as in the form, so an
    id edited into the URL never widens what is counted.
    """
    visible = tuple(
        Borough.objects.for_user(user).filter(recruitment_targets=target).order_by("name")
    )
    boroughs = visible
    if selected:
        wanted = {b.pk for b in selected}
        boroughs = tuple(b for b in visible if b.pk in wanted)
    return Scope(
        target=target,
        boroughs=boroughs,
        start_from=start_from,
        start_to=start_to,
        today=today,
        is_london_wide=(
            not user.is_borough_hr
            and not selected
            and start_from is None
            and start_to is None
            and len(visible) >= LONDON_WIDE_MIN_BOROUGHS
        ),
        is_whole_target=not selected,
    )


def qualifying_placements(scope: Scope) -> QuerySet[Placement]:
    """Placements that make their apprentice a recruit under the counting rules and filters."""
    return (
        Placement.objects.started(on=scope.counts_up_to)
        .filter(borough_id__in=scope.borough_ids, start_date__gte=scope.counts_from)
        .order_by()
    )


def recruiting_placements(scope: Scope) -> QuerySet[Placement]:
    """One placement per recruit: their earliest qualifying placement (then the lowest id)."""
    qualifying = qualifying_placements(scope)
    earlier = qualifying.filter(apprentice_id=OuterRef("apprentice_id")).filter(
        Q(start_date__lt=OuterRef("start_date"))
        | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk"))
    )
    return qualifying.filter(~Exists(earlier))


@dataclass(frozen=True)
class RecruitCounts:
    """Every breakdown of the recruits of a scope, from one query (`count_recruits`)."""

    by_borough: dict[int, dict[str, int]]  # borough id → recruited and statuses
    by_day: dict[datetime.date, int]  # start date → recruits
    by_standard: list[dict]
    by_provider: list[dict]
    by_age_band: dict[str, int]
    outcomes: dict[str, int]
    destinations: dict[str, int]
    equality: dict[str, dict[str, int]]  # London-wide scopes only


# The recruits' columns that the breakdowns group by, as the ORM computes them.
def _recruit_columns(scope: Scope) -> dict:
    columns = {
        "borough_id": F("borough_id"),
        "start_date": F("start_date"),
        "status": F("status"),
        "standard_reference": F("standard__reference"),
        "standard_title": F("standard__title"),
        "standard_level": F("standard__level"),
        "provider_name": F("provider__name"),
        "provider_ukprn": F("provider__ukprn"),
        "outcome": F("outcome"),
        "destination": F("destination"),
        "age": _age_at_start()[2],
    }
    if scope.is_london_wide:  # never read for a narrower scope
        for field in EQUALITY_FIELDS:
            columns[field] = F(f"apprentice__equality_monitoring__{field}")
    return columns


def _recruits_cte(scope: Scope) -> tuple[str, list]:
    """`WITH recruits (...) AS (...)`: the recruiting placements, compiled by the ORM."""
    start_day, birth_day, _ = _age_at_start()
    columns = _recruit_columns(scope)
    qs = (
        recruiting_placements(scope)
        .annotate(start_day=start_day, birth_day=birth_day)
        .values(**{f"recruit_{name}": expr for name, expr in columns.items()})
    )
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    return f"WITH recruits ({', '.join(columns)}) AS ({sql})", list(params)


@dataclass(frozen=True)
class _Breakdown:
    """One GROUP BY over the recruits: key columns, which rows, whether to count statuses."""

    kind: str
    keys: tuple[str, ...]
    where: str = ""
    params: tuple = ()
    with_statuses: bool = False


def _age_band_sql() -> str:
    """The age band of a recruit's `age` column, in SQL (NULL outside every band)."""
    bands = " ".join(
        f"WHEN age >= {low} AND age <= {high} THEN '{label}'" for label, low, high in AGE_BANDS
    )
    return f"CASE WHEN age IS NULL THEN '{AGE_NOT_RECORDED}' {bands} END"


def _breakdowns(scope: Scope) -> list[_Breakdown]:
    breakdowns = [
        _Breakdown("borough", ("borough_id",), with_statuses=True),
        _Breakdown("day", ("start_date",)),
        _Breakdown("standard", ("standard_level", "standard_reference", "standard_title")),
        _Breakdown("provider", ("provider_name", "provider_ukprn"), with_statuses=True),
        # Few combinations: one pass serves the age, outcome and destination tables.
        _Breakdown("profile", ("age_band", "status", "outcome", "destination")),
    ]
    if scope.is_london_wide:
        breakdowns.append(_Breakdown("equality", tuple(EQUALITY_FIELDS)))
    return breakdowns


def _union_sql(breakdowns: list[_Breakdown]) -> tuple[str, list[str], list]:
    """The GROUP BYs joined with UNION ALL, each row padded with NULL for others' keys.

    Ordered by kind, then each kind's keys in order (the other kinds' keys are NULL, so constant
    within a kind): the database's collation orders standards and providers, as before.
    """
    keys = list(dict.fromkeys(key for b in breakdowns for key in b.keys))
    key_sql = {"age_band": _age_band_sql()}
    status_counts = ", ".join("SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)" for _ in STATUSES)
    no_status_counts = ", ".join("0" for _ in STATUSES)
    # A first SELECT that returns no row but names every key column: PostgreSQL takes each
    # column's type from it, where a NULL in the first breakdown would be text.
    typed = ", ".join(key_sql.get(k, k) for k in keys)
    selects = [f"SELECT '', {typed}, 0, {no_status_counts} FROM recruits WHERE 1 = 0"]  # noqa: S608
    params = []
    for b in breakdowns:
        columns = ", ".join(key_sql.get(k, k) if k in b.keys else "NULL" for k in keys)
        counts = status_counts if b.with_statuses else no_status_counts
        group_by = ", ".join(key_sql.get(k, k) for k in b.keys)
        # Only constants of this module are formatted in; every value is a parameter.
        selects.append(
            f"SELECT '{b.kind}', {columns}, COUNT(*), {counts} FROM recruits {b.where} "  # noqa: S608
            f"GROUP BY {group_by}"
        )
        params += [*(STATUSES.values() if b.with_statuses else ()), *b.params]
    order_by = ", ".join(str(position) for position in range(1, len(keys) + 2))
    return f"{' UNION ALL '.join(selects)} ORDER BY {order_by}", keys, params


def count_recruits(scope: Scope) -> RecruitCounts:
    """All the recruit breakdowns of the scope, in one query.

    Finding the recruiting placements (once per apprentice) is the expensive part, so it is done
    once, as a common table expression compiled by the ORM, and each breakdown is a GROUP BY over
    it, joined with UNION ALL (a CTE used several times is computed once by PostgreSQL and
    SQLite). Each row: the breakdown's kind, one column per key (NULL where another breakdown's),
    the count, and the count of each status where the breakdown needs them.
    """
    breakdowns = _breakdowns(scope)
    keys_of = {b.kind: b.keys for b in breakdowns}
    by_kind: dict[str, list[tuple[dict, int, dict[str, int]]]] = {b.kind: [] for b in breakdowns}
    try:
        with_clause, cte_params = _recruits_cte(scope)
    except EmptyResultSet:  # no borough in scope: nothing can count, and no query is needed
        return _recruit_counts(by_kind)
    union, keys, union_params = _union_sql(breakdowns)
    with connection.cursor() as cursor:
        cursor.execute(f"{with_clause} {union}", [*cte_params, *union_params])
        rows = cursor.fetchall()
    for kind, *values in rows:
        key = {name: v for name, v in zip(keys, values, strict=False) if name in keys_of[kind]}
        n, *statuses = values[len(keys) :]
        by_kind[kind].append((key, n, dict(zip(STATUSES, statuses, strict=True))))
    return _recruit_counts(by_kind)


def _as_date(value) -> datetime.date:
    """A date column read back raw: PostgreSQL gives a date, SQLite an ISO string."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _sum_by(rows, key: str, keep=lambda k: True) -> dict:
    """Counts of grouped rows added up by one of their keys (None: outside every group)."""
    totals: dict = {}
    for k, n, _ in rows:
        if keep(k) and k[key] is not None:
            totals[k[key]] = totals.get(k[key], 0) + n
    return totals


def _recruit_counts(by_kind: dict[str, list[tuple[dict, int, dict[str, int]]]]) -> RecruitCounts:
    """The rows of `count_recruits`, by breakdown, as the query functions below read them."""
    profile = by_kind["profile"]
    return RecruitCounts(
        by_borough={k["borough_id"]: {"recruited": n, **st} for k, n, st in by_kind["borough"]},
        by_day={_as_date(k["start_date"]): n for k, n, _ in by_kind["day"]},
        by_standard=[
            {
                "standard__reference": k["standard_reference"],
                "standard__title": k["standard_title"],
                "standard__level": k["standard_level"],
                "recruited": n,
            }
            for k, n, _ in by_kind["standard"]
        ],
        by_provider=[
            {
                "provider__name": k["provider_name"],
                "provider__ukprn": k["provider_ukprn"],
                "starts": n,
                "withdrawals": st["withdrawn"],
            }
            for k, n, st in by_kind["provider"]
        ],
        by_age_band=_sum_by(profile, "age_band"),
        outcomes=_sum_by(profile, "outcome", lambda k: k["status"] == Status.COMPLETED),
        destinations=_sum_by(profile, "destination", lambda k: k["status"] in ENDED_STATUSES),
        equality={field: _sum_by(by_kind.get("equality", []), field) for field in EQUALITY_FIELDS},
    )


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    # Clamp the day for shorter months (31 May minus three months is 28/29 February).
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def recent_window(scope: Scope) -> tuple[datetime.date, datetime.date]:
    """The last three months, ending on today or the window's close if it has closed."""
    end = min(scope.today, scope.target.closes_on)
    return _months_before(end, 3), end


STATUSES = {
    "in_learning": Status.IN_LEARNING,
    "on_break": Status.BREAK_IN_LEARNING,
    "completed": Status.COMPLETED,
    "withdrawn": Status.WITHDRAWN,
}


def headline_counts(scope: Scope) -> dict[str, int]:
    """Recruits, recruits in the last three months, and their statuses.

    Sums of the per-borough and per-day counts of `recruit_counts` (every recruit has exactly one
    borough and one start date), so the headline always equals the tables' totals.
    """
    counts = scope.recruit_counts
    recent_start, recent_end = recent_window(scope)
    totals = {"recruited": 0, "recent": 0, **dict.fromkeys(STATUSES, 0)}
    for row in counts.by_borough.values():
        for key in ("recruited", *STATUSES):
            totals[key] += row[key]
    totals["recent"] = sum(
        n for day, n in counts.by_day.items() if recent_start < day <= recent_end
    )
    return totals


def nth_recruit_start(scope: Scope, n: int) -> datetime.date | None:
    """Start date of the n-th recruit (the day the target was reached), or None.

    The running total of recruits per start date first reaching n.
    """
    running = 0
    for day, count in sorted(scope.recruit_counts.by_day.items()):
        running += count
        if running >= n:
            return day
    return None


def recruits_by_month(scope: Scope) -> dict[datetime.date, int]:
    """New recruits per calendar month (first day of the month → count), in month order."""
    by_month: dict[datetime.date, int] = {}
    for day, n in sorted(scope.recruit_counts.by_day.items()):
        month = day.replace(day=1)
        by_month[month] = by_month.get(month, 0) + n
    return by_month


def recruits_by_borough(scope: Scope) -> dict[int, dict[str, int]]:
    """Borough id → recruited and each status of the recruiting placement."""
    return {pk: dict(row) for pk, row in scope.recruit_counts.by_borough.items()}


def financial_year_for(scope: Scope) -> tuple[datetime.date, datetime.date]:
    """The latest complete April–March year ending on or before the reporting period's end.

    The public-sector apprenticeship target (2.3% of headcount) is set per complete year.
    """
    end = min(scope.today, scope.target.closes_on)
    year = end.year if end.month >= 4 else end.year - 1  # the year whose April 1 is <= end
    if end < datetime.date(year + 1, 3, 31):
        year -= 1  # that year is still running: take the one before
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def starts_in_financial_year(scope: Scope) -> dict[int, int]:
    """Borough id → apprentices who started any placement there in the financial year."""
    fy_start, fy_end = financial_year_for(scope)
    rows = (
        Placement.objects.started(on=fy_end)
        .filter(borough_id__in=scope.borough_ids, start_date__gte=fy_start)
        .values("borough_id")
        .annotate(starts=Count("apprentice_id", distinct=True))
        .order_by()
    )
    return {row["borough_id"]: row["starts"] for row in rows}


def recruits_by_standard(scope: Scope) -> list[dict]:
    """Recruits per apprenticeship standard, by level then reference."""
    return [dict(row) for row in scope.recruit_counts.by_standard]


def recruits_by_provider(scope: Scope) -> list[dict]:
    """Starts and withdrawals per training provider, by name."""
    return [dict(row) for row in scope.recruit_counts.by_provider]


def _age_at_start():
    """Whole years between date of birth and start date, in SQL on SQLite and PostgreSQL."""
    start_day = ExtractMonth("start_date") * 100 + ExtractDay("start_date")
    birth_day = ExtractMonth("apprentice__date_of_birth") * 100 + ExtractDay(
        "apprentice__date_of_birth"
    )
    birthday_not_reached = Case(
        When(Q(start_day__lt=F("birth_day")), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        start_day,
        birth_day,
        (
            ExtractYear("start_date")
            - ExtractYear("apprentice__date_of_birth")
            - birthday_not_reached
        ),
    )


AGE_BANDS = (("16–18", 0, 18), ("19–24", 19, 24), ("25 and over", 25, 200))
AGE_NOT_RECORDED = "Not recorded"


def recruits_by_age_band(scope: Scope) -> dict[str, int]:
    """Recruits per age band at the start of the recruiting placement."""
    by_band = scope.recruit_counts.by_age_band
    labels = [*(label for label, _, _ in AGE_BANDS), AGE_NOT_RECORDED]
    return {label: by_band.get(label, 0) for label in labels}


def outcomes(scope: Scope) -> dict[str, int]:
    """Completed recruits by grade ("" for not recorded)."""
    return dict(scope.recruit_counts.outcomes)


def destinations(scope: Scope) -> dict[str, int]:
    """Recruits whose placement has ended, by what they went on to do."""
    return dict(scope.recruit_counts.destinations)


EQUALITY_FIELDS = {"sex": Sex, "ethnic_group": EthnicGroup, "disability": Disability}


def equality_counts(scope: Scope) -> dict[str, dict[str, int]]:
    """London-wide only: recruits by sex, ethnic group and disability.

    Callers must check `scope.is_london_wide`; this returns nothing for a narrower scope so a
    mistake cannot publish a per-borough equality table (the equality columns are not even
    read from the database then).
    """
    if not scope.is_london_wide:
        return {}
    counts = scope.recruit_counts
    total = sum(row["recruited"] for row in counts.by_borough.values())
    result: dict[str, dict[str, int]] = {}
    for field, choices in EQUALITY_FIELDS.items():
        grouped = counts.equality[field]
        result[field] = {value: grouped.get(value, 0) for value in choices.values}
        # No record, or the field left blank (or, defensively, a value no longer offered).
        result[field][""] = total - sum(result[field].values())
    return result
