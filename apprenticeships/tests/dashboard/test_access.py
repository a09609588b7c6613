"""Who may open each dashboard URL (the dashboard's rows of the portal's access table)."""

import datetime

import pytest
from django.urls import reverse

from .conftest import place

# URL name → (args, expected status per role). Every URL of the dashboard must be listed here.
URLS = {
    "dashboard:index": (),
    "dashboard:progress_json": (),
    "dashboard:export": ("boroughs",),
    "dashboard:current": (),
    "dashboard:campaigns": (),
    "dashboard:pledges": (),
}
EXPECTED = {"anonymous": 302, "hackney_hr": 200, "loti_analyst": 200, "admin_user": 200}


def test_every_dashboard_url_is_in_the_table():
    from apprenticeships.dashboard.urls import app_name, urlpatterns

    assert {f"{app_name}:{p.name}" for p in urlpatterns} == set(URLS)


@pytest.mark.parametrize("url_name", URLS)
@pytest.mark.parametrize("role", EXPECTED)
def test_access(client, request, campaign, url_name, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse(url_name, args=URLS[url_name])

    response = client.get(url)

    assert response.status_code == EXPECTED[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_hr_figures_are_their_own_boroughs_only(client, hackney_hr, campaign, hackney, camden):
    for _ in range(6):
        place(hackney, datetime.date(2019, 9, 2))
    for _ in range(9):
        place(camden, datetime.date(2019, 9, 2))
    client.force_login(hackney_hr)

    feed = client.get(reverse("dashboard:progress_json"), {"boroughs": [camden.gss_code]})
    own = client.get(reverse("dashboard:progress_json")).json()

    assert feed.status_code == 400  # Camden is not theirs: a message, never Camden's figures
    assert (
        "not one of the boroughs in this campaign whose figures you can see"
        in feed.content.decode()
    )
    assert own["recruited"] == 6
    assert own["boroughs"] == [hackney.gss_code]
