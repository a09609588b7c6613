"""Placement.age_at_start is kept by the database, whichever way a record is written.

The dashboard's age bands read it (dashboard/queries.py); if it fell out of step with the date of
birth, a recruit would be counted in the wrong band. These tests write placements and dates of
birth by each route the portal has (model saves, QuerySet.update, bulk writes, the services) and
read the stored age back, on SQLite and on PostgreSQL alike.
"""

import contextlib
import datetime
import re
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.commands import migrate as django_migrate
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apprenticeships import age_at_start, services
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import Apprentice, Placement
from boroughs.factories import BoroughFactory

pytestmark = pytest.mark.django_db

D = datetime.date


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
    ],
)
def test_a_new_placement_gets_the_age_age_on_gives(born, start, age):
    placement = PlacementFactory(apprentice__date_of_birth=born, start_date=start)
    assert stored_age(placement) == age == placement.apprentice.age_on(start)


def test_no_date_of_birth_means_no_age():
    placement = PlacementFactory(apprentice__date_of_birth=None)
    assert stored_age(placement) is None


def test_a_changed_start_date_changes_the_age_by_save_or_by_update():
    placement = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    placement.start_date = D(2025, 9, 1)
    placement.planned_end_date = D(2027, 3, 1)
    placement.save()
    assert stored_age(placement) == 25
    Placement.objects.filter(pk=placement.pk).update(start_date=D(2018, 5, 16))
    assert stored_age(placement) == 17


def test_a_changed_date_of_birth_changes_the_ages_of_that_apprentice_only():
    apprentice = ApprenticeFactory(date_of_birth=D(2000, 5, 17))
    first = PlacementFactory(apprentice=apprentice, start_date=D(2019, 9, 2))
    second = PlacementFactory(apprentice=apprentice, start_date=D(2024, 9, 2))
    someone_else = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17))
    apprentice.date_of_birth = D(1990, 1, 1)
    apprentice.save()
    assert (stored_age(first), stored_age(second), stored_age(someone_else)) == (29, 34, 19)
    Apprentice.objects.filter(pk=apprentice.pk).update(date_of_birth=None)
    assert (stored_age(first), stored_age(second), stored_age(someone_else)) == (None, None, 19)


def test_an_age_written_directly_is_replaced_by_the_right_one():
    placement = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    Placement.objects.filter(pk=placement.pk).update(age_at_start=99)
    assert stored_age(placement) == 19


def test_a_placement_moved_to_another_apprentice_takes_their_age():
    placement = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    older = ApprenticeFactory(date_of_birth=D(1980, 1, 1))
    Placement.objects.filter(pk=placement.pk).update(apprentice=older)
    assert stored_age(placement) == 39


def test_bulk_writes_keep_the_ages_too():
    apprentices = [ApprenticeFactory(date_of_birth=D(2000, 1, 1 + i)) for i in range(3)]
    where = {"borough": BoroughFactory(), "standard": StandardFactory()}
    where["provider"] = TrainingProviderFactory()
    placements = Placement.objects.bulk_create(
        PlacementFactory.build(apprentice=a, start_date=D(2019, 1, 2), **where) for a in apprentices
    )
    # Born on 1, 2 and 3 January 2000: the second turns 19 on the start date itself.
    assert [stored_age(p) for p in placements] == [19, 19, 18]
    for apprentice in apprentices:
        apprentice.date_of_birth = D(1995, 6, 1)
    Apprentice.objects.bulk_update(apprentices, ["date_of_birth"])
    assert [stored_age(p) for p in placements] == [23, 23, 23]


def test_correcting_a_date_of_birth_through_the_service_moves_the_age(camden, camden_hr):
    placement = PlacementFactory(
        apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2), borough=camden
    )
    apprentice = placement.apprentice
    services.update_apprentice(
        user=camden_hr,
        apprentice=apprentice,
        expected_updated_at=apprentice.updated_at.isoformat(),
        details=services.ApprenticeDetails(
            given_name=apprentice.given_name,
            family_name=apprentice.family_name,
            email=apprentice.email,
            uln=apprentice.uln,
            date_of_birth=D(1994, 9, 3),
        ),
    )
    assert stored_age(placement) == 24


def test_a_placement_saved_before_its_apprentice_gets_its_age_when_they_arrive():
    # Foreign keys are checked at commit, so a script or fixture may insert in this order.
    where = PlacementFactory()
    unused_id = Apprentice.objects.order_by("-pk").first().pk + 1000
    placement = PlacementFactory.build(
        apprentice_id=unused_id,
        borough=where.borough,
        standard=where.standard,
        provider=where.provider,
        start_date=D(2020, 9, 1),
    )
    placement.save()
    assert stored_age(placement) is None
    ApprenticeFactory(pk=unused_id, date_of_birth=D(2000, 1, 1))
    assert stored_age(placement) == 20


