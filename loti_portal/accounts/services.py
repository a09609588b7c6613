"""Writes to portal users."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from boroughs.models import Borough

from .models import Role, User


@transaction.atomic
def create_portal_user(
    *, email: str, role: str, password: str, gss_codes: list[str] | None = None
) -> User:
    """Create a user with one role; borough HR must name at least one existing borough.

    Raises ValidationError with a plain-English message for every bad input; nothing is written.
    """
    gss_codes = sorted(set(gss_codes or []))
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.")
    if role == Role.BOROUGH_HR and not gss_codes:
        raise ValidationError("A borough HR user needs at least one --borough GSS code.")
    if role != Role.BOROUGH_HR and gss_codes:
        raise ValidationError("Only borough HR users belong to boroughs; leave out --borough.")
    boroughs = list(Borough.objects.filter(gss_code__in=gss_codes))
    unknown = sorted(set(gss_codes) - {b.gss_code for b in boroughs})
    if unknown:
        raise ValidationError(f"Unknown GSS code(s): {', '.join(unknown)}.")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"A user with the email {email} already exists.")
    user = User(email=email.strip().lower(), role=role)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    for borough in boroughs:
        user.memberships.create(borough=borough)
    return user
