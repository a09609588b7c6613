"""Load synthetic, clearly labelled demo data and (under DEBUG or --with-users) demo sign-ins."""

import secrets
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from apprenticeships.demo import DEFAULT_PLACEMENTS, DEFAULT_SEED, load_demo_data
from loti_portal.accounts.demo import ensure_demo_users
from loti_portal.accounts.management.commands.demo_otp_code import demo_otp_code_command


class Command(BaseCommand):
    help = (
        "Load synthetic demo records (flagged as demo, fictional names) telling the 2019–20 "
        "campaign's story; the same seed and size give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--placements", type=int, default=DEFAULT_PLACEMENTS, help="How many placements."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Create the demo sign-ins even with DEBUG off (never on a live service).",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the demo users' password from standard input instead of generating one.",
        )

    def handle(self, *args, placements, seed, with_users, password_stdin, **options):
        if placements < 1:
            raise CommandError("--placements must be at least 1.")
        call_command("seed_reference_data", verbosity=0)
        summary = load_demo_data(placements=placements, seed=seed)
        verb = "Demo data already loaded" if summary.already_loaded else "Loaded demo data"
        self.stdout.write(
            f"{verb}: {summary.placements} placements of {summary.apprentices} apprentices "
            f"(seed {seed}); {summary.recruited_in_campaign} recruited in the 2019–20 campaign."
        )
        if settings.DEBUG or with_users:
            self._demo_users(password_stdin)
        else:
            self.stdout.write("Demo sign-ins not created: DEBUG is off (use --with-users).")

    def _demo_users(self, password_stdin: bool) -> None:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
            if len(password) < 12:
                raise CommandError("The demo password must be at least 12 characters.")
        else:
            password = secrets.token_urlsafe(12)
        users = ensure_demo_users(password=password)
        self.stdout.write("\nDemo sign-ins (synthetic data only) at /accounts/login/:")
        for user, description in users:
            self.stdout.write(f"  {user.email:<28} {description}")
        self.stdout.write(f"  password for all of them: {password}")
        self.stdout.write(
            "  HR users and the admin also give a one-time code (the admin site always; the "
            "portal when SECOND_FACTOR_REQUIRED is on, the default unless DEBUG): add the "
            "authenticator URL above to an app, or print the current code (any email above):"
        )
        first = next(user for user, _ in users if user.may_see_personal_data)
        self.stdout.write(f"    {demo_otp_code_command(first.email)}\n")
