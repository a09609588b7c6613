"""Placement.age_at_start is set in Python wherever a placement or a date of birth is written.

The dashboard's age bands read it (dashboard/queries.py); if it fell out of step with the date of
birth, a recruit would be counted in the wrong band. These tests write placements and dates of
birth by each route the portal has (services, the import, the admin, the demo loader) and read
the stored age back. No trigger keeps it: the database has none.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from apprenticeships import services
from apprenticeships.demo import load_demo_data
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.imports.engine import check_file
from apprenticeships.imports.services import commit_import, record_check
from apprenticeships.imports.tests.helpers import csv_bytes, good_row
from apprenticeships.models import Placement
from apprenticeships.rules import age_on

from .helpers import admin_post_data

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def reference_data(db):
    return {
        "standard": StandardFactory(reference="ST0116", title="Software developer"),
        "provider": TrainingProviderFactory(ukprn="10012345", name="Good Training Ltd"),
    }


def stored_age(placement: Placement) -> int | None:
    return Placement.objects.values_list("age_at_start", flat=True).get(pk=placement.pk)


@pytest.mark.parametrize(
    ("born", "start", "age"),
    [
        (D(2000, 5, 17), D(2018, 5, 16), 17),  # the day before the 18th birthday
        (D(2000, 5, 17), D(2018, 5, 17), 18),  # on the birthday
        (D(2000, 2, 29), D(2019, 2, 28), 18),  # a leap-day birthday is reached on 1 March
        (D(2000, 2, 29), D(2019, 3, 1), 19),
        (D(2000, 2, 29), D(2020, 2, 29), 20),  # and on 29 February in a leap year
        (D(1999, 12, 31), D(2025, 1, 1), 25),
        (None, D(2025, 1, 1), None),
    ],
)
def test_age_on(born, start, age):
    assert age_on(born, start) == age


def test_no_database_has_a_trigger_left():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert cursor.fetchall() == []


def _recruit(user, borough, reference_data, born, start):
    return services.create_recruit(
        user=user,
        borough=borough,
        apprentice=services.ApprenticeDetails(
            given_name="Ada", family_name="Lovelace", date_of_birth=born
        ),
        placement=services.PlacementDetails(
            standard=reference_data["standard"],
            provider=reference_data["provider"],
            start_date=start,
            planned_end_date=start + datetime.timedelta(days=400),
        ),
    )


def test_a_new_recruit_and_later_changes_keep_the_age(hackney, hackney_hr, reference_data):
    placement = _recruit(hackney_hr, hackney, reference_data, D(2000, 5, 17), D(2019, 9, 2))
    assert stored_age(placement) == 19
    details = services.PlacementDetails(
        standard=placement.standard,
        provider=placement.provider,
        start_date=D(2025, 9, 1),
        planned_end_date=placement.planned_end_date + datetime.timedelta(days=2200),
    )
    services.update_placement(
        user=hackney_hr,
        placement=placement,
        expected_version=1,
        details=details,
        planned_end_reason="correction",
    )
    assert stored_age(placement) == 25


def test_a_corrected_date_of_birth_moves_every_placement_of_that_person_only(camden, camden_hr):
    apprentice = ApprenticeFactory(date_of_birth=D(2000, 5, 17))
    first = PlacementFactory(apprentice=apprentice, borough=camden, start_date=D(2019, 9, 2))
    second = PlacementFactory(apprentice=apprentice, borough=camden, start_date=D(2024, 9, 2))
    someone_else = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17))
    services.update_apprentice(
        user=camden_hr,
        apprentice=apprentice,
        expected_updated_at=apprentice.updated_at.isoformat(),
        details=services.ApprenticeDetails(
            given_name=apprentice.given_name,
            family_name=apprentice.family_name,
            email=apprentice.email,
            uln=apprentice.uln,
            date_of_birth=D(1990, 1, 1),
        ),
    )
    assert (stored_age(first), stored_age(second), stored_age(someone_else)) == (29, 34, 19)


def test_record_start_moves_the_age_with_the_start_date(hackney_hr, hackney):
    placement = PlacementFactory(
        borough=hackney,
        apprentice__date_of_birth=D(2000, 5, 17),
        status="waiting_to_start",
        start_date=D(2018, 5, 1),
    )
    services.record_start(
        user=hackney_hr, placement=placement, expected_version=1, started_on=D(2018, 5, 20)
    )
    assert stored_age(placement) == 18


def _import(rows, borough, user):
    content = csv_bytes(rows)
    result = check_file(content=content, file_name="p.csv", borough=borough)
    run = record_check(
        borough=borough, user=user, file_name="p.csv", content=content, result=result
    )
    commit_import(run=run, user=user)


def test_the_import_sets_the_age_and_moves_it_with_the_date_of_birth(
    hackney, hackney_hr, reference_data
):
    _import([good_row(1)], hackney, hackney_hr)  # born 17/05/2000, starts 02/09/2019
    placement = Placement.objects.get()
    assert stored_age(placement) == 19
    # Another placement of the same person, not in the next file, moves too.
    other = PlacementFactory(
        apprentice=placement.apprentice, borough=hackney, start_date=D(2023, 1, 9)
    )
    _import([good_row(1, date_of_birth="17/05/1995")], hackney, hackney_hr)
    assert (stored_age(placement), stored_age(other)) == (24, 27)


def test_the_admin_sets_the_age_on_a_changed_date_of_birth(otp_admin_client):
    placement = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    apprentice = placement.apprentice
    change = reverse("admin:apprenticeships_apprentice_change", args=[apprentice.pk])
    data = admin_post_data(otp_admin_client.get(change), date_of_birth="1995-05-17")
    assert otp_admin_client.post(change, data).status_code == 302
    assert stored_age(placement) == 24


def test_the_demo_loader_sets_every_age(db):
    call_command("seed_reference_data", verbosity=0)
    load_demo_data(placements=60)
    placements = Placement.objects.select_related("apprentice")
    assert placements.count() == 60
    for placement in placements:
        assert placement.age_at_start == placement.apprentice.age_on(placement.start_date)
