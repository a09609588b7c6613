"""Test helpers: read tables back out of the page and the CSV, and load many placements fast."""

import csv
import datetime
import io
from html.parser import HTMLParser

from apprenticeships.factories import StandardFactory, TrainingProviderFactory, valid_uln
from apprenticeships.models import Apprentice, Placement


class _TableParser(HTMLParser):
    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.depth = 0  # >0 while inside the wanted table
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.depth and tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell.append(data)


def page_table(html: str, slug: str) -> list[list[str]]:
    """Header and body rows of the table with id `table-<slug>`, as the user reads them."""
    parser = _TableParser(f"table-{slug}")
    parser.feed(html)
    return parser.rows


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def bulk_placements(n: int, boroughs, start=datetime.date(2019, 9, 2)) -> None:
    """n apprentices with one placement each, spread over the boroughs (bulk inserts)."""
    standard = StandardFactory()
    provider = TrainingProviderFactory()
    first = Apprentice.objects.count()
    people = Apprentice.objects.bulk_create(
        Apprentice(
            given_name=f"Bulk{i}",
            family_name="Person",
            uln=valid_uln(50_000 + first + i),
            date_of_birth=datetime.date(1999, 1, 1),
        )
        for i in range(n)
    )
    Placement.objects.bulk_create(
        Placement(
            apprentice=person,
            borough=boroughs[i % len(boroughs)],
            standard=standard,
            provider=provider,
            start_date=start + datetime.timedelta(days=i % 200),
            planned_end_date=start + datetime.timedelta(days=800),
        )
        for i, person in enumerate(people)
    )
