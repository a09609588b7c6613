"""Building spreadsheets for the import tests."""

import csv
import io

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
