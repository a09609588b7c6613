"""The placements list and placement page, their actions, access and query counts."""

import datetime

import pytest
from django.urls import reverse

from apprenticeships.choices import Status
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import Placement

from .helpers import date_post, placement_in

LIST = reverse("apprenticeships:placement_list")


def action_url(name, placement):
    return reverse(f"apprenticeships:{name}", args=[placement.pk])


def test_list_shows_only_the_users_boroughs(client, hackney_hr, hackney, camden):
    PlacementFactory(borough=hackney, apprentice=ApprenticeFactory(family_name="Mine"))
    PlacementFactory(borough=camden, apprentice=ApprenticeFactory(family_name="Theirs"))
    client.force_login(hackney_hr)
    page = client.get(LIST).content.decode()
    assert "Mine" in page and "Theirs" not in page


@pytest.mark.parametrize(
    "query",
    [
        {"standard": "²"},
        {"start_year": "²"},
        {"start_year": "99999999999"},
        {"standard": "999999999999999999999999"},
        {"provider": "-1"},
        {"page": "last"},
    ],
)
def test_odd_query_strings_are_ignored_not_an_error(client, hackney_hr, hackney, query):
    PlacementFactory(borough=hackney, apprentice=ApprenticeFactory(family_name="Mine"))
    client.force_login(hackney_hr)
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert "Mine" in response.content.decode()


def test_list_search_filters_and_sort(client, hackney_hr, hackney):
    standard = StandardFactory()
    ada = PlacementFactory(
        borough=hackney,
        apprentice=ApprenticeFactory(given_name="Ada", family_name="Lovelace"),
        standard=standard,
        start_date=datetime.date(2021, 9, 1),
    )
    PlacementFactory(
        borough=hackney,
        apprentice=ApprenticeFactory(given_name="Alan", family_name="Turing"),
        start_date=datetime.date(2022, 9, 1),
    )
    client.force_login(hackney_hr)

    def names(**params):
        response = client.get(LIST, params)
        return [p.apprentice.family_name for p in response.context["placements"]]

    assert names(q="love") == ["Lovelace"]
    assert names(q=ada.apprentice.uln) == ["Lovelace"]
    assert names(standard=standard.pk) == ["Lovelace"]
    assert names(start_year=2022) == ["Turing"]
    assert names(status="withdrawn") == []
    assert names(sort="name") == ["Lovelace", "Turing"]
    assert names(sort="start_desc") == ["Turing", "Lovelace"]
    assert names(sort="nonsense", status="nonsense", standard="x", page="999") == [
        "Turing",
        "Lovelace",
    ]


@pytest.mark.parametrize("rows", [10, 1000])
def test_list_query_count_does_not_grow_with_rows(
    client, hackney_hr, hackney, rows, django_assert_num_queries
):
    standard, provider = StandardFactory(), TrainingProviderFactory()
    people = ApprenticeFactory.create_batch(rows)
    Placement.objects.bulk_create(
        Placement(
            apprentice=person,
            borough=hackney,
            standard=standard,
            provider=provider,
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
            planned_end_date=datetime.date(2023, 1, 1),
        )
        for i, person in enumerate(people)
    )
    client.force_login(hackney_hr)
    # 1 session, 2 user, 3 paginator count, 4 membership count (borough column), 5 records
    # needing action (one count, the banner), 6 start years, 7 standards, 8 providers (the
    # filters' options), 9 page of rows with apprentice, borough, standard and provider joined,
    # 10-12 savepoint, session save, release (the idle timeout slides on every request).
    with django_assert_num_queries(12):
        response = client.get(LIST, {"page": 2})
    assert response.status_code == 200
    # 10 rows: page 2 is out of range and shows the last page, never an error.
    assert len(response.context["placements"]) == {10: 10, 1000: 25}[rows]


def test_detail_shows_everything_and_only_allowed_actions(client, hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney, job_title="Data analyst")
    client.force_login(hackney_hr)
    page = client.get(action_url("placement_detail", placement)).content.decode()
    assert placement.apprentice.full_name in page and "Data analyst" in page
    assert placement.apprentice.uln in page
    assert "Start a break in learning" in page and "Record a withdrawal" in page
    assert "Record a return from the break" not in page


