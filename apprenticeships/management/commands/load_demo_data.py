"""Load synthetic, clearly labelled demo data and (under DEBUG or --with-users) demo sign-ins."""

import os
import secrets
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from apprenticeships.demo import DEFAULT_PLACEMENTS, DEFAULT_SEED, load_demo_data
from loti_portal.accounts.demo import ensure_demo_users
from loti_portal.accounts.management.commands.demo_otp_code import demo_otp_code_command

# The demo sign-ins' password, kept between runs so that a second `make run` keeps it: a file in
# the project (ignored by git, readable by its owner only), written only when demo sign-ins are
# made. Delete it for a new password.
PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-password"


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
            f"(seed {seed}); {summary.recruited_in_campaign} recruited in the 2019–20 campaign; "
            f"{summary.current_recruited} of {summary.current_target} so far in "
            f"{summary.current_campaign}."
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
            password = self._kept_password()
        users = ensure_demo_users(password=password)
        self.stdout.write("\nDemo sign-ins (synthetic data only) at /accounts/login/:")
        for user, description in users:
            self.stdout.write(f"  {user.email:<28} {description}")
        self.stdout.write(f"  password for all of them: {password}")
        if not password_stdin:
            self.stdout.write(
                f"  (kept in {PASSWORD_FILE.name} for the next run; delete it for a new one)"
            )
        self.stdout.write(
            "  HR users and the admin also give a one-time code (the admin site always; the "
            "portal when SECOND_FACTOR_REQUIRED is on, the default unless DEBUG): add the "
            "authenticator URL above to an app, or print the current code (any email above):"
        )
        first = next(user for user, _ in users if user.may_see_personal_data)
        self.stdout.write(f"    {demo_otp_code_command(first.email)}\n")

    def _kept_password(self) -> str:
        """The password kept from an earlier run, else a new one, kept for the next."""
        try:
            kept = PASSWORD_FILE.read_text().strip()
        except FileNotFoundError:
            kept = ""
        if len(kept) >= 12:
            return kept
        password = secrets.token_urlsafe(12)
        # Created readable by its owner only (0600), never widened afterwards.
        descriptor = os.open(PASSWORD_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(password + "\n")
        return password
