"""Lost updates between an import's check and its save, tested as the review's attack: check a
file that changes a placement, let another officer save an edit to it, then save the import.
The edit used to be overwritten without a word; now the save is refused and writes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apprenticeships import services
from apprenticeships.factories import PlacementFactory
from apprenticeships.imports.engine import check_file
from apprenticeships.imports.models import ImportRun
from apprenticeships.imports.services import ImportNotSaved, commit_import, record_check
from apprenticeships.models import Apprentice, Placement

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def checked(content: bytes, borough, user) -> ImportRun:
    """The run as the upload page leaves it: checked and previewed, not yet saved."""
    result = check_file(content=content, file_name="p.csv", borough=borough)
    return record_check(
        borough=borough, user=user, file_name="p.csv", content=content, result=result
    )


def saved(content: bytes, borough, user) -> ImportRun:
    run = checked(content, borough, user)
    commit_import(run=run, user=user)
    return run


def officer_edits(placement: Placement, user, **changes) -> Placement:
    """Another officer saves the placement's page, as the web page does."""
    fields = ("standard", "provider", "start_date", "planned_end_date", "job_title")
    details = {name: getattr(placement, name) for name in (*fields, "service_area")}
    details |= {"pays_london_living_wage": placement.pays_london_living_wage, **changes}
    return services.update_placement(
        user=user,
        placement=placement,
        expected_version=placement.version,
        details=services.PlacementDetails(**details),
    )


def records() -> list[tuple]:
    """Everything an import could have written: records, versions and history."""
    return [
        *Placement.objects.values_list("pk", "version", "job_title", "service_area"),
        *Apprentice.objects.values_list("pk", "email", "updated_at"),
        Placement.history.count(),
        Apprentice.history.count(),
    ]


def test_an_officers_edit_between_the_check_and_the_save_stops_the_save(
    hackney, hackney_hr, camden_hr, reference_data
):
    saved(csv_bytes([good_row(1), good_row(2)]), hackney, hackney_hr)
    changes_title = csv_bytes([good_row(1, job_title="Data analyst"), good_row(2)])
    run = checked(changes_title, hackney, hackney_hr)  # the preview shows the new title
    placement = Placement.objects.get(apprentice__given_name="Ada1")
    officer_edits(placement, hackney_hr, job_title="Senior developer", service_area="Digital")
    before = records()

    with pytest.raises(ImportNotSaved) as refused:
        commit_import(run=run, user=hackney_hr)

    assert refused.value.message == (
        "1 placement in this file was changed by someone else after you checked it: row 2 "
        "(Ada1 Lovelace, ST0116 from 02/09/2019). Nothing was saved: check the file again to "
        "see it against the latest records, then save it."
    )
    assert records() == before  # the officer's edit intact, nothing of the file written
    placement.refresh_from_db()
    assert (placement.job_title, placement.version) == ("Senior developer", 2)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and run.committed_at is None
    with pytest.raises(ImportNotSaved):  # saving the same check again is refused again
        commit_import(run=run, user=hackney_hr)

    # Checked again, the preview shows what the file would now change of the officer's edit,
    # and the file saves.
    again = checked(changes_title, hackney, hackney_hr)
    assert again.report["rows"][0]["changes"] == ["job title", "service area"]
    commit_import(run=again, user=hackney_hr)
    assert again.status == ImportRun.Status.COMMITTED and again.updated_count == 1
    placement.refresh_from_db()
    assert (placement.job_title, placement.service_area, placement.version) == (
        "Data analyst",
        "ICT",
        3,
    )


def test_an_edit_the_save_would_undo_stops_it_though_the_preview_showed_no_change(
    hackney, hackney_hr, reference_data
):
    """The file holds the old title: previewed as unchanged, it would put the old title back."""
    content = csv_bytes([good_row(1)])
    saved(content, hackney, hackney_hr)
    run = checked(content, hackney, hackney_hr)
    assert run.unchanged_count == 1
    officer_edits(Placement.objects.get(), hackney_hr, job_title="Senior developer")
    with pytest.raises(ImportNotSaved, match="changed by someone else after you checked it"):
        commit_import(run=run, user=hackney_hr)
    assert Placement.objects.get().job_title == "Senior developer"


