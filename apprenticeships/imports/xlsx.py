"""Reading the first sheet of an .xlsx workbook as a stream, within limits counted as it goes.

Found in review: openpyxl, even in read-only mode, builds a whole row before handing it over, and
reads the shared strings and the styles whole before the first row. A 198 KB file whose one row
held 3.9 million cells took 46 s and 2.6 GB; 190 KB that unpacked to 4.5 million shared strings,
62 s; 220 KB of styles, 28 s and 1 GB. Here each part of the workbook is parsed by expat as a
stream of callbacks, with no tree: elements, their depth, rows, cells and strings are counted as
the parser reaches them, and reading stops at the first limit passed (limits.py).

XML safety: any DTD is refused, so no entity can be declared (billion laughs, external entities),
as defusedxml does with `forbid_dtd`. defusedxml's own parsers are not used because they run
expat through the pure-Python ElementTree: twice as slow on a full sheet.

Values are read as openpyxl reads them with `data_only=True` (a formula gives the value Excel saved
for it and is never evaluated), with openpyxl's own number-format and date helpers.
"""

import datetime
import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from .limits import MAX_PHYSICAL_ROWS, FileRejected, Limits, too_many_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Element names as expat gives them with namespaces on: "namespace}name".
C, V, IS, T, RPH, ROW, SHEET_DATA = (
    f"{MAIN}}}{n}" for n in ("c", "v", "is", "t", "rPh", "row", "sheetData")
)
SI, XF, CELL_XFS, NUM_FMT = (f"{MAIN}}}{n}" for n in ("si", "xf", "cellXfs", "numFmt"))
WORKBOOK_PR, SHEET, SHEETS = (f"{MAIN}}}{n}" for n in ("workbookPr", "sheet", "sheets"))
RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
WORKBOOK = "xl/workbook.xml"
CHUNK_BYTES = 64 * 1024
# Excel nests a sheet's elements about ten deep; expat keeps every open element.
MAX_DEPTH = 64
# Excel itself allows 32,767 characters in a cell.
MAX_CELL_CHARACTERS = 32_767
# Text in all the cells kept. Shared strings let one text fill every cell for a few bytes: a
# 3 KB file of 500 rows naming one 32,000-character text made a 370 MB report of errors. Four
# times what the largest CSV accepted (5 MB) can hold.
MAX_TEXT_CHARACTERS = 20_000_000
# Elements parsed at most in the parts other than the sheet: Excel caps a workbook at about
# 65,000 cell formats; a workbook's list of parts and of sheets is far shorter.
MAX_STYLE_ELEMENTS = 200_000
MAX_INDEX_ELEMENTS = 10_000
# Elements of the sheet per cell allowed (a cell and its value are two; inline text three or
# more), so that elements other than cells cannot make reading unbounded either.
SHEET_ELEMENTS_PER_CELL = 4

UNREADABLE = (
    "This Excel file cannot be read: it may be damaged or protected. Save it again as .xlsx "
    "or as CSV, and upload it again."
)
TOO_LONG = (
    f"This Excel file has a cell of more than {MAX_CELL_CHARACTERS:,} characters, more than Excel "
    "itself allows, so it is refused. Save the sheet as CSV and upload that."
)


def _too_much(what: str) -> str:
    return (
        f"This Excel file holds far more {what} than a placements sheet needs, so it is "
        "refused. Copy the placements into a new workbook and upload that, or save the sheet "
        "as CSV."
    )


class _Done(Exception):
    """A part has given all that is needed from it: the rest is not parsed."""


