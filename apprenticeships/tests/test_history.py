"""The placement page's history: who, when and what changed, in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from apprenticeships import services
from apprenticeships.choices import BreakReason, Status
from apprenticeships.factories import StandardFactory
from apprenticeships.queries import placement_history

from .helpers import placement_in


def _break_and_return(placement, user, times):
    for _ in range(times):
        placement = services.start_break(
            user=user,
            placement=placement,
            expected_version=placement.version,
            started_on=datetime.date(2024, 1, 8),
            reason=BreakReason.HEALTH,
        )
        placement = services.return_from_break(
            user=user,
            placement=placement,
            expected_version=placement.version,
            returned_on=datetime.date(2024, 2, 5),
        )
    return placement


def test_history_names_the_user_and_the_fields_changed(hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    new_standard = StandardFactory(title="Data analyst")
    services.update_placement(
        user=hackney_hr,
        placement=placement,
        expected_version=1,
        details=services.PlacementDetails(
            standard=new_standard,
            provider=placement.provider,
            start_date=placement.start_date,
            planned_end_date=placement.planned_end_date,
            job_title="Junior data analyst",
        ),
    )
    latest = placement_history(placement)[0]
    assert latest.who == "hr@hackney.example"
    assert latest.what == "Details changed"
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes["Job title"] == ("Apprentice software developer", "Junior data analyst")
    assert changes["Standard"][1] == str(new_standard)
    assert "Version" not in changes


@pytest.mark.parametrize("cycles", [1, 20])
def test_placement_page_queries_do_not_grow_with_history(
    client, hackney_hr, hackney, cycles, django_assert_num_queries
):
    placement = _break_and_return(
        placement_in(Status.IN_LEARNING, borough=hackney), hackney_hr, cycles
    )
    client.force_login(hackney_hr)
    # 1 session, 2 user, 3 placement with apprentice/borough/standard/provider, the timeline's
    # 4 breaks, 5 changes of provider and 6 of planned end date (each with its users), 7 history
    # rows with their users, 8 standards and 9 providers named in them, 10-12 savepoint, session
    # save, release.
    with django_assert_num_queries(12):
        response = client.get(reverse("apprenticeships:placement_detail", args=[placement.pk]))
    page = response.content.decode()
    assert page.count("Returned from break on 5 February 2024") == cycles
    # Every break stays on the timeline after the return.
    assert page.count("Break in learning started") == cycles
    assert page.count("Returned to learning") == cycles
    assert "Status: Break in learning → In learning" in page
    assert "hr@hackney.example" in page


def test_history_rows_are_written_for_apprentice_and_placement_with_the_user_via_the_page(
    client, hackney_hr, hackney
):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)
    client.post(
        reverse("apprenticeships:placement_complete", args=[placement.pk]),
        {
            "version": 1,
            "outcome": "distinction",
            "destination": "council_job",
            "actual_end_date_0": "1",
            "actual_end_date_1": "3",
            "actual_end_date_2": "2025",
        },
    )
    record = placement.history.latest()
    assert record.history_user == hackney_hr
    assert record.status == Status.COMPLETED
