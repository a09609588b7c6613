"""One fixture per role (docs/architecture.md, "Who uses it"): HR of Hackney, HR of Camden, a
LOTI analyst and an admin; and the test client, whose `force_login` is a whole sign-in."""

import pytest
from django.test import Client

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


class PortalClient(Client):
    """Django's test client; `force_login` stands for a whole sign-in, one-time code included.

    Users who may see personal data (borough HR, admins) pass a one-time code after the password
    (loti_portal/middleware.py SecondFactorMiddleware), so their forced sign-in also gives them an
    authenticator, if they have none, and marks the session as past its code, as the code page
    does. Tests of the second factor itself use `unverified_client`.
    """

    def force_login(self, user, backend=None) -> None:
        super().force_login(user, backend)
        if user.may_see_personal_data:
            self.pass_second_factor(user)

    def pass_second_factor(self, user) -> None:
        from django_otp import DEVICE_ID_SESSION_KEY

        from loti_portal.accounts.otp import ensure_totp_device, first_device

        ensure_totp_device(user)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = first_device(user).persistent_id
        session.save()


@pytest.fixture
def client() -> PortalClient:
    """pytest-django's `client`, as a PortalClient."""
    return PortalClient()


@pytest.fixture
def unverified_client() -> Client:
    """Django's own test client: `force_login` gives a session that has given no one-time code."""
    return Client()


@pytest.fixture
def otp_admin_client(client, admin_user):
    """A client signed in as the admin *and* past the one-time code (django-otp).

    The OTP admin site treats a session that has not passed a TOTP code as not staff
    (loti_portal/admin_site.py); the PortalClient's force_login passes it.
    """
    client.force_login(admin_user)
    return client
