"""Placements in each status, consistent with the model's constraints, for the tests."""

import datetime

from apprenticeships.choices import BreakReason, Outcome, Status, WithdrawalReason
from apprenticeships.factories import PlacementFactory
from apprenticeships.models import BreakInLearning

START = datetime.date(2023, 9, 4)

STATUS_FIELDS = {
    Status.WAITING_TO_START: {},
    Status.IN_LEARNING: {},
    Status.BREAK_IN_LEARNING: {},
    Status.COMPLETED: {"actual_end_date": datetime.date(2025, 3, 1), "outcome": Outcome.PASS},
    Status.WITHDRAWN: {
        "actual_end_date": datetime.date(2024, 2, 1),
        "withdrawal_reason": WithdrawalReason.RESIGNED,
    },
}


BREAK_STARTED = datetime.date(2024, 1, 8)


def placement_in(status: str, **kwargs):
    """A placement in `status`; one on a break has its open break in learning, as services keep."""
    placement = PlacementFactory(status=status, start_date=START, **STATUS_FIELDS[status], **kwargs)
    if status == Status.BREAK_IN_LEARNING:
        BreakInLearning.objects.create(
            placement=placement, started_on=BREAK_STARTED, reason=BreakReason.HEALTH
        )
    return placement


def date_post(name: str, day: datetime.date) -> dict:
    """The three boxes of a GOV.UK date input, as a browser posts them."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def admin_post_data(page, **changes) -> dict:
    """What an admin change page's form posts back, inlines included, with `changes`."""
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        data.update({management[n].html_name: management[n].value() for n in management.fields})
        for each in formset.forms:
            data.update({each[n].html_name: each[n].value() for n in each.fields})
    return {**{k: v for k, v in data.items() if v is not None}, **changes}