def read_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, list[object]]]:
    """The first worksheet's rows as (row number, values from column A on), or FileRejected."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            yield from _first_sheet_rows(archive, limits)
    # What a damaged or hand-made file can raise: bad XML, a missing part or relationship, a
    # value that is not a number, a string index past the end, a corrupt or encrypted member.
    except (
        expat.ExpatError,
        KeyError,
        ValueError,
        IndexError,
        OverflowError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ) as error:
        raise FileRejected(UNREADABLE) from error


def _first_sheet_rows(
    archive: zipfile.ZipFile, limits: Limits
) -> Iterator[tuple[int, list[object]]]:
    workbook = _Workbook()
    _parse_all(archive, WORKBOOK, workbook)
    relationships = _Relationships()
    _parse_all(archive, "xl/_rels/workbook.xml.rels", relationships)
    sheet_path = next(
        (path for key in workbook.sheet_ids if (path := relationships.part(key, "/worksheet"))),
        "",
    )
    if not sheet_path:
        raise FileRejected(UNREADABLE)
    styles = _Styles()
    styles_path = relationships.part_of_type("/styles")
    if styles_path:
        _parse_all(archive, styles_path, styles)
    strings = _SharedStrings(limits)
    strings_path = relationships.part_of_type("/sharedStrings")
    if strings_path:
        _parse_all(archive, strings_path, strings)
    sheet = _Sheet(strings.strings, styles, workbook.epoch, limits)
    for _ in _parse(archive, sheet_path, sheet):
        yield from sheet.rows
        sheet.rows.clear()
    if not sheet.found_data:
        raise FileRejected(UNREADABLE)


def _new_parser() -> expat.XMLParserType:
    """An expat parser that refuses any DTD or entity declaration (defusedxml's `forbid_dtd`)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True  # an element's text in one callback, not one per line
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    return parser


def _refuse_dtd(*args: object) -> None:
    raise FileRejected(UNREADABLE)


def _parse(archive: zipfile.ZipFile, path: str, part: "_Part") -> Iterator[None]:
    """Feed one part to the parser a chunk at a time, pausing after each chunk so that what was
    found so far can be handed on; stops early when the part raises _Done."""
    parser = _new_parser()
    parser.StartElementHandler = part.start
    parser.EndElementHandler = part.end
    parser.CharacterDataHandler = part.text
    try:
        with archive.open(path) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
    except _Done:
        pass
    yield


def _parse_all(archive: zipfile.ZipFile, path: str, part: "_Part") -> None:
    for _ in _parse(archive, path, part):
        pass


class _Part:
    """Callbacks for one part: counts its elements and how deeply they nest, within a budget.

    The small parts say what they need in `opened` and `closed`; the sheet and the shared
    strings, whose callbacks run millions of times, override `start` and `end` themselves
    (a fifth of a full sheet's reading time was the extra call).
    """

    def __init__(self, budget: int, too_much: str):
        self.budget = budget
        self.too_much = too_much
        self.elements = 0
        self.depth = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        self.depth += 1
        if self.elements > self.budget or self.depth > MAX_DEPTH:
            raise FileRejected(self.too_much)
        self.opened(name, attributes)

    def end(self, name: str) -> None:
        self.depth -= 1
        self.closed(name)

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        pass

    def closed(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class _Workbook(_Part):
    """workbook.xml: the sheets in order, and whether dates count from 1904 (old Mac Excel)."""

    def __init__(self) -> None:
        super().__init__(MAX_INDEX_ELEMENTS, _too_much("sheets"))
        self.sheet_ids: list[str] = []
        self.epoch = CALENDAR_WINDOWS_1900

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        if name == WORKBOOK_PR and attributes.get("date1904") in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904
        elif name == SHEET:
            self.sheet_ids.append(attributes[RELATIONSHIP_ID])

    def closed(self, name: str) -> None:
        if name == SHEETS:
            raise _Done  # what follows (defined names, calculation settings) is not needed


class _Relationships(_Part):
    """workbook.xml.rels: where each sheet, the styles and the shared strings are kept."""

    def __init__(self) -> None:
        super().__init__(MAX_INDEX_ELEMENTS, _too_much("parts"))
        self.targets: dict[str, tuple[str, str]] = {}

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        if name == RELATIONSHIP:
            self.targets[attributes["Id"]] = (attributes["Type"], attributes["Target"])

    def part(self, relationship_id: str, type_ending: str) -> str:
        kind, target = self.targets.get(relationship_id, ("", ""))
        if not kind.endswith(type_ending):
            return ""
        # Relative to xl/, or absolute from the package's root.
        return target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")

    def part_of_type(self, type_ending: str) -> str:
        return next((path for key in self.targets if (path := self.part(key, type_ending))), "")


class _Styles(_Part):
    """styles.xml: which cell formats show a number as a date (or a duration), as openpyxl
    decides it: by each format's code, built in or the workbook's own."""

    def __init__(self) -> None:
        super().__init__(MAX_STYLE_ELEMENTS, _too_much("formatting"))
        self.custom: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.in_cell_formats = False

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        if name == NUM_FMT:
            self.custom[int(attributes["numFmtId"])] = attributes.get("formatCode", "")
        elif name == CELL_XFS:
            self.in_cell_formats = True
        elif name == XF and self.in_cell_formats:
            self.cell_formats.append(int(attributes.get("numFmtId", 0)))

    def closed(self, name: str) -> None:
        if name == CELL_XFS:
            self.in_cell_formats = False

    def styles_where(self, test: Callable[[str], bool]) -> frozenset[int]:
        codes = [self.custom.get(n, BUILTIN_FORMATS.get(n)) for n in self.cell_formats]
        return frozenset(i for i, code in enumerate(codes) if code and test(code))


class _Text(_Part):
    """A run of text as Excel keeps it (<t> elements, plain or in formatted runs), without the
    phonetic guides (<rPh>) that Japanese text can carry; at most MAX_CELL_CHARACTERS."""

    def __init__(self, budget: int, too_much: str):
        super().__init__(budget, too_much)
        self.pieces: list[str] | None = None  # inside a piece of text (a <v> or a <t>)
        self.length = 0
        self.phonetic = 0

    def text(self, data: str) -> None:
        if self.pieces is not None:
            self.length += len(data)
            if self.length > MAX_CELL_CHARACTERS:
                raise FileRejected(TOO_LONG)
            self.pieces.append(data)

    def collect(self) -> None:
        self.pieces = [] if not self.phonetic else None

    def collected(self) -> str:
        text = "".join(self.pieces or ())
        self.pieces = None
        return text


class _SharedStrings(_Text):
    """sharedStrings.xml: the workbook's text, which cells name by index; no more strings than
    the limit on cells, since a file cannot use more."""

    def __init__(self, limits: Limits):
        super().__init__(SHEET_ELEMENTS_PER_CELL * limits.cells, _too_much("text"))
        self.limit = limits.cells
        self.strings: list[str] = []
        self.string: list[str] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1  # as _Part.start counts, inlined: millions of calls in a big file
        self.depth += 1
        if self.elements > self.budget or self.depth > MAX_DEPTH:
            raise FileRejected(self.too_much)
        if name == T:
            self.collect()
        elif name == SI:
            self.string, self.length = [], 0
        elif name == RPH:
            self.phonetic += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        if name == T:
            self.string.append(self.collected())
        elif name == SI:
            self.strings.append("".join(self.string))
            if len(self.strings) > self.limit:
                raise FileRejected(self.too_much)
        elif name == RPH:
            self.phonetic -= 1


class _Sheet(_Text):
    """The worksheet: rows of values by column, counted against the limits as they are parsed.

    Only <sheetData> is read; what follows it (merged cells, conditional formats) is not.
    """

    def __init__(
        self, strings: list[str], styles: _Styles, epoch: datetime.datetime, limits: Limits
    ):
        super().__init__(
            SHEET_ELEMENTS_PER_CELL * limits.cells + MAX_PHYSICAL_ROWS, _too_much("data")
        )
        self.strings, self.epoch, self.limits = strings, epoch, limits
        self.date_styles = styles.styles_where(is_date_format)
        self.duration_styles = styles.styles_where(is_timedelta_format)
        self.rows: list[tuple[int, list[object]]] = []  # read since the caller last took them
        self.found_data = False
        self.rows_read = self.row_number = self.cells = self.in_row = self.column = 0
        self.characters = 0  # of text in the cells kept
        self.values: dict[int, object] = {}
        self.kind: str | None = None  # the type of the cell being read, when in one
        self.style = 0
        self.value: str | None = None
        self.inline: list[str] | None = None

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1  # as _Part.start counts, inlined: millions of calls in a big file
        self.depth += 1
        if self.elements > self.budget or self.depth > MAX_DEPTH:
            raise FileRejected(self.too_much)
        if name == C:
            self._cell_starts(attributes)
        elif self.kind is not None and (name == V or (name == T and self.inline is not None)):
            self.collect()
        elif name == IS and self.kind is not None:
            self.inline = []
        elif name == RPH:
            self.phonetic += 1
        elif name == ROW:
            self._row_starts(attributes.get("r"))
        elif name == SHEET_DATA:
            self.found_data = True

    def end(self, name: str) -> None:
        self.depth -= 1
        if name == C:
            self._cell_ends()
        elif name == V and self.kind is not None:
            self.value = self.collected()
        elif name == T and self.inline is not None and self.pieces is not None:
            self.inline.append(self.collected())
        elif name == ROW:
            self._row_ends()
        elif name == RPH:
            self.phonetic -= 1
        elif name == SHEET_DATA:
            raise _Done

    def _row_starts(self, reference: str | None) -> None:
        self.rows_read += 1
        if self.rows_read > MAX_PHYSICAL_ROWS:
            raise too_many_rows()
        number = int(reference) if reference else self.row_number + 1
        if number <= self.row_number:
            raise FileRejected(UNREADABLE)  # Excel writes rows in order, once each
        self.row_number, self.in_row, self.column, self.values = number, 0, 0, {}

    def _row_ends(self) -> None:
        row: list[object] = [None] * max(self.values, default=0)
        for column, value in self.values.items():
            row[column - 1] = value
        self.rows.append((self.row_number, row))

    def _cell_starts(self, attributes: dict[str, str]) -> None:
        self.in_row += 1
        self.cells += 1
        if self.in_row > self.limits.cells_per_row:
            raise self.limits.too_many_cells_in_row(self.row_number)
        if self.cells > self.limits.cells:
            raise self.limits.too_many_cells()
        # "B7" names column B; cells without a reference follow the one before.
        reference = attributes.get("r")
        if reference:
            self.column = column_index_from_string(reference.rstrip("0123456789"))
        else:
            self.column += 1
        self.kind = attributes.get("t", "n")
        self.style = int(attributes.get("s") or 0)
        self.value, self.inline, self.length = None, None, 0

    def _cell_ends(self) -> None:
        value = self._typed_value()
        self.kind = None
        if self.column > self.limits.columns:
            if value is None or (isinstance(value, str) and not value.strip()):
                return  # a blank cell to the right of the table: counted, not kept
            raise self.limits.too_wide(self.row_number, self.column)
        if isinstance(value, str):
            self.characters += len(value)
            if self.characters > MAX_TEXT_CHARACTERS:
                raise FileRejected(_too_much("text"))
        self.values[self.column] = value

    def _typed_value(self) -> object:
        """The cell's value as openpyxl gives it with data_only=True."""
        kind, text = self.kind, self.value
        if kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        if not text:
            return None
        if kind == "n":
            return self._number(text)
        if kind == "s":
            index = int(text)
            if index < 0:
                raise IndexError(index)  # not the strings counted from the end
            return self.strings[index]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text), "e" (an error such as #N/A)

    def _number(self, text: str) -> object:
        """A number, or the date (or duration) it stands for when its cell is formatted so."""
        number = float(text) if "." in text or "E" in text or "e" in text else int(text)
        if self.style not in self.date_styles:
            return number
        try:
            duration = self.style in self.duration_styles
            return from_excel(number, self.epoch, timedelta=duration)
        except (OverflowError, ValueError):
            return "#VALUE!"  # as openpyxl gives a date beyond the calendar
