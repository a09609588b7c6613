"""The import pages' query counts, pinned at small and large data: none may grow per row."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apprenticeships.factories import ApprenticeFactory, PlacementFactory, valid_uln
from apprenticeships.imports.models import ImportRun

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def held_and_file(hackney, reference_data, size: int) -> bytes:
    """A file of `size` rows, half of which match placements already held."""
    for n in range(1, size // 2 + 1):
        apprentice = ApprenticeFactory(
            uln=valid_uln(5000 + n),
            email=f"ada{n}@example.org",
            given_name=f"Ada{n}",
            family_name="Lovelace",
            date_of_birth=datetime.date(2000, 5, 17),
        )
        PlacementFactory(
            apprentice=apprentice,
            borough=hackney,
            standard=reference_data["standard"],
            provider=reference_data["provider"],
            start_date=datetime.date(2019, 9, 2),
            planned_end_date=datetime.date(2021, 3, 1),
        )
    return csv_bytes([good_row(n) for n in range(1, size + 1)])


@pytest.mark.parametrize("size", [4, 1000])
def test_checking_an_upload(
    client, hackney, hackney_hr, reference_data, size, django_assert_num_queries
):
    content = held_and_file(hackney, reference_data, size)
    client.force_login(hackney_hr)
    file = SimpleUploadedFile("p.csv", content)
    # session, user, the chosen borough among the user's, this hour's checks by the user, the
    # check recorded, the user's day-old ones removed (loti_portal/ratelimit.py), standards IN,
    # providers IN,
    # apprentices by ULN IN, by email IN, by date of birth IN, which of them this borough
    # holds IN, placements held IN (their open breaks IN too, when any is on a break), equality
    # monitoring IN, insert of the ImportRun, then the
    # session's savepoint, update and release (SESSION_SAVE_EVERY_REQUEST)
    with django_assert_num_queries(18):
        response = client.post(reverse("imports:upload"), {"borough": hackney.pk, "file": file})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert (run.new_count, run.updated_count + run.unchanged_count) == (size - size // 2, size // 2)


@pytest.mark.parametrize("size", [4, 1000])
def test_preview(client, hackney, hackney_hr, reference_data, size, django_assert_num_queries):
    content = held_and_file(hackney, reference_data, size)
    client.force_login(hackney_hr)
    client.post(
        reverse("imports:upload"),
        {"borough": hackney.pk, "file": SimpleUploadedFile("p.csv", content)},
    )
    run = ImportRun.objects.get()
    # session, user, the run with its borough and uploader; session savepoint, update, release
    with django_assert_num_queries(6):
        response = client.get(reverse("imports:preview", args=[run.pk]))
    assert f"Import #{run.pk} for Hackney" in response.content.decode()


@pytest.mark.parametrize("size", [2, 120])
def test_list_and_upload_page(client, hackney, hackney_hr, size, django_assert_num_queries):
    ImportRun.objects.bulk_create(
        ImportRun(borough=hackney, created_by=hackney_hr, file_name=f"f{n}.csv")
        for n in range(size)
    )
    client.force_login(hackney_hr)
    # session, user, count of runs for the paginator, one page of runs with borough and
    # uploader; session savepoint, update, release
    with django_assert_num_queries(7):
        response = client.get(reverse("imports:list"))
    assert f"f{size - 1}.csv" in response.content.decode()  # newest first
    # session, user, the user's boroughs for the choice list; session savepoint, update, release
    with django_assert_num_queries(6):
        response = client.get(reverse("imports:upload"))
    assert "Hackney" in response.content.decode()
