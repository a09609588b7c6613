"""Turning an uploaded file into rows of raw cell values, tolerantly and safely.

Nothing in a file is ever executed: CSV is text; XLSX is read by xlsx.py, where a formula gives
the value Excel last saved for it and is never evaluated, and no DTD is accepted (so no entity
bombs). Zip bombs are refused here by the total uncompressed size. Both readers count columns,
cells in a row and cells in all as they read, and stop at the first limit passed (limits.py).
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from . import xlsx
from .columns import COLUMNS_BY_NAME, REQUIRED_COLUMNS
from .decoding import Decoded, decode, in_another_encoding
from .limits import MAX_PHYSICAL_ROWS, MAX_ROWS, FileRejected, Limits, too_many_rows

__all__ = ["MAX_PHYSICAL_ROWS", "MAX_ROWS", "FileRejected", "Limits", "read_spreadsheet"]

MAX_BYTES = 5 * 1024 * 1024
# 20,000 rows of 19 columns is about 15 MB of sheet XML; anything far beyond is a zip bomb.
MAX_XLSX_UNCOMPRESSED_BYTES = 80 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or a password-protected .xlsx
PDF_MAGIC = b"%PDF"
CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass
class RawRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, object]


@dataclass
class Sheet:
    rows: list[RawRow]
    unknown_columns: list[str] = field(default_factory=list)


def normalise_header(header: object) -> str:
    """'Given Name', ' given_name ', 'GIVEN-NAME' all become 'given_name'."""
    text = "" if header is None else str(header)
    return re.sub(r"[\s_\-]+", "_", text.strip().lower()).strip("_")


def read_spreadsheet(content: bytes, filename: str) -> Sheet:
    """Read a CSV or XLSX file into rows keyed by column name, or raise FileRejected."""
    if len(content) > MAX_BYTES:
        raise FileRejected(
            f"The file is {len(content) / 1024 / 1024:.1f} MB: the largest accepted is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not content.strip():
        raise FileRejected("The file is empty.")
    limits = Limits.from_settings()
    if sniff_kind(content, filename) == "xlsx":
        _check_zip(content)
        return _build_sheet(xlsx.read_rows(content, limits))
    return _build_sheet(_csv_rows(content, limits))


def sniff_kind(content: bytes, filename: str) -> str:
    """'csv' or 'xlsx', judged by the file's first bytes as well as its name."""
    suffix = PurePath(filename or "").suffix.lower()
    if content.startswith(PDF_MAGIC):
        raise FileRejected("This file is a PDF, not a spreadsheet. Upload a CSV or .xlsx file.")
    if content.startswith(OLE2_MAGIC):
        raise FileRejected(
            "This is an old-style Excel file (.xls) or a password-protected workbook. "
            "Remove any password and save it as .xlsx or CSV, then upload it again."
        )
    if suffix in XLSX_SUFFIXES:
        if not content.startswith(ZIP_MAGIC):
            raise FileRejected(
                "This file is called .xlsx but is not an Excel workbook. Save it from Excel as "
                ".xlsx, or as CSV."
            )
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        if content.startswith(ZIP_MAGIC):
            raise FileRejected(
                "This file is called .csv but is a zip archive or workbook, not text. If it is an "
                "Excel workbook, name it .xlsx; otherwise save it as CSV."
            )
        return "csv"
    raise FileRejected("Upload a CSV (.csv) or Excel (.xlsx) file.")


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Lines:
    """The text's lines for the csv reader, which counts them as they are taken.

    Refuses a row with too many separators before the reader splits it: the reader builds a
    whole row at once (up to 2.6 million cells in 5 MB). A row may span lines (a quoted value
    with a line break in it); the separators of all its lines count. A separator inside quotes
    counts too, which errs only on the safe side. Also notes the rows with a line in another
    text encoding than the rest of the file (decoding.py).
    """

    def __init__(self, decoded: Decoded, limits: Limits):
        self.lines = iter(io.StringIO(decoded.text, newline=""))
        self.delimiter = _sniff_delimiter(decoded.text)
        self.limits = limits
        self.odd_lines = decoded.odd_lines
        self.odd_rows: list[int] = []
        self.line = 0
        self.row = 1  # the row the reader is reading
        self.separators = 0  # in that row so far
        self.row_is_odd = False

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.line += 1
        self.row_is_odd |= self.line in self.odd_lines
        self.separators += line.count(self.delimiter)
        if self.separators >= self.limits.cells_per_row:
            raise self.limits.too_many_cells_in_row(self.row)
        return line

    def row_read(self) -> None:
        if self.row_is_odd:
            self.odd_rows.append(self.row)
        self.row += 1
        self.separators = 0
        self.row_is_odd = False


