"""A CSV file's bytes as text: UTF-8 (with or without a byte-order mark), else Windows-1252, which
Excel's plain "CSV" writes on Windows; UTF-16 when it says so.

Found in review: a file whose lines mixed UTF-8 and Windows-1252 (rows pasted in from another
file) failed as UTF-8, so all of it was read as Windows-1252 and the UTF-8 rows were saved as
mojibake ("ZoÃ«") without a word. Now each line with letters beyond ASCII is tried as UTF-8 on
its own; when some are and some are not, the lines in the minority are marked, and the reader
refuses the file naming their rows (`in_another_encoding`).
"""

import codecs
from dataclasses import dataclass, field

from .limits import FileRejected

ROWS_LISTED = 10


@dataclass
class Decoded:
    text: str
    # Line numbers (from 1, as csv counts them) in another encoding than the rest of the file.
    odd_lines: set[int] = field(default_factory=set)


def decode(content: bytes) -> Decoded:
    """The file's text, or FileRejected; lines in mixed encodings are marked, not garbled."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileRejected("The file's text cannot be read. Save it as CSV UTF-8.") from error
        if "\x00" not in text:  # a NUL character cannot be stored in a database text column
            return Decoded(text)
    if b"\x00" in content:
        raise FileRejected("This file is not a text (CSV) file. Upload a CSV or .xlsx file.")
    try:
        return Decoded(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    odd_lines = _lines_in_another_encoding(content)
    if odd_lines:
        return Decoded(_line_by_line(content), odd_lines)
    try:
        return Decoded(content.decode("cp1252"))
    except UnicodeDecodeError as error:
        raise FileRejected(
            "The file's text is in an encoding we cannot read. Save it from Excel as "
            "'CSV UTF-8 (Comma delimited)'."
        ) from error


def _lines_in_another_encoding(content: bytes) -> set[int]:
    """The lines in the minority when some lines beyond ASCII are UTF-8 and some are not; none
    when no line is UTF-8 (a Windows-1252 file). A UTF-8 byte-order mark makes UTF-8 the file's
    encoding whatever the counts. Lines end as csv ends them: LF, CR or CR LF."""
    has_bom = content.startswith(codecs.BOM_UTF8)
    utf8: set[int] = set()
    other: set[int] = set()
    for number, line in enumerate(content.removeprefix(codecs.BOM_UTF8).splitlines(), start=1):
        if line.isascii():
            continue  # the same in either encoding
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.add(number)
        else:
            utf8.add(number)
    if not utf8:
        return set()
    return other if has_bom or len(other) <= len(utf8) else utf8


def _line_by_line(content: bytes) -> str:
    """Each line in the encoding it is in, so the file's rows can still be counted and named."""
    lines = content.removeprefix(codecs.BOM_UTF8).splitlines(keepends=True)
    return "".join(_as_text(line) for line in lines)


def _as_text(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def in_another_encoding(rows: list[int]) -> FileRejected:
    """The refusal naming the spreadsheet rows (not lines: a row can span lines) at fault."""
    named = [str(n) for n in rows[:ROWS_LISTED]]
    if len(rows) > ROWS_LISTED:
        named.append(f"{len(rows) - ROWS_LISTED:,} more")
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    subject = f"Row {listed} is" if len(rows) == 1 else f"Rows {listed} are"
    return FileRejected(
        f"{subject} not in the same text encoding as the rest of the file: save it again as CSV "
        "UTF-8, checking the accented letters in those rows first (they may show garbled, like "
        '"ZoÃ«").'
    )
