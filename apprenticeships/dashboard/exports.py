"""CSV exports of the dashboard's tables: the page's own text cells, made safe for spreadsheets."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from loti_portal.csv_export import neutralise

from .tables import Table


def table_rows(table: Table) -> list[list[str]]:
    """The header and body of a table exactly as written to the CSV."""
    return [[neutralise(cell) for cell in row] for row in [table.headers, *table.rows]]


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(table_rows(table))
    return response
