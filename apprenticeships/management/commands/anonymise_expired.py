"""Anonymise apprentices whose placements all ended before a date (docs/data-protection.md)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from apprenticeships.data_protection import anonymise_expired


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--ended-before must be a date like 2020-08-31, not {value!r}."
        ) from error


class Command(BaseCommand):
    help = (
        "Replace names, email, ULN and date of birth (also in history) of apprentices whose "
        "placements all ended before --ended-before. Aggregate figures are unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ended-before", required=True, type=str, metavar="YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be anonymised; change nothing."
        )

    def handle(self, *args, ended_before: str, dry_run: bool, **options):
        cutoff = _date(ended_before)
        if cutoff > datetime.date.today():
            raise CommandError("--ended-before cannot be in the future.")
        done = anonymise_expired(ended_before=cutoff, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for record in done:
            # Ids only: this output may end up in a ticket or a log.
            self.stdout.write(
                f"{verb} apprentice {record.apprentice_id}: {record.placements} placement(s), "
                f"last ended {record.last_ended_on:%Y-%m-%d}, {record.history_rows} history row(s)"
            )
        summary = f"{verb} {len(done)} apprentice(s) whose placements all ended before {cutoff}."
        if dry_run:
            summary += " Dry run: nothing was changed."
        self.stdout.write(summary)
