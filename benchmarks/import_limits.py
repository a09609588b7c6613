"""Time and peak memory of reading hostile spreadsheets, and of checking the largest accepted.

Usage: DATABASE_URL=postgres://... .venv/bin/python benchmarks/import_limits.py
Each file is read in a fresh process, so its peak resident memory is that file's alone (the
process's own, Django loaded, is printed beside it). The hostile files must be refused within
TARGET_SECONDS and TARGET_MB; the largest accepted files are also checked against the database
(read + validate, nothing written) in a benchmark borough (E09999991), deleted afterwards.
Without DATABASE_URL only the reading is measured.
"""

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti_portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("EMAIL_URL", "dummymail://")  # required with DEBUG off; no mail is sent

import django

django.setup()

from django.conf import settings  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from apprenticeships.factories import valid_uln  # noqa: E402
from apprenticeships.imports.limits import MAX_ROWS  # noqa: E402
from apprenticeships.imports.tests.helpers import (  # noqa: E402
    HEADERS,
    MAIN_NS,
    good_row,
    handmade_xlsx,
    sheet_xml,
    text_row,
    wide_row_xlsx,
)

TARGET_SECONDS = 10
TARGET_MB = 512
GSS = "E09999991"


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not getrusage's ru_maxrss: the latter
    carries over from the parent process through fork and exec, so it would count the files this
    script built before starting the child."""
    status = Path("/proc/self/status")
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # bytes on macOS


# The files -------------------------------------------------------------------------------------


def many_strings(count: int) -> bytes:
    pieces = (b"<si><t>a</t></si>" * 10_000 for _ in range(count // 10_000))
    strings = [f'<sst xmlns="{MAIN_NS}">'.encode(), *pieces, b"</sst>"]
    return handmade_xlsx(sheet_xml([text_row(1, HEADERS)]), shared_strings=strings)


def many_formats(count: int) -> bytes:
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    pieces = (xf * 10_000 for _ in range(count // 10_000))
    styles = [f'<styleSheet xmlns="{MAIN_NS}"><cellXfs>'.encode(), *pieces, b"</cellXfs>"]
    return handmade_xlsx(sheet_xml([text_row(1, HEADERS)]), styles=[*styles, b"</styleSheet>"])


def wide_csv() -> bytes:
    """One row of as many cells as 5 MB holds."""
    return (",".join(HEADERS) + "\r\n" + "1," * (2_600_000 - 1) + "1\r\n").encode()


def full_rows() -> Iterator[list[str]]:
    """The largest file accepted: a heading and 20,000 good rows, as wide as allowed."""
    extra = [f"note_{n}" for n in range(settings.IMPORT_MAX_COLUMNS - len(HEADERS))]
    yield HEADERS + extra
    for n in range(1, MAX_ROWS + 1):
        row = good_row(n, uln=valid_uln(700000 + n), email=f"limit{n}@benchmark.example")
        yield [row.get(name, "") for name in HEADERS] + ["x"] * len(extra)


def full_xlsx() -> bytes:
    """As openpyxl writes it: every text cell holds its own text."""
    return handmade_xlsx(sheet_xml(text_row(n, row) for n, row in enumerate(full_rows(), 1)))


def full_xlsx_as_excel_writes_it() -> bytes:
    """As Excel writes it: cells name their column and point into one table of distinct text."""
    strings: dict[str, int] = {}

    def row_xml(number: int, values: list[str]) -> bytes:
        cells = "".join(
            f'<c r="{get_column_letter(column)}{number}" t="s">'
            f"<v>{strings.setdefault(value, len(strings))}</v></c>"
            for column, value in enumerate(values, start=1)
            if value
        )
        return f'<row r="{number}">{cells}</row>'.encode()

    rows = [row_xml(n, values) for n, values in enumerate(full_rows(), start=1)]
    table = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    return handmade_xlsx(
        sheet_xml(rows), shared_strings=[f'<sst xmlns="{MAIN_NS}">{table}</sst>'.encode()]
    )


def most_elements_allowed() -> bytes:
    """The slowest sheet to read that the limits let through: a million cells of formatted
    text, five elements each, just under the sheet's budget of elements."""
    cell = b'<c t="inlineStr"><is><r><t>a</t></r></is></c>'
    rows = (b"<row>" + cell * 50 + b"</row>" for _ in range(MAX_ROWS))
    return handmade_xlsx(sheet_xml([text_row(1, HEADERS), *rows]))


