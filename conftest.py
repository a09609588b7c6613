"""One fixture per role (STYLE.md): HR of Hackney, HR of Camden, a LOTI analyst and an admin."""

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
