"""The second factor: a TOTP authenticator app per user (django-otp), for everyone who may see
personal data (borough HR and admins; SECOND_FACTOR_REQUIRED), and the sign-in time the absolute
session lifetime is counted from."""

import io
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"
# Session key: when the session signed in (seconds since the epoch; middleware.py reads it).
SIGNED_IN_AT = "signed_in_at"


@transaction.atomic
def ensure_totp_device(user) -> str:
    """Give `user` a confirmed TOTP device if they have none; return its otpauth:// URL.

    The URL (or a QR code of it) is what the user adds to an authenticator app, handed over out of
    band (create_portal_user prints it); the portal and the admin site then ask for the app's
    current code at sign-in. Idempotent: an existing device is kept, so re-running
    `create_portal_user` or `load_demo_data` does not invalidate a phone's setup.
    """
    device = first_device(user)
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True)
        device.full_clean()
        device.save()
    return device.config_url


def first_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's first authenticator (the one the code is checked against), or None."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=confirmed)
    return devices.order_by("pk").first()


def second_factor_pending(user) -> bool:
    """Whether this user must still give a one-time code before seeing personal data.

    LOTI analysts see aggregates only and never need one; `is_verified` is installed by
    django-otp's middleware (middleware.OTPMiddleware).
    """
    if not (settings.SECOND_FACTOR_REQUIRED and user.is_authenticated):
        return False
    is_verified = getattr(user, "is_verified", None)
    return user.may_see_personal_data and not (is_verified and is_verified())


# Wrong codes in a row before the page says so: django-otp refuses every code for 2^(n-1)
# seconds after the n-th, and a single slip's one second is not worth a warning.
THROTTLE_WARNING_AFTER = 3


def throttled(device: TOTPDevice) -> bool:
    """Several wrong codes in a row: django-otp refuses every code for a growing while."""
    allowed, _ = device.verify_is_allowed()
    return not allowed and device.throttling_failure_count >= THROTTLE_WARNING_AFTER


def check_code(user, device: TOTPDevice, code: str) -> bool:
    """Whether `code` is the device's current one (never the same code twice; throttled)."""
    return verify_token(user, device.persistent_id, code) is not None


@transaction.atomic
def setup_device(user) -> TOTPDevice:
    """The unconfirmed device a user without an authenticator is setting up (made once, kept).

    Kept across page loads so the QR code scanned stays the one checked; confirmed by
    `confirm_device` when the user types its first code.
    """
    device = first_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_device(device: TOTPDevice) -> None:
    """The code matched: the device is the user's authenticator from now on."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user_id, confirmed=False).delete()


def qr_code_svg(device: TOTPDevice) -> bytes:
    """The device's otpauth:// URL as an SVG QR code (an image file: no inline style or script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def remember_sign_in_time(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the absolute session lifetime counts from here."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())
