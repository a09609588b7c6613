"""The dashboard's tables, built once and published alike on the page, in CSV and in charts.

Each builder reads the request's figures (`queries.dashboard_figures`, read once before any table
is built; the builders do no I/O), applies disclosure control (`suppression.py`) and returns text
cells: the page renders exactly these strings and the CSV writes
exactly these strings, so the two cannot disagree. A rate is hidden whenever a count it is worked
from is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apprenticeships.choices import Destination, Outcome

from . import queries
from .suppression import HIDDEN, publishable_cumulative, suppress

PUBLIC_SECTOR_BENCHMARK = Decimal("2.3")  # % of headcount starting an apprenticeship each year
NOT_RECORDED = "Not recorded"


@dataclass
class Table:
    slug: str  # used in the export URL and file name
    title: str
    headers: list[str]
    rows: list[list[str]]
    label_columns: int = 1  # leading columns that are labels rather than figures
    has_total_row: bool = True
    notes: list[str] = field(default_factory=list)
    # Raw, unsuppressed values for charts that must use the same figures (never rendered).
    chart_values: list[int | None] = field(default_factory=list)

    def body_html(self) -> SafeString:
        """The table's rows in GOV.UK table markup, every cell's text escaped.

        Built here rather than in the template: the page has hundreds of cells, and the template
        language spent more time deciding each cell's markup than printing it (about 11
        microseconds a cell). The first cell of a row is its header; the total row's figures
        are bold.
        """
        last = len(self.rows) - 1
        figures_from = max(1, self.label_columns)  # the first cell is always the header
        html = []
        for i, row in enumerate(self.rows):
            figure = TOTAL_CELL if self.has_total_row and i == last else FIGURE_CELL
            cells = [ROW_HEADER_CELL.format(escape(row[0]))]
            cells += [LABEL_CELL.format(escape(text)) for text in row[1:figures_from]]
            cells += [figure.format(escape(text)) for text in row[figures_from:]]
            html.append(ROW.format("".join(cells)))
        return mark_safe("\n".join(html))  # noqa: S308 - every cell's text is escaped above


ROW = '<tr class="govuk-table__row">{}</tr>'
ROW_HEADER_CELL = '<th scope="row" class="govuk-table__header">{}</th>'
LABEL_CELL = '<td class="govuk-table__cell">{}</td>'
FIGURE_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
TOTAL_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric"><strong>{}</strong></td>'


def percent(numerator: int, denominator: int) -> str:
    if not denominator:
        return "–"
    value = Decimal(numerator * 100) / Decimal(denominator)
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def list_table(
    *,
    slug: str,
    title: str,
    label_headers: Sequence[str],
    rows: Sequence[tuple[Sequence[str], int]],
    count_header: str = "Recruits",
    notes: Sequence[str] = (),
) -> Table:
    """A one-column breakdown with a total and each row's share of it."""
    s = suppress([[n] for _, n in rows], row_totals=False, columns=1)
    total_pos = (len(rows), 0)
    total = s.grid[total_pos[0]][0]
    out = []
    for i, (labels, n) in enumerate(rows):
        hidden = s.is_hidden((i, 0)) or s.is_hidden(total_pos)
        out.append([*labels, s.label((i, 0)), "" if hidden else percent(n, total)])
    total_row = ["Total", *[""] * (len(label_headers) - 1)]
    out.append(
        [*total_row, s.label(total_pos), "" if s.is_hidden(total_pos) else percent(total, total)]
    )
    return Table(
        slug=slug,
        title=title,
        headers=[*label_headers, count_header, "Share"],
        rows=out,
        label_columns=len(label_headers),
        notes=list(notes),
    )