def test_an_apprentices_details_corrected_meanwhile_stop_the_save(
    hackney, hackney_hr, reference_data
):
    saved(csv_bytes([good_row(1)]), hackney, hackney_hr)
    run = checked(csv_bytes([good_row(1, email="ada.new@example.org")]), hackney, hackney_hr)
    apprentice = Apprentice.objects.get()
    services.update_apprentice(
        user=hackney_hr,
        apprentice=apprentice,
        expected_updated_at=apprentice.updated_at.isoformat(),
        details=services.ApprenticeDetails(
            given_name="Ada1",
            family_name="Lovelace",
            email="ada.lovelace@example.org",
            uln=apprentice.uln,
            date_of_birth=apprentice.date_of_birth,
        ),
    )
    before = records()
    with pytest.raises(ImportNotSaved) as refused:
        commit_import(run=run, user=hackney_hr)
    assert refused.value.message.startswith(
        "1 apprentice in this file was changed by someone else after you checked it: row 2 "
        "(Ada1 Lovelace)."
    )
    assert records() == before


def test_a_placement_added_meanwhile_for_a_row_that_was_new_stops_the_save(
    hackney, hackney_hr, reference_data
):
    saved(csv_bytes([good_row(1)]), hackney, hackney_hr)
    run = checked(
        csv_bytes([good_row(1), good_row(1, start_date="01/09/2020", job_title="Second")]),
        hackney,
        hackney_hr,
    )
    assert run.new_count == 1
    apprentice = Apprentice.objects.get()
    PlacementFactory(  # another officer records the same placement by hand meanwhile
        apprentice=apprentice,
        borough=hackney,
        standard=reference_data["standard"],
        provider=reference_data["provider"],
        start_date=datetime.date(2020, 9, 1),
        planned_end_date=datetime.date(2021, 3, 1),
        job_title="Typed by hand",
    )
    with pytest.raises(ImportNotSaved) as refused:
        commit_import(run=run, user=hackney_hr)
    assert refused.value.message.startswith(
        "1 placement in this file was changed by someone else after you checked it: row 3 "
        "(Ada1 Lovelace, ST0116 from 01/09/2020)."
    )
    assert Placement.objects.get(start_date=datetime.date(2020, 9, 1)).job_title == "Typed by hand"


def test_an_edit_the_save_leaves_alone_does_not_stop_it(hackney, hackney_hr, reference_data):
    """Only records the save would change are compared: an edit to a field no column carries,
    on a placement the file leaves as it is, is no reason to refuse."""
    saved(csv_bytes([good_row(1), good_row(2)]), hackney, hackney_hr)
    run = checked(csv_bytes([good_row(1), good_row(2, job_title="Tester")]), hackney, hackney_hr)
    first = Placement.objects.get(apprentice__given_name="Ada1")
    officer_edits(first, hackney_hr, pays_london_living_wage=True)
    commit_import(run=run, user=hackney_hr)
    assert run.status == ImportRun.Status.COMMITTED
    first.refresh_from_db()
    assert (first.pays_london_living_wage, first.version) == (True, 2)
    assert Placement.objects.get(apprentice__given_name="Ada2").job_title == "Tester"


def test_the_save_page_says_so_in_plain_words(client, hackney, hackney_hr, reference_data):
    saved(csv_bytes([good_row(1)]), hackney, hackney_hr)
    client.force_login(hackney_hr)
    file = SimpleUploadedFile("p.csv", csv_bytes([good_row(1, job_title="Data analyst")]))
    response = client.post(reverse("imports:upload"), {"borough": hackney.pk, "file": file})
    run = ImportRun.objects.latest("pk")
    officer_edits(Placement.objects.get(), hackney_hr, job_title="Senior developer")
    page = client.post(reverse("imports:commit", args=[run.pk]), follow=True)
    assert response.url == page.redirect_chain[-1][0] == reverse("imports:preview", args=[run.pk])
    assert "1 placement in this file was changed by someone else after you checked it" in (
        page.content.decode()
    )
    assert Placement.objects.get().job_title == "Senior developer"
