import datetime

import pytest
from django.utils import timezone

from apprenticeships.choices import Status
from apprenticeships.imports.engine import check_file
from apprenticeships.imports.models import ImportRun
from apprenticeships.imports.services import ImportNotSaved, commit_import, record_check
from apprenticeships.models import Apprentice, EqualityMonitoring, Placement

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def check_and_commit(content: bytes, borough, user, name="placements.csv"):
    result = check_file(content=content, file_name=name, borough=borough)
    run = record_check(borough=borough, user=user, file_name=name, content=content, result=result)
    if run.can_commit:
        commit_import(run=run, user=user)
    run.refresh_from_db()
    return run


def test_a_good_file_is_saved_with_history_naming_the_import(hackney, hackney_hr, reference_data):
    rows = [good_row(1, sex="Female"), good_row(2, status="2", actual_end_date="01/03/2021")]
    run = check_and_commit(csv_bytes(rows), hackney, hackney_hr)
    assert run.status == ImportRun.Status.COMMITTED
    assert (run.new_count, run.updated_count, run.unchanged_count) == (2, 0, 0)
    assert run.content == b""
    placements = Placement.objects.filter(borough=hackney)
    assert placements.count() == 2
    completed = placements.get(apprentice__given_name="Ada2")
    assert completed.status == Status.COMPLETED
    assert completed.actual_end_date == datetime.date(2021, 3, 1)
    assert EqualityMonitoring.objects.get(apprentice__given_name="Ada1").sex == "female"
    reason = f"Import #{run.pk} placements.csv"
    for model in (Placement, Apprentice):
        for record in model.objects.all():
            history = list(record.history.all())
            assert len(history) == 1
            assert history[0].history_user == hackney_hr
            assert history[0].history_change_reason == reason


def test_awkward_characters_are_stored_exactly_as_written(hackney, hackney_hr, reference_data):
    # PostgreSQL takes the rows through COPY, whose text format gives tabs, newlines and
    # backslashes a meaning of their own: they must arrive as the officer typed them.
    title = 'Dev\\Ops\tlead "senior" \\N'
    area = "ICT\nand digital; Zoë’s team"
    run = check_and_commit(
        csv_bytes([good_row(1, job_title=title, service_area=area, family_name="O'Brien")]),
        hackney,
        hackney_hr,
    )
    assert run.status == ImportRun.Status.COMMITTED
    placement = Placement.objects.get(borough=hackney)
    assert (placement.job_title, placement.service_area) == (title, area)
    assert placement.apprentice.family_name == "O'Brien"
    assert placement.history.get().job_title == title
    assert placement.pays_london_living_wage is None and placement.actual_end_date is None


def test_reimporting_the_same_file_changes_nothing(hackney, hackney_hr, reference_data):
    content = csv_bytes([good_row(n) for n in range(1, 6)])
    check_and_commit(content, hackney, hackney_hr)
    before = list(Placement.objects.values_list("pk", "version", "updated_at"))
    again = check_and_commit(content, hackney, hackney_hr)
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert list(Placement.objects.values_list("pk", "version", "updated_at")) == before
    assert Placement.history.count() == 5 and Apprentice.history.count() == 5


def test_an_update_writes_history_and_bumps_the_version(hackney, hackney_hr, reference_data):
    check_and_commit(csv_bytes([good_row(1)]), hackney, hackney_hr)
    run = check_and_commit(
        csv_bytes(
            [
                good_row(
                    1,
                    status="Withdrawn",
                    actual_end_date="01/02/2020",
                    withdrawal_reason="resigned",
                )
            ]
        ),
        hackney,
        hackney_hr,
    )
    assert run.updated_count == 1
    placement = Placement.objects.get()
    assert (placement.status, placement.withdrawal_reason, placement.version) == (
        Status.WITHDRAWN,
        "resigned",
        2,
    )
    latest = placement.history.first()
    assert latest.history_change_reason == f"Import #{run.pk} placements.csv"
    assert latest.history_user == hackney_hr


def test_one_bad_row_means_nothing_is_saved(hackney, hackney_hr, reference_data):
    content = csv_bytes([good_row(1), good_row(2, start_date="31/02/2020")])
    run = check_and_commit(content, hackney, hackney_hr)
    assert run.status == ImportRun.Status.HAS_ERRORS
    assert run.error_count == 1
    assert not Placement.objects.exists() and not Apprentice.objects.exists()
    with pytest.raises(ImportNotSaved):
        commit_import(run=run, user=hackney_hr)
    assert not Placement.objects.exists()


def test_a_run_cannot_be_saved_twice(hackney, hackney_hr, reference_data):
    run = check_and_commit(csv_bytes([good_row(1)]), hackney, hackney_hr)
    with pytest.raises(ImportNotSaved):
        commit_import(run=run, user=hackney_hr)
    assert Placement.objects.count() == 1


