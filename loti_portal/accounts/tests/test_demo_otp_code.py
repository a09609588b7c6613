import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from loti_portal.accounts.otp import ensure_totp_device


@pytest.mark.django_db
def test_prints_a_code_the_admin_site_accepts(settings, admin_user):
    settings.DEBUG = True
    ensure_totp_device(admin_user)
    out = io.StringIO()
    call_command("demo_otp_code", admin_user.email, stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    assert TOTPDevice.objects.get(user=admin_user).verify_token(code)


@pytest.mark.django_db
def test_refuses_outside_local_development(settings, admin_user):
    settings.DEBUG = False
    ensure_totp_device(admin_user)
    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG=1"):
        call_command("demo_otp_code", admin_user.email)
