"""The limits on columns and cells, tested as the attacks: each file is refused in plain English
while it is read, before anything large is built. Times are in benchmarks/import_limits.py."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from apprenticeships.imports import xlsx
from apprenticeships.imports.engine import check_file
from apprenticeships.imports.reading import MAX_XLSX_UNCOMPRESSED_BYTES, read_spreadsheet

from .helpers import (
    HEADERS,
    MAIN_NS,
    csv_bytes,
    good_row,
    handmade_xlsx,
    sheet_xml,
    text_row,
    wide_row_xlsx,
)

pytestmark = pytest.mark.django_db

TOO_WIDE = "This file has more than 60 columns: row 2 has a value in column BI."
TOO_MANY_IN_ROW = "Row 2 has more than 1,000 cells, counting empty ones"


def unpacked_size(content: bytes) -> int:
    return sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())


def refusal_and_peak_memory(content: bytes, name: str) -> tuple[str, int]:
    """The check's message for the file, and the most memory the check held at once (bytes)."""
    tracemalloc.start()
    try:
        message = read_or_message(content, name)
        return message, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def read_or_message(content: bytes, name: str) -> str:
    from apprenticeships.imports.reading import FileRejected

    try:
        read_spreadsheet(content, name)
    except FileRejected as rejected:
        return rejected.message
    return ""


# The review's file and its variants ------------------------------------------------------------


def test_a_198_kb_xlsx_with_a_row_of_3_9_million_cells_is_refused_as_it_streams(hackney):
    content = wide_row_xlsx(3_900_000)
    # The review's file: about 200 KB, 78 MB unpacked, under the limit on unpacked size, so
    # only the limits counted while reading stand between it and the worker.
    assert len(content) < 250_000
    assert 75 * 1024 * 1024 < unpacked_size(content) < MAX_XLSX_UNCOMPRESSED_BYTES
    result = check_file(content=content, file_name="wide.xlsx", borough=hackney)
    assert result.file_error.startswith(TOO_WIDE)
    assert not result.rows
    # Refused at the 61st cell: the row was never built (it took 2.6 GB).
    message, peak = refusal_and_peak_memory(content, "wide.xlsx")
    assert message.startswith(TOO_WIDE) and peak < 5 * 1024 * 1024


@pytest.mark.parametrize(
    "cell",
    [b"<c/>", b'<c r="A2"/>', b'<c r="A2"><v>1</v></c>'],
    ids=["blank cells", "one blank cell repeated", "one cell repeated"],
)
def test_a_row_of_millions_of_blank_or_repeated_cells_is_refused(cell):
    message, peak = refusal_and_peak_memory(wide_row_xlsx(3_000_000, cell), "wide.xlsx")
    assert message.startswith(TOO_MANY_IN_ROW)
    assert peak < 5 * 1024 * 1024


def test_too_many_cells_in_all_are_refused_in_either_format(settings):
    settings.IMPORT_MAX_CELLS = 100
    rows = [good_row(n) for n in range(1, 6)]  # 6 rows of 23 columns: 138 cells
    for content, name in (
        (csv_bytes(rows), "p.csv"),
        (handmade_xlsx(sheet_xml(text_row(n, r) for n, r in enumerate(lines(rows), 1))), "p.xlsx"),
    ):
        assert read_or_message(content, name).startswith(
            "This file has more than 100 cells, counting empty ones."
        ), name


def lines(rows: list[dict]) -> list[list]:
    return [HEADERS] + [[row.get(name, "") for name in HEADERS] for row in rows]


def test_a_value_beyond_the_last_column_allowed_refuses_the_file_blank_cells_do_not():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in lines([good_row(1), good_row(2)]):
        sheet.append(row)
    sheet.cell(row=3, column=70).number_format = "@"  # a blank cell, formatted: kept by Excel
    assert len(read_spreadsheet(xlsx_of(workbook), "p.xlsx").rows) == 2
    sheet.cell(row=2, column=61, value="a note far to the right")
    assert read_or_message(xlsx_of(workbook), "p.xlsx").startswith(TOO_WIDE)


