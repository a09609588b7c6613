import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from apprenticeships.models import Standard
from boroughs.models import Borough

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "london_authorities.csv"


def seed() -> str:
    out = StringIO()
    call_command("seed_reference_data", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_loads_the_33_authorities_and_the_standards():
    assert "33 authorities (33 new)" in seed()
    assert Borough.objects.count() == 33
    hackney = Borough.objects.get(gss_code="E09000012")
    assert hackney.official_name == "London Borough of Hackney"
    assert Borough.objects.get(gss_code="E09000001").name == "City of London"
    developer = Standard.objects.get(reference="ST0116")
    assert (developer.title, developer.level, developer.level_checked) == (
        "Software developer",
        4,
        True,
    )


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    seed()
    snapshot = (
        list(Borough.objects.values()),
        list(Standard.objects.values()),
        Borough.history.count(),
        Standard.history.count(),
    )
    assert "(0 new)" in seed()
    assert snapshot == (
        list(Borough.objects.values()),
        list(Standard.objects.values()),
        Borough.history.count(),
        Standard.history.count(),
    )


@pytest.mark.django_db
def test_keeps_what_admins_maintain():
    seed()
    Borough.objects.filter(gss_code="E09000012").update(is_loti_member=True, headcount=4321)
    Standard.objects.filter(reference="ST0128").update(level=4)
    seed()
    hackney = Borough.objects.get(gss_code="E09000012")
    assert (hackney.is_loti_member, hackney.headcount) == (True, 4321)
    assert Standard.objects.get(reference="ST0128").level == 4


def test_project_ships_its_own_copy_of_the_authorities():
    rows = list(csv.DictReader(SHIPPED.open(encoding="utf-8")))
    assert len(rows) == 33
    assert {r["gss_code"] for r in rows} == {f"E09{n:06d}" for n in range(1, 34)}
