"""Reads for the progress dashboard: every figure is an aggregate computed in the database.

Counting rules (docs/architecture.md): an apprentice is *recruited* towards a target when one
of their placements started (start date on or before today, status not "waiting to start")
inside the target's window, at a borough in its scope. Each apprentice counts once per target: the
breakdowns attribute each recruit to their *recruiting placement*, the earliest qualifying one
(ties broken by the older record), so every table adds up to the headline figure. Filters
(boroughs, start dates) narrow the qualifying placements before the rule is applied.

The dashboard's read path is one call: `dashboard_figures(scope)` runs every aggregate query of a
request (the recruit breakdowns in one, `count_recruits`, and the starts in the financial year)
and returns plain data, a `DashboardFigures`. The page, its CSVs and the JSON feed all build from
that value; the table, chart, headline and export builders only read it and never touch the
database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from apprenticeships.choices import ENDED_STATUSES, Disability, EthnicGroup, Sex, Status
from apprenticeships.models import (
    EqualityMonitoring,
    Placement,
    RecruitmentTarget,
    Standard,
    TrainingProvider,
)
from apprenticeships.rules import months_before
from boroughs.models import Borough

if TYPE_CHECKING:
    from loti_portal.accounts.models import User

# Equality figures for a target of fewer boroughs, or for a date range, could be subtracted from
# another view's to single out a person (found in review: two end dates a day apart showed one
# starter's sex). A campaign across this many boroughs is London-wide in the counting rules' sense.
LONDON_WIDE_MIN_BOROUGHS = 10

# PostgreSQL's planner cost of passing one row from a parallel worker (its default is 0.1), for
# the recruit breakdowns only: see `_fetch_in_parallel`.
PARALLEL_TUPLE_COST = 0.01


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
    # equality breakdowns are published (London-wide only, never per borough).
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


def build_scope(
    *,
    user: User,
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


EQUALITY_FIELDS = {"sex": Sex, "ethnic_group": EthnicGroup, "disability": Disability}

# The breakdowns: each counts the recruits grouped by some of these columns of theirs. Only ids
# and codes are grouped; standards' and providers' names are joined to the few grouped rows.
KEYS = (
    "borough_id",
    "start_date",
    "standard_id",
    "provider_id",
    "age_band",
    "status",
    "outcome",
    "destination",
    *EQUALITY_FIELDS,
)
# Each breakdown is a grouping set: a hash table every recruit passes through once, then a few
# rows to read back (a few hundred in all). Splitting the borough, standard and provider tables
# into sets of their own costs the database no more than one shared set of their combinations,
# and leaves a third of the rows for Python to read. Age band, status, outcome and destination
# share a set (a few dozen combinations) that serves the age, outcome and destination tables.
BREAKDOWNS = {
    "borough": ("borough_id", "status"),
    "standard": ("standard_id",),
    "provider": ("provider_id", "status"),
    "day": ("start_date",),
    "profile": ("age_band", "status", "outcome", "destination"),
    "equality": tuple(EQUALITY_FIELDS),  # London-wide scopes only
}
# The columns joined to a standard's or a provider's rows, in the order the query gives them.
NAMES = {"standard": ("reference", "title", "level"), "provider": ("name", "ukprn")}


def _kinds(scope: Scope) -> list[str]:
    return [kind for kind in BREAKDOWNS if kind != "equality" or scope.is_london_wide]


def _grouped_keys(kinds: list[str]) -> list[str]:
    return [key for key in KEYS if any(key in BREAKDOWNS[kind] for kind in kinds)]


def _grouping_mask(keys: tuple[str, ...], grouped: list[str]) -> int:
    """What SQL's GROUPING(*grouped) gives for a row grouped by `keys`: a bit per key unused."""
    return sum(1 << (len(grouped) - 1 - i) for i, key in enumerate(grouped) if key not in keys)


def _select(keys) -> str:
    """Every column of KEYS, in order: the grouped ones, and NULL for the others."""
    return ", ".join(key if key in keys else f"NULL AS {key}" for key in KEYS)


# The recruiting placement's own columns the breakdowns read: the KEYS but the equality ones,
# with the stored age at start for the age band, and the apprentice for the equality join.
RECRUIT_COLUMNS = (
    "borough_id",
    "start_date",
    "standard_id",
    "provider_id",
    "age_at_start",
    "status",
    "outcome",
    "destination",
    "apprentice_id",
)


