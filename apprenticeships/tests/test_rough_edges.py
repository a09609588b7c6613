"""Rough edges a new user noticed on the HR pages (borough name, dates, ULN, duplicates...)."""

import datetime
import re

import pytest
from django.urls import reverse

from apprenticeships.choices import Status
from apprenticeships.factories import ApprenticeFactory, PlacementFactory
from apprenticeships.tests.helpers import date_post, placement_in
from apprenticeships.validators import TEMPORARY_ULN

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


def test_a_placement_page_writes_every_date_one_way(client, hackney, hackney_hr):
    placement = placement_in(Status.BREAK_IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)
    client.post(
        reverse("apprenticeships:placement_return", args=[placement.pk]),
        {
            "version": placement.version,
            **date_post("returned_on", datetime.date(2026, 3, 3)),
            **date_post("planned_end_date", datetime.date(2028, 3, 3)),
        },
    )

    page = client.get(reverse("apprenticeships:placement_detail", args=[placement.pk]))
    text = text_of(page.content.decode())

    assert "Returned from break on 3 March 2026" in text
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b", text)
    history = text.split("History")[-1]
    assert re.search(
        r"\d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d{2})?[ap]m|midday|midnight)", history
    )


@pytest.mark.parametrize("uln", ["", TEMPORARY_ULN])
def test_an_awaited_uln_is_shown_as_not_known_yet(client, hackney, hackney_hr, uln):
    placement = PlacementFactory(borough=hackney, apprentice=ApprenticeFactory(uln=uln))
    client.force_login(hackney_hr)

    page = client.get(reverse("apprenticeships:placement_detail", args=[placement.pk]))
    text = text_of(page.content.decode())

    assert "ULN Not known yet" in text
    assert TEMPORARY_ULN not in text


def test_the_uln_hint_says_to_leave_it_blank_and_editing_offers_the_placeholder_as_blank(
    client, hackney, hackney_hr
):
    placement = PlacementFactory(borough=hackney, apprentice=ApprenticeFactory(uln=TEMPORARY_ULN))
    client.force_login(hackney_hr)

    page = client.get(
        reverse("apprenticeships:apprentice_edit", args=[placement.pk])
    ).content.decode()

    assert "Leave this blank if the real one is not known yet." in page
    assert "Enter 9999999999" not in page
    assert TEMPORARY_ULN not in page


RECRUIT = {
    "given_name": "grace ",
    "family_name": "HOPPER",
    "email": "",
    "uln": "",
    **date_post("date_of_birth", datetime.date(2001, 12, 9)),
}


def _add_recruit(client) -> tuple[str, str]:
    journey = client.get(reverse("apprenticeships:recruit_start")).url.split("/")[-3]
    response = client.post(reverse("apprenticeships:recruit_apprentice", args=[journey]), RECRUIT)
    return journey, response.url


def test_same_name_and_birth_in_own_borough_offers_the_person_held(client, hackney, hackney_hr):
    held = ApprenticeFactory(
        given_name="Grace",
        family_name="Hopper",
        date_of_birth=datetime.date(2001, 12, 9),
        email="grace@example.org",
        uln="",
    )
    PlacementFactory(apprentice=held, borough=hackney)
    client.force_login(hackney_hr)

    journey, next_url = _add_recruit(client)

    assert next_url == reverse("apprenticeships:recruit_duplicate", args=[journey])
    text = text_of(client.get(next_url).content.decode())
    assert "An apprentice with the same name and date of birth is already recorded" in text
    assert "Name Grace Hopper" in text and "Date of birth 9 December 2001" in text


def test_same_name_and_birth_in_another_borough_is_never_mentioned(
    client, hackney, camden, hackney_hr
):
    held = ApprenticeFactory(
        given_name="Grace", family_name="Hopper", date_of_birth=datetime.date(2001, 12, 9)
    )
    PlacementFactory(apprentice=held, borough=camden)
    client.force_login(hackney_hr)

    journey, next_url = _add_recruit(client)

    assert next_url != reverse("apprenticeships:recruit_duplicate", args=[journey])
    assert "already recorded" not in client.get(next_url).content.decode()


def test_the_placements_list_colours_statuses_sorts_by_its_headings_and_shows_end_dates(
    client, hackney, hackney_hr
):
    placement_in(Status.IN_LEARNING, borough=hackney)
    placement_in(Status.COMPLETED, borough=hackney)
    client.force_login(hackney_hr)
    url = reverse("apprenticeships:placement_list")

    page = client.get(url, {"status": "", "page": "1"}).content.decode()

    assert '<strong class="govuk-tag govuk-tag--blue">In learning</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Completed</strong>' in page
    headings = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page, re.S)
    assert [text_of(h).split(",")[0].rstrip(" ▲▼") for h in headings] == [
        "Apprentice",
        "Standard",
        "Start date",
        "End date",
        "Status",
    ]
    # Newest first by default: the Start date link turns the order round, filters kept.
    start = re.search(r'aria-sort="descending">\s*<a class="govuk-link" href="([^"]+)"', page)
    assert start.group(1) == "?status=&amp;sort=start_asc"
    assert 'aria-sort="none">\n  <a class="govuk-link" href="?status=&amp;sort=name">' in page
    ascending = client.get(url, {"sort": "start_asc"}).content.decode()
    assert 'aria-sort="ascending">\n  <a class="govuk-link" href="?sort=start_desc">' in ascending
    assert "(planned)" in page


def test_current_apprentices_colour_statuses_as_the_list_does(client, hackney, hackney_hr):
    placement_in(Status.BREAK_IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)

    page = client.get(reverse("apprenticeships:current"), {"state": "on_break"}).content.decode()

    assert '<strong class="govuk-tag govuk-tag--orange">Break in learning</strong>' in page
