"""Demo sign-ins, one per role and HR staff for two boroughs (load_demo_data)."""

from django.db import transaction

from boroughs.models import Borough

from .models import Role, User
from .otp import ensure_totp_device

DEMO_USERS = [
    ("hr.hackney@demo.example", Role.BOROUGH_HR, ["E09000012"], "Borough HR, Hackney"),
    ("hr.camden@demo.example", Role.BOROUGH_HR, ["E09000007"], "Borough HR, Camden"),
    ("analyst@demo.example", Role.LOTI_STAFF, [], "LOTI staff (aggregates only)"),
    ("admin@demo.example", Role.ADMIN, [], "Portal admin"),
]


@transaction.atomic
def ensure_demo_users(*, password: str) -> list[tuple[User, str]]:
    """Create or reset the demo users with `password`; returns each with a description.

    The demo HR users and admin get an authenticator (TOTP) device, as everyone who may see
    personal data must: its otpauth:// URL is part of their description.
    """
    result = []
    for email, role, gss_codes, description in DEMO_USERS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.role = role
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.is_active = True
        user.set_password(password)
        user.save()
        user.memberships.exclude(borough__gss_code__in=gss_codes).delete()
        for borough in Borough.objects.filter(gss_code__in=gss_codes):
            user.memberships.get_or_create(borough=borough)
        if user.may_see_personal_data:
            description = f"{description}; authenticator: {ensure_totp_device(user)}"
        result.append((user, description))
    return result