def _recruits_sql(scope: Scope) -> tuple[str, list]:
    """The recruiting placements, compiled by the ORM: a `recruit_<name>` column for each of
    RECRUIT_COLUMNS. No join: every column is the placement's own."""
    qs = recruiting_placements(scope).values(
        **{f"recruit_{name}": F(name) for name in RECRUIT_COLUMNS}
    )
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    return sql, list(params)


def _band_sql(age: str) -> str:
    """SQL numbering the age band of the SQL `age` (a column of whole years, or NULL).

    Band i of AGE_BANDS is i, no age recorded is len(AGE_BANDS), an age outside every band NULL.
    Grouping by the band rather than the age leaves a few dozen profile groups, not hundreds.
    On PostgreSQL `width_bucket` places the age among the bands' bounds in one call, and a simple
    CASE maps the bucket to the band. Only this module's integer constants are formatted in.
    """
    not_recorded = len(AGE_BANDS)
    if connection.vendor == "postgresql":
        bounds = ", ".join(f"{low:d}" for _, low, _ in AGE_BANDS)
        last = AGE_BANDS[-1][2] + 1
        # Bucket 0 is below the first bound, bucket i + 1 band i, the last one above every band.
        buckets = " ".join(f"WHEN {i + 1:d} THEN {i:d}" for i in range(len(AGE_BANDS)))
        return (
            f"CASE COALESCE(width_bucket({age}, ARRAY[{bounds}, {last:d}]), -1) "
            f"WHEN -1 THEN {not_recorded:d} {buckets} END"
        )
    whens = " ".join(
        f"WHEN {age} BETWEEN {low:d} AND {high:d} THEN {i:d}"
        for i, (_, low, high) in enumerate(AGE_BANDS)
    )
    return f"CASE WHEN {age} IS NULL THEN {not_recorded:d} {whens} END"


def _with_profile_sql(scope: Scope) -> tuple[str, list]:
    """The recruits with a column for each of KEYS: the placement's, the age band, and (for a
    London-wide scope only) the apprentice's equality answers, joined by the apprentice's id.

    The equality table is never read for a narrower scope: its columns are NULL there.
    """
    recruits, params = _recruits_sql(scope)
    columns = {key: f"r.recruit_{key}" for key in KEYS if key in RECRUIT_COLUMNS}
    columns["age_band"] = _band_sql("r.recruit_age_at_start")
    joined = ""
    if scope.is_london_wide:
        answers = connection.ops.quote_name(EqualityMonitoring._meta.db_table)
        joined = f" LEFT JOIN {answers} e ON e.apprentice_id = r.recruit_apprentice_id"
    for field in EQUALITY_FIELDS:
        columns[field] = f"e.{field}" if scope.is_london_wide else "NULL"
    selected = ", ".join(columns[key] for key in KEYS)
    return f"SELECT {selected} FROM ({recruits}) r{joined}", params  # noqa: S608


def _grouped_sql(scope: Scope) -> tuple[str, list]:
    """One row per group of every breakdown: GROUPING mask, the KEYS (NULL where unused), count.

    PostgreSQL computes every breakdown in one pass over the recruits with GROUPING SETS. SQLite
    has no grouping sets: there the recruits are a common table expression (computed once, as
    SQLite materialises a CTE used more than once) and each breakdown a GROUP BY over it, joined
    with UNION ALL. Only constants of this module are formatted into the SQL.
    """
    recruits, params = _with_profile_sql(scope)
    kinds = _kinds(scope)
    grouped = _grouped_keys(kinds)
    columns = ", ".join(KEYS)
    if connection.vendor == "postgresql":
        sets = ", ".join(f"({', '.join(BREAKDOWNS[k])})" for k in kinds)
        sql = (
            f"SELECT GROUPING({', '.join(grouped)}) AS mask, {_select(grouped)}, "  # noqa: S608
            "COUNT(*) AS n "
            f"FROM ({recruits}) recruits ({columns}) GROUP BY GROUPING SETS ({sets})"
        )
        return sql, params
    selects = []
    for kind in kinds:
        keys = BREAKDOWNS[kind]
        picked = _select(keys)
        selects.append(
            f"SELECT {_grouping_mask(keys, grouped)} AS mask, {picked}, COUNT(*) AS n "  # noqa: S608
            f"FROM recruits GROUP BY {', '.join(keys)}"
        )
    return f"WITH recruits ({columns}) AS ({recruits}) {' UNION ALL '.join(selects)}", params