def borough_table(figures: queries.DashboardFigures) -> Table:
    """Recruits, statuses, retention and completion, and starts against headcount, per borough."""
    scope = figures.scope
    by_borough = figures.recruits_by_borough()
    fy_starts = figures.fy_starts
    fy_start, fy_end = queries.financial_year_for(scope)
    fy = f"{fy_start.year}–{str(fy_end.year)[-2:]}"
    statuses = ("in_learning", "on_break", "completed", "withdrawn")
    empty = dict.fromkeys(statuses, 0)
    boroughs = scope.boroughs
    cells = [[by_borough.get(b.pk, empty)[k] for k in statuses] for b in boroughs]
    s = suppress(cells, columns=len(statuses))
    starts = suppress([[fy_starts.get(b.pk, 0)] for b in boroughs], row_totals=False, columns=1)
    n, width = len(boroughs), len(statuses)
    rows = []
    for r, label in enumerate([*(b.name for b in boroughs), "Total"]):
        recruited = s.grid[r][width]
        withdrawn, completed = s.grid[r][3], s.grid[r][2]
        retention_hidden = s.is_hidden((r, width)) or s.is_hidden((r, 3))
        completion_hidden = s.is_hidden((r, 2)) or s.is_hidden((r, 3))
        row = [label, s.label((r, width)), *(s.label((r, c)) for c in range(width))]
        row.append("" if retention_hidden else percent(recruited - withdrawn, recruited))
        row.append("" if completion_hidden else percent(completed, completed + withdrawn))
        row.append(starts.label((r, 0)))
        headcount = boroughs[r].headcount if r < n else None
        if r == n or not headcount:
            row += ["" if r == n else "Headcount not known", ""]
        elif starts.is_hidden((r, 0)):
            row += ["", ""]
        else:
            share = Decimal(starts.grid[r][0] * 100) / headcount
            meets = share >= PUBLIC_SECTOR_BENCHMARK
            row += [percent(starts.grid[r][0], headcount), "Yes" if meets else "No"]
        rows.append(row)
    return Table(
        slug="boroughs",
        title="Recruits by borough",
        headers=[
            "Borough",
            "Recruited",
            "In learning",
            "On a break",
            "Completed",
            "Withdrawn",
            "Retention",
            "Completion rate",
            f"Starts in {fy}",
            f"Starts in {fy} as % of headcount",
            f"Meets the {PUBLIC_SECTOR_BENCHMARK}% benchmark",
        ],
        rows=rows,
        notes=[
            "Retention is (in learning + on a break + completed) ÷ recruited. Completion rate is "
            "completed ÷ (completed + withdrawn).",
            f"Starts in {fy} count every apprentice who started a placement at the borough "
            f"between 1 April {fy_start.year} and 31 March {fy_end.year}, against the "
            f"public-sector benchmark of {PUBLIC_SECTOR_BENCHMARK}% of headcount a year.",
        ],
        chart_values=[None if s.is_hidden((r, width)) else s.grid[r][width] for r in range(n)],
    )


def standard_table(figures: queries.DashboardFigures) -> Table:
    rows = [
        (
            (r["standard__reference"], r["standard__title"], str(r["standard__level"])),
            r["recruited"],
        )
        for r in figures.recruits_by_standard()
    ]
    return list_table(
        slug="standards",
        title="Recruits by apprenticeship standard and level",
        label_headers=("Reference", "Standard", "Level"),
        rows=rows,
    )


def provider_table(figures: queries.DashboardFigures) -> Table:
    """Starts and withdrawals per provider; the two columns are suppressed as separate lists."""
    data = figures.recruits_by_provider()
    starts = suppress([[r["starts"]] for r in data], row_totals=False, columns=1)
    withdrawals = suppress([[r["withdrawals"]] for r in data], row_totals=False, columns=1)
    rows = []
    for i, label in enumerate([*(f"{r['provider__name']}" for r in data), "Total"]):
        hidden = starts.is_hidden((i, 0)) or withdrawals.is_hidden((i, 0))
        rate = "" if hidden else percent(withdrawals.grid[i][0], starts.grid[i][0])
        rows.append([label, starts.label((i, 0)), withdrawals.label((i, 0)), rate])
    return Table(
        slug="providers",
        title="Starts and withdrawals by training provider",
        headers=["Training provider", "Starts", "Withdrawals", "Withdrawal rate"],
        rows=rows,
    )


def age_table(figures: queries.DashboardFigures) -> Table:
    counts = figures.recruits_by_age_band()
    return list_table(
        slug="age-bands",
        title="Recruits by age at start",
        label_headers=("Age at start",),
        rows=[((label,), n) for label, n in counts.items()],
    )


