"""Per-user limits on the two ways of looking people up: a script's thousandth guess in an
hour is refused, an officer's ordinary day is not, and one user's count is not another's."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apprenticeships.imports.models import ImportRun
from apprenticeships.imports.tests.helpers import csv_bytes, good_row
from apprenticeships.models import LinkRequest
from apprenticeships.tests.helpers import date_post
from loti_portal.accounts.models import LimitedAction

pytestmark = pytest.mark.django_db

PERSON = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "",
    "uln": "1000000019",
    **date_post("date_of_birth", datetime.date(2001, 12, 9)),
}


@pytest.fixture
def two_an_hour(settings):
    settings.RATE_LIMITS_PER_HOUR = {"recruit_lookup": 2, "import_check": 2}


def _details_page(client) -> str:
    journey = client.get(reverse("apprenticeships:recruit_start")).url.split("/")[-3]
    target = reverse("apprenticeships:recruit_apprentice", args=[journey])
    return client.post(target, PERSON, follow=True).content.decode()


def test_the_journeys_lookup_stops_after_the_hours_limit(
    client, hackney_hr, camden_hr, two_an_hour
):
    client.force_login(hackney_hr)
    for _ in range(2):
        assert "most allowed" not in _details_page(client)
    refused = _details_page(client)
    assert "You have done this 2 times in the last hour, which is the most allowed" in refused
    assert LimitedAction.objects.filter(user=hackney_hr).count() == 2  # a refusal adds nothing
    client.force_login(camden_hr)
    assert "most allowed" not in _details_page(client)


def test_uses_older_than_an_hour_no_longer_count(client, hackney_hr, two_an_hour):
    client.force_login(hackney_hr)
    _details_page(client)
    _details_page(client)
    LimitedAction.objects.update(at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert "most allowed" not in _details_page(client)
    # Rows older than a day are removed as new ones are written.
    assert LimitedAction.objects.filter(user=hackney_hr).count() == 1


def test_an_import_check_stops_after_the_hours_limit(client, hackney, hackney_hr, two_an_hour):
    client.force_login(hackney_hr)
    content = csv_bytes([good_row(1)])
    for _ in range(3):
        file = SimpleUploadedFile("p.csv", content)
        response = client.post(reverse("imports:upload"), {"borough": hackney.pk, "file": file})
    assert "which is the most allowed" in response.content.decode()
    assert ImportRun.objects.count() == 2
    assert not LinkRequest.objects.exists()
