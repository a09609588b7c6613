"""Writes to placements and apprentices (docs/architecture.md, "Where each kind of rule lives").

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
from loti_portal.dates import govuk_date

from . import linking, rules
from .choices import PlannedEndChangeReason, Status
from .models import (
    Apprentice,
    BreakInLearning,
    EqualityMonitoring,
    Placement,
    PlannedEndChange,
    ProviderChange,
    Standard,
    TrainingProvider,
    refresh_ages_at_start,
)

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


def _save(instance, *, user: "User | None", reason: str = "") -> None:
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

    The status follows from the start date (rules.initial_status). Equality answers are stored
    only for a new person and only when at least one was given.
    """
    if (apprentice is None) == (existing_apprentice is None):
        raise ValueError("Give either the new apprentice's details or an existing apprentice.")
    if not Borough.objects.for_user(user).filter(pk=borough.pk).exists():
        raise ValidationError({"borough": "You cannot add recruits to this borough."})
    person = existing_apprentice
    if person is None:
        assert apprentice is not None  # noqa: S101 - the either/or check above
        held, matched_on = _held_elsewhere(apprentice, user=user)
        person = Apprentice(**vars(apprentice), link_pending=held is not None)
        _save(person, user=user, reason="Added as a new recruit")
        if held is not None:
            _request_link(person, held, matched_on, borough=borough, user=user)
        if equality is not None and equality.any_answered:
            record = EqualityMonitoring(apprentice=person, **vars(equality))
            record.full_clean()
            record.save()
    status = rules.initial_status(placement.start_date, datetime.date.today())
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


def _held_elsewhere(
    details: ApprenticeDetails, *, user: "User", other_than: int | None = None
) -> tuple[Apprentice | None, str]:
    """Who already holds this ULN or email, if only other boroughs do (linking.py).

    Someone this user can see is named plainly, as the database's unique constraints would
    otherwise refuse it; someone they cannot see is never mentioned: the person is kept as
    entered and an administrator asked to link them.
    """
    held, matched_on = linking.holders(uln=details.uln, email=details.email, other_than=other_than)
    if held is None:
        return None, ""
    if Apprentice.objects.for_user(user).filter(pk=held.pk).exists():
        field = "uln" if matched_on == linking.ULN else "email"
        message = f"An apprentice with this {matched_on} is already recorded: change the details."
        raise ValidationError({field: message})
    return held, matched_on


def _request_link(person: Apprentice, held: Apprentice, matched_on: str, *, borough, user) -> None:
    request = linking.new_request(
        person=person, held=held, matched_on=matched_on, borough=borough, user=user
    )
    request.save()


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
    held, matched_on = _held_elsewhere(details, user=user, other_than=current.pk)
    for name, value in vars(details).items():
        setattr(current, name, value)
    current.link_pending = current.link_pending or held is not None
    for placement in current.placements.all():
        placement.apprentice = current
        placement.full_clean(exclude=["apprentice", "borough", "standard", "provider"])
    _save(current, user=user, reason="Apprentice's details corrected")
    refresh_ages_at_start([current])
    if held is not None:
        borough = Borough.objects.for_user(user).filter(placements__apprentice=current).first()
        _request_link(current, held, matched_on, borough=borough, user=user)
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


def _check_action(placement: Placement, key: str) -> None:
    refused = rules.action_refused(key, placement.status)
    if refused:
        raise ValidationError(refused, code="transition")


def _check_date(message: str | None, field: str) -> None:
    if message:
        raise ValidationError({field: message})


def planned_end_change(
    current: Placement,
    *,
    from_date: datetime.date,
    user: "User | None",
    on: datetime.date,
    reason: str,
) -> PlannedEndChange | None:
    """The record of a move of the planned end date (unsaved), or None if it did not move.

    Every path that can move it keeps one: the edit page, a return from a break, the admin, the
    import (in bulk).
    """
    if current.planned_end_date == from_date:
        return None
    if not reason:
        raise ValidationError(
            {"planned_end_reason": "Select why the planned end date has changed."}
        )
    return PlannedEndChange(
        placement=current,
        changed_on=on,
        from_date=from_date,
        to_date=current.planned_end_date,
        reason=reason,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        is_demo=current.is_demo,
    )


def provider_change(
    current: Placement, *, from_provider_id: int, user: "User | None", on: datetime.date
) -> ProviderChange | None:
    """The record of a change of training provider (unsaved), or None if it did not change."""
    if current.provider_id == from_provider_id:
        return None
    return ProviderChange(
        placement=current,
        changed_on=on,
        from_provider_id=from_provider_id,
        to_provider=current.provider,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        is_demo=current.is_demo,
    )


def _keep(*records) -> None:
    for record in records:
        if record is not None:
            record.full_clean()
            record.save()


@transaction.atomic
def update_placement(
    *,
    user: "User",
    placement: Placement,
    expected_version: int,
    details: PlacementDetails,
    planned_end_reason: str = "",
) -> Placement:
    """Change a placement's details (not its status: that is what the other services are for).

    A new planned end date is kept as a change with its reason; a new training provider as a
    change of provider dated today (the "change training provider" page takes another date).
    """
    current = _lock(placement, expected_version)
    old_end, old_provider = current.planned_end_date, current.provider_id
    for name, value in vars(details).items():
        setattr(current, name, value)
    today = datetime.date.today()
    end_change = planned_end_change(
        current, from_date=old_end, user=user, on=today, reason=planned_end_reason
    )
    moved = provider_change(current, from_provider_id=old_provider, user=user, on=today)
    _save(current, user=user, reason="Details changed")
    _keep(end_change, moved)
    return current


