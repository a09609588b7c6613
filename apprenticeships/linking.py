"""One person, two boroughs: linking only with an administrator's approval.

A borough that enters someone with the ULN or email of a person only other boroughs hold is
never told so, and never shown anything of them: whatever the other details, the answer is the
one a new person gets (found in a security review: the old check said "recorded for an
apprentice whose name or date of birth is different", an oracle that gave away who was held, and
a matching row then opened the other borough's record). Instead the person is kept as entered,
on a record of their own marked `link_pending`, and a LinkRequest goes to the administrators'
queue with the evidence. Approval moves the borough's placements to the person held; refusal
takes the clashing ULN or email off the entered record. See docs/architecture.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import rules
from .models import Apprentice, LinkRequest, Placement, refresh_ages_at_start
from .validators import TEMPORARY_ULN

if TYPE_CHECKING:
    from boroughs.models import Borough
    from loti_portal.accounts.models import User

ULN, EMAIL = "ULN", "email address"


def holders(*, uln: str, email: str, other_than: int | None = None):
    """People held (not provisional) with this real ULN, else this email: (person, matched_on)."""
    others = Apprentice.objects.filter(link_pending=False)
    if other_than is not None:
        others = others.exclude(pk=other_than)
    if uln and uln != TEMPORARY_ULN:
        held = others.filter(uln=uln).first()
        if held is not None:
            return held, ULN
    if email:
        held = others.with_emails([email]).first()
        if held is not None:
            return held, EMAIL
    return None, ""


def evidence(person: Apprentice) -> dict:
    """What the borough entered, as the administrator will compare it."""
    born = person.date_of_birth
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": born.isoformat() if born else "",
        "uln": person.uln,
        "email": person.email,
    }


def new_request(
    *, person: Apprentice, held: Apprentice, matched_on: str, borough: Borough, user: User | None
) -> LinkRequest:
    """An unsaved request to link `person` (entered by `borough`) to `held`."""
    return LinkRequest(
        provisional=person,
        held=held,
        borough=borough,
        matched_on=matched_on,
        entered=evidence(person),
        requested_by=user if user is not None and user.is_authenticated else None,
    )


def details_agree(request: LinkRequest) -> bool:
    """For the administrator only: whether both names and the date of birth are the same."""
    entered, held = request.entered, request.held
    born = entered.get("date_of_birth")
    return rules.same_name_and_birth(
        entered.get("given_name", ""),
        entered.get("family_name", ""),
        datetime.date.fromisoformat(born) if born else None,
        held.given_name,
        held.family_name,
        held.date_of_birth,
    )


@transaction.atomic
def approve(*, request: LinkRequest, user: User) -> Apprentice:
    """The same person: the borough's placements move to the person held; the entered record
    goes (its history stays). Refused if another placement of theirs would be a twin."""
    locked = _pending(request)
    person, held = locked.provisional, locked.held
    placements = list(Placement.objects.filter(apprentice=person)) if person else []
    for placement in placements:
        twin = Placement.objects.filter(
            apprentice=held,
            borough=placement.borough_id,
            standard=placement.standard_id,
            start_date=placement.start_date,
        )
        if twin.exists():
            raise ValidationError(
                "The person held already has this placement (same borough, standard and start "
                "date): refuse the link, or remove one of the two placements first."
            )
    for placement in placements:
        placement.apprentice = held
        placement._history_user = user
        placement._change_reason = f"Linked to the person already held (request #{locked.pk})"
        placement.save(update_fields=["apprentice", "updated_at"])
    refresh_ages_at_start([held])
    locked.provisional = None
    _decide(locked, LinkRequest.Decision.APPROVED, user)
    if person is not None:
        person.delete()
    return held


@transaction.atomic
def refuse(*, request: LinkRequest, user: User) -> Apprentice | None:
    """Not the same person: the entered record stays the borough's, without the ULN or email
    that belongs to someone else (its history says why)."""
    locked = _pending(request)
    person = locked.provisional
    if person is not None:
        if locked.matched_on == ULN:
            person.uln = ""
        if locked.matched_on == EMAIL or (person.email and _email_clashes(person)):
            person.email = ""
        person.link_pending = False
        person._history_user = user
        person._change_reason = (
            f"An administrator could not confirm the {locked.matched_on} (request #{locked.pk})"
        )
        person.save()
    _decide(locked, LinkRequest.Decision.REFUSED, user)
    return person


def _email_clashes(person: Apprentice) -> bool:
    return Apprentice.objects.exclude(pk=person.pk).with_emails([person.email]).exists()


def _pending(request: LinkRequest) -> LinkRequest:
    # Only the request's own row: PostgreSQL cannot lock the nullable side of the outer join.
    locked = (
        LinkRequest.objects.select_for_update(of=("self",))
        .select_related("provisional", "held")
        .get(pk=request.pk)
    )
    if locked.decision != LinkRequest.Decision.PENDING:
        raise ValidationError("This request has already been decided.")
    return locked


def _decide(request: LinkRequest, decision: str, user: User) -> None:
    request.decision = decision
    request.decided_by = user
    request.decided_at = timezone.now()
    request.save()


def pending_people(ids: Iterable[int]) -> set[int]:
    """Which of these people are waiting for an administrator."""
    return set(
        Apprentice.objects.filter(pk__in=list(ids), link_pending=True).values_list("pk", flat=True)
    )
