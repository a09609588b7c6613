"""create_portal_user EMAIL --role ROLE [--borough GSS ...] [--password-stdin]"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from loti_portal.accounts.models import Role
from loti_portal.accounts.otp import ensure_totp_device
from loti_portal.accounts.services import create_portal_user


class Command(BaseCommand):
    help = "Create a portal user with one role; borough HR users name their boroughs by GSS code."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--borough",
            action="append",
            default=[],
            metavar="GSS",
            help="GSS code of a borough the user works for (repeat for several).",
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )

    def handle(self, *args, email, role, borough, password_stdin, **options):
        password = self._password(password_stdin)
        try:
            user = create_portal_user(email=email, role=role, password=password, gss_codes=borough)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        boroughs = ", ".join(m.borough.name for m in user.memberships.select_related("borough"))
        where = f": {boroughs}" if boroughs else ""
        self.stdout.write(f"Created {user.email} ({user.get_role_display()}){where}.")
        if user.may_see_personal_data:
            # HR users and admins give a one-time code after their password: handing them this
            # out of band means no one can set up their authenticator with a password alone.
            self.stdout.write(
                "Give the user this, to add to an authenticator app (sign-in asks for its code):"
            )
            self.stdout.write(f"  {ensure_totp_device(user)}")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords did not match.")
        if not password:
            raise CommandError("A password is required.")
        return password
