"""Load London's 33 authorities and the digital apprenticeship standards. Safe to run again."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from apprenticeships.models import Standard
from boroughs.models import Borough

BOROUGHS_CSV = Path(__file__).resolve().parents[2] / "data" / "london_authorities.csv"
STANDARDS_CSV = (
    Path(__file__).resolve().parents[3] / "apprenticeships" / "data" / "digital_standards.csv"
)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Command(BaseCommand):
    help = "Load the 33 London authorities (ONS GSS codes) and the digital standards; idempotent."

    @transaction.atomic
    def handle(self, *args, verbosity: int = 1, **options) -> None:
        boroughs_new = self._seed_boroughs()
        standards_new = self._seed_standards()
        if verbosity:
            self.stdout.write(
                f"Reference data: {Borough.objects.count()} authorities ({boroughs_new} new), "
                f"{Standard.objects.count()} standards ({standards_new} new)."
            )

    def _seed_boroughs(self) -> int:
        created = 0
        for row in read_rows(BOROUGHS_CSV):
            # Only the published facts are set; what admins maintain (membership, headcount) is kept.
            defaults = {
                "name": row["name"],
                "official_name": row["official_name"],
                "kind": row["kind"],
            }
            borough, was_created = Borough.objects.get_or_create(
                gss_code=row["gss_code"], defaults=defaults
            )
            if not was_created and any(getattr(borough, k) != v for k, v in defaults.items()):
                for key, value in defaults.items():
                    setattr(borough, key, value)
                borough.full_clean()
                borough.save()
            created += was_created
        return created

    def _seed_standards(self) -> int:
        created = 0
        for row in read_rows(STANDARDS_CSV):
            # Levels not confirmed against a published page are editable by admins: never overwrite.
            _, was_created = Standard.objects.get_or_create(
                reference=row["reference"],
                defaults={
                    "title": row["title"],
                    "level": int(row["level"]),
                    "level_checked": row["level_checked"] == "yes",
                    "route": "Digital",
                },
            )
            created += was_created
        return created
