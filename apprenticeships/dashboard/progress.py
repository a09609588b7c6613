"""The headline: how far the selected target is, and whether it is on track.

The figures come from the request's `queries.DashboardFigures` (`headline_counts`,
`nth_recruit_start`), read before the headline is built; this module only does the arithmetic on
them (no I/O) and applies disclosure control, so the page, the CSV and the
JSON feed publish the same values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import queries
from .suppression import FEWER_THAN_5, is_small

DAYS_PER_MONTH = Decimal("30.4375")  # average Gregorian month, for rates "per month"


class Status:
    ACHIEVED = "achieved"
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    NOT_REACHED = "closed without reaching the target"
    NOT_OPEN = "not open yet"


class CampaignStatus:
    """Where a campaign stands, London-wide: the one rule, `campaign_status`."""

    UPCOMING = "upcoming"
    OPEN = "open"
    ACHIEVED = "achieved"
    CLOSED_SHORT = "closed short"


def campaign_status(
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    today: datetime.date,
    reached_on: datetime.date | None,
) -> str:
    """A campaign's status on `today` (a `CampaignStatus`), written once for every page.

    Achieved as soon as the target was reached (`reached_on`, the N-th recruit's start date),
    whether or not the window is still open; otherwise upcoming before the opening day, open
    from the opening day to the closing day inclusive, closed short from the day after the close.
    The campaigns page shows it as it is; the dashboard's headline splits "open" into on track or
    at risk.
    """
    if reached_on is not None:
        return CampaignStatus.ACHIEVED
    if today < opens_on:
        return CampaignStatus.UPCOMING
    if today > closes_on:
        return CampaignStatus.CLOSED_SHORT
    return CampaignStatus.OPEN


@dataclass(frozen=True)
class Headline:
    target_name: str
    target_number: int
    opens_on: datetime.date
    closes_on: datetime.date
    recruited: int | None  # None when suppressed (1–4): never published
    recruited_text: str
    percent: int | None
    bar_step: int | None  # 0..100 in steps of 5, for .app-progress-bar__fill--N
    still_needed: int | None
    days_left: int | None  # None once the window has closed
    is_closed: bool
    recent_per_month: Decimal | None
    needed_per_month: Decimal | None
    forecast_on: datetime.date | None
    status: str
    reached_on: datetime.date | None

    def as_json(self) -> dict:
        return {
            "target": self.target_name,
            "target_number": self.target_number,
            "opens_on": self.opens_on.isoformat(),
            "closes_on": self.closes_on.isoformat(),
            "recruited": self.recruited,
            "recruited_text": self.recruited_text,
            "percent": self.percent,
            "still_needed": self.still_needed,
            "days_left": self.days_left,
            "closed": self.is_closed,
            "recruits_per_month_last_3_months": _json_number(self.recent_per_month),
            "needed_per_month": _json_number(self.needed_per_month),
            "forecast_date": self.forecast_on.isoformat() if self.forecast_on else None,
            "status": self.status,
            "reached_on": self.reached_on.isoformat() if self.reached_on else None,
        }


def _json_number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bar_step(percent: int) -> int:
    """The progress bar's width class: the percentage rounded to 5, at most 100."""
    return min(100, 5 * int((Decimal(percent) / 5).quantize(Decimal(1), ROUND_HALF_UP)))


def build_headline(figures: queries.DashboardFigures) -> Headline:
    """Headline figures for the scope: its recruit counts, then arithmetic and suppression."""
    scope = figures.scope
    target = scope.target
    counts = figures.headline_counts()
    recruited = counts["recruited"]
    reached_on = figures.nth_recruit_start(target.target_number)
    today = scope.today
    is_closed = today > target.closes_on
    still_needed = max(0, target.target_number - recruited)
    days_left = None if is_closed else (target.closes_on - today).days

    recent_start, recent_end = queries.recent_window(scope)
    recent_days = Decimal(max(1, (recent_end - recent_start).days))
    recent_per_month = _one_decimal(counts["recent"] * DAYS_PER_MONTH / recent_days)
    needed_per_month = None
    if days_left is not None and still_needed:
        needed_per_month = _one_decimal(still_needed * DAYS_PER_MONTH / Decimal(max(1, days_left)))
    forecast_on = None
    if still_needed and counts["recent"] and not is_closed:
        days_needed = still_needed * recent_days / counts["recent"]
        forecast_on = today + datetime.timedelta(days=int(days_needed.to_integral_value()))

    stands = campaign_status(
        opens_on=target.opens_on, closes_on=target.closes_on, today=today, reached_on=reached_on
    )
    if stands == CampaignStatus.ACHIEVED:
        status = Status.ACHIEVED
    elif stands == CampaignStatus.CLOSED_SHORT:
        status = Status.NOT_REACHED
    elif stands == CampaignStatus.UPCOMING:
        status = Status.NOT_OPEN
    elif forecast_on is not None and forecast_on <= target.closes_on:
        status = Status.ON_TRACK
    else:
        status = Status.AT_RISK

    percent = int(
        (Decimal(recruited * 100) / target.target_number).to_integral_value(ROUND_HALF_UP)
    )
    hide_total = is_small(recruited)
    # A suppressed recent count would be recoverable from its rate, and roughly from the forecast.
    hide_recent = is_small(counts["recent"])
    return Headline(
        target_name=target.name,
        target_number=target.target_number,
        opens_on=target.opens_on,
        closes_on=target.closes_on,
        recruited=None if hide_total else recruited,
        recruited_text=FEWER_THAN_5 if hide_total else f"{recruited:,}",
        percent=None if hide_total else percent,
        bar_step=None if hide_total else bar_step(percent),
        still_needed=None if hide_total else still_needed,
        days_left=days_left,
        is_closed=is_closed,
        recent_per_month=None if hide_recent else recent_per_month,
        needed_per_month=None if hide_total else needed_per_month,
        forecast_on=None if hide_recent else forecast_on,
        status=status,
        reached_on=reached_on,
    )


# --- A borough's progress against its own pledge ------------------------------------------------


class PledgeStatus:
    ACHIEVED = "achieved"
    ON_TRACK = "on track"
    BEHIND = "behind"
    NO_PLEDGE = "no pledge"


def expected_by(*, pledge: int, opens_on: datetime.date, closes_on: datetime.date, today) -> int:
    """Recruits a borough should have by `today` if it recruited its pledge on a straight line.

    pledge × days elapsed ÷ days in the window. The window's days include the opening and the
    closing day; the days elapsed are those wholly past before `today` (0 on the opening day and
    before it, all of them from the day after the close), so on the opening day nothing is
    expected yet and on the closing day all but that day's share. Rounded *up* to a whole
    person, so "on track" (recruited ≥ expected) is exactly recruited ≥ the straight line's
    value. Never more than the pledge. A pledge is at least 1 (the database refuses 0).
    """
    if pledge < 1:
        raise ValueError("A pledge is at least one apprentice.")
    window = (closes_on - opens_on).days + 1
    elapsed = min(window, max(0, (today - opens_on).days))
    return min(pledge, -(-pledge * elapsed // window))  # ceiling division, in integers


def pledge_status(
    *,
    pledge: int | None,
    recruited: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    today: datetime.date,
) -> str:
    """A borough's status against its own pledge: the one rule (a `PledgeStatus`).

    No pledge: "no pledge". Recruited the pledge or more: achieved. Otherwise on track when
    recruited ≥ `expected_by` today (so anyone is on track on the opening day, and after the
    close nobody short of the pledge is), else behind.
    """
    if pledge is None:
        return PledgeStatus.NO_PLEDGE
    if recruited >= pledge:
        return PledgeStatus.ACHIEVED
    expected = expected_by(pledge=pledge, opens_on=opens_on, closes_on=closes_on, today=today)
    return PledgeStatus.ON_TRACK if recruited >= expected else PledgeStatus.BEHIND
