import datetime
import io
import zipfile

import openpyxl
import pytest

from apprenticeships.imports.engine import NEW, check_file
from apprenticeships.imports.reading import (
    MAX_PHYSICAL_ROWS,
    MAX_ROWS,
    FileRejected,
    read_spreadsheet,
)

from .helpers import HEADERS, csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_bom_semicolons_and_loose_headers_are_read():
    text = (
        "\ufeff Given Name ;FAMILY-NAME;Standard_Reference;provider ukprn;Start date;"
        "planned end date;Borough\r\n"
    )
    text += " Zoë ; Smith ;ST0116;10012345;31/08/2020;2022-02-28;Hammersmith & Fulham\r\n;;;;;;\r\n"
    sheet = read_spreadsheet(text.encode("utf-8"), "people.csv")
    assert sheet.unknown_columns == ["Borough"]
    [row] = sheet.rows
    assert row.number == 2
    assert row.values["given_name"] == "Zoë" and row.values["family_name"] == "Smith"


def test_utf16_with_its_byte_order_mark_is_read():
    content = csv_bytes([good_row(1, given_name="Zoë")]).decode("utf-8").encode("utf-16")
    [row] = read_spreadsheet(content, "people.csv").rows
    assert row.values["given_name"] == "Zoë"


def test_windows_1252_is_read_when_the_file_is_not_utf8():
    content = csv_bytes([good_row(1, given_name="Zoë", family_name="O’Brien")], encoding="cp1252")
    [row] = read_spreadsheet(content, "people.csv").rows
    assert (row.values["given_name"], row.values["family_name"]) == ("Zoë", "O’Brien")


def test_xlsx_with_date_cells_text_dates_serials_and_number_cells(hackney, reference_data):
    row = good_row(1)
    values = [row.get(h) for h in HEADERS]
    values[HEADERS.index("date_of_birth")] = datetime.datetime(2000, 5, 17)
    values[HEADERS.index("start_date")] = 43710  # Excel serial for 2019-09-02
    values[HEADERS.index("uln")] = int(row["uln"])
    values[HEADERS.index("provider_ukprn")] = 10012345
    values[HEADERS.index("status")] = 1
    result = check_file(content=xlsx_bytes([values]), file_name="p.xlsx", borough=hackney)
    assert result.is_valid, result.report()
    placement = result.rows[0].placement
    assert placement.start_date == datetime.date(2019, 9, 2)
    assert result.rows[0].person.apprentice.date_of_birth == datetime.date(2000, 5, 17)
    assert result.rows[0].outcome == NEW


def test_formulas_are_never_evaluated():
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["=1+1", "Smith", "", "", "", "", "", "ST0116", "10012345"])
    out = io.BytesIO()
    workbook.save(out)
    [row] = read_spreadsheet(out.getvalue(), "f.xlsx").rows
    # No cached value was saved with the formula, and it is not run: the cell reads as blank.
    assert row.values["given_name"] is None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 ...", "people.csv", "This file is a PDF"),
        (b"PK\x03\x04 zip", "people.csv", "called .csv but is a zip"),
        (b"given_name,family_name", "people.xlsx", "called .xlsx but is not an Excel workbook"),
        (b"PK\x03\x04broken", "people.xlsx", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "people.xls", "old-style Excel"),
        (b"a,b\n", "people.pdf", "Upload a CSV"),
        (b"given_name,family_name\nA,B\n", "people.csv", "no column for: standard_reference"),
        (b"   \n", "people.csv", "empty"),
        # A NUL character cannot be stored: refused here rather than failing at the save.
        ("given_name\x00,family_name\n".encode("utf-16"), "people.csv", "not a text"),
    ],
)
def test_hostile_or_wrong_files_are_refused_clearly(content, name, message):
    with pytest.raises(FileRejected, match=message):
        read_spreadsheet(content, name)


def test_a_zip_bomb_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (90 * 1024 * 1024))
    with pytest.raises(FileRejected, match="unpacks to far more data"):
        read_spreadsheet(out.getvalue(), "bomb.xlsx")


def test_an_xml_entity_bomb_is_refused():
    content = xlsx_bytes([list(good_row(1).values())])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><workbook>&b;</workbook>'
    )
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = bomb if item.filename == "xl/workbook.xml" else source.read(item.filename)
            archive.writestr(item.filename, data)
    with pytest.raises(FileRejected, match="cannot be read"):
        read_spreadsheet(out.getvalue(), "bomb.xlsx")


def test_too_many_rows_or_bytes_are_refused():
    lines = ",".join(HEADERS) + "\n" + "A,B,,,,,,ST0116,10012345,,\n" * (MAX_ROWS + 1)
    with pytest.raises(FileRejected, match="more than 20,000 rows"):
        read_spreadsheet(lines.encode(), "big.csv")
    with pytest.raises(FileRejected, match="largest accepted is 5 MB"):
        read_spreadsheet(b"a" * (5 * 1024 * 1024 + 1), "big.csv")


def test_a_workbook_of_endless_empty_rows_is_refused_before_it_is_all_read():
    """Blank rows are skipped, but counted: they must not make reading unbounded."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.cell(row=MAX_PHYSICAL_ROWS + 5, column=1, value="Ada")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FileRejected, match="counting empty ones"):
        read_spreadsheet(buffer.getvalue(), "blank.xlsx")
