"""One fixture per role (docs/architecture.md, "Who uses it"): HR of Hackney, HR of Camden, a
LOTI analyst and an admin."""

import pytest

from boroughs.factories import BoroughFactory
from loti_portal.accounts.factories import AdminUserFactory, UserFactory
from loti_portal.accounts.models import Role


@pytest.fixture
def hackney(db):
    return BoroughFactory(
        gss_code="E09000012", name="Hackney", official_name="London Borough of Hackney"
    )


@pytest.fixture
def camden(db):
    return BoroughFactory(
        gss_code="E09000007", name="Camden", official_name="London Borough of Camden"
    )


@pytest.fixture
def hackney_hr(hackney):
    return UserFactory(email="hr@hackney.example", boroughs=[hackney])


@pytest.fixture
def camden_hr(camden):
    return UserFactory(email="hr@camden.example", boroughs=[camden])


@pytest.fixture
def loti_analyst(db):
    return UserFactory(email="analyst@loti.example", role=Role.LOTI_STAFF)


@pytest.fixture
def admin_user(db):
    return AdminUserFactory(email="admin@loti.example")


@pytest.fixture
def otp_admin_client(client, admin_user):
    """A client signed in as the admin *and* past the admin's one-time code (django-otp).

    `client.force_login(admin_user)` alone is not enough for /admin/: the OTP admin site treats a
    session that has not passed a TOTP code as not staff (loti_portal/admin_site.py).
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_user, name="test", confirmed=True)
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