def test_migrate_puts_the_triggers_back_and_corrects_every_age():
    placement = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    age_at_start.remove(connection)  # as before every migrate
    Placement.objects.filter(pk=placement.pk).update(age_at_start=99)
    assert stored_age(placement) == 99  # nothing keeps it while they are gone

    call_command("migrate", verbosity=0)

    assert stored_age(placement) == 19
    Apprentice.objects.filter(pk=placement.apprentice_id).update(date_of_birth=D(1990, 1, 1))
    assert stored_age(placement) == 29


def test_a_migrate_with_nothing_of_this_app_to_run_leaves_the_triggers_alone():
    # Dropping a trigger locks its table against reads until the drop commits: a deploy's
    # migrate must not queue every dashboard request behind it when there is nothing to do.
    assert age_at_start.is_current(connection)
    with CaptureQueriesContext(connection) as executed:
        call_command("migrate", verbosity=0)
    changes = [q["sql"] for q in executed if re.search(r"(DROP|CREATE) TRIGGER", q["sql"])]
    assert not changes
    assert age_at_start.is_current(connection)


def test_a_failed_migrate_still_puts_the_triggers_back(monkeypatch):
    placement = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    Placement.objects.filter(pk=placement.pk).update(age_at_start=None)

    def fail(self, *args, **options):
        age_at_start._before_migrate(sender=None, using=connection.alias, plan=None)
        raise RuntimeError("a migration failed")  # before post_migrate could put them back

    monkeypatch.setattr(django_migrate.Command, "handle", fail)
    with pytest.raises(RuntimeError):
        call_command("migrate", verbosity=0)

    assert age_at_start.is_current(connection)
    assert stored_age(placement) == 19


@pytest.mark.parametrize("option", ["plan", "check_unapplied", "prune"])
def test_migrate_options_that_only_report_never_touch_the_triggers(option):
    age_at_start.remove(connection)
    # --check exits non-zero only when migrations are unapplied; --prune needs an app.
    with CaptureQueriesContext(connection) as executed, contextlib.suppress(SystemExit):
        call_command("migrate", "apprenticeships", verbosity=0, **{option: True})
    assert not [q["sql"] for q in executed if re.search(r"(DROP|CREATE) TRIGGER", q["sql"])]
    assert not age_at_start.is_current(connection)


def test_a_start_before_the_birth_gives_the_same_age_on_both_databases():
    # Validation refuses anyone under 16 at the start, but a raw write is not validated: the
    # database's age must still match age_on, so such a row falls outside every band everywhere.
    placement = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    Placement.objects.filter(pk=placement.pk).update(start_date=D(1998, 6, 1))
    assert stored_age(placement) == -2 == placement.apprentice.age_on(D(1998, 6, 1))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"
)
@pytest.mark.django_db(transaction=True)
def test_a_new_placement_waits_for_a_date_of_birth_being_changed():
    """Without the wait, the new placement would take the old date of birth, and the change,
    which cannot see a placement not yet committed, would leave it wrong for good."""
    first = PlacementFactory(apprentice__date_of_birth=D(2000, 5, 17), start_date=D(2019, 9, 2))
    correcting = connection.copy()
    correcting.set_autocommit(False)
    try:
        with correcting.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Apprentice._meta.db_table} SET date_of_birth = %s WHERE id = %s",  # noqa: S608
                [D(1980, 1, 1), first.apprentice_id],
            )
        added = {}

        def add_placement() -> None:  # in a thread, on a connection of its own
            adding = connection.copy()
            with adding.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {Placement._meta.db_table} (apprentice_id, borough_id, "  # noqa: S608
                    "standard_id, provider_id, job_title, service_area, start_date, "
                    "planned_end_date, status, break_reason, withdrawal_reason, outcome, "
                    "destination, is_demo, version, created_at, updated_at) VALUES (%s, %s, %s, "
                    "%s, '', '', %s, %s, 'in_learning', '', '', '', '', false, 1, now(), now()) "
                    "RETURNING id",
                    [
                        first.apprentice_id,
                        first.borough_id,
                        first.standard_id,
                        first.provider_id,
                        D(2024, 9, 2),
                        D(2026, 9, 2),
                    ],
                )
                added["id"] = cursor.fetchone()[0]
            adding.close()  # in autocommit: the insert is committed

        thread = threading.Thread(target=add_placement)
        thread.start()
        assert _waits_for_a_lock(), "the new placement did not wait for the change"
        correcting.commit()
        thread.join(timeout=10)
    finally:
        correcting.close()
    assert Placement.objects.values_list("age_at_start", flat=True).get(pk=added["id"]) == 44
    assert stored_age(first) == 39


def _waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
