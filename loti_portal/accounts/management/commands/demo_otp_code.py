"""Print the current one-time code of a user's authenticator device — local development only."""

import os
import shlex
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "DEBUG only: print a demo user's current one-time code, so `make run` needs no phone."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default="admin@demo.example")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("Refused: this command only runs with DJANGO_DEBUG=1.")
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator device.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")


def demo_otp_code_command(email: str) -> str:
    """This command as a shell line that works when pasted in the project's folder.

    It names this process's Python (the virtualenv's, relative when inside the project) and turns
    DEBUG on, which the command requires.
    """
    python = sys.executable
    relative = os.path.relpath(python)
    if not relative.startswith(".."):
        python = relative if relative.startswith(".") else f"./{relative}"
    return f"DJANGO_DEBUG=1 {shlex.quote(python)} manage.py demo_otp_code {email}"
