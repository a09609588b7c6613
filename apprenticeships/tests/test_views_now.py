"""The programme now's pages: HR's current apprentices and worklist, the count on the placement
list, and LOTI's counts per borough; what each shows, and its queries at small and large data."""

import datetime

import pytest
from django.urls import reverse

from apprenticeships import rules
from apprenticeships.choices import BreakReason, Status
from apprenticeships.factories import PlacementFactory
from apprenticeships.models import BreakInLearning

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return datetime.date.today()


def make(borough, today, copies=1):
    """`copies` of each: waiting late, waiting, due, overdue, on a long break, in learning."""
    made = []
    for _ in range(copies):
        made += [
            PlacementFactory(
                borough=borough,
                status=Status.WAITING_TO_START,
                start_date=today - 3 * DAY,
                planned_end_date=today + 400 * DAY,
            ),
            PlacementFactory(
                borough=borough,
                status=Status.WAITING_TO_START,
                start_date=today + 3 * DAY,
                planned_end_date=today + 400 * DAY,
            ),
            PlacementFactory(
                borough=borough, start_date=today - 300 * DAY, planned_end_date=today + 20 * DAY
            ),
            PlacementFactory(
                borough=borough, start_date=today - 400 * DAY, planned_end_date=today - 20 * DAY
            ),
            PlacementFactory(borough=borough, start_date=today - 10 * DAY),
        ]
        on_break = PlacementFactory(
            borough=borough,
            status=Status.BREAK_IN_LEARNING,
            start_date=today - 300 * DAY,
            planned_end_date=today + 200 * DAY,
        )
        BreakInLearning.objects.create(
            placement=on_break, started_on=today - 100 * DAY, reason=BreakReason.HEALTH
        )
        made.append(on_break)
    return made


def test_the_placement_list_says_how_many_records_need_action(client, hackney_hr, hackney, today):
    make(hackney, today)
    client.force_login(hackney_hr)
    page = client.get(reverse("apprenticeships:placement_list")).content.decode()
    assert "3 records need action" in page
    assert reverse("apprenticeships:needing_action") in page


def test_no_banner_when_nothing_needs_action(client, hackney_hr, hackney, today):
    PlacementFactory(borough=hackney, start_date=today - 10 * DAY)
    client.force_login(hackney_hr)
    page = client.get(reverse("apprenticeships:placement_list")).content.decode()
    assert "need action" not in page and "needs action" not in page


def test_the_worklist_links_each_record_with_why(client, hackney_hr, hackney, camden, today):
    mine = make(hackney, today)
    theirs = make(camden, today)
    client.force_login(hackney_hr)
    page = client.get(reverse("apprenticeships:needing_action")).content.decode()
    for placement in (mine[0], mine[3], mine[5]):
        assert reverse("apprenticeships:placement_detail", args=[placement.pk]) in page
    for placement in (mine[1], mine[2], mine[4]):
        assert reverse("apprenticeships:placement_detail", args=[placement.pk]) not in page
    for placement in theirs:  # another borough's records are never listed
        assert reverse("apprenticeships:placement_detail", args=[placement.pk]) not in page
    for reason in rules.ACTION_REASONS.values():
        assert reason in page


@pytest.mark.parametrize("state", list(rules.NOW_STATES))
def test_current_apprentices_lists_each_state(client, hackney_hr, hackney, today, state):
    made = make(hackney, today)
    expected = {
        rules.WAITING: [0, 1],
        rules.IN_LEARNING: [2, 3, 4],
        rules.ON_BREAK: [5],
        rules.DUE_TO_END: [2],
        rules.PAST_PLANNED_END: [3],
    }[state]
    client.force_login(hackney_hr)
    page = client.get(reverse("apprenticeships:current"), {"state": state}).content.decode()
    for i, placement in enumerate(made):
        link = reverse("apprenticeships:placement_detail", args=[placement.pk])
        assert (link in page) == (i in expected), (state, i)
    assert f"{rules.NOW_STATES[state]} ({len(expected)})" in page


def test_loti_sees_counts_per_borough_suppressed_and_never_a_name(
    client, loti_analyst, hackney, camden, today
):
    hackney.is_loti_member = camden.is_loti_member = True
    hackney.save()
    camden.save()
    made = make(hackney, today, copies=5) + make(camden, today, copies=1)
    client.force_login(loti_analyst)
    response = client.get(reverse("dashboard:current"))
    page = response.content.decode()
    assert "fewer than 5" in page  # Camden's ones
    assert "hidden" in page  # secondary suppression
    for placement in made:
        assert placement.apprentice.family_name not in page
    tables = response.context["tables"]
    standing = {row[0]: row[1:] for row in tables[0].rows}
    assert standing["Camden"][0] == "fewer than 5"  # 2 waiting to start
    assert standing["Hackney"][0] == "hidden"  # or Camden's 2 is the column's total less 10
    assert standing["Hackney"][3] == "30"  # the row's total is published


def test_hr_see_only_their_own_boroughs_counts(client, hackney_hr, hackney, camden, today):
    make(hackney, today)
    make(camden, today)
    client.force_login(hackney_hr)
    rows = client.get(reverse("dashboard:current")).context["tables"][0].rows
    assert [row[0] for row in rows] == ["Hackney", "London"]


# --- Queries: the same number at 1 and at 10 copies of every state --------------------------


@pytest.mark.parametrize("copies", [1, 10])
def test_queries_on_the_current_apprentices_page(
    client, hackney_hr, hackney, today, copies, django_assert_num_queries
):
    make(hackney, today, copies)
    client.force_login(hackney_hr)
    # 1 session, 2 user, 3 every state's count (one aggregate), 4 the page's count,
    # 5 the user's memberships (borough column or not), 6 the page's placements with their
    # apprentice, borough, standard, provider and open break (one query), 7–9 the session's
    # saved expiry (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("apprenticeships:current"), {"state": "on_break"})
    assert response.status_code == 200


@pytest.mark.parametrize("copies", [1, 10])
def test_queries_on_the_worklist(
    client, hackney_hr, hackney, today, copies, django_assert_num_queries
):
    make(hackney, today, copies)
    client.force_login(hackney_hr)
    # 1 session, 2 user, 3 the page's count, 4 the page's placements with why each needs action
    # and their related records (one query), 5 the user's memberships, 6–8 the session's save.
    with django_assert_num_queries(8):
        response = client.get(reverse("apprenticeships:needing_action"))
    assert len(response.context["rows"]) == min(3 * copies, 25)


@pytest.mark.parametrize("copies", [1, 10])
def test_queries_on_the_placement_list_with_its_count(
    client, hackney_hr, hackney, today, copies, django_assert_num_queries
):
    make(hackney, today, copies)
    client.force_login(hackney_hr)
    # 1 session, 2 user, 3 the page's count, 4 memberships, 5 records needing action (one
    # count), 6 start years, 7 standards, 8 providers (the filters), 9 the page's placements,
    # 10–12 the session's save.
    with django_assert_num_queries(12):
        client.get(reverse("apprenticeships:placement_list"))


@pytest.mark.parametrize("copies", [1, 10])
def test_queries_on_loti_counts_per_borough(
    client, loti_analyst, hackney, camden, today, copies, django_assert_num_queries
):
    hackney.is_loti_member = camden.is_loti_member = True
    hackney.save()
    camden.save()
    make(hackney, today, copies)
    make(camden, today, copies)
    client.force_login(loti_analyst)
    # 1 session, 2 user, 3 the boroughs, 4 every count of people per borough (one grouped
    # aggregate), 5–7 the session's save.
    with django_assert_num_queries(7):
        client.get(reverse("dashboard:current"))
