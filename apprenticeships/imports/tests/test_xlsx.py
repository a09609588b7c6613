"""The streaming XLSX reader gives every kind of cell the value openpyxl gave it (the import read
workbooks with openpyxl until a review found it could be made to take minutes and gigabytes)."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from apprenticeships.imports import downloads, xlsx
from apprenticeships.imports.limits import Limits

from .helpers import MAIN_NS, handmade_xlsx, sheet_xml, xlsx_bytes

# openpyxl, read here for comparison, warns of what it makes of the odd cells.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")

STYLES = [
    f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    # General, Excel's built-in short date, the workbook's own date format, a duration.
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="46"/></cellXfs></styleSheet>'.encode()
]
STRINGS = [
    f'<sst xmlns="{MAIN_NS}"><si><t>Zoë</t></si>'
    # Formatted runs are joined; a phonetic guide is not part of the text.
    '<si><r><rPr><b/></rPr><t>Ada</t></r><r><t xml:space="preserve"> Lovelace </t></r>'
    '<rPh sb="0" eb="3"><t>エイダ</t></rPh></si><si><t/></si></sst>'.encode()
]
CELLS = [
    '<c r="A2" t="s"><v>0</v></c>',
    '<c r="B2" t="s"><v>1</v></c>',
    '<c r="C2" t="inlineStr"><is><t>inline</t><r><t> text</t></r></is></c>',
    '<c r="D2" t="str"><f>A2&amp;"!"</f><v>Zoë!</v></c>',  # a formula: the value Excel saved
    '<c r="E2" t="e"><v>#N/A</v></c>',
    '<c r="F2" t="b"><v>1</v></c>',
    '<c r="G2"><v>42</v></c>',
    '<c r="H2" t="n"><v>1.5</v></c>',
    '<c r="I2"><v>1E3</v></c>',
    '<c r="J2" s="1"><v>43710</v></c>',
    '<c r="K2" s="2"><v>43710.5</v></c>',
    '<c r="L2" s="3"><v>1.25</v></c>',
    '<c r="M2" t="d"><v>2020-08-31T00:00:00</v></c>',
    '<c r="N2" s="1"><v>0.5</v></c>',  # a time of day
    '<c r="O2"><f>1+1</f></c>',  # a formula Excel never calculated: blank
    '<c r="P2" t="s"><v>2</v></c>',
    '<c r="Q2" s="1"><v>9999999999</v></c>',  # a "date" past the calendar
    "<c><v>7</v></c>",  # no reference: the column after the one before
    '<c r="Z2" t="s"/>',
]


def rows_of(content: bytes, reader: str) -> list[tuple[int, list]]:
    """The non-blank rows, trailing blanks dropped, as the new reader or openpyxl reads them."""
    if reader == "openpyxl":
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = list(enumerate(sheet.iter_rows(values_only=True), start=1))
        workbook.close()
    else:
        rows = list(xlsx.read_rows(content, Limits(columns=60, cells_per_row=1000, cells=10**6)))
    trimmed = [(number, _trim(list(values))) for number, values in rows]
    return [(number, values) for number, values in trimmed if values]


def _trim(values: list) -> list:
    while values and values[-1] is None:
        values.pop()
    return values


@pytest.mark.parametrize("date1904", [False, True])
def test_every_kind_of_cell_reads_as_openpyxl_read_it(date1904):
    rows = [
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>heading</t></is></c></row>',
        f'<row r="2">{"".join(CELLS)}</row>'.encode(),
        b'<row r="5"><c r="B5"><v>3</v></c></row>',  # rows 3 and 4 not written at all
    ]
    content = handmade_xlsx(
        sheet_xml(rows), shared_strings=STRINGS, styles=STYLES, date1904=date1904
    )
    ours = rows_of(content, "streaming")
    assert ours == rows_of(content, "openpyxl")
    values = ours[1][1]
    assert values[:3] == ["Zoë", "Ada Lovelace ", "inline text"]
    assert values[9] == datetime.datetime(2023, 9, 3) if date1904 else datetime.datetime(2019, 9, 2)


def test_workbooks_written_by_openpyxl_and_the_template_read_the_same():
    row = ["Zoë", 1, 2.5, datetime.datetime(2020, 8, 31), datetime.date(2000, 5, 17), True, None]
    for content in (xlsx_bytes([row, [None, "x"]]), downloads.template_xlsx()):
        assert rows_of(content, "streaming") == rows_of(content, "openpyxl")


def test_the_first_worksheet_is_read_past_a_chart_sheet_before_it():
    """The sheets are taken in the workbook's order, by what their relationship says they are."""
    content = handmade_xlsx(sheet_xml([b'<row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>']))
    chart = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            data = source.read(name).decode()
            if name == "xl/workbook.xml":
                data = data.replace(
                    "<sheets>", '<sheets><sheet name="Chart" sheetId="9" r:id="rId9"/>'
                )
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    "</Relationships>",
                    f'<Relationship Id="rId9" Type="{chart}" Target="chartsheets/c.xml"/>'
                    "</Relationships>",
                )
            copy.writestr(name, data)
    assert rows_of(out.getvalue(), "streaming") == [(1, ["a"])]
