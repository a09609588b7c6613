"""The import's own history writer gives the rows simple-history's bulk_create_with_history does.

The design asks bulk writes to use `bulk_create_with_history`; the import and the demo loader copy
history rows on the database server instead, for speed (imports/history.py). This pins what that
deviation must not change: the same tracked values, type, user, reason and date, record for
record.
"""

import datetime

import pytest
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apprenticeships.factories import ApprenticeFactory
from apprenticeships.imports.history import CREATED, write_history
from apprenticeships.imports.inserting import insert_records
from apprenticeships.models import Apprentice

pytestmark = pytest.mark.django_db

# What differs between two records that hold the same details, and so between their history rows.
OWN = {"id", "email", "uln", "created_at", "updated_at"}


def _twins(n: int, tag: str) -> list[Apprentice]:
    return [
        ApprenticeFactory.build(
            given_name=f"Zoë {i}",
            family_name="O'Brien\tJr",  # COPY's text format gives tabs a meaning of its own
            email=f"{tag}{i}@example.org",
            date_of_birth=None if i == 0 else datetime.date(2000, 1, i),
        )
        for i in range(n)
    ]


def _history(records: list[Apprentice]) -> list[dict]:
    rows = Apprentice.history.filter(id__in=[r.pk for r in records]).order_by("id")
    return list(rows.values())


def test_the_import_writes_the_history_rows_simple_history_would(hackney_hr):
    when = timezone.now().replace(microsecond=0)
    ours, theirs = _twins(3, "ours"), _twins(3, "theirs")
    insert_records(Apprentice, ours, batch_size=1000, now=when)
    write_history(
        Apprentice,
        [r.pk for r in ours],
        history_type=CREATED,
        user=hackney_hr,
        reason="Import #1",
        when=when,
    )
    bulk_create_with_history(
        theirs,
        Apprentice,
        default_user=hackney_hr,
        default_change_reason="Import #1",
        default_date=when,
    )

    mine, simple = _history(ours), _history(theirs)
    assert len(mine) == len(simple) == 3
    for row, expected, record in zip(mine, simple, ours, strict=True):
        assert row.keys() == expected.keys()
        assert {k: v for k, v in row.items() if k not in OWN | {"history_id"}} == {
            k: v for k, v in expected.items() if k not in OWN | {"history_id"}
        }
        # Each row copies its own record as stored.
        stored = Apprentice.objects.filter(pk=record.pk).values().get()
        assert {k: row[k] for k in OWN} == {k: stored[k] for k in OWN}
