"""Whatever arrives, the engine answers with results, never an exception, and writes nothing
unless every row is valid."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apprenticeships.imports.engine import check_file
from apprenticeships.imports.models import ImportRun
from apprenticeships.imports.services import commit_import, record_check
from apprenticeships.models import Apprentice, Placement

from .helpers import HEADERS, MAIN_NS, csv_bytes, good_row, handmade_xlsx, sheet_xml, text_row

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


SHEET = b"".join(
    sheet_xml(
        [
            text_row(1, HEADERS[:6]),
            b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>B</t></is>'
            b'</c><c r="C2" t="str"><v>ST0116</v></c><c r="D2"><v>10012345</v></c>'
            b'<c r="E2" s="1"><v>43710</v></c><c r="F2" t="d"><v>2021-03-01</v></c></row>',
        ]
    )
)
STRINGS = f'<sst xmlns="{MAIN_NS}"><si><t>Ada</t></si></sst>'.encode()
STYLES = f'<styleSheet xmlns="{MAIN_NS}"><cellXfs><xf/><xf numFmtId="14"/></cellXfs></styleSheet>'


@FUZZ
@given(
    part=st.sampled_from(["sheet", "strings", "styles"]),
    position=st.integers(0, 10_000),
    junk=st.one_of(
        st.binary(max_size=12),
        st.sampled_from([b'"-1"', b'"9"', b'"x"', b'"A0"', b'"1A"', b'"ZZZZ2"', b"</c>", b"<c>"]),
    ),
)
def test_a_damaged_workbook_is_refused_or_read_never_a_crash(
    hackney, reference_data, part, position, junk
):
    """Any byte of the sheet, the shared strings or the styles replaced: a file error or rows."""
    parts = {"sheet": SHEET, "strings": STRINGS, "styles": STYLES.encode()}
    source = parts[part]
    at = position % len(source)
    parts[part] = source[:at] + junk + source[at + len(junk) :]
    content = handmade_xlsx(
        [parts["sheet"]], shared_strings=[parts["strings"]], styles=[parts["styles"]]
    )
    result = check_file(content=content, file_name="a.xlsx", borough=hackney)
    assert result.file_error or result.rows
    assert not Placement.objects.exists()
