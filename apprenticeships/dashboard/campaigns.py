"""The campaigns page: every campaign, past, open and upcoming, with its status and recruits.

Recruits are counted as the dashboard counts them (`queries.recruiting_placements`), every
campaign in one query (`queries.recruits_by_day_of_scopes`); the status is
`progress.campaign_status`, the rule the dashboard's headline uses. A campaign's status is
London-wide, from all of its boroughs' recruits. LOTI staff and admins see every campaign and
its London-wide recruited of target, a count of 1 to 4 withheld as on the headline. Borough HR see
the campaigns that include one of their boroughs, and their own boroughs' recruits (exact: they
can open those records) beside their own pledge, never London's count.

Queries, however many campaigns: the campaigns, their boroughs, the recruits; for borough HR also
their boroughs and their pledges.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from apprenticeships.models import Pledge, RecruitmentTarget
from boroughs.models import Borough

from . import queries
from .progress import campaign_status
from .suppression import FEWER_THAN_5, is_small


@dataclass(frozen=True)
class CampaignRow:
    target: RecruitmentTarget
    borough_count: int
    status: str  # a CampaignStatus, London-wide
    reached_on: datetime.date | None
    recruited_text: str  # London-wide (suppressed) for LOTI; the user's boroughs for HR
    percent: int | None  # of the London target; LOTI only, None when withheld
    own_boroughs: tuple[Borough, ...] = ()  # HR: their boroughs in the campaign
    pledged: int | None = None  # HR: their boroughs' pledges added up; None if none pledged


def _scope(target: RecruitmentTarget, boroughs, today: datetime.date) -> queries.Scope:
    return queries.Scope(
        target=target,
        boroughs=tuple(boroughs),
        start_from=None,
        start_to=None,
        today=today,
        is_london_wide=False,  # no equality figures are read here
    )


def campaign_rows(user, today: datetime.date) -> list[CampaignRow]:
    """Every campaign this user may see, newest first, with its status and recruits."""
    targets = list(
        RecruitmentTarget.objects.order_by("-opens_on", "name").prefetch_related(
            Prefetch("boroughs", queryset=Borough.objects.order_by("name"))
        )
    )
    hr = user.is_borough_hr
    mine: set[int] = set()
    pledges: dict[tuple[int, int], int] = {}
    if hr:
        mine = set(Borough.objects.for_user(user).values_list("pk", flat=True))
        targets = [t for t in targets if any(b.pk in mine for b in t.boroughs.all())]
        pledges = {
            (p["target_id"], p["borough_id"]): p["number"]
            for p in Pledge.objects.filter(borough_id__in=mine).values(
                "target_id", "borough_id", "number"
            )
        }
    scopes = [_scope(t, t.boroughs.all(), today) for t in targets]
    if hr:
        scopes += [_scope(t, [b for b in t.boroughs.all() if b.pk in mine], today) for t in targets]
    by_day = queries.recruits_by_day_of_scopes(scopes)

    rows = []
    for i, target in enumerate(targets):
        london = by_day[i]
        reached_on = queries.nth_recruit_start(london, target.target_number)
        status = campaign_status(
            opens_on=target.opens_on,
            closes_on=target.closes_on,
            today=today,
            reached_on=reached_on,
        )
        boroughs = list(target.boroughs.all())
        if hr:
            own = tuple(b for b in boroughs if b.pk in mine)
            numbers = [pledges[(target.pk, b.pk)] for b in own if (target.pk, b.pk) in pledges]
            rows.append(
                CampaignRow(
                    target=target,
                    borough_count=len(boroughs),
                    status=status,
                    reached_on=reached_on,
                    recruited_text=f"{sum(by_day[len(targets) + i].values()):,}",
                    percent=None,
                    own_boroughs=own,
                    pledged=sum(numbers) if numbers else None,
                )
            )
            continue
        recruited = sum(london.values())
        hidden = is_small(recruited)
        percent = int(
            (Decimal(recruited * 100) / target.target_number).to_integral_value(ROUND_HALF_UP)
        )
        rows.append(
            CampaignRow(
                target=target,
                borough_count=len(boroughs),
                status=status,
                reached_on=reached_on,
                recruited_text=FEWER_THAN_5 if hidden else f"{recruited:,}",
                percent=None if hidden else percent,
            )
        )
    return rows
