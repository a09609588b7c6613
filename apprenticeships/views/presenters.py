"""Rows for the GOV.UK summary lists, formatted here so that templates only present them."""

import datetime

from loti_portal.dates import govuk_date

from ..models import Apprentice, Placement
from ..validators import TEMPORARY_ULN


def _date(value: datetime.date | None) -> str:
    return govuk_date(value)


def uln_for_display(uln: str) -> str:
    """A blank ULN and the placeholder 9999999999 both mean the real one is awaited."""
    return "Not known yet" if uln in ("", TEMPORARY_ULN) else uln


def _yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not known")


def apprentice_rows(apprentice: Apprentice, change_url: str = "") -> list[dict]:
    """The person's details. Equality monitoring is never shown per person (see
    docs/data-protection.md)."""
    rows = [
        {"key": "Name", "value": apprentice.full_name},
        {"key": "Date of birth", "value": _date(apprentice.date_of_birth)},
        {"key": "Email address", "value": apprentice.email},
        {"key": "ULN", "value": uln_for_display(apprentice.uln)},
    ]
    if change_url:
        for row in rows:
            row.update(href=change_url, visually_hidden=row["key"].lower())
    return rows


def placement_rows(placement: Placement, *, short: bool = False) -> list[dict]:
    rows = [
        {"key": "Status", "value": placement.get_status_display()},
        {"key": "Borough", "value": placement.borough.name},
        {"key": "Start date", "value": _date(placement.start_date)},
        {"key": "Training provider", "value": _provider(placement)},
    ]
    if short:
        return [{"key": "Apprentice", "value": placement.apprentice.full_name}, *rows]
    rows += [
        {"key": "Planned end date", "value": _date(placement.planned_end_date)},
        {"key": "Apprenticeship standard", "value": str(placement.standard)},
        {"key": "Job title", "value": placement.job_title},
        {"key": "Service area", "value": placement.service_area},
        {
            "key": "Pay meets the London Living Wage",
            "value": _yes_no(placement.pays_london_living_wage),
        },
    ]
    if placement.is_ended:
        rows.append({"key": "Actual end date", "value": _date(placement.actual_end_date)})
    if placement.withdrawal_reason:
        rows.append(
            {"key": "Reason for withdrawal", "value": placement.get_withdrawal_reason_display()}
        )
    if placement.outcome:
        rows.append({"key": "Outcome", "value": placement.get_outcome_display()})
    if placement.is_ended:
        rows.append({"key": "Went on to", "value": placement.get_destination_display()})
    return rows


def _provider(placement: Placement) -> str:
    name = str(placement.provider)
    return name if placement.provider.is_active else f"{name} (no longer active)"
