"""Rough edges a new user noticed on the HR pages (borough name, dates, ULN, duplicates...)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_hr_see_their_boroughs_name_above_the_placements_heading(client, hackney_hr):
    client.force_login(hackney_hr)

    page = client.get(reverse("apprenticeships:placement_list")).content.decode()

    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert text_of(heading) == "Hackney Placements"
    assert 'class="govuk-caption-l">Hackney</span>' in heading
