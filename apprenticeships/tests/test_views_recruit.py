"""The add-a-recruit journey through the test client, as an HR officer of Hackney uses it."""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse

from apprenticeships.choices import Status
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import Apprentice, EqualityMonitoring, LinkRequest, Placement

from .helpers import date_post


@pytest.fixture
def choices(db):
    return {
        "standard": StandardFactory(reference="ST0116", title="Software developer"),
        "provider": TrainingProviderFactory(name="Good Training Ltd"),
        "old_provider": TrainingProviderFactory(name="Closed Training Ltd", is_active=False),
    }


def start(client):
    response = client.get(reverse("apprenticeships:recruit_start"))
    assert response.status_code == 302
    return response.url.split("/")[-3]


def url(name, journey):
    return reverse(f"apprenticeships:{name}", args=[journey])


APPRENTICE = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.org",
    "uln": "",
    **date_post("date_of_birth", datetime.date(2001, 12, 9)),
}


def placement_data(choices, **overrides):
    return {
        "standard": choices["standard"].pk,
        "provider": choices["provider"].pk,
        "job_title": "Apprentice developer",
        "service_area": "ICT",
        **date_post("start_date", datetime.date(2024, 9, 2)),
        **date_post("planned_end_date", datetime.date(2026, 3, 2)),
        "pays_london_living_wage": "yes",
        **overrides,
    }


def test_full_journey_with_a_mistake_corrected(client, hackney_hr, hackney, choices):
    client.force_login(hackney_hr)
    journey = start(client)
    # A mistake: no year in the date of birth. The page keeps what was typed.
    bad = {**APPRENTICE, "date_of_birth_2": ""}
    response = client.post(url("recruit_apprentice", journey), bad)
    assert response.status_code == 200
    assert "Date of birth must include a year" in response.content.decode()
    assert 'value="Hopper"' in response.content.decode()
    response = client.post(url("recruit_apprentice", journey), APPRENTICE)
    assert response.url == url("recruit_equality", journey)
    response = client.post(url("recruit_equality", journey), {"sex": "female"})
    assert response.url == url("recruit_placement", journey)
    response = client.post(url("recruit_placement", journey), placement_data(choices))
    assert response.url == url("recruit_check", journey)
    assert not Apprentice.objects.exists()  # nothing saved before confirmation

    page = client.get(url("recruit_check", journey)).content.decode()
    assert "Grace" in page and "Software developer" in page and "2 September 2024" in page
    assert "Answered" in page and "Female" not in page  # equality never shown back as values

    response = client.post(url("recruit_check", journey))
    placement = Placement.objects.get()
    assert response.url == reverse("apprenticeships:recruit_added", args=[placement.pk])
    assert placement.borough == hackney and placement.status == Status.IN_LEARNING
    assert placement.pays_london_living_wage is True
    assert placement.apprentice.full_name == "Grace Hopper"
    assert EqualityMonitoring.objects.get().sex == "female"
    assert placement.history.get().history_user == hackney_hr
    # The journey is over: its address starts again.
    assert client.get(url("recruit_check", journey)).url == reverse("apprenticeships:recruit_start")


def test_each_page_shows_its_errors_and_keeps_the_answers(client, hackney_hr, hackney, choices):
    client.force_login(hackney_hr)
    journey = start(client)
    page = client.post(url("recruit_apprentice", journey), {}).content.decode()
    assert "There is a problem" in page
    assert "Enter the apprentice’s first name" in page
    assert "Enter the date of birth" in page
    page = client.post(
        url("recruit_apprentice", journey),
        {**APPRENTICE, "uln": "1234567890", "date_of_birth_0": "31", "date_of_birth_1": "2"},
    ).content.decode()
    assert "This ULN is not valid" in page
    assert "Date of birth must be a real date" in page
    client.post(url("recruit_apprentice", journey), APPRENTICE)
    client.post(url("recruit_equality", journey), {})
    bad = placement_data(
        choices,
        provider=choices["old_provider"].pk,
        **date_post("planned_end_date", datetime.date(2024, 1, 1)),
    )
    page = client.post(url("recruit_placement", journey), bad).content.decode()
    # The same words as the import, the admin and the services (rules.py).
    assert "Closed Training Ltd is no longer active, so it cannot be chosen" in page
    assert "Planned end date must be after the start date." in page
    assert 'value="Apprentice developer"' in page
    options = page.split('name="provider"')[1].split("</select>")[0]
    assert "Closed Training Ltd" not in options  # an inactive provider is not offered
    # Going back shows the earlier answers again.
    assert 'value="Grace"' in client.get(url("recruit_apprentice", journey)).content.decode()


def test_two_journeys_in_two_tabs_do_not_clash(client, hackney_hr, hackney, choices):
    client.force_login(hackney_hr)
    first, second = start(client), start(client)
    client.post(url("recruit_apprentice", first), APPRENTICE)
    other = {**APPRENTICE, "given_name": "Katherine", "family_name": "Johnson", "email": ""}
    client.post(url("recruit_apprentice", second), other)
    assert 'value="Grace"' in client.get(url("recruit_apprentice", first)).content.decode()
    assert 'value="Katherine"' in client.get(url("recruit_apprentice", second)).content.decode()


