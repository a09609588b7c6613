"""UK GDPR duties towards apprentices: subject access exports and anonymisation after retention.

See docs/data-protection.md for the policy these functions carry out.
"""

import datetime
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Apprentice, EqualityMonitoring, LinkRequest, Placement

ANONYMISED_GIVEN_NAME = "Anonymised"
ANONYMISED_FAMILY_NAME = "apprentice"
CHANGE_REASON = "Anonymised after the retention period"

PERSONAL_FIELDS = ("given_name", "family_name", "email", "uln", "date_of_birth")
PLACEMENT_FIELDS = (
    "job_title",
    "service_area",
    "start_date",
    "planned_end_date",
    "actual_end_date",
    "status",
    "withdrawal_reason",
    "outcome",
    "destination",
    "pays_london_living_wage",
)


# --- Subject access ---------------------------------------------------------------------------


def _history_rows(history: QuerySet, fields: tuple[str, ...]) -> list[dict]:
    # Who made each change is left out: that is the staff member's data, not the apprentice's.
    return [
        {
            "changed_at": row["history_date"].isoformat(),
            "change": {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]],
            "reason": row["history_change_reason"] or "",
            **{field: row[field] for field in fields},
        }
        for row in history.order_by("history_date", "history_id").values(
            "history_date", "history_type", "history_change_reason", *fields
        )
    ]


def _placement_export(placement: Placement) -> dict:
    return {
        "borough": placement.borough.name,
        "standard": f"{placement.standard.reference} {placement.standard.title}",
        "training_provider": f"{placement.provider.name} (UKPRN {placement.provider.ukprn})",
        **{field: getattr(placement, field) for field in PLACEMENT_FIELDS},
        "breaks_in_learning": list(
            placement.breaks.order_by("started_on").values("started_on", "reason", "returned_on")
        ),
        "changes_of_training_provider": [
            {"changed_on": c.changed_on, "from": c.from_provider.name, "to": c.to_provider.name}
            for c in placement.provider_changes.select_related("from_provider", "to_provider")
        ],
        "changes_of_planned_end_date": list(
            placement.planned_end_changes.values("changed_on", "from_date", "to_date", "reason")
        ),
        "history": _history_rows(
            Placement.history.filter(id=placement.pk), ("borough_id", *PLACEMENT_FIELDS)
        ),
    }


def export_apprentice(*, apprentice: Apprentice) -> dict:
    """Everything the portal holds about one person, history included (a subject access request).

    Values are Python objects (dates); the command serialises them as JSON.
    """
    try:
        equality = apprentice.equality_monitoring
    except EqualityMonitoring.DoesNotExist:
        equality = None
    placements = Placement.objects.with_related().filter(apprentice=apprentice).order_by("pk")
    return {
        "exported_at": timezone.now().isoformat(),
        "apprentice": {
            "id": apprentice.pk,
            **{field: getattr(apprentice, field) for field in PERSONAL_FIELDS},
            "is_demo": apprentice.is_demo,
            "anonymised_at": apprentice.anonymised_at,
            "created_at": apprentice.created_at,
            "updated_at": apprentice.updated_at,
        },
        "equality_monitoring": None
        if equality is None
        else {
            "sex": equality.get_sex_display() if equality.sex else "",
            "ethnic_group": equality.get_ethnic_group_display() if equality.ethnic_group else "",
            "disability": equality.get_disability_display() if equality.disability else "",
        },
        "placements": [_placement_export(placement) for placement in placements],
        # What a borough entered about them when asking to link records (linking.py).
        "link_requests": list(
            LinkRequest.objects.filter(Q(provisional=apprentice) | Q(held=apprentice)).values(
                "requested_at", "borough__name", "entered", "decision", "decided_at"
            )
        ),
        "history": _history_rows(Apprentice.history.filter(id=apprentice.pk), PERSONAL_FIELDS),
    }


# --- Anonymisation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Anonymised:
    """What anonymising one apprentice did (no personal data: it is printed)."""

    apprentice_id: int
    placements: int
    last_ended_on: datetime.date
    history_rows: int  # including the one the anonymisation itself adds


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_reference_dates(placement_starts: list[datetime.date]) -> list[datetime.date]:
    """The days an age band can be taken on: each start, and the 31 August before it (ILR)."""
    dates = []
    for start in placement_starts:
        august_31 = datetime.date(start.year if start.month > 8 else start.year - 1, 8, 31)
        dates += [start, august_31]
    return dates


