"""Rows per second for the import's check and commit, beside plain bulk_create of the same rows.

Usage: DATABASE_URL=postgres://... .venv/bin/python benchmarks/import.py [--rows 10000]
Works in a dedicated benchmark borough (E09999990) and deletes everything it wrote afterwards.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti_portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("EMAIL_URL", "dummymail://")  # required with DEBUG off; no mail is sent

import django

django.setup()

from apprenticeships.factories import valid_uln  # noqa: E402
from apprenticeships.imports.engine import check_file  # noqa: E402
from apprenticeships.imports.models import ImportRun  # noqa: E402
from apprenticeships.imports.services import commit_import, record_check  # noqa: E402
from apprenticeships.imports.tests.helpers import csv_bytes, good_row  # noqa: E402
from apprenticeships.models import (  # noqa: E402
    Apprentice,
    EqualityMonitoring,
    Placement,
    Standard,
    TrainingProvider,
)
from boroughs.models import Borough  # noqa: E402

GSS = "E09999990"


def rows(count: int) -> list[dict]:
    return [
        good_row(n, uln=valid_uln(900000 + n), email=f"bench{n}@benchmark.example")
        for n in range(1, count + 1)
    ]


def clean_up(borough: Borough) -> None:
    people = Apprentice.objects.filter(placements__borough=borough)
    ids = list(people.values_list("pk", flat=True))
    # The records first: deleting them writes "-" history rows, which go with the rest.
    Placement.objects.filter(borough=borough).delete()
    Placement.history.filter(borough_id=borough.pk).delete()
    EqualityMonitoring.objects.filter(apprentice_id__in=ids).delete()
    Apprentice.objects.filter(pk__in=ids).delete()
    Apprentice.history.filter(id__in=ids).delete()
    ImportRun.objects.filter(borough=borough).delete()


def plain_bulk_create(data: list[dict], borough, standard, provider) -> None:
    people = Apprentice.objects.bulk_create(
        [
            Apprentice(
                given_name=r["given_name"],
                family_name=r["family_name"],
                email=r["email"],
                uln=r["uln"],
                date_of_birth=datetime.date(2000, 5, 17),
            )
            for r in data
        ],
        batch_size=1000,
    )
    Placement.objects.bulk_create(
        [
            Placement(
                apprentice=person,
                borough=borough,
                standard=standard,
                provider=provider,
                job_title="Apprentice developer",
                service_area="ICT",
                start_date=datetime.date(2019, 9, 2),
                planned_end_date=datetime.date(2021, 3, 1),
            )
            for person in people
        ],
        batch_size=1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    count = parser.parse_args().rows
    borough, _ = Borough.objects.get_or_create(
        gss_code=GSS, defaults={"name": "Benchmark borough", "official_name": "Benchmark"}
    )
    standard, _ = Standard.objects.get_or_create(
        reference="ST0116", defaults={"title": "Software developer", "level": 4}
    )
    provider, _ = TrainingProvider.objects.get_or_create(
        ukprn="10012345", defaults={"name": "Benchmark provider"}
    )
    clean_up(borough)
    data = rows(count)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "benchmark.csv"
        path.write_bytes(csv_bytes(data))
        content = path.read_bytes()
    try:
        started = time.perf_counter()
        result = check_file(content=content, file_name="benchmark.csv", borough=borough)
        check_seconds = time.perf_counter() - started
        assert result.is_valid, result.report()["rows"][:3]
        run = record_check(
            borough=borough, user=None, file_name="benchmark.csv", content=content, result=result
        )
        started = time.perf_counter()
        commit_import(run=run, user=None)
        commit_seconds = time.perf_counter() - started
        run.refresh_from_db()
        assert run.status == ImportRun.Status.COMMITTED
        clean_up(borough)
        started = time.perf_counter()
        plain_bulk_create(data, borough, standard, provider)
        plain_seconds = time.perf_counter() - started
    finally:
        clean_up(borough)
        borough.delete()
    database = django.db.connection.vendor
    print(f"{count:,} rows on {database}")
    print(f"check (read + validate, no writes): {count / check_seconds:>9,.0f} rows/s")
    print(f"commit (check again + write + history): {count / commit_seconds:>5,.0f} rows/s")
    print(f"plain bulk_create, no checks or history: {count / plain_seconds:>4,.0f} rows/s")
    print(f"commit / plain bulk_create: {plain_seconds / commit_seconds:.2f}")


if __name__ == "__main__":
    main()
