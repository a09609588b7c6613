"""Whatever arrives, the engine answers with results, never an exception, and writes nothing
unless every row is valid."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apprenticeships.imports.engine import check_file
from apprenticeships.imports.models import ImportRun
from apprenticeships.imports.services import commit_import, record_check
from apprenticeships.models import Apprentice, Placement

from .helpers import HEADERS, csv_bytes, good_row

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_random_bytes_never_crash_and_never_write(hackney, reference_data, content, name):
    result = check_file(content=content, file_name=name, borough=hackney)
    assert result.file_error or result.rows
    assert not Placement.objects.exists()


cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "31/02/2020",
            "2020-13-01",
            "ST0116",
            "10012345",
            "9999999999",
            "6",
            "Completed",
            "45000",
            "=1+1",
            "1.23E+09",
            " \u00a0 ",
        ]
    ),
)


@FUZZ
@given(column=st.sampled_from(HEADERS), value=cell, row_count=st.integers(1, 3))
def test_a_random_cell_in_a_valid_file_saves_all_rows_or_none(
    hackney, hackney_hr, reference_data, column, value, row_count
):
    rows = [good_row(n) for n in range(1, row_count + 1)]
    rows[-1][column] = value
    content = csv_bytes(rows)
    result = check_file(content=content, file_name="f.csv", borough=hackney)
    run = record_check(
        borough=hackney, user=hackney_hr, file_name="f.csv", content=content, result=result
    )
    if run.can_commit:
        commit_import(run=run, user=hackney_hr)
    run.refresh_from_db()
    written = Placement.objects.filter(borough=hackney).count()
    if run.status == ImportRun.Status.COMMITTED:
        assert written == row_count and result.is_valid
    else:
        assert written == 0 and not result.is_valid
    # Each example starts from an empty borough.
    Placement.history.all().delete()
    Placement.objects.all().delete()
    Apprentice.history.all().delete()
    Apprentice.objects.all().delete()
