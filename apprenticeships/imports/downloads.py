"""The blank templates offered for download, built from columns.COLUMNS."""

import io

import openpyxl
from openpyxl.styles import Font

from .columns import COLUMNS

TEXT_KINDS = {"uln", "ukprn", "reference"}


def template_csv() -> bytes:
    # The byte-order mark makes Excel open the file as UTF-8 (names with accents survive).
    return ("\ufeff" + ",".join(column.name for column in COLUMNS) + "\r\n").encode("utf-8")


def template_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Placements"
    sheet.append([column.name for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        # Text columns stop Excel from rounding ULNs or turning ST0116 into something else.
        number_format = "@" if column.kind in TEXT_KINDS else None
        number_format = "DD/MM/YYYY" if column.kind == "date" else number_format
        if number_format:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = number_format
    sheet.freeze_panes = "A2"
    guidance = workbook.create_sheet("Guidance")
    guidance.append(["Column", "Required", "What it is", "Format", "Accepted values", "Example"])
    for cell in guidance[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guidance.append(
            [
                column.name,
                "Required" if column.required else "Optional",
                column.description,
                column.format,
                column.accepted_values,
                column.example,
            ]
        )
    for letter, width in zip("ABCDEF", (20, 10, 50, 45, 70, 22), strict=True):
        guidance.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