def count_recruits(scope: Scope) -> RecruitCounts:
    """All the recruit breakdowns of the scope, in one query.

    Finding the recruiting placements (once per apprentice) is the expensive part, so it is done
    once and every breakdown is a grouping of its result (`_grouped_sql`). The few standards and
    providers among the groups get their names and sort order from a join on the grouped rows.
    """
    try:
        grouped, params = _grouped_sql(scope)
    except EmptyResultSet:  # no borough in scope: nothing can count, and no query is needed
        return _recruit_counts({kind: [] for kind in BREAKDOWNS})
    quote = connection.ops.quote_name
    standards, providers = quote(Standard._meta.db_table), quote(TrainingProvider._meta.db_table)
    keys = ", ".join(f"g.{key}" for key in KEYS)
    sql = (
        f"SELECT g.mask, {keys}, g.n, s.reference, s.title, s.level, p.name, p.ukprn "  # noqa: S608
        f"FROM ({grouped}) g "
        f"LEFT JOIN {standards} s ON s.id = g.standard_id "
        f"LEFT JOIN {providers} p ON p.id = g.provider_id "
        "ORDER BY g.mask, s.level, s.reference, s.title, p.name, p.ukprn"
    )
    rows = _fetch_in_parallel(sql, params)
    kinds = _kinds(scope)
    grouped_keys = _grouped_keys(kinds)
    # Per grouping mask: its breakdown and where its keys sit in a row (after the mask).
    layout = {
        _grouping_mask(BREAKDOWNS[kind], grouped_keys): (
            kind,
            [(key, KEYS.index(key)) for key in BREAKDOWNS[kind]],
        )
        for kind in kinds
    }
    count_at = len(KEYS)
    # Where each table's names sit in a row: after the count, the standard's then the provider's.
    after = count_at + 1 + len(NAMES["standard"])
    named_at = {"standard": slice(count_at + 1, after), "provider": slice(after, None)}
    by_kind: dict[str, list[tuple[dict, int]]] = {kind: [] for kind in BREAKDOWNS}
    for mask, *values in rows:
        kind, positions = layout[mask]
        key = {name: values[i] for name, i in positions}
        if kind in NAMES:
            key.update(zip(NAMES[kind], values[named_at[kind]], strict=True))
        by_kind[kind].append((key, values[count_at]))
    return _recruit_counts(by_kind)


def _fetch_in_parallel(sql: str, params: list) -> list[tuple]:
    """The rows of a query over many placements, which PostgreSQL may share between its cores.

    By default PostgreSQL rates passing ~70,000 recruits from a parallel worker as dearer than
    the joins it would share, and finds them on one core: 1.5-2x slower on the 2-core machine
    here. A lower cost lets it find them in parallel (GROUPING SETS themselves always run on one
    core). The setting is made in a transaction or savepoint of its own that is rolled back once
    the rows are read: the query only reads, and the rollback undoes the setting too, so it
    never outlives this query, even inside a request's or a caller's transaction.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('parallel_tuple_cost', %s, true)", [str(PARALLEL_TUPLE_COST)]
        )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        transaction.set_rollback(True, using=connection.alias)
    return rows


def recruits_by_borough(scope: Scope) -> dict[int, int]:
    """Recruits per borough of the scope, attributed as the dashboard's borough table does (to
    the borough of each recruit's recruiting placement): one query, none with no borough."""
    qs = recruiting_placements(scope).values("borough_id").annotate(n=Count("pk"))
    try:
        return {row["borough_id"]: row["n"] for row in qs}
    except EmptyResultSet:  # pragma: no cover - the ORM answers an empty IN with no rows
        return {}


