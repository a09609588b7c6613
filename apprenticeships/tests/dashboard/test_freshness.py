"""The figures' version: every committed change the dashboard counts bumps it, once.

These tests commit for real (a transactional database), as the bump runs only after a commit.
"""

import datetime

import pytest
from django.db import transaction

from apprenticeships import services
from apprenticeships.dashboard.freshness import current_version
from apprenticeships.factories import PlacementFactory, StandardFactory, TrainingProviderFactory
from apprenticeships.imports.engine import check_file
from apprenticeships.imports.services import commit_import, record_check
from apprenticeships.imports.tests.helpers import csv_bytes, good_row
from apprenticeships.models import Placement

pytestmark = pytest.mark.django_db(transaction=True)


def test_saves_and_deletes_bump_the_version_once_per_transaction(hackney):
    before = current_version()
    placement = PlacementFactory(borough=hackney)
    assert current_version() > before

    PlacementFactory.create_batch(3, borough=hackney)
    before = current_version()
    Placement.objects.exclude(pk=placement.pk).delete()  # three deletes, one transaction
    assert current_version() == before + 1


def test_every_call_of_a_service_bumps_it(hackney, hackney_hr):
    """Found in review: a mark kept on the decorator's reused atomic block stopped every bump
    after a service's first call."""
    first = PlacementFactory(borough=hackney, start_date=datetime.date(2020, 1, 6))
    second = PlacementFactory(borough=hackney, start_date=datetime.date(2020, 1, 13))
    for placement in (first, second):
        before = current_version()
        services.record_withdrawal(
            placement=placement,
            expected_version=placement.version,
            withdrawn_on=datetime.date(2020, 6, 1),
            reason="other",
            user=hackney_hr,
        )
        assert current_version() == before + 1


def test_a_rolled_back_change_does_not_bump_it(hackney):
    before = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        PlacementFactory(borough=hackney, start_date=datetime.date(2020, 1, 6))
        raise RuntimeError("the save failed")
    assert current_version() == before


def test_an_import_bumps_it_though_it_writes_in_bulk(hackney, hackney_hr):
    StandardFactory(reference="ST0116")
    TrainingProviderFactory(ukprn="10012345")
    content = csv_bytes([good_row(1), good_row(2)])
    result = check_file(content=content, file_name="f.csv", borough=hackney)
    run = record_check(
        borough=hackney, user=hackney_hr, file_name="f.csv", content=content, result=result
    )
    before = current_version()
    commit_import(run=run, user=hackney_hr)
    assert Placement.objects.filter(borough=hackney).count() == 2
    assert current_version() == before + 1


def test_the_version_moves_only_after_the_commit(hackney):
    """A reader that saw the new number must see the change too (freshness.py's docstring)."""
    before = current_version()
    with transaction.atomic():
        PlacementFactory(borough=hackney)
        assert current_version() == before
    assert current_version() == before + 1


def test_a_change_kept_after_one_rolled_back_to_a_savepoint_bumps_it(hackney):
    """The first change's callback is dropped with its savepoint; the kept change's is not."""
    before = current_version()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            PlacementFactory(borough=hackney)
            raise RuntimeError("this part failed")
        PlacementFactory(borough=hackney)
    assert Placement.objects.count() == 1
    assert current_version() == before + 1


def test_a_change_rolled_back_to_a_savepoint_after_a_kept_one_bumps_it_once(hackney):
    before = current_version()
    with transaction.atomic():
        PlacementFactory(borough=hackney)
        with pytest.raises(RuntimeError), transaction.atomic():
            PlacementFactory(borough=hackney)
            raise RuntimeError("this part failed")
    assert Placement.objects.count() == 1
    assert current_version() == before + 1


def test_after_a_rolled_back_transaction_the_next_change_still_bumps_it(hackney):
    before = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        PlacementFactory(borough=hackney)
        raise RuntimeError("the save failed")
    with transaction.atomic():
        PlacementFactory(borough=hackney)
    assert current_version() == before + 1
    placement = Placement.objects.get()
    placement.save()  # outside a transaction: bumped at once
    assert current_version() == before + 2
