"""Second factor for admins: a TOTP device per admin (django-otp)."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


@transaction.atomic
def ensure_totp_device(user) -> str:
    """Give `user` a confirmed TOTP device if they have none; return its otpauth:// URL.

    The URL (or a QR code of it) is what an admin adds to an authenticator app; the admin site
    then asks for the app's current code at sign-in. Idempotent: an existing device is kept, so
    re-running `create_portal_user` or `load_demo_data` does not invalidate a phone's setup.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True)
        device.full_clean()
        device.save()
    return device.config_url
