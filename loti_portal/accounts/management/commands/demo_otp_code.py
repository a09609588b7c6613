"""Print the current one-time code of a user's authenticator device — local development only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "DEBUG only: print the current admin one-time code, so `make run` needs no phone."

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