def xlsx_of(workbook: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_limits_are_settings(settings):
    settings.IMPORT_MAX_COLUMNS = 30
    settings.IMPORT_MAX_CELLS_PER_ROW = 40
    content = csv_bytes([good_row(1)]).replace(b"\r\n", b"," * 9 + b"x\r\n")
    assert read_or_message(content, "p.csv").startswith(
        "This file has more than 30 columns: row 1 has a value in column AF."
    )
    content = csv_bytes([good_row(1)]).replace(b"\r\n", b"," * 20 + b"\r\n")
    assert read_or_message(content, "p.csv").startswith("Row 1 has more than 40 cells")


# CSV -------------------------------------------------------------------------------------------


def test_a_csv_row_of_2_6_million_cells_is_refused_before_it_is_split():
    content = (",".join(HEADERS) + "\r\n" + "1," * 2_600_000 + "\r\n").encode()
    assert len(content) < 5.5 * 1024 * 1024  # what the upload limit lets through, near enough
    assert read_or_message(content, "wide.csv").startswith(TOO_MANY_IN_ROW)


def test_a_csv_row_over_several_lines_counts_the_separators_of_all_of_them(settings):
    settings.IMPORT_MAX_CELLS_PER_ROW = 40
    # 21 cells, a quoted line break, then 22 more: neither line alone reaches the limit.
    row = "," * 20 + '"\r\n"' + "," * 22 + "\r\n"
    content = (",".join(HEADERS) + "\r\n" + row).encode()
    assert read_or_message(content, "p.csv").startswith("Row 2 has more than 40 cells")


def test_csv_values_beyond_the_last_column_refuse_the_file_empty_ones_do_not():
    # Excel pads every row of its CSV to the widest row, so empty fields are common.
    padded = csv_bytes([good_row(1)]).replace(b"\r\n", b"," * 100 + b"\r\n")
    assert len(read_spreadsheet(padded, "p.csv").rows) == 1
    stray = csv_bytes([good_row(1)]).replace(b"\r\n", b"," * 38 + b"x\r\n")
    assert read_or_message(stray, "p.csv").startswith(
        "This file has more than 60 columns: row 1 has a value in column BI."
    )


# The other parts of a workbook ------------------------------------------------------------------


def header_only(**parts) -> bytes:
    return handmade_xlsx(sheet_xml([text_row(1, HEADERS)]), **parts)


def test_more_shared_strings_than_the_cells_allowed_are_refused(settings):
    settings.IMPORT_MAX_CELLS = 1_000
    strings = [f'<sst xmlns="{MAIN_NS}">'.encode(), b"<si><t>a</t></si>" * 5_000, b"</sst>"]
    assert "far more text than a placements sheet needs" in read_or_message(
        header_only(shared_strings=strings), "p.xlsx"
    )


def test_a_flood_of_cell_formats_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_STYLE_ELEMENTS", 1_000)
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    styles = [f'<styleSheet xmlns="{MAIN_NS}"><cellXfs>'.encode(), xf * 2_000, b"</cellXfs>"]
    assert "far more formatting than a placements sheet needs" in read_or_message(
        header_only(styles=[*styles, b"</styleSheet>"]), "p.xlsx"
    )


def test_elements_nested_deep_or_many_outside_the_cells_are_refused(settings):
    deep = [text_row(1, HEADERS), b'<row r="2"><c>' + b"<x>" * 100 + b"</x>" * 100 + b"</c></row>"]
    assert "far more data than" in read_or_message(handmade_xlsx(sheet_xml(deep)), "p.xlsx")
    settings.IMPORT_MAX_CELLS = 100  # the sheet's elements: 4 per cell allowed, and the rows
    flood = [text_row(1, HEADERS), b'<row r="2">' + b"<x/>" * 50_000 + b"</row>"]
    assert "far more data than" in read_or_message(handmade_xlsx(sheet_xml(flood)), "p.xlsx")


def test_endless_rows_are_refused_even_without_row_numbers():
    rows = [text_row(1, HEADERS), b"<row/>" * 50_000]
    assert "counting empty ones" in read_or_message(handmade_xlsx(sheet_xml(rows)), "p.xlsx")


def test_a_cell_longer_than_excel_allows_is_refused():
    long = [text_row(1, HEADERS), text_row(2, ["x" * 40_000])]
    assert "more than 32,767 characters" in read_or_message(
        handmade_xlsx(sheet_xml(long)), "p.xlsx"
    )


def test_a_dtd_in_the_sheet_is_refused():
    """An entity bomb needs a DTD to declare its entities: none is accepted, in any part."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    sheet = [bomb, f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode(), text_row(1, HEADERS)]
    content = handmade_xlsx([*sheet, b'<row r="2"><c t="str"><v>&b;</v></c></row>'])
    assert "cannot be read" in read_or_message(content, "p.xlsx")


def test_one_long_shared_text_in_every_cell_is_refused_before_it_fills_the_report(hackney):
    """Found while testing these limits: 500 rows naming one 32,000-character shared string
    (a 3 KB file) made a 370 MB report, every cell's value repeated in its row's errors."""
    strings = [f'<sst xmlns="{MAIN_NS}"><si><t>{"x" * 32_000}</t></si></sst>'.encode()]
    row = b"<row>" + b'<c t="s"><v>0</v></c>' * len(HEADERS) + b"</row>"
    content = handmade_xlsx(sheet_xml([text_row(1, HEADERS), *[row] * 500]), shared_strings=strings)
    assert len(content) < 5_000
    result = check_file(content=content, file_name="p.xlsx", borough=hackney)
    assert "far more text than a placements sheet needs" in result.file_error
