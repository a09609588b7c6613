"""Writes to placements and apprentices (STYLE.md, "Where logic lives").

Every function is keyword-only and typed, runs `full_clean()` then `save()` inside one
transaction, and names the acting user so that the history row says who made the change.
Changes to an existing placement take the `version` the user read (optimistic locking): a save
against a version that has moved on since is refused with `StaleRecordError`, so two officers
editing the same placement never lose an update silently.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from boroughs.models import Borough

from .choices import Status
from .models import (
    Apprentice,
    EqualityMonitoring,
    Placement,
    Standard,
    TrainingProvider,
)
from .validators import TEMPORARY_ULN

if TYPE_CHECKING:
    from loti_portal.accounts.models import User

STALE_MESSAGE = (
    "This record was changed by someone else while you were working on it. "
    "The page now shows the current details: check them and make your change again."
)


class StaleRecordError(ValidationError):
    """The placement's version moved on since the user read it."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE, code="stale")


@dataclass(frozen=True)
class ApprenticeDetails:
    given_name: str
    family_name: str
    email: str = ""
    uln: str = ""
    date_of_birth: datetime.date | None = None


@dataclass(frozen=True)
class EqualityAnswers:
    sex: str = ""
    ethnic_group: str = ""
    disability: str = ""

    @property
    def any_answered(self) -> bool:
        return bool(self.sex or self.ethnic_group or self.disability)


@dataclass(frozen=True)
class PlacementDetails:
    standard: Standard
    provider: TrainingProvider
    start_date: datetime.date
    planned_end_date: datetime.date
    job_title: str = ""
    service_area: str = ""
    pays_london_living_wage: bool | None = None


def _check_choosable(
    *, standard: Standard, provider: TrainingProvider, current: Placement | None = None
) -> None:
    """Inactive standards and providers are refused for new choices; a placement keeps its own."""
    errors = {}
    if not standard.is_active and (current is None or current.standard_id != standard.pk):
        errors["standard"] = "This standard is no longer offered: choose another."
    if not provider.is_active and (current is None or current.provider_id != provider.pk):
        errors["provider"] = "This training provider is no longer active: choose another."
    if errors:
        raise ValidationError(errors)


def _save(instance, *, user: "User", reason: str = "") -> None:
    """Validate and save, writing the history row with the acting user and a reason."""
    instance.full_clean()
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save()


@transaction.atomic
def create_recruit(
    *,
    user: "User",
    borough: Borough,
    placement: PlacementDetails,
    apprentice: ApprenticeDetails | None = None,
    existing_apprentice: Apprentice | None = None,
    equality: EqualityAnswers | None = None,
) -> Placement:
    """Record a new recruit: the person (new, or one already held) and their placement.

    A start date in the future makes the placement "waiting to start"; otherwise it is in learning.
    Equality answers are stored only for a new person and only when at least one was given.
    """
    if (apprentice is None) == (existing_apprentice is None):
        raise ValueError("Give either the new apprentice's details or an existing apprentice.")
    if not Borough.objects.for_user(user).filter(pk=borough.pk).exists():
        raise ValidationError({"borough": "You cannot add recruits to this borough."})
    _check_choosable(standard=placement.standard, provider=placement.provider)
    person = existing_apprentice
    if person is None:
        _check_not_already_held(apprentice)
        person = Apprentice(**vars(apprentice))
        _save(person, user=user, reason="Added as a new recruit")
        if equality is not None and equality.any_answered:
            record = EqualityMonitoring(apprentice=person, **vars(equality))
            record.full_clean()
            record.save()
    status = (
        Status.WAITING_TO_START
        if placement.start_date > datetime.date.today()
        else Status.IN_LEARNING
    )
    new = Placement(apprentice=person, borough=borough, status=status, **vars(placement))
    twin = Placement.objects.filter(
        apprentice=person,
        borough=borough,
        standard=placement.standard,
        start_date=placement.start_date,
    )
    if twin.exists():
        raise ValidationError(
            "This apprentice already has a placement on this standard at this borough starting "
            "on that date."
        )
    _save(new, user=user, reason="Added as a new recruit")
    return new


def _check_not_already_held(details: ApprenticeDetails, *, other_than: int | None = None) -> None:
    """Say plainly what the database's unique constraints would otherwise refuse."""
    others = Apprentice.objects.exclude(pk=other_than) if other_than else Apprentice.objects
    real_uln = details.uln and details.uln != TEMPORARY_ULN
    if real_uln and others.filter(uln=details.uln).exists():
        raise ValidationError(
            {"uln": "An apprentice with this ULN is already recorded: change the details."}
        )
    if details.email and others.with_emails([details.email]).exists():
        raise ValidationError(
            {"email": "An apprentice with this email address is already recorded."}
        )


@transaction.atomic
def update_apprentice(
    *, user: "User", apprentice: Apprentice, expected_updated_at: str, details: ApprenticeDetails
) -> Apprentice:
    """Correct the person's own details (a typo in a name, a ULN that has arrived).

    The apprentice is locked and must not have changed since the form was shown (its last-change
    time stands in for a version): otherwise StaleRecordError, and nothing is written.
    """
    current = Apprentice.objects.select_for_update().get(pk=apprentice.pk)
    if current.updated_at.isoformat() != expected_updated_at:
        raise StaleRecordError()
    _check_not_already_held(details, other_than=current.pk)
    for name, value in vars(details).items():
        setattr(current, name, value)
    for placement in current.placements.all():
        placement.apprentice = current
        placement.full_clean(exclude=["apprentice", "borough", "standard", "provider"])
    _save(current, user=user, reason="Apprentice's details corrected")
    return current


