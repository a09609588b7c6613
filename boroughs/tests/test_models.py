import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from boroughs.factories import BoroughFactory
from boroughs.models import Borough


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["E0900001", "E10000012", "e09000012", "E09-00012"])
def test_malformed_gss_code_gets_a_plain_message(code):
    borough = BoroughFactory.build(gss_code=code)
    with pytest.raises(ValidationError) as error:
        borough.full_clean()
    assert "E09 followed by six digits" in str(error.value.message_dict["gss_code"])


@pytest.mark.django_db
def test_database_refuses_a_malformed_gss_code():
    with pytest.raises(IntegrityError):
        Borough.objects.create(gss_code="X09000012", name="Nowhere", official_name="Nowhere")


@pytest.mark.django_db
def test_joining_date_needs_membership():
    borough = BoroughFactory.build(is_loti_member=False, loti_joined_on=datetime.date(2019, 6, 1))
    with pytest.raises(ValidationError, match="Only a LOTI member"):
        borough.full_clean()
    with pytest.raises(IntegrityError):
        borough.save()


@pytest.mark.django_db
def test_database_refuses_zero_headcount():
    with pytest.raises(IntegrityError):
        BoroughFactory(headcount=0)


@pytest.mark.django_db
def test_for_user_limits_hr_to_their_boroughs(hackney, camden, hackney_hr, loti_analyst):
    assert list(Borough.objects.for_user(hackney_hr)) == [hackney]
    assert set(Borough.objects.for_user(loti_analyst)) == {hackney, camden}