def coarse_date_of_birth(
    born: datetime.date, reference_dates: list[datetime.date]
) -> datetime.date:
    """A less precise date of birth that gives the same age on every reference date.

    Prefers 1 July of the birth year (keeps only the year), then 1 January, then the 1st of the
    birth month, then the earliest later day of that month that still gives the same ages. The
    true date always qualifies, so there is always an answer; any day chosen after the 1st is
    determined by the ages and start dates the record keeps anyway, so it reveals nothing more.
    """
    candidates = [
        datetime.date(born.year, 7, 1),
        datetime.date(born.year, 1, 1),
        *(born.replace(day=day) for day in range(1, born.day + 1)),
    ]
    for candidate in candidates:
        if all(_age_on(candidate, day) == _age_on(born, day) for day in reference_dates):
            return candidate
    return born  # Unreachable: `born` is the last candidate.


def expired_apprentices(*, ended_before: datetime.date) -> QuerySet[Apprentice]:
    """Apprentices not yet anonymised whose placements all ended before `ended_before`.

    An open placement (no actual end date) or one ending on or after the date keeps the person.
    """
    placements = Placement.objects.filter(apprentice=OuterRef("pk"))
    still_held = placements.filter(
        Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=ended_before)
    )
    return (
        Apprentice.objects.filter(anonymised_at__isnull=True)
        .filter(Exists(placements))
        .exclude(Exists(still_held))
        .order_by("pk")
    )


def _anonymise_one(apprentice: Apprentice, now: datetime.datetime, dry_run: bool) -> Anonymised:
    dates = list(apprentice.placements.values_list("start_date", "actual_end_date"))
    starts = [start for start, _ in dates]
    done = Anonymised(
        apprentice_id=apprentice.pk,
        placements=len(dates),
        last_ended_on=max(end for _, end in dates),
        history_rows=Apprentice.history.filter(id=apprentice.pk).count() + 1,
    )
    if dry_run:
        return done
    replacement = {
        "given_name": ANONYMISED_GIVEN_NAME,
        "family_name": ANONYMISED_FAMILY_NAME,
        "email": "",
        "uln": "",
        "date_of_birth": apprentice.date_of_birth
        and coarse_date_of_birth(apprentice.date_of_birth, age_reference_dates(starts)),
    }
    for field, value in replacement.items():
        setattr(apprentice, field, value)
    apprentice.anonymised_at = now
    apprentice.full_clean()
    apprentice._change_reason = CHANGE_REASON
    apprentice.save()
    # Earlier history rows still hold the old values: overwrite them too.
    Apprentice.history.filter(id=apprentice.pk).update(**replacement)
    return done


def anonymise_expired(*, ended_before: datetime.date, dry_run: bool = False) -> list[Anonymised]:
    """Replace the personal fields of every expired apprentice, in their history rows too.

    Placements and equality monitoring rows are kept as they are, so every aggregate figure (by
    borough, status, standard, age band at start, London-wide equality) is unchanged. All or
    nothing: one transaction. With `dry_run`, reports what it would do and changes nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        # Locked so that an edit in the portal cannot slip in between the check and the change.
        apprentices = expired_apprentices(ended_before=ended_before).select_for_update()
        done = [_anonymise_one(apprentice, now, dry_run) for apprentice in apprentices]
        if not dry_run:
            ids = [d.apprentice_id for d in done]
            _forget_admin_log_names(ids)
            _forget_link_evidence(ids)
            purge_import_files(created_before=ended_before)
        return done


def _forget_admin_log_names(apprentice_ids: list[int]) -> None:
    """The admin's own log keeps each record's name as it was (LogEntry.object_repr)."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Apprentice),
        object_id__in=[str(pk) for pk in apprentice_ids],
    ).update(object_repr=f"{ANONYMISED_GIVEN_NAME} {ANONYMISED_FAMILY_NAME}")


def _forget_link_evidence(apprentice_ids: list[int]) -> None:
    """A link request keeps what a borough entered (apprenticeships/linking.py): names, date of
    birth, ULN and email, as evidence for the administrator; it goes with the person."""
    LinkRequest.objects.filter(
        Q(provisional_id__in=apprentice_ids) | Q(held_id__in=apprentice_ids)
    ).update(entered={})


def purge_import_files(*, created_before: datetime.date) -> int:
    """Empty the stored spreadsheets and row-by-row reports of imports made before the date.

    They hold names, ULNs and equality answers as uploaded, saved or not; the run itself (who,
    when, which borough, how many rows were new, updated or unchanged) is kept. Returns how many
    runs were emptied.
    """
    from apprenticeships.imports.models import ImportRun

    return (
        ImportRun.objects.filter(created_at__date__lt=created_before)
        .exclude(content=b"", report={})
        .update(content=b"", report={})
    )