def test_saved_records_read_back_with_every_value_of_the_row(hackney, hackney_hr, reference_data):
    # The commit writes new records and their history with its own INSERTs, not the ORM's save.
    started = timezone.now()
    row = good_row(
        1,
        status="Break in learning",
        break_started_on="01/06/2020",
        break_reason="Caring responsibilities",
        sex="Female",
    )
    run = check_and_commit(csv_bytes([row]), hackney, hackney_hr)
    placement = Placement.objects.select_related("apprentice").get()
    apprentice = placement.apprentice
    assert (apprentice.given_name, apprentice.family_name, apprentice.email) == (
        "Ada1",
        "Lovelace",
        "ada1@example.org",
    )
    assert (apprentice.uln, apprentice.date_of_birth) == (row["uln"], datetime.date(2000, 5, 17))
    assert apprentice.is_demo is False and apprentice.anonymised_at is None
    assert (placement.borough, placement.standard, placement.provider) == (
        hackney,
        reference_data["standard"],
        reference_data["provider"],
    )
    assert (placement.job_title, placement.service_area) == ("Apprentice developer", "ICT")
    assert (placement.start_date, placement.planned_end_date) == (
        datetime.date(2019, 9, 2),
        datetime.date(2021, 3, 1),
    )
    assert (placement.status, placement.actual_end_date, placement.age_at_start) == (
        Status.BREAK_IN_LEARNING,
        None,
        19,
    )
    period = placement.breaks.get()
    assert (period.started_on, period.reason, period.returned_on, period.recorded_by) == (
        datetime.date(2020, 6, 1),
        "caring",
        None,
        hackney_hr,
    )
    assert (placement.version, placement.pays_london_living_wage, placement.is_demo) == (
        1,
        None,
        False,
    )
    for record in (apprentice, placement):
        assert started <= record.created_at == record.updated_at <= run.committed_at
    history = placement.history.get()
    assert (history.history_type, history.status) == ("+", Status.BREAK_IN_LEARNING)
    assert (history.apprentice_id, history.standard_id, history.version) == (
        apprentice.pk,
        reference_data["standard"].pk,
        1,
    )
    assert apprentice.history.get().email == "ada1@example.org"
    assert EqualityMonitoring.objects.get(apprentice=apprentice).sex == "female"


def test_an_update_is_recorded_as_a_change_with_the_new_values(hackney, hackney_hr, reference_data):
    check_and_commit(csv_bytes([good_row(1)]), hackney, hackney_hr)
    run = check_and_commit(
        csv_bytes([good_row(1, job_title="Data analyst apprentice")]), hackney, hackney_hr
    )
    placement = Placement.objects.get()
    latest, first = placement.history.all()[:2]
    assert (first.history_type, first.job_title) == ("+", "Apprentice developer")
    assert (latest.history_type, latest.job_title, latest.version) == (
        "~",
        "Data analyst apprentice",
        2,
    )
    assert (latest.history_user, latest.history_change_reason) == (
        hackney_hr,
        f"Import #{run.pk} placements.csv",
    )


def test_an_edit_made_between_the_check_and_the_save_is_not_overwritten(
    hackney, hackney_hr, reference_data, monkeypatch
):
    """Found in review: the save could silently overwrite an officer's concurrent edit."""
    from django.db.models import F

    from apprenticeships.imports import services

    check_and_commit(csv_bytes([good_row(1)]), hackney, hackney_hr)
    content = csv_bytes([good_row(1, job_title="Changed by the file")])
    result = check_file(content=content, file_name="p.csv", borough=hackney)
    run = record_check(
        borough=hackney, user=hackney_hr, file_name="p.csv", content=content, result=result
    )

    def check_then_someone_edits(**kwargs):
        checked = check_file(**kwargs)
        # The officer's save lands after the check has read the placement.
        Placement.objects.update(job_title="Changed by an officer", version=F("version") + 1)
        return checked

    monkeypatch.setattr(services, "check_file", check_then_someone_edits)
    with pytest.raises(ImportNotSaved, match="changed by someone else after you checked it"):
        commit_import(run=run, user=hackney_hr)
    # Nothing of the file was written (here the simulated edit shares the test's transaction, so
    # it is rolled back with it; a real officer's committed edit would stay).
    placement = Placement.objects.get()
    assert placement.job_title != "Changed by the file"
    run.refresh_from_db()
    assert run.status != ImportRun.Status.COMMITTED


def test_imported_placements_carry_their_age_at_start(hackney, hackney_hr, reference_data):
    # The import writes with COPY on PostgreSQL: the database still works the age out.
    rows = [good_row(1), good_row(2, date_of_birth="03/09/2001"), good_row(3, date_of_birth="")]
    check_and_commit(csv_bytes(rows), hackney, hackney_hr)
    ages = dict(Placement.objects.values_list("apprentice__given_name", "age_at_start"))
    assert ages == {"Ada1": 19, "Ada2": 17, "Ada3": None}


def test_a_save_stopped_by_a_deadlock_asks_to_be_saved_again(
    hackney, hackney_hr, reference_data, monkeypatch
):
    """Two imports writing the same people at once can deadlock on PostgreSQL: the one stopped
    must say so in plain words, save nothing, and stay ready to be saved again."""
    from django.db import OperationalError

    from apprenticeships.imports import services

    class Deadlock(Exception):
        pgcode = services.DEADLOCK_DETECTED

    content = csv_bytes([good_row(1)])
    result = check_file(content=content, file_name="p.csv", borough=hackney)
    run = record_check(
        borough=hackney, user=hackney_hr, file_name="p.csv", content=content, result=result
    )

    def deadlocked(*args, **kwargs):
        raise OperationalError("deadlock detected") from Deadlock()

    monkeypatch.setattr(services, "_write", deadlocked)
    with pytest.raises(ImportNotSaved, match="Save this import again"):
        commit_import(run=run, user=hackney_hr)
    assert not Placement.objects.exists()
    run.refresh_from_db()
    assert run.can_commit
    monkeypatch.undo()
    commit_import(run=run, user=hackney_hr)
    assert Placement.objects.count() == 1


def test_other_database_errors_are_not_dressed_up_as_a_deadlock(
    hackney, hackney_hr, reference_data, monkeypatch
):
    from django.db import OperationalError

    from apprenticeships.imports import services

    content = csv_bytes([good_row(1)])
    result = check_file(content=content, file_name="p.csv", borough=hackney)
    run = record_check(
        borough=hackney, user=hackney_hr, file_name="p.csv", content=content, result=result
    )

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_write", lost)
    with pytest.raises(OperationalError):
        commit_import(run=run, user=hackney_hr)