def recruits_by_day_of_scopes(scopes: list[Scope]) -> list[dict[datetime.date, int]]:
    """Recruits per start date of each scope, in one query however many scopes.

    For the campaigns page: each scope is one campaign (London-wide, or a borough HR user's
    boroughs in it), counted exactly as the dashboard counts it: the same
    `recruiting_placements`, grouped by start date, each scope's query a part of one
    `UNION ALL`. A scope with no borough needs no part. The result is in the scopes' order.
    """
    parts: list[str] = []
    params: list = []
    for index, scope in enumerate(scopes):
        qs = recruiting_placements(scope).values("start_date").annotate(n=Count("pk"))
        try:
            sql, part_params = qs.query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:
            continue
        # Only the scope's index, an integer of this function's own, is formatted in.
        parts.append(f"SELECT {index:d} AS scope, d.start_date, d.n FROM ({sql}) d")  # noqa: S608
        params.extend(part_params)
    result: list[dict[datetime.date, int]] = [{} for _ in scopes]
    if not parts:
        return result
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, day, n in cursor.fetchall():
            result[index][_as_date(day)] = n
    return result


def _as_date(value) -> datetime.date:
    """A date column read back raw: PostgreSQL gives a date, SQLite an ISO string."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _sum_by(rows, key: str, keep=lambda k: True) -> dict:
    """Counts of grouped rows added up by one of their keys (None: outside every group)."""
    totals: dict = {}
    for k, n in rows:
        if keep(k) and k[key] is not None:
            totals[k[key]] = totals.get(k[key], 0) + n
    return totals


def _with_statuses(rows, key: str) -> dict:
    """Rows grouped by `key` and status → key → recruited and the count of each status."""
    result: dict = {}
    for k, n in rows:
        counts = result.get(k[key])
        if counts is None:
            counts = result[k[key]] = {"recruited": 0, **dict.fromkeys(STATUSES, 0)}
        counts["recruited"] += n
        name = STATUS_NAMES.get(k["status"])
        if name is not None:  # "waiting to start" never counts
            counts[name] += n
    return result


def _recruit_counts(by_kind: dict[str, list[tuple[dict, int]]]) -> RecruitCounts:
    """The rows of `count_recruits`, by breakdown, as the query functions below read them."""
    profile, providers = by_kind["profile"], by_kind["provider"]
    # The query orders the standards by level and reference; providers are put in order of name
    # here, as people read them: without regard to case, which the database's order is not.
    names = {k["provider_id"]: k for k, _ in providers}
    provider_counts = _with_statuses(providers, "provider_id")
    return RecruitCounts(
        by_borough=_with_statuses(by_kind["borough"], "borough_id"),
        by_day={_as_date(k["start_date"]): n for k, n in by_kind["day"]},
        by_standard=[
            {
                "standard__reference": k["reference"],
                "standard__title": k["title"],
                "standard__level": k["level"],
                "recruited": n,
            }
            for k, n in by_kind["standard"]
        ],
        by_provider=[
            {
                "provider__name": k["name"],
                "provider__ukprn": k["ukprn"],
                "starts": provider_counts[pk]["recruited"],
                "withdrawals": provider_counts[pk]["withdrawn"],
            }
            for pk, k in sorted(
                names.items(), key=lambda i: (i[1]["name"].casefold(), i[1]["ukprn"])
            )
        ],
        by_age_band={AGE_BAND_LABELS[band]: n for band, n in _sum_by(profile, "age_band").items()},
        outcomes=_sum_by(profile, "outcome", lambda k: k["status"] == Status.COMPLETED),
        destinations=_sum_by(profile, "destination", lambda k: k["status"] in ENDED_STATUSES),
        equality={field: _sum_by(by_kind["equality"], field) for field in EQUALITY_FIELDS},
    )


def recent_window(scope: Scope) -> tuple[datetime.date, datetime.date]:
    """The last three months, ending on today or the window's close if it has closed."""
    end = min(scope.today, scope.target.closes_on)
    return months_before(end, 3), end


STATUSES = {
    "in_learning": Status.IN_LEARNING,
    "on_break": Status.BREAK_IN_LEARNING,
    "completed": Status.COMPLETED,
    "withdrawn": Status.WITHDRAWN,
}
STATUS_NAMES = {status: name for name, status in STATUSES.items()}


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


AGE_BANDS = (("16–18", 0, 18), ("19–24", 19, 24), ("25 and over", 25, 200))
AGE_NOT_RECORDED = "Not recorded"
# The band numbers of `_band_sql` → their labels.
AGE_BAND_LABELS = (*(label for label, _, _ in AGE_BANDS), AGE_NOT_RECORDED)


def nth_recruit_start(by_day: dict[datetime.date, int], n: int) -> datetime.date | None:
    """The start date on which the running total of recruits (per start date) first reaches n:
    the day a target of n was reached, or None."""
    running = 0
    for day, count in sorted(by_day.items()):
        running += count
        if running >= n:
            return day
    return None