def _lock(placement: Placement, expected_version: int) -> Placement:
    """Claim the placement at `expected_version`, or refuse if someone else saved it since.

    The conditional UPDATE is atomic on every database: of two saves read at the same version,
    only the first matches; on PostgreSQL the second waits for the first to commit, then finds
    the version moved on. The returned copy is fresh from the database, at the new version.
    """
    claimed = Placement.objects.filter(pk=placement.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleRecordError()
    return Placement.objects.with_related().get(pk=placement.pk)


TRANSITION_VERBS: dict[str, str] = {
    Status.IN_LEARNING: "record the start of or a return to learning for",
    Status.BREAK_IN_LEARNING: "start a break in learning for",
    Status.COMPLETED: "record the completion of",
    Status.WITHDRAWN: "record a withdrawal from",
}


def _check_transition(placement: Placement, to: str, *, only_from: str | None = None) -> None:
    from_ok = only_from is None or placement.status == only_from
    if not (placement.can_transition_to(to) and from_ok):
        current = Status(placement.status).label.lower()
        raise ValidationError(
            f"You cannot {TRANSITION_VERBS[to]} an apprenticeship that is {current}.",
            code="transition",
        )


def _check_not_future(day: datetime.date, field: str, what: str) -> None:
    if day > datetime.date.today():
        raise ValidationError({field: f"{what} must be today or in the past."})


def _check_not_before_start(placement: Placement, day: datetime.date, field: str, what: str):
    if day < placement.start_date:
        raise ValidationError(
            {field: f"{what} must be on or after the start date, {placement.start_date:%-d %B %Y}."}
        )


@transaction.atomic
def update_placement(
    *, user: "User", placement: Placement, expected_version: int, details: PlacementDetails
) -> Placement:
    """Change a placement's details (not its status: that is what the other services are for)."""
    current = _lock(placement, expected_version)
    _check_choosable(standard=details.standard, provider=details.provider, current=current)
    for name, value in vars(details).items():
        setattr(current, name, value)
    _save(current, user=user, reason="Details changed")
    return current


@transaction.atomic
def start_break(
    *,
    user: "User",
    placement: Placement,
    expected_version: int,
    started_on: datetime.date,
    reason: str,
) -> Placement:
    """Put an apprenticeship in learning on a break in learning from `started_on`."""
    current = _lock(placement, expected_version)
    _check_transition(current, Status.BREAK_IN_LEARNING)
    _check_not_future(started_on, "break_started_on", "The date the break started")
    _check_not_before_start(current, started_on, "break_started_on", "The date the break started")
    current.status = Status.BREAK_IN_LEARNING
    current.break_started_on = started_on
    current.break_reason = reason
    _save(current, user=user, reason=f"Break in learning from {started_on:%d/%m/%Y}")
    return current


@transaction.atomic
def return_from_break(
    *, user: "User", placement: Placement, expected_version: int, returned_on: datetime.date
) -> Placement:
    """End a break in learning: the apprentice is back in learning from `returned_on`."""
    current = _lock(placement, expected_version)
    _check_transition(current, Status.IN_LEARNING, only_from=Status.BREAK_IN_LEARNING)
    _check_not_future(returned_on, "returned_on", "The date they returned")
    if returned_on < current.break_started_on:
        raise ValidationError(
            {
                "returned_on": "The date they returned must be on or after the break started, "
                f"{current.break_started_on:%-d %B %Y}."
            }
        )
    current.status = Status.IN_LEARNING
    current.break_started_on = None
    current.break_reason = ""
    _save(current, user=user, reason=f"Returned from break on {returned_on:%d/%m/%Y}")
    return current


@transaction.atomic
def record_start(
    *, user: "User", placement: Placement, expected_version: int, started_on: datetime.date
) -> Placement:
    """A placement waiting to start has started: it is in learning from `started_on`."""
    current = _lock(placement, expected_version)
    _check_transition(current, Status.IN_LEARNING, only_from=Status.WAITING_TO_START)
    _check_not_future(started_on, "start_date", "The start date")
    current.status = Status.IN_LEARNING
    current.start_date = started_on
    _save(current, user=user, reason=f"Started on {started_on:%d/%m/%Y}")
    return current


def _end(current: Placement, *, status: str, ended_on: datetime.date, field: str, what: str):
    _check_transition(current, status)
    _check_not_future(ended_on, field, what)
    _check_not_before_start(current, ended_on, field, what)
    current.status = status
    current.actual_end_date = ended_on
    current.break_started_on = None
    current.break_reason = ""


@transaction.atomic
def record_completion(
    *,
    user: "User",
    placement: Placement,
    expected_version: int,
    completed_on: datetime.date,
    outcome: str,
    destination: str = "",
) -> Placement:
    """The apprentice finished: the end date, the end-point assessment outcome and what next."""
    current = _lock(placement, expected_version)
    _end(
        current,
        status=Status.COMPLETED,
        ended_on=completed_on,
        field="actual_end_date",
        what="The completion date",
    )
    current.outcome = outcome
    current.destination = destination
    _save(current, user=user, reason=f"Completed on {completed_on:%d/%m/%Y}")
    return current


@transaction.atomic
def record_withdrawal(
    *,
    user: "User",
    placement: Placement,
    expected_version: int,
    withdrawn_on: datetime.date,
    reason: str,
    destination: str = "",
) -> Placement:
    """The apprentice left before finishing: the date, why, and (if known) what next."""
    current = _lock(placement, expected_version)
    _end(
        current,
        status=Status.WITHDRAWN,
        ended_on=withdrawn_on,
        field="actual_end_date",
        what="The withdrawal date",
    )
    current.withdrawal_reason = reason
    current.destination = destination
    _save(current, user=user, reason=f"Withdrawn on {withdrawn_on:%d/%m/%Y}")
    return current
