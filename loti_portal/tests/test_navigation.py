"""The service navigation marks the one section the page belongs to."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def marked(page: str) -> list[str]:
    return re.findall(r'aria-current="[^"]+">\s*<strong[^>]*>([^<]+)</strong>', page)


def test_the_add_a_recruit_pages_mark_add_a_recruit_alone(client, hackney_hr):
    client.force_login(hackney_hr)

    page = client.get(reverse("apprenticeships:recruit_start"), follow=True).content.decode()

    assert marked(page) == ["Add a recruit"]


def test_the_placements_list_marks_placements_alone(client, hackney_hr):
    client.force_login(hackney_hr)

    page = client.get(reverse("apprenticeships:placement_list")).content.decode()

    assert marked(page) == ["Placements"]