def _choice_rows(counts: dict[str, int], choices) -> list[tuple[tuple[str], int]]:
    rows = [((label,), counts.get(value, 0)) for value, label in choices.choices]
    return [*rows, ((NOT_RECORDED,), counts.get("", 0))]


def outcome_table(figures: queries.DashboardFigures) -> Table:
    return list_table(
        slug="outcomes",
        title="Grades of completed apprenticeships",
        label_headers=("Grade",),
        rows=_choice_rows(figures.outcomes(), Outcome),
        count_header="Completed",
    )


def destination_table(figures: queries.DashboardFigures) -> Table:
    return list_table(
        slug="destinations",
        title="What apprentices went on to do",
        label_headers=("Went on to",),
        rows=_choice_rows(figures.destinations(), Destination),
        count_header="Apprenticeships ended",
    )


def equality_tables(figures: queries.DashboardFigures) -> list[Table]:
    """Sex, ethnic group and disability: London-wide only, else no tables at all."""
    counts = figures.equality_counts()
    if not counts:
        return []
    titles = {"sex": "Sex", "ethnic_group": "Ethnic group", "disability": "Disability"}
    return [
        list_table(
            slug=f"equality-{name.replace('_', '-')}",
            title=f"Recruits by {title.lower()} (London-wide)",
            label_headers=(title,),
            rows=_choice_rows(counts[name], queries.EQUALITY_FIELDS[name]),
        )
        for name, title in titles.items()
    ]


def month_table(figures: queries.DashboardFigures) -> Table:
    """Recruits to date at the end of each month of the window, against a straight line."""
    target = figures.scope.target
    by_month = figures.recruits_by_month()
    months = months_between(target.opens_on, target.closes_on)
    last_counted = figures.scope.counts_up_to
    running, total = [], 0
    counted_months = [m for m in months if m <= last_counted]
    for month in counted_months:
        total += by_month.get(month, 0)
        running.append(total)
    published = publishable_cumulative(running)
    rows, chart = [], []
    for i, month in enumerate(months):
        trajectory = straight_line(target, month_end(month))
        if i < len(running):
            text = str(running[i]) if published[i] else HIDDEN
            chart.append(running[i] if published[i] else None)
        else:
            text = ""
        rows.append([f"{month:%B %Y}", text, f"{trajectory}"])
    return Table(
        slug="months",
        title="Recruits to date by month",
        headers=["Month", "Recruits to date", "Straight line to the target"],
        rows=rows,
        has_total_row=False,
        notes=[
            "A month's figure is hidden when it has grown by 1 to 4 since the last figure shown, "
            "so that no small number of recruits can be worked out from the difference."
        ],
        chart_values=chart,
    )


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def straight_line(target, day: datetime.date) -> Decimal:
    """Recruits the target needs by `day` if recruited at an even pace across the window."""
    span = (target.closes_on - target.opens_on).days + 1
    elapsed = min(span, max(0, (day - target.opens_on).days + 1))
    value = Decimal(target.target_number * elapsed) / Decimal(span)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


TABLE_BUILDERS: dict[str, Callable[[queries.DashboardFigures], Table]] = {
    "months": month_table,
    "boroughs": borough_table,
    "standards": standard_table,
    "providers": provider_table,
    "age-bands": age_table,
    "outcomes": outcome_table,
    "destinations": destination_table,
}
EQUALITY_SLUGS = ("equality-sex", "equality-ethnic-group", "equality-disability")


def is_table(slug: str) -> bool:
    """Whether a table of this slug exists (for some scope): checked before any figure is read."""
    return slug in TABLE_BUILDERS or slug in EQUALITY_SLUGS


def table_for(figures: queries.DashboardFigures, slug: str) -> Table | None:
    """One table by its slug, or None when it does not exist or is not published for the scope."""
    if slug in TABLE_BUILDERS:
        return TABLE_BUILDERS[slug](figures)
    if slug in EQUALITY_SLUGS:
        return next((t for t in equality_tables(figures) if t.slug == slug), None)
    return None
