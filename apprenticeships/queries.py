"""Reads for the HR pages: each starts from the user's scoped queryset (docs/architecture.md)."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from loti_portal.dates import govuk_date

from . import rules
from .choices import Status
from .models import Apprentice, BreakInLearning, Placement, Standard, TrainingProvider
from .validators import TEMPORARY_ULN

if TYPE_CHECKING:
    from loti_portal.accounts.models import User

PAGE_SIZE = 25

# Sort keys offered on the list page → ORDER BY (pk last, so pages never overlap).
SORTS = {
    "start_desc": ("Start date (newest first)", ["-start_date", "-pk"]),
    "start_asc": ("Start date (oldest first)", ["start_date", "pk"]),
    "name": ("Name (A to Z)", ["apprentice__family_name", "apprentice__given_name", "pk"]),
    "status": ("Status", ["status", "-start_date", "pk"]),
}
DEFAULT_SORT = "start_desc"


def placement_for_user(user: "User", pk: int) -> Placement:
    """The placement with this pk if the user may open it; Http404 otherwise (never 'not yours')."""
    try:
        return Placement.objects.for_user(user).with_related().get(pk=pk)
    except Placement.DoesNotExist:
        raise Http404("No such placement") from None


@dataclass(frozen=True)
class PlacementFilters:
    q: str = ""
    status: str = ""
    standard: int | None = None
    provider: int | None = None
    start_year: int | None = None
    sort: str = DEFAULT_SORT


def placements_for_list(user: "User", filters: PlacementFilters) -> QuerySet[Placement]:
    """The user's placements, searched, filtered and sorted for the list page (one query)."""
    placements = Placement.objects.for_user(user).with_related()
    if filters.q:
        words = filters.q.split()
        for word in words:
            placements = placements.filter(
                Q(apprentice__given_name__icontains=word)
                | Q(apprentice__family_name__icontains=word)
                | Q(apprentice__uln=word)
            )
    if filters.status:
        placements = placements.filter(status=filters.status)
    if filters.standard:
        placements = placements.filter(standard_id=filters.standard)
    if filters.provider:
        placements = placements.filter(provider_id=filters.provider)
    if filters.start_year:
        placements = placements.filter(start_date__year=filters.start_year)
    return placements.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT])[1])


def paginate(queryset: QuerySet, page_number: str | None) -> Page:
    """A page of the list; a page number out of range gives the last page, never an error."""
    return Paginator(queryset, PAGE_SIZE).get_page(page_number)


def filter_options(user: "User") -> dict:
    """The choices for the list's filters, from what the user's placements actually use."""
    mine = Placement.objects.for_user(user)
    return {
        "statuses": Status.choices,
        "standards": Standard.objects.filter(placements__in=mine).distinct().order_by("reference"),
        "providers": TrainingProvider.objects.filter(placements__in=mine)
        .distinct()
        .order_by("name"),
        "years": [d.year for d in mine.dates("start_date", "year", order="DESC")],
    }


# --- The programme now: current apprentices and the worklist (rules in models.py) -------------

# How each "current" list is sorted: the most pressing first, pk last so pages never overlap.
NOW_ORDER = {
    rules.IN_LEARNING: ["planned_end_date", "pk"],
    rules.ON_BREAK: ["break_started_on", "pk"],
    rules.WAITING: ["start_date", "pk"],
    rules.DUE_TO_END: ["planned_end_date", "pk"],
    rules.PAST_PLANNED_END: ["planned_end_date", "pk"],
}


