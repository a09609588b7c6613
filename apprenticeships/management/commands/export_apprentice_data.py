"""Export everything held about one apprentice as JSON, for a subject access request."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apprenticeships.data_protection import export_apprentice
from apprenticeships.models import Apprentice
from apprenticeships.validators import TEMPORARY_ULN


class Command(BaseCommand):
    help = "Everything held about one apprentice, history included, as JSON (subject access)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--id", type=int, help="The apprentice's id in the portal.")
        which.add_argument("--uln", help="Unique Learner Number.")
        which.add_argument("--email", help="Email address (any case).")
        parser.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def _find(self, *, id, uln, email) -> Apprentice:
        if uln == TEMPORARY_ULN:
            raise CommandError(f"{TEMPORARY_ULN} is the temporary ULN shared by many: use --id.")
        if id is not None:
            matches = Apprentice.objects.filter(pk=id)
        elif uln:
            matches = Apprentice.objects.filter(uln=uln.strip())
        else:
            matches = Apprentice.objects.filter(email__iexact=email.strip())
        found = list(matches[:2])
        if not found:
            raise CommandError("No apprentice matches. Nothing was exported.")
        if len(found) > 1:
            raise CommandError("More than one apprentice matches: use --id.")
        return found[0]

    def handle(self, *args, id, uln, email, output, **options):
        apprentice = self._find(id=id, uln=uln, email=email)
        text = json.dumps(export_apprentice(apprentice=apprentice), indent=2, default=str)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote apprentice {apprentice.pk}'s data to {output}.")
        else:
            self.stdout.write(text)
