"""`import_placements PATH --borough GSS [--dry-run]`: the import engine from the command line.

Exit 0 when every row is good (and, without --dry-run, saved); 1 with every row's errors printed
and nothing written; 2 for unusable arguments or a file that cannot be read.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apprenticeships.imports.engine import ERROR, NEW, UNCHANGED, UPDATE, check_file
from apprenticeships.imports.models import ImportRun
from apprenticeships.imports.services import ImportNotSaved, commit_import, record_check
from boroughs.models import Borough


class Command(BaseCommand):
    help = "Check and import placements from a CSV or XLSX file for one borough."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV or .xlsx file.")
        parser.add_argument("--borough", required=True, help="The borough's GSS code, E09000012.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")

    def handle(self, *args, path: str, borough: str, dry_run: bool, **options):
        target = Borough.objects.filter(gss_code=borough.strip().upper()).first()
        if target is None:
            raise CommandError(f"No borough has the GSS code {borough}.", returncode=2)
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.", returncode=2) from error
        result = check_file(content=content, file_name=file.name, borough=target)
        if result.file_error:
            raise CommandError(result.file_error, returncode=2)
        self._print_rows(result)
        if not result.is_valid:
            raise CommandError(
                f"{result.count(ERROR)} row(s) have errors: nothing was saved.", returncode=1
            )
        if dry_run:
            self.stdout.write("Dry run: every row is good; nothing was saved.")
            return
        run = record_check(
            borough=target,
            user=None,
            file_name=file.name,
            content=content,
            result=result,
            source=ImportRun.Source.COMMAND,
        )
        try:
            saved = commit_import(run=run, user=None)
        except ImportNotSaved as not_saved:
            raise CommandError(not_saved.message, returncode=1) from not_saved
        if not saved.is_valid:
            self._print_rows(saved)
            raise CommandError(
                "The records changed during the import: nothing was saved.", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(f"Saved as import #{run.pk}."))

    def _print_rows(self, result) -> None:
        for column in result.unknown_columns:
            self.stdout.write(f"Ignored unknown column: {column}")
        for row in result.rows:
            for error in row.errors:
                where = f", column {error.column}" if error.column else ""
                value = f" (value {error.value!r})" if error.value else ""
                self.stdout.write(f"Row {row.number}{where}{value}: {error.message}")
        self.stdout.write(
            f"{len(result.rows)} rows: {result.count(NEW)} new, {result.count(UPDATE)} updated, "
            f"{result.count(UNCHANGED)} unchanged, {result.count(ERROR)} with errors."
        )
