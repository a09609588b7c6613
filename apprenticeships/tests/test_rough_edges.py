"""Rough edges a new user noticed on the HR pages (borough name, dates, ULN, duplicates...)."""

import re

import pytest
from django.urls import reverse

from apprenticeships.choices import Status
from apprenticeships.tests.helpers import placement_in

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_hr_see_their_boroughs_name_above_the_placements_heading(client, hackney_hr):
    client.force_login(hackney_hr)

    page = client.get(reverse("apprenticeships:placement_list")).content.decode()

    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert text_of(heading) == "Hackney Placements"
    assert 'class="govuk-caption-l">Hackney</span>' in heading


@pytest.mark.parametrize("url_name", ["placement_complete", "placement_withdraw"])
def test_the_destination_question_says_how_not_recorded_differs_from_not_known(
    client, hackney, hackney_hr, url_name
):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)

    page = client.get(reverse(f"apprenticeships:{url_name}", args=[placement.pk])).content.decode()

    select = re.search(r'<select[^>]*name="destination".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert options[0] == "Not recorded yet"
    assert options.count("Not known") == 1 and "Not known yet" not in options
    assert "Choose ‘Not known’ only if you have asked and nobody knows." in page
