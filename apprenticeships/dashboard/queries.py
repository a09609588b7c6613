"""Reads for the progress dashboard: every figure is an aggregate computed in the database.

Counting rules (DESIGN.md): an apprentice is *recruited* towards a target when one of their
placements started (start date on or before today, status not "waiting to start") inside the
target's window, at a borough in its scope. Each apprentice counts once per target: the
breakdowns attribute each recruit to their *recruiting placement*, the earliest qualifying one
(ties broken by the older record), so every table adds up to the headline figure. Filters
(boroughs, start dates) narrow the qualifying placements before the rule is applied.

Each function runs one query (a constant number for the whole page, whatever the data size).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, TruncMonth

from apprenticeships.choices import ENDED_STATUSES, Disability, EthnicGroup, Sex, Status
from apprenticeships.models import Placement, RecruitmentTarget
from boroughs.models import Borough


@dataclass(frozen=True)
class Scope:
    """What a dashboard request counts: one target, the boroughs it may see, a date range."""

    target: RecruitmentTarget
    boroughs: tuple[Borough, ...]  # the target's boroughs the user may see, after the filter
    start_from: datetime.date | None
    start_to: datetime.date | None
    today: datetime.date
    # True for the unfiltered view of all the target's boroughs: the only view on which the
    # equality breakdowns are published (DESIGN.md: London-wide only, never per borough).
    is_london_wide: bool

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
        is_london_wide=not user.is_borough_hr and not selected,
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


STATUS_COUNTS = {
    "in_learning": Count("pk", filter=Q(status=Status.IN_LEARNING)),
    "on_break": Count("pk", filter=Q(status=Status.BREAK_IN_LEARNING)),
    "completed": Count("pk", filter=Q(status=Status.COMPLETED)),
    "withdrawn": Count("pk", filter=Q(status=Status.WITHDRAWN)),
}


def headline_counts(scope: Scope) -> dict[str, int]:
    """Recruits, recruits in the last three months, and their statuses (one query)."""
    recent_start, recent_end = recent_window(scope)
    return recruiting_placements(scope).aggregate(
        recruited=Count("pk"),
        recent=Count("pk", filter=Q(start_date__gt=recent_start, start_date__lte=recent_end)),
        **STATUS_COUNTS,
    )


def nth_recruit_start(scope: Scope, n: int) -> datetime.date | None:
    """Start date of the n-th recruit (the day the target was reached), or None (one query)."""
    dates = (
        recruiting_placements(scope)
        .order_by("start_date", "pk")
        .values_list("start_date", flat=True)[n - 1 : n]
    )
    return next(iter(dates), None)


def recruits_by_month(scope: Scope) -> dict[datetime.date, int]:
    """New recruits per calendar month (first day of the month → count), one query."""
    rows = (
        recruiting_placements(scope)
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return {_as_date(row["month"]): row["n"] for row in rows}


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def recruits_by_borough(scope: Scope) -> dict[int, dict[str, int]]:
    """Borough id → recruited and each status of the recruiting placement (one query)."""
    rows = (
        recruiting_placements(scope)
        .values("borough_id")
        .annotate(recruited=Count("pk"), **STATUS_COUNTS)
        .order_by()
    )
    return {row.pop("borough_id"): row for row in rows}


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
    """Recruits per apprenticeship standard, by level then reference (one query)."""
    return list(
        recruiting_placements(scope)
        .values("standard__reference", "standard__title", "standard__level")
        .annotate(recruited=Count("pk"))
        .order_by("standard__level", "standard__reference")
    )


def recruits_by_provider(scope: Scope) -> list[dict]:
    """Starts and withdrawals per training provider (one query)."""
    return list(
        recruiting_placements(scope)
        .values("provider__name", "provider__ukprn")
        .annotate(starts=Count("pk"), withdrawals=Count("pk", filter=Q(status=Status.WITHDRAWN)))
        .order_by("provider__name", "provider__ukprn")
    )


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


def recruits_by_age_band(scope: Scope) -> dict[str, int]:
    """Recruits per age band at the start of the recruiting placement (one query)."""
    start_day, birth_day, age = _age_at_start()
    qs = recruiting_placements(scope).annotate(start_day=start_day, birth_day=birth_day)
    qs = qs.annotate(age=age)
    counts = {
        f"band_{i}": Count("pk", filter=Q(age__gte=low, age__lte=high))
        for i, (_, low, high) in enumerate(AGE_BANDS)
    }
    counts["unknown"] = Count("pk", filter=Q(apprentice__date_of_birth__isnull=True))
    result = qs.aggregate(**counts)
    by_label = {label: result[f"band_{i}"] for i, (label, _, _) in enumerate(AGE_BANDS)}
    return {**by_label, "Not recorded": result["unknown"]}


def outcomes(scope: Scope) -> dict[str, int]:
    """Completed recruits by grade ("" for not recorded), one query."""
    rows = (
        recruiting_placements(scope)
        .filter(status=Status.COMPLETED)
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["outcome"]: row["n"] for row in rows}


def destinations(scope: Scope) -> dict[str, int]:
    """Recruits whose placement has ended, by what they went on to do, one query."""
    rows = (
        recruiting_placements(scope)
        .filter(status__in=sorted(ENDED_STATUSES))
        .values("destination")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["destination"]: row["n"] for row in rows}


EQUALITY_FIELDS = {"sex": Sex, "ethnic_group": EthnicGroup, "disability": Disability}


def equality_counts(scope: Scope) -> dict[str, dict[str, int]]:
    """London-wide only: recruits by sex, ethnic group and disability, in one query.

    Callers must check `scope.is_london_wide`; this returns nothing for a narrower scope so a
    mistake cannot publish a per-borough equality table.
    """
    if not scope.is_london_wide:
        return {}
    aggregates = {"total": Count("pk")}
    for field, choices in EQUALITY_FIELDS.items():
        for value in choices.values:
            lookup = f"apprentice__equality_monitoring__{field}"
            aggregates[f"{field}__{value}"] = Count("pk", filter=Q(**{lookup: value}))
    flat = recruiting_placements(scope).aggregate(**aggregates)
    total = flat.pop("total")
    result: dict[str, dict[str, int]] = {field: {} for field in EQUALITY_FIELDS}
    for key, n in flat.items():
        field, value = key.split("__", 1)
        result[field][value] = n
    for counts in result.values():
        counts[""] = total - sum(counts.values())  # no record, or the field left blank
    return result