@transaction.atomic
def change_provider(
    *,
    user: "User",
    placement: Placement,
    expected_version: int,
    changed_on: datetime.date,
    provider: TrainingProvider,
) -> Placement:
    """The apprentice moved to another training provider on `changed_on`; the old one is kept."""
    current = _lock(placement, expected_version)
    _check_action(current, rules.CHANGE_PROVIDER)
    if provider.pk == current.provider_id:
        raise ValidationError({"provider": f"{provider.name} is already the training provider."})
    _check_date(
        rules.not_in_future(changed_on, "The date of the change", datetime.date.today()),
        "changed_on",
    )
    _check_date(
        rules.not_before(
            changed_on, current.start_date, "The date of the change", "the start date"
        ),
        "changed_on",
    )
    old_provider = current.provider_id
    current.provider = provider
    _save(current, user=user, reason=f"Training provider changed on {govuk_date(changed_on)}")
    _keep(provider_change(current, from_provider_id=old_provider, user=user, on=changed_on))
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
    _check_action(current, rules.BREAK)
    period = BreakInLearning(
        placement=current,
        started_on=started_on,
        reason=reason,
        recorded_by=user,
        is_demo=current.is_demo,
    )
    period.full_clean()
    current.status = Status.BREAK_IN_LEARNING
    _save(current, user=user, reason=f"Break in learning from {govuk_date(started_on)}")
    period.save()
    return current


@transaction.atomic
def return_from_break(
    *,
    user: "User",
    placement: Placement,
    expected_version: int,
    returned_on: datetime.date,
    planned_end_date: datetime.date | None = None,
) -> Placement:
    """End a break in learning: back in learning from `returned_on`; the break stays on record.

    `planned_end_date`, if given and different, is the revised planned end (the return page
    offers the old one moved by the length of the break); the move is kept with its reason.
    """
    current = _lock(placement, expected_version)
    _check_action(current, rules.RETURN)
    period = current.breaks.select_for_update().get(returned_on__isnull=True)
    period.returned_on = returned_on
    period.return_recorded_by = user
    period.full_clean()
    old_end = current.planned_end_date
    current.status = Status.IN_LEARNING
    if planned_end_date is not None:
        current.planned_end_date = planned_end_date
    end_change = planned_end_change(
        current, from_date=old_end, user=user, on=returned_on, reason=PlannedEndChangeReason.BREAK
    )
    _save(current, user=user, reason=f"Returned from break on {govuk_date(returned_on)}")
    period.save()
    _keep(end_change)
    return current


@transaction.atomic
def record_start(
    *, user: "User", placement: Placement, expected_version: int, started_on: datetime.date
) -> Placement:
    """A placement waiting to start has started: it is in learning from `started_on`."""
    current = _lock(placement, expected_version)
    _check_action(current, rules.START)
    _check_date(
        rules.not_in_future(started_on, "The start date", datetime.date.today()), "start_date"
    )
    current.status = Status.IN_LEARNING
    current.start_date = started_on
    _save(current, user=user, reason=f"Started on {govuk_date(started_on)}")
    return current


def _end(current: Placement, *, status: str, key: str, ended_on: datetime.date) -> None:
    """Close the placement (and any open break, which ends the day it ended)."""
    _check_action(current, key)
    current.status = status
    current.actual_end_date = ended_on
    open_break = current.breaks.filter(returned_on__isnull=True).first()
    if open_break is not None:
        open_break.returned_on = max(ended_on, open_break.started_on)
        open_break.save(update_fields=["returned_on"])


@transaction.atomic
def record_completion(
    *,
    user: "User",
    placement: Placement,
    expected_version: int,
    completed_on: datetime.date,
    outcome: str,
    destination: str = "",
    confirmed_early: bool = False,
) -> Placement:
    """The apprentice finished: the end date, the end-point assessment outcome and what next.

    Completing more than three months before the planned end must be confirmed
    (`confirmed_early`): otherwise a ValidationError with code "confirm_early".
    """
    current = _lock(placement, expected_version)
    if not confirmed_early and rules.completes_early(current.planned_end_date, completed_on):
        raise ValidationError(
            {
                "actual_end_date": ValidationError(
                    rules.early_completion_message(current.planned_end_date),
                    code="confirm_early",
                )
            }
        )
    _end(current, status=Status.COMPLETED, key=rules.COMPLETE, ended_on=completed_on)
    current.outcome = outcome
    current.destination = destination
    _save(current, user=user, reason=f"Completed on {govuk_date(completed_on)}")
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
    _end(current, status=Status.WITHDRAWN, key=rules.WITHDRAW, ended_on=withdrawn_on)
    current.withdrawal_reason = reason
    current.destination = destination
    _save(current, user=user, reason=f"Withdrawn on {govuk_date(withdrawn_on)}")
    return current