def _csv_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, list[object]]]:
    lines = _Lines(decode(content), limits)
    reader = csv.reader(lines, delimiter=lines.delimiter)
    cells = 0
    try:
        for number, row in enumerate(reader, start=1):
            lines.row_read()
            cells += len(row)
            if cells > limits.cells:
                raise limits.too_many_cells()
            yield number, _within_columns(number, row, limits)
    except csv.Error as error:
        raise FileRejected(
            f"Row {lines.row} cannot be read as CSV ({error}). Check its quotation marks."
        ) from error
    if lines.odd_rows:  # after every row, so that all of them are named
        raise in_another_encoding(lines.odd_rows)


def _within_columns(number: int, row: list[str], limits: Limits) -> list[object]:
    """The row's values up to the last column allowed; a value beyond it refuses the file."""
    beyond = next((i for i in range(limits.columns, len(row)) if row[i].strip()), None)
    if beyond is not None:
        raise limits.too_wide(number, beyond + 1)
    return list(row[: limits.columns])


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRejected(
            "This Excel file is damaged and cannot be opened. Open it in Excel, save it again "
            "as .xlsx, and upload it again."
        ) from error
    if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            "This Excel file unpacks to far more data than a placements sheet holds, so it "
            "is refused. Save the sheet on its own as CSV and upload that."
        )
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise FileRejected(
            "This file is a zip archive but not an Excel workbook. Upload a CSV or .xlsx file."
        )


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_cell(value: object) -> object:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _build_sheet(rows: Iterable[tuple[int, list[object]]]) -> Sheet:
    iterator = iter(rows)
    header = next(((n, r) for n, r in iterator if not all(_is_blank(v) for v in r)), None)
    if header is None:
        raise FileRejected("The file has no rows.")
    names = [normalise_header(h) for h in header[1]]
    known = {i: name for i, name in enumerate(names) if name in COLUMNS_BY_NAME}
    repeated = sorted({n for n in known.values() if list(known.values()).count(n) > 1})
    if repeated:
        raise FileRejected(f"These columns appear more than once: {', '.join(repeated)}.")
    missing = [name for name in REQUIRED_COLUMNS if name not in known.values()]
    if missing:
        raise FileRejected(
            f"Row {header[0]} should name the columns, but there is no column for: "
            f"{', '.join(missing)}. Download the template to see the column names."
        )
    unknown = [
        str(h).strip() for i, h in enumerate(header[1]) if i not in known and not _is_blank(h)
    ]
    data: list[RawRow] = []
    for number, row in iterator:
        if number > MAX_PHYSICAL_ROWS:
            raise too_many_rows()
        if all(_is_blank(v) for v in row):
            continue
        if len(data) >= MAX_ROWS:
            raise FileRejected(
                f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files."
            )
        values = {name: _clean_cell(row[i]) if i < len(row) else None for i, name in known.items()}
        data.append(RawRow(number=number, values=values))
    if not data:
        raise FileRejected("The file has column names but no rows of apprentices.")
    return Sheet(rows=data, unknown_columns=unknown)
