"""The admin speaks plain English and UK dates: no "AXES", "OTP_TOTP" or "6:59 p.m."."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats

pytestmark = pytest.mark.django_db


def test_every_app_and_model_in_the_admin_has_a_plain_english_name(otp_admin_client):
    page = otp_admin_client.get("/admin/").content.decode()

    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", page)
    assert "Sign-in lock-outs" in captions
    assert "One-time codes" in captions
    for developer_label in ("Axes", "AXES", "Otp_Totp", "OTP_TOTP", "TOTP device", "Access log"):
        assert developer_label not in page
    assert "Authenticator apps" in page
    assert "Failed sign-ins" in page


def test_dates_and_times_are_written_the_uk_way():
    evening = datetime.datetime(2026, 3, 3, 18, 59, tzinfo=ZoneInfo("Europe/London"))

    assert formats.localize(evening) == "3 March 2026, 18:59"
    assert formats.localize(evening.date()) == "3 March 2026"
    assert formats.date_format(evening.date(), "SHORT_DATE_FORMAT") == "03/03/2026"
    assert "p.m." not in formats.localize(evening.time())