def test_duplicate_in_own_borough_names_the_person_and_reuses_them(
    client, hackney_hr, hackney, choices
):
    held = ApprenticeFactory(given_name="Grace", family_name="Hopper", email="grace@example.org")
    PlacementFactory(apprentice=held, borough=hackney)
    client.force_login(hackney_hr)
    journey = start(client)
    response = client.post(url("recruit_apprentice", journey), APPRENTICE)
    assert response.url == url("recruit_duplicate", journey)
    page = client.get(response.url).content.decode()
    assert "already recorded" in page and "Grace Hopper" in page
    response = client.post(url("recruit_duplicate", journey), {"choice": "use"})
    assert response.url == url("recruit_placement", journey)  # no equality questions
    client.post(url("recruit_placement", journey), placement_data(choices))
    client.post(url("recruit_check", journey))
    assert Apprentice.objects.count() == 1
    assert held.placements.count() == 2


def _journey_with_uln(client, choices, uln: str, **apprentice) -> list[str]:
    """Every page the officer sees while adding someone with this ULN, then saving."""
    journey = start(client)
    pages = []
    response = client.post(
        url("recruit_apprentice", journey), {**APPRENTICE, **apprentice, "uln": uln}
    )
    pages.append(response.url)
    pages.append(client.post(url("recruit_equality", journey), {}).url)
    response = client.post(url("recruit_placement", journey), placement_data(choices))
    pages.append(client.get(response.url).content.decode().replace(journey, "JOURNEY"))
    response = client.post(url("recruit_check", journey))
    pages.append(client.get(response.url).content.decode().split('id="main-content"')[1][:400])
    # The CSRF token is masked afresh on every page: not part of what the officer is told.
    return [
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", p.replace(journey, "J"))
        for p in pages
    ]


@pytest.mark.parametrize("same_name_and_birth", [True, False])
def test_a_uln_another_borough_holds_is_never_mentioned(
    client, hackney_hr, camden, hackney, choices, same_name_and_birth
):
    """The identity oracle of the security review: the journey said "already recorded" and
    asked "the same person?" only when the name and date of birth matched. Now the officer
    sees exactly what they would for a ULN nobody holds, and an administrator is asked."""
    held = ApprenticeFactory(
        given_name="Grace" if same_name_and_birth else "Secret",
        family_name="Hopper" if same_name_and_birth else "Person",
        date_of_birth=datetime.date(2001, 12, 9),
        email="",
        uln="1000000019",
    )
    PlacementFactory(apprentice=held, borough=camden)
    client.force_login(hackney_hr)
    # A ULN nobody holds, otherwise the same, first and undone: saving it adds a Hackney person
    # of this name and date of birth, whom the next journey would rightly be offered.
    with transaction.atomic():
        unheld = _journey_with_uln(client, choices, "1000000027", email="")
        transaction.set_rollback(True)
    seen = _journey_with_uln(client, choices, held.uln, email="")
    for page in seen:
        assert "already recorded" not in page and "Secret" not in page
    # The same pages, bar the ULN itself.
    assert [p.replace("1000000019", "ULN") for p in seen[:3]] == [
        p.replace("1000000027", "ULN") for p in unheld[:3]
    ]
    assert not held.placements.filter(borough=hackney).exists()
    request = LinkRequest.objects.get()
    assert (request.held, request.borough, request.requested_by) == (held, hackney, hackney_hr)


def test_choosing_to_change_details_goes_back(client, hackney_hr, hackney, choices):
    PlacementFactory(borough=hackney, apprentice__email="grace@example.org")
    client.force_login(hackney_hr)
    journey = start(client)
    client.post(url("recruit_apprentice", journey), APPRENTICE)
    response = client.post(url("recruit_duplicate", journey), {"choice": "change"})
    assert response.url == url("recruit_apprentice", journey)


def test_check_page_cannot_be_skipped_to(client, hackney_hr, hackney, choices):
    client.force_login(hackney_hr)
    journey = start(client)
    assert client.post(url("recruit_check", journey)).url == url("recruit_apprentice", journey)
    assert not Placement.objects.exists()


def test_hr_of_two_boroughs_chooses_one_of_theirs(client, hackney, camden, choices):
    from loti_portal.accounts.factories import UserFactory

    shared = UserFactory(boroughs=[hackney, camden])
    other = PlacementFactory().borough  # a borough the user does not work for
    client.force_login(shared)
    journey = start(client)
    client.post(url("recruit_apprentice", journey), APPRENTICE)
    client.post(url("recruit_equality", journey), {})
    page = client.post(
        url("recruit_placement", journey), placement_data(choices, borough=other.pk)
    ).content.decode()
    assert "Select a borough" in page
    client.post(url("recruit_placement", journey), placement_data(choices, borough=camden.pk))
    client.post(url("recruit_check", journey))
    assert Placement.objects.get(apprentice__family_name="Hopper").borough == camden


def test_loti_staff_cannot_add_recruits(client, loti_analyst):
    client.force_login(loti_analyst)
    assert client.get(reverse("apprenticeships:recruit_start")).status_code == 403
