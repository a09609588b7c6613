"""The figures' version: every committed change the dashboard counts bumps it, once."""

import datetime

import pytest
from django.db import transaction

from apprenticeships.dashboard.freshness import current_version
from apprenticeships.factories import PlacementFactory, StandardFactory, TrainingProviderFactory
from apprenticeships.imports.engine import check_file
from apprenticeships.imports.services import commit_import, record_check
from apprenticeships.imports.tests.helpers import csv_bytes, good_row
from apprenticeships.models import Placement

pytestmark = pytest.mark.django_db


def test_saves_and_deletes_bump_the_version_once_committed(
    hackney, django_capture_on_commit_callbacks
):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        placement = PlacementFactory(borough=hackney)
    assert current_version() > before

    before = current_version()
    PlacementFactory.create_batch(3, borough=hackney)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Placement.objects.exclude(pk=placement.pk).delete()  # one block: one bump
    assert len(callbacks) == 1
    assert current_version() == before + 1


def test_a_rolled_back_change_does_not_bump_it(hackney, django_capture_on_commit_callbacks):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                PlacementFactory(borough=hackney, start_date=datetime.date(2020, 1, 6))
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert current_version() == before


def test_an_import_bumps_it_though_it_writes_in_bulk(
    hackney, hackney_hr, django_capture_on_commit_callbacks
):
    StandardFactory(reference="ST0116")
    TrainingProviderFactory(ukprn="10012345")
    content = csv_bytes([good_row(1), good_row(2)])
    result = check_file(content=content, file_name="f.csv", borough=hackney)
    run = record_check(
        borough=hackney, user=hackney_hr, file_name="f.csv", content=content, result=result
    )
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        commit_import(run=run, user=hackney_hr)
    assert Placement.objects.filter(borough=hackney).count() == 2
    assert current_version() == before + 1
