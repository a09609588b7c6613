import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apprenticeships.imports.inserting import insert_records
from apprenticeships.models import Apprentice

pytestmark = pytest.mark.django_db


def test_a_clash_with_a_record_saved_meanwhile_is_djangos_integrity_error():
    """The import reports "someone changed these records" on IntegrityError: found in review,
    PostgreSQL's COPY raised the driver's own error instead, which became a 500."""
    Apprentice.objects.create(given_name="Ada", family_name="Lovelace", email="ada@example.org")
    twin = Apprentice(given_name="Ada", family_name="Byron", email="ADA@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_records(Apprentice, [twin], batch_size=1000, now=timezone.now())
    assert Apprentice.objects.count() == 1
