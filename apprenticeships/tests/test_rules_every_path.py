"""Each placement rule, through every write path, with the same verdict and the same words.

The paths: the HR form (the add-a-recruit journey's placement page, or the completion page), a
spreadsheet row checked by the import, the admin's add form, and the service called directly.
The rules themselves are in apprenticeships/rules.py; this file proves nobody wrote one again.
"""

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apprenticeships import services
from apprenticeships.choices import Status
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.forms import CompletionForm, NewPlacementForm
from apprenticeships.imports.engine import ERROR, check_file
from apprenticeships.imports.tests.helpers import csv_bytes, good_row
from apprenticeships.models import Placement

from .helpers import date_post

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NEXT_MONTH = TODAY + datetime.timedelta(days=31)
BORN = datetime.date(2000, 5, 17)


@dataclasses.dataclass(frozen=True)
class Case:
    """A new placement that breaks (or meets) one rule: what differs from a good one."""

    start: datetime.date = datetime.date(2024, 9, 2)
    planned_end: datetime.date = datetime.date(2026, 3, 2)
    born: datetime.date = BORN
    inactive_standard: bool = False
    inactive_provider: bool = False


PLACEMENT_CASES = {
    "an inactive standard": (
        Case(inactive_standard=True),
        "ST0999 is no longer offered, so it cannot be chosen: choose another.",
    ),
    "an inactive provider": (
        Case(inactive_provider=True),
        "Closed College is no longer active, so it cannot be chosen: choose another.",
    ),
    "under the minimum age": (
        Case(born=datetime.date(2008, 9, 3)),
        "The apprentice would be 15 on the start date: apprentices must be at least 16.",
    ),
    "planned end before the start": (
        Case(planned_end=datetime.date(2024, 9, 1)),
        "Planned end date must be after the start date.",
    ),
}


@pytest.fixture
def world(hackney):
    return {
        "standard": StandardFactory(reference="ST0116"),
        "retired_standard": StandardFactory(reference="ST0999", is_active=False),
        "provider": TrainingProviderFactory(ukprn="10012345", name="Good Training Ltd"),
        "retired_provider": TrainingProviderFactory(
            ukprn="10099999", name="Closed College", is_active=False
        ),
        "borough": hackney,
    }


def _chosen(world, case: Case):
    standard = world["retired_standard" if case.inactive_standard else "standard"]
    provider = world["retired_provider" if case.inactive_provider else "provider"]
    return standard, provider


def through_form(world, user, case: Case) -> list[str]:
    standard, provider = _chosen(world, case)
    form = NewPlacementForm(
        {
            "standard": standard.pk,
            "provider": provider.pk,
            **date_post("start_date", case.start),
            **date_post("planned_end_date", case.planned_end),
        },
        user=user,
        date_of_birth=case.born,
    )
    return [] if form.is_valid() else [m for errors in form.errors.values() for m in errors]


def through_import(world, user, case: Case) -> list[str]:
    standard, provider = _chosen(world, case)
    row = good_row(
        1,
        date_of_birth=case.born.strftime("%d/%m/%Y"),
        standard_reference=standard.reference,
        provider_ukprn=provider.ukprn,
        start_date=case.start.strftime("%d/%m/%Y"),
        planned_end_date=case.planned_end.strftime("%d/%m/%Y"),
        status="",
    )
    result = check_file(content=csv_bytes([row]), file_name="p.csv", borough=world["borough"])
    return [error.message for error in result.rows[0].errors]


def through_admin(world, client, case: Case) -> list[str]:
    standard, provider = _chosen(world, case)
    apprentice = ApprenticeFactory(date_of_birth=case.born)
    response = client.post(
        reverse("admin:apprenticeships_placement_add"),
        {
            "apprentice": apprentice.pk,
            "borough": world["borough"].pk,
            "standard": standard.pk,
            "provider": provider.pk,
            "start_date": case.start.isoformat(),
            "planned_end_date": case.planned_end.isoformat(),
            **_empty_inlines(),
        },
    )
    if response.status_code == 302:
        return []
    form = response.context["adminform"].form
    return [m for errors in form.errors.values() for m in errors]


