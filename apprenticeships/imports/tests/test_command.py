import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apprenticeships.models import Placement

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def run(*args):
    try:
        call_command("import_placements", *map(str, args))
    except CommandError as error:
        return error.returncode, str(error)
    return 0, ""


def test_exit_0_saves_and_dry_run_saves_nothing(tmp_path, hackney, reference_data):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2)]))
    assert run(path, "--borough", hackney.gss_code, "--dry-run")[0] == 0
    assert not Placement.objects.exists()
    assert run(path, "--borough", hackney.gss_code)[0] == 0
    assert Placement.objects.filter(borough=hackney).count() == 2
    history = Placement.objects.first().history.first()
    assert history.history_change_reason.endswith(" p.csv") and history.history_user is None


def test_exit_1_prints_every_rows_errors_and_writes_nothing(
    tmp_path, hackney, reference_data, capsys
):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([good_row(1, uln="1234567891"), good_row(2, start_date="x")]))
    code, message = run(path, "--borough", hackney.gss_code)
    assert code == 1 and "2 row(s) have errors" in message
    out = capsys.readouterr().out
    assert "Row 2, column uln (value '1234567891'): This ULN is not valid" in out
    assert "Row 3, column start_date (value 'x'): Enter a real date" in out
    assert not Placement.objects.exists()


def test_exit_2_for_unknown_borough_missing_or_unreadable_file(tmp_path, hackney):
    assert run(tmp_path / "none.csv", "--borough", hackney.gss_code)[0] == 2
    assert run(tmp_path / "none.csv", "--borough", "E09999999")[0] == 2
    pdf = tmp_path / "p.csv"
    pdf.write_bytes(b"%PDF-1.4")
    assert run(pdf, "--borough", hackney.gss_code) == (
        2,
        "This file is a PDF, not a spreadsheet. Upload a CSV or .xlsx file.",
    )
