"""Placements in each status, consistent with the model's constraints, for the tests."""

import datetime

from apprenticeships.choices import BreakReason, Outcome, Status, WithdrawalReason
from apprenticeships.factories import PlacementFactory

START = datetime.date(2023, 9, 4)

STATUS_FIELDS = {
    Status.WAITING_TO_START: {},
    Status.IN_LEARNING: {},
    Status.BREAK_IN_LEARNING: {
        "break_started_on": datetime.date(2024, 1, 8),
        "break_reason": BreakReason.HEALTH,
    },
    Status.COMPLETED: {"actual_end_date": datetime.date(2025, 3, 1), "outcome": Outcome.PASS},
    Status.WITHDRAWN: {
        "actual_end_date": datetime.date(2024, 2, 1),
        "withdrawal_reason": WithdrawalReason.RESIGNED,
    },
}


def placement_in(status: str, **kwargs):
    return PlacementFactory(status=status, start_date=START, **STATUS_FIELDS[status], **kwargs)


def date_post(name: str, day: datetime.date) -> dict:
    """The three boxes of a GOV.UK date input, as a browser posts them."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