@dataclass(frozen=True)
class DashboardFigures:
    """Every figure of one scope, read from the database by `dashboard_figures` and plain data
    from then on: the methods below only add up and reshape what was read, so whatever is built
    from a `DashboardFigures` (headline, tables, charts, CSVs, JSON) does no I/O.

    `scope` is what was counted; its target and boroughs were loaded when it was built, and only
    their own fields are read.
    """

    scope: Scope
    recruits: RecruitCounts
    fy_starts: dict[int, int]  # borough id → starts in `financial_year_for(scope)`

    def headline_counts(self) -> dict[str, int]:
        """Recruits, recruits in the last three months, and their statuses.

        Sums of the per-borough and per-day counts (every recruit has exactly one borough and
        one start date), so the headline always equals the tables' totals.
        """
        recent_start, recent_end = recent_window(self.scope)
        totals = {"recruited": 0, "recent": 0, **dict.fromkeys(STATUSES, 0)}
        for row in self.recruits.by_borough.values():
            for key in ("recruited", *STATUSES):
                totals[key] += row[key]
        totals["recent"] = sum(
            n for day, n in self.recruits.by_day.items() if recent_start < day <= recent_end
        )
        return totals

    def nth_recruit_start(self, n: int) -> datetime.date | None:
        """Start date of the n-th recruit (the day the target was reached), or None.

        The running total of recruits per start date first reaching n.
        """
        return nth_recruit_start(self.recruits.by_day, n)

    def recruits_by_month(self) -> dict[datetime.date, int]:
        """New recruits per calendar month (first day of the month → count), in month order."""
        by_month: dict[datetime.date, int] = {}
        for day, n in sorted(self.recruits.by_day.items()):
            month = day.replace(day=1)
            by_month[month] = by_month.get(month, 0) + n
        return by_month

    def recruits_by_borough(self) -> dict[int, dict[str, int]]:
        """Borough id → recruited and each status of the recruiting placement."""
        return {pk: dict(row) for pk, row in self.recruits.by_borough.items()}

    def recruits_by_standard(self) -> list[dict]:
        """Recruits per apprenticeship standard, by level then reference."""
        return [dict(row) for row in self.recruits.by_standard]

    def recruits_by_provider(self) -> list[dict]:
        """Starts and withdrawals per training provider, by name."""
        return [dict(row) for row in self.recruits.by_provider]

    def recruits_by_age_band(self) -> dict[str, int]:
        """Recruits per age band at the start of the recruiting placement."""
        by_band = self.recruits.by_age_band
        return {label: by_band.get(label, 0) for label in AGE_BAND_LABELS}

    def outcomes(self) -> dict[str, int]:
        """Completed recruits by grade ("" for not recorded)."""
        return dict(self.recruits.outcomes)

    def destinations(self) -> dict[str, int]:
        """Recruits whose placement has ended, by what they went on to do."""
        return dict(self.recruits.destinations)

    def equality_counts(self) -> dict[str, dict[str, int]]:
        """London-wide only: recruits by sex, ethnic group and disability.

        Nothing for a narrower scope, so a mistake cannot publish a per-borough equality table
        (the equality columns are not even read from the database then).
        """
        if not self.scope.is_london_wide:
            return {}
        total = sum(row["recruited"] for row in self.recruits.by_borough.values())
        result: dict[str, dict[str, int]] = {}
        for field, choices in EQUALITY_FIELDS.items():
            grouped = self.recruits.equality[field]
            result[field] = {value: grouped.get(value, 0) for value in choices.values}
            # No record, or the field left blank (or, defensively, a value no longer offered).
            result[field][""] = total - sum(result[field].values())
        return result


def dashboard_figures(scope: Scope) -> DashboardFigures:
    """Every figure the dashboard publishes for the scope: the one read of a dashboard request.

    Two queries: every recruit breakdown (`count_recruits`) and the starts in the financial
    year (`starts_in_financial_year`); none when no borough is in scope. The page, each CSV and
    the JSON feed call this once and build from the result, so they always count alike.
    """
    return DashboardFigures(
        scope=scope,
        recruits=count_recruits(scope),
        fy_starts=starts_in_financial_year(scope),
    )
