"""The portal has its own icon: every page links it and /favicon.ico no longer answers 404."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_sends_browsers_to_the_portals_own_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    icon = Path(finders.find("favicon.svg")).read_text()
    assert icon.startswith("<svg") and "crown" not in icon


def test_every_page_links_the_portals_icon(client):
    page = client.get(reverse("login")).content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_a_signed_in_user_before_the_code_gets_the_icon_not_the_code_page(
    unverified_client, hackney_hr
):
    unverified_client.force_login(hackney_hr)

    assert unverified_client.get("/favicon.ico").status_code == 301