def _with_open_break(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Each placement with the day its open break began (None if not on a break): a subquery."""
    open_break = BreakInLearning.objects.filter(placement=OuterRef("pk"), returned_on__isnull=True)
    return placements.annotate(break_started_on=Subquery(open_break.values("started_on")[:1]))


def now_counts(user: "User", today: datetime.date) -> dict[str, int]:
    """How many of the user's placements are in each "current" state and need action (1 query)."""
    return Placement.objects.for_user(user).now_counts(today)


def placements_in_now_state(user: "User", state: str, today: datetime.date) -> QuerySet[Placement]:
    """The user's placements in one "current" state, most pressing first (one query a page)."""
    placements = Placement.objects.for_user(user).in_now_state(state, today).with_related()
    return _with_open_break(placements).order_by(*NOW_ORDER[state])


def worklist(user: "User", today: datetime.date) -> QuerySet[Placement]:
    """The user's placements needing action, each with why (`needs_<reason>`), oldest due first."""
    placements = Placement.objects.for_user(user).needing_action(today).with_related()
    return (
        _with_open_break(placements)
        .with_action_reasons(today)  # type: ignore[attr-defined]
        .order_by("start_date", "pk")
    )


def worklist_count(user: "User", today: datetime.date) -> int:
    """How many of the user's placements need action: the placement list's banner (1 query)."""
    return Placement.objects.for_user(user).needing_action(today).count()


@dataclass(frozen=True)
class ApprenticeMatch:
    """An apprentice this user can see with the same ULN, email, or name and date of birth as
    the one being added."""

    apprentice: Apprentice
    matched_on: str  # "ULN", "email address" or "name and date of birth"


def find_matching_apprentice(
    user: "User",
    *,
    uln: str,
    email: str,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
) -> ApprenticeMatch | None:
    """The same person among those this user can see, or None.

    Only the user's own boroughs' people are searched: whether another borough holds a ULN,
    email or name is never told (apprenticeships/linking.py; the services ask an administrator).
    A ULN or email is the stronger match; the name and date of birth (ignoring case and
    surrounding spaces) catch the recruit added without either.
    """
    visible = Apprentice.objects.for_user(user)
    if uln and uln != TEMPORARY_ULN:
        match = visible.filter(uln=uln).first()
        if match is not None:
            return ApprenticeMatch(apprentice=match, matched_on="ULN")
    if email:
        match = visible.with_emails([email]).first()
        if match is not None:
            return ApprenticeMatch(apprentice=match, matched_on="email address")
    if given_name.strip() and family_name.strip() and date_of_birth is not None:
        match = visible.filter(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
        ).first()
        if match is not None:
            return ApprenticeMatch(apprentice=match, matched_on="name and date of birth")
    return None


# Bookkeeping fields that change on every save and mean nothing to a reader.
HISTORY_EXCLUDED = {"version", "created_at", "updated_at", "is_demo", "apprentice", "borough"}


@dataclass(frozen=True)
class HistoryChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    changes: list[HistoryChange]


def _display(field, value, names: dict) -> str:
    if value in (None, ""):
        return "Not given"
    if field.name in names:
        return names[field.name].get(value, "(deleted)")
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return govuk_date(value)
    return str(value)


def placement_history(placement: Placement) -> list[HistoryEntry]:
    """The placement's changes, newest first: who, when, and each field's old and new value.

    Three queries whatever the length of the history: the rows (with their users), and the names
    of the standards and providers they mention; the diffs are worked out in Python.
    """
    records = list(
        placement.history.select_related("history_user").order_by("history_date", "history_id")
    )
    standards = Standard.objects.in_bulk({r.standard_id for r in records})
    providers = TrainingProvider.objects.in_bulk({r.provider_id for r in records})
    names = {
        "standard": {pk: str(s) for pk, s in standards.items()},
        "provider": {pk: str(p) for pk, p in providers.items()},
    }
    fields = {f.name: f for f in Placement._meta.fields}
    entries, previous = [], None
    for record in records:
        changes: list[HistoryChange] = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=HISTORY_EXCLUDED)
            changes = [
                HistoryChange(
                    field=str(fields[c.field].verbose_name).capitalize(),
                    old=_display(fields[c.field], c.old, names),
                    new=_display(fields[c.field], c.new, names),
                )
                for c in sorted(delta.changes, key=lambda c: list(fields).index(c.field))
            ]
        who = record.history_user.email if record.history_user else "System"
        what = (
            record.history_change_reason
            or {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        )
        entries.append(HistoryEntry(record.history_date, who, what, changes))
        previous = record
    return entries[::-1]


@dataclass(frozen=True)
class TimelineEvent:
    on: datetime.date
    what: str
    detail: str
    who: str


def _who(user) -> str:
    return user.email if user is not None else "System"


def placement_timeline(placement: Placement) -> list[TimelineEvent]:
    """The placement's changes of circumstance, newest first, with who recorded each.

    Three queries whatever their number: breaks, changes of provider (with both providers),
    changes of planned end date, each with the users who recorded them.
    """
    events = []
    for period in placement.breaks.select_related("recorded_by", "return_recorded_by"):
        events.append(
            TimelineEvent(
                period.started_on,
                "Break in learning started",
                f"Reason: {period.get_reason_display()}",
                _who(period.recorded_by),
            )
        )
        if period.returned_on:
            events.append(
                TimelineEvent(
                    period.returned_on,
                    "Returned to learning",
                    f"After {(period.returned_on - period.started_on).days} days",
                    _who(period.return_recorded_by),
                )
            )
    for change in placement.provider_changes.select_related(
        "recorded_by", "from_provider", "to_provider"
    ):
        events.append(
            TimelineEvent(
                change.changed_on,
                "Training provider changed",
                f"From {change.from_provider.name} to {change.to_provider.name}",
                _who(change.recorded_by),
            )
        )
    for moved in placement.planned_end_changes.select_related("recorded_by"):
        events.append(
            TimelineEvent(
                moved.changed_on,
                "Planned end date changed",
                f"From {govuk_date(moved.from_date)} to {govuk_date(moved.to_date)}: "
                f"{moved.get_reason_display()}",
                _who(moved.recorded_by),
            )
        )
    return sorted(events, key=lambda e: e.on, reverse=True)
