"""Building spreadsheets for the import tests."""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

import openpyxl

from apprenticeships.factories import valid_uln
from apprenticeships.imports.columns import COLUMNS

HEADERS = [column.name for column in COLUMNS]


def good_row(n: int = 1, **overrides) -> dict:
    row = {
        "given_name": f"Ada{n}",
        "family_name": "Lovelace",
        "email": f"ada{n}@example.org",
        "uln": valid_uln(5000 + n),
        "date_of_birth": "17/05/2000",
        "job_title": "Apprentice developer",
        "service_area": "ICT",
        "standard_reference": "ST0116",
        "provider_ukprn": "10012345",
        "start_date": "02/09/2019",
        "planned_end_date": "2021-03-01",
        "status": "In learning",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=HEADERS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], headers: list[str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def mixed_csv(
    other_rows: set[int], main: str = "cp1252", other: str = "utf-8", people: int = 7
) -> bytes:
    """A CSV of apprentices with accented names, rows in `other_rows` saved in `other`, the
    rest in `main` (as when rows are pasted in from another file)."""
    rows = [good_row(n, given_name="Zoë", family_name="O’Brien") for n in range(1, people + 1)]
    lines = csv_bytes(rows)
    text = lines.decode("utf-8").splitlines(keepends=True)
    return b"".join(
        line.encode(other if number in other_rows else main)
        for number, line in enumerate(text, start=1)
    )


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def handmade_xlsx(
    sheet: Iterable[bytes],
    *,
    shared_strings: Iterable[bytes] | None = None,
    styles: Iterable[bytes] | None = None,
    date1904: bool = False,
) -> bytes:
    """A workbook written part by part, for files openpyxl would take too long to build (or
    would not write at all). Each part streams into the zip a piece at a time, so even an 80 MB
    sheet costs the test only its compressed bytes."""
    parts = {"xl/worksheets/sheet1.xml": ("worksheet", sheet)}
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = ("sharedStrings", shared_strings)
    if styles is not None:
        parts["xl/styles.xml"] = ("styles", styles)
    relationships = "".join(
        f'<Relationship Id="rId{n}" Type="{_DOCUMENT_RELS}/{kind}" Target="/{path}"/>'
        for n, (path, (kind, _)) in enumerate(parts.items(), start=1)
    )
    content_types = "".join(
        f'<Override PartName="/{path}" ContentType="{_CONTENT_TYPE}.{kind}+xml"/>'
        for path, (kind, _) in {"xl/workbook.xml": ("sheet.main", ()), **parts}.items()
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{_CONTENT_TYPES}"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f"{content_types}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{_DOCUMENT_RELS}">'
            f'<workbookPr date1904="{int(date1904)}"/>'
            '<sheets><sheet name="Placements" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}">{relationships}</Relationships>',
        )
        for path, (_, pieces) in parts.items():
            with archive.open(path, "w") as part:
                for piece in pieces:
                    part.write(piece)
    return out.getvalue()


def sheet_xml(rows: Iterable[bytes]) -> Iterator[bytes]:
    """A worksheet around rows of cells already written as XML."""
    yield f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def text_row(number: int, values: Iterable[object]) -> bytes:
    """One row of inline text cells, as openpyxl writes them."""
    cells = "".join(
        f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>' if value else "<c/>"
        for value in values
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def wide_row_xlsx(cells: int, cell: bytes = b'<c s="0"><v>1</v></c>') -> bytes:
    """The review's file: the template's headings, then one row of `cells` cells (3.9 million
    made 78 MB of XML in 200 KB of .xlsx, under the limit on unpacked size)."""

    def rows() -> Iterator[bytes]:
        yield text_row(1, HEADERS)
        yield b'<row r="2">'
        for _ in range(cells // 10_000):
            yield cell * 10_000
        yield cell * (cells % 10_000)
        yield b"</row>"

    return handmade_xlsx(sheet_xml(rows()))