def test_detail_keeps_showing_a_deactivated_provider(client, hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    placement.provider.is_active = False
    placement.provider.save()
    client.force_login(hackney_hr)
    page = client.get(action_url("placement_detail", placement)).content.decode()
    assert f"{placement.provider.name}" in page and "no longer active" in page
    # Not offered as the new provider of a change, being inactive.
    change = client.get(action_url("placement_change_provider", placement)).content.decode()
    assert placement.provider.name not in change.split("New training provider")[1]


def test_break_return_and_withdrawal_through_the_pages(client, hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)
    response = client.post(
        action_url("placement_start_break", placement),
        {
            "version": 1,
            "reason": "health",
            **date_post("started_on", datetime.date(2024, 3, 4)),
        },
    )
    assert response.url == action_url("placement_detail", placement)
    # The return page offers the planned end moved on by the length of the break.
    offered = client.get(action_url("placement_return", placement)).context["form"]
    today = datetime.date.today()
    moved = placement.planned_end_date + (today - datetime.date(2024, 3, 4))
    assert offered["planned_end_date"].value() == moved
    response = client.post(
        action_url("placement_return", placement),
        {
            "version": 2,
            **date_post("returned_on", datetime.date(2024, 5, 6)),
            **date_post("planned_end_date", placement.planned_end_date),
        },
    )
    assert response.status_code == 302
    response = client.post(
        action_url("placement_withdraw", placement),
        {
            "version": 3,
            "reason": "resigned",
            **date_post("actual_end_date", datetime.date(2024, 7, 1)),
        },
    )
    page = client.get(response.url).content.decode()
    assert "Withdrawal recorded" in page
    placement.refresh_from_db()
    assert placement.status == Status.WITHDRAWN and placement.version == 4
    assert "Break in learning from 4 March 2024" in page
    assert "Returned from break on 6 May 2024" in page
    assert "Withdrawn on 1 July 2024" in page
    assert "This apprenticeship has ended" in page
    # The break stays on the timeline after the return.
    timeline = page.split('id="timeline"')[1].split('id="history"')[0]
    assert "Break in learning started" in timeline and "Returned to learning" in timeline
    assert "4 March 2024" in timeline and "6 May 2024" in timeline


def test_action_errors_are_shown_next_to_the_field(client, hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)
    page = client.post(
        action_url("placement_withdraw", placement),
        {"version": 1, "actual_end_date_0": "1", "actual_end_date_1": "7"},
    ).content.decode()
    assert "Date they withdrew must include a year" in page
    assert "Select the reason for withdrawal" in page
    page = client.post(
        action_url("placement_withdraw", placement),
        {
            "version": 1,
            "reason": "resigned",
            **date_post("actual_end_date", datetime.date(2020, 1, 1)),
        },
    ).content.decode()
    assert "must be on or after the start date" in page
    placement.refresh_from_db()
    assert placement.status == Status.IN_LEARNING


def test_stale_action_is_refused_with_the_current_values(client, hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney, job_title="Developer")
    client.force_login(hackney_hr)
    edit = {
        "version": 1,
        "standard": placement.standard_id,
        "provider": placement.provider_id,
        "job_title": "First officer's title",
        **date_post("start_date", placement.start_date),
        **date_post("planned_end_date", placement.planned_end_date),
    }
    assert client.post(action_url("placement_edit", placement), edit).status_code == 302
    page = client.post(
        action_url("placement_edit", placement), {**edit, "job_title": "Second officer's title"}
    ).content.decode()
    assert "This record was changed by someone else" in page
    assert "First officer" in page and "Second officer" not in page
    assert 'name="version" value="2"' in page
    placement.refresh_from_db()
    assert placement.job_title == "First officer's title"


def test_disallowed_action_redirects_with_an_explanation(client, hackney_hr, hackney):
    placement = placement_in(Status.COMPLETED, borough=hackney)
    client.force_login(hackney_hr)
    response = client.post(
        action_url("placement_start_break", placement),
        {
            "version": 1,
            "reason": "health",
            **date_post("break_started_on", datetime.date(2025, 4, 1)),
        },
        follow=True,
    )
    assert "You cannot do that: this apprenticeship is completed" in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == Status.COMPLETED


@pytest.mark.parametrize(
    "name",
    [
        "placement_detail",
        "placement_edit",
        "placement_start_break",
        "placement_withdraw",
        "placement_complete",
        "recruit_added",
    ],
)
def test_another_boroughs_placement_is_not_found_and_a_post_changes_nothing(
    client, hackney_hr, camden, name
):
    theirs = placement_in(Status.IN_LEARNING, borough=camden, job_title="Theirs")
    client.force_login(hackney_hr)
    assert client.get(action_url(name, theirs)).status_code == 404
    response = client.post(
        action_url(name, theirs),
        {
            "version": 1,
            "reason": "resigned",
            "job_title": "Hacked",
            **date_post("actual_end_date", datetime.date(2024, 1, 1)),
        },
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    theirs.refresh_from_db()
    assert (theirs.status, theirs.job_title, theirs.version) == ("in_learning", "Theirs", 1)


def test_loti_staff_see_no_personal_data(client, loti_analyst, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(loti_analyst)
    assert client.get(LIST).status_code == 403
    response = client.get(action_url("placement_detail", placement))
    assert response.status_code == 403
    assert placement.apprentice.family_name not in response.content.decode()


def apprentice_post(placement, **changes) -> dict:
    apprentice = placement.apprentice
    data = {
        "updated_at": apprentice.updated_at.isoformat(),
        "given_name": apprentice.given_name,
        "family_name": apprentice.family_name,
        "email": apprentice.email,
        "uln": apprentice.uln,
        **date_post("date_of_birth", apprentice.date_of_birth),
    }
    return {**data, **changes}


def test_hr_corrects_the_apprentices_name_and_it_is_in_the_history(client, hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)
    url = action_url("apprentice_edit", placement)
    assert url in client.get(action_url("placement_detail", placement)).content.decode()
    response = client.post(url, apprentice_post(placement, family_name="Hopper-Smith"))
    assert response.url == action_url("placement_detail", placement)
    placement.apprentice.refresh_from_db()
    assert placement.apprentice.family_name == "Hopper-Smith"
    latest = placement.apprentice.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        hackney_hr,
        "Apprentice's details corrected",
    )


def test_apprentice_edit_errors_are_shown_and_nothing_is_saved(client, hackney_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    other = PlacementFactory(borough=hackney, apprentice__uln="1234567899").apprentice
    client.force_login(hackney_hr)
    url = action_url("apprentice_edit", placement)
    page = client.post(url, apprentice_post(placement, uln=other.uln)).content.decode()
    assert "An apprentice with this ULN is already recorded" in page  # one Hackney holds
    # Born so late that they would have been 15 when the placement started.
    late = placement.start_date.replace(year=placement.start_date.year - 15)
    page = client.post(url, apprentice_post(placement, **date_post("date_of_birth", late)))
    assert "apprentices must be at least 16" in page.content.decode()
    before = placement.apprentice.uln
    placement.apprentice.refresh_from_db()
    assert placement.apprentice.uln == before


def test_a_second_officers_apprentice_edit_is_refused_with_the_current_values(
    client, hackney_hr, hackney
):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(hackney_hr)
    url = action_url("apprentice_edit", placement)
    seen = apprentice_post(placement)
    client.post(url, {**seen, "given_name": "First"})
    page = client.post(url, {**seen, "given_name": "Second"}).content.decode()
    assert "changed by someone else" in page
    assert 'value="First"' in page
    placement.apprentice.refresh_from_db()
    assert placement.apprentice.given_name == "First"


def test_another_boroughs_apprentice_cannot_be_edited(client, camden_hr, hackney):
    placement = placement_in(Status.IN_LEARNING, borough=hackney)
    client.force_login(camden_hr)
    url = action_url("apprentice_edit", placement)
    assert client.get(url).status_code == 404
    assert client.post(url, apprentice_post(placement, given_name="Hacked")).status_code == 404
    placement.apprentice.refresh_from_db()
    assert placement.apprentice.given_name != "Hacked"
