"""How much of a file the import reads at most, and what it says when a file has more.

Found in review: a 198 KB .xlsx whose one row held 3.9 million cells took 46 s and 2.6 GB to
read, because the whole row was built before anything was counted. So the readers (CSV in
reading.py, XLSX in xlsx.py) count columns, cells in a row and cells in all as they go, and stop
at the first limit passed, before anything large is built. The limits are settings
(loti_portal/settings.py, IMPORT_MAX_*), read at each import.
"""

from dataclasses import dataclass

from django.conf import settings
from openpyxl.utils import get_column_letter

from .columns import COLUMNS

MAX_ROWS = 20_000
# Rows read at most, empty ones included, so that blank rows cannot make reading unbounded.
MAX_PHYSICAL_ROWS = 2 * MAX_ROWS + 1


class FileRejected(Exception):
    """The file as a whole cannot be read; the message says why in plain English."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """The bounds on one file's cells; blank cells count towards `cells_per_row` and `cells`."""

    columns: int  # no value may lie to the right of this column
    cells_per_row: int
    cells: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            columns=settings.IMPORT_MAX_COLUMNS,
            cells_per_row=settings.IMPORT_MAX_CELLS_PER_ROW,
            cells=settings.IMPORT_MAX_CELLS,
        )

    def too_wide(self, row: int, column: int) -> FileRejected:
        """A value found in `column` (counted from 1), beyond the last column allowed."""
        return FileRejected(
            f"This file has more than {self.columns} columns: row {row} has a value in column "
            f"{_letter(column)}. A placements sheet needs {len(COLUMNS)} (see the template). "
            "Delete the columns you do not need and upload it again."
        )

    def too_many_cells_in_row(self, row: int) -> FileRejected:
        return FileRejected(
            f"Row {row} has more than {self.cells_per_row:,} cells, counting empty ones: far "
            "more than a placements sheet has. Delete the columns to the right of your table "
            "and upload it again."
        )

    def too_many_cells(self) -> FileRejected:
        return FileRejected(
            f"This file has more than {self.cells:,} cells, counting empty ones. Delete the "
            "empty columns and rows around your table, or split it into smaller files."
        )


def too_many_rows() -> FileRejected:
    # Counted before blank rows are skipped: a file of endless empty rows (found in review:
    # 200,000 in under 1 MB of XLSX) would otherwise keep a worker busy for seconds.
    return FileRejected(
        f"The file has more than {MAX_PHYSICAL_ROWS:,} rows, counting empty ones. "
        "Delete the empty rows or split it into smaller files."
    )


def _letter(column: int) -> str:
    """Excel's name for a column (BI for the 61st), or its number past Excel's last, XFD."""
    return get_column_letter(column) if column <= 16_384 else f"number {column:,}"