def full_csv() -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(full_rows())
    return out.getvalue().encode()


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "one row of 3.9 million cells": ("wide.xlsx", lambda: wide_row_xlsx(3_900_000)),
    "one row of 3.9 million blank cells": ("blank.xlsx", lambda: wide_row_xlsx(3_900_000, b"<c/>")),
    "4.5 million shared strings": ("strings.xlsx", lambda: many_strings(4_500_000)),
    "1.2 million cell formats": ("formats.xlsx", lambda: many_formats(1_200_000)),
    "CSV: one row of 2.6 million cells": ("wide.csv", wide_csv),
    "1 million cells of formatted text": ("elements.xlsx", most_elements_allowed),
}
ACCEPTED: dict[str, tuple[str, Callable[[], bytes]]] = {
    "largest accepted .xlsx, as Excel": ("excel.xlsx", full_xlsx_as_excel_writes_it),
    "largest accepted .xlsx, as openpyxl": ("full.xlsx", full_xlsx),
    "largest accepted .csv": ("full.csv", full_csv),
}


# One file, in a process of its own --------------------------------------------------------------


def measure(path: str, check: bool) -> None:
    """Read (or check) one file here and print what it took as JSON."""
    from apprenticeships.imports.reading import FileRejected, read_spreadsheet

    content = Path(path).read_bytes()
    before = peak_mb()
    started = time.perf_counter()
    if check:
        result = _check(content, Path(path).name)
        outcome = result.file_error or f"{len(result.rows):,} rows, valid: {result.is_valid}"
    else:
        try:
            outcome = f"read {len(read_spreadsheet(content, Path(path).name).rows):,} rows"
        except FileRejected as rejected:
            outcome = f"refused: {rejected.message}"
    seconds = time.perf_counter() - started
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak": peak_mb(), "base": before}))


def _check(content: bytes, name: str):
    from apprenticeships.imports.engine import check_file
    from apprenticeships.models import Standard, TrainingProvider
    from boroughs.models import Borough

    borough, _ = Borough.objects.get_or_create(
        gss_code=GSS, defaults={"name": "Limits benchmark", "official_name": "Limits benchmark"}
    )
    Standard.objects.get_or_create(
        reference="ST0116", defaults={"title": "Software developer", "level": 4}
    )
    TrainingProvider.objects.get_or_create(ukprn="10012345", defaults={"name": "Provider"})
    try:
        return check_file(content=content, file_name=name, borough=borough)
    finally:
        borough.delete()


def run(path: Path, check: bool) -> dict:
    command = [sys.executable, __file__, "--one", str(path)] + (["--check"] if check else [])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(label: str, size: int, figures: dict, targets: bool) -> None:
    within = figures["seconds"] < TARGET_SECONDS and figures["peak"] < TARGET_MB
    verdict = ("within target" if within else "OVER TARGET") if targets else ""
    print(
        f"{label:44} {size / 1024:>7,.0f} KB {figures['seconds']:>6.2f} s "
        f"{figures['peak']:>6,.0f} MB peak ({figures['base']:,.0f} MB before) {verdict}"
    )
    print(f"    {figures['outcome'][:150]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        measure(arguments.one, arguments.check)
        return
    with_database = bool(os.environ.get("DATABASE_URL"))
    print(f"Targets for hostile files: under {TARGET_SECONDS} s and {TARGET_MB} MB.")
    with tempfile.TemporaryDirectory() as folder:
        for files, targets in ((HOSTILE, True), (ACCEPTED, False)):
            for label, (name, build) in files.items():
                path = Path(folder) / name
                path.write_bytes(build())
                size = path.stat().st_size
                report(f"{label}: read", size, run(path, check=False), targets)
                if not targets and with_database:
                    report(f"{label}: check", size, run(path, check=True), targets)


if __name__ == "__main__":
    main()