def _empty_inlines() -> dict:
    data = {}
    for prefix in ("breaks", "provider_changes", "planned_end_changes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def through_service(world, user, case: Case) -> list[str]:
    standard, provider = _chosen(world, case)
    try:
        services.create_recruit(
            user=user,
            borough=world["borough"],
            apprentice=services.ApprenticeDetails(
                given_name="Ada", family_name="Lovelace", date_of_birth=case.born
            ),
            placement=services.PlacementDetails(
                standard=standard,
                provider=provider,
                start_date=case.start,
                planned_end_date=case.planned_end,
            ),
        )
    except ValidationError as invalid:
        return invalid.messages
    return []


@pytest.mark.parametrize("path", ["form", "import", "admin", "service"])
@pytest.mark.parametrize("rule", list(PLACEMENT_CASES))
def test_each_placement_rule_says_the_same_on_every_path(
    rule, path, world, hackney_hr, otp_admin_client
):
    case, message = PLACEMENT_CASES[rule]
    said = {
        "form": lambda: through_form(world, hackney_hr, case),
        "import": lambda: through_import(world, hackney_hr, case),
        "admin": lambda: through_admin(world, otp_admin_client, case),
        "service": lambda: through_service(world, hackney_hr, case),
    }[path]()
    assert said == [message]
    assert not Placement.objects.exists()


@pytest.mark.parametrize("path", ["form", "import", "admin", "service"])
def test_a_good_placement_passes_every_path(path, world, hackney_hr, otp_admin_client):
    case = Case()
    said = {
        "form": lambda: through_form(world, hackney_hr, case),
        "import": lambda: through_import(world, hackney_hr, case),
        "admin": lambda: through_admin(world, otp_admin_client, case),
        "service": lambda: through_service(world, hackney_hr, case),
    }[path]()
    assert said == []


def _status_of_new(path, world, user, client) -> str:
    """A placement starting next month, entered by `path` without a status."""
    case = Case(start=NEXT_MONTH, planned_end=NEXT_MONTH + datetime.timedelta(days=500))
    if path == "import":
        from apprenticeships.imports.services import commit_import, record_check

        content = csv_bytes(
            [
                good_row(
                    1,
                    start_date=case.start.strftime("%d/%m/%Y"),
                    planned_end_date=case.planned_end.strftime("%d/%m/%Y"),
                    status="",
                )
            ]
        )
        result = check_file(content=content, file_name="p.csv", borough=world["borough"])
        run = record_check(
            borough=world["borough"], user=user, file_name="p.csv", content=content, result=result
        )
        commit_import(run=run, user=user)
    elif path == "admin":
        assert through_admin(world, client, case) == []
    else:  # the web journey saves through the service
        assert through_service(world, user, case) == []
    return Placement.objects.get().status


@pytest.mark.parametrize("path", ["import", "admin", "service"])
def test_a_future_start_is_waiting_to_start_on_every_path(
    path, world, hackney_hr, otp_admin_client
):
    assert _status_of_new(path, world, hackney_hr, otp_admin_client) == Status.WAITING_TO_START


FUTURE_COMPLETION = "The completion date must be today or in the past."


def test_a_future_completion_is_refused_by_the_form_and_service(world, hackney_hr):
    placement = PlacementFactory(borough=world["borough"], start_date=datetime.date(2024, 9, 2))
    form = CompletionForm(
        {"version": 1, "outcome": "pass", **date_post("actual_end_date", NEXT_MONTH)}
    )
    assert form.is_valid()  # the form reads the boxes; the rule is the service's (rules.py)
    with pytest.raises(ValidationError) as caught:
        services.record_completion(
            user=hackney_hr,
            placement=placement,
            expected_version=1,
            completed_on=NEXT_MONTH,
            outcome="pass",
            confirmed_early=True,
        )
    assert caught.value.message_dict["actual_end_date"] == [FUTURE_COMPLETION]


def test_a_future_completion_is_refused_by_the_import(world, hackney_hr):
    row = good_row(
        1, status="Completed", outcome="Pass", actual_end_date=NEXT_MONTH.strftime("%d/%m/%Y")
    )
    result = check_file(content=csv_bytes([row]), file_name="p.csv", borough=world["borough"])
    assert result.rows[0].outcome == ERROR
    assert [e.message for e in result.rows[0].errors] == [FUTURE_COMPLETION]


def test_the_admin_cannot_change_a_status_at_all(world, otp_admin_client):
    """Changes of circumstance are recorded on the portal's pages, which keep them as records."""
    placement = PlacementFactory(borough=world["borough"])
    page = otp_admin_client.get(
        reverse("admin:apprenticeships_placement_change", args=[placement.pk])
    )
    form = page.context["adminform"].form
    assert not {"status", "actual_end_date", "outcome", "withdrawal_reason"} & set(form.fields)
