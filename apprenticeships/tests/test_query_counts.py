"""Query counts of the placement's change pages and the journey's first step, pinned at small
and large data: the count must not grow with providers, standards, past breaks or placements.

Every page here costs 5 of its own whatever it shows: the session, the user (with their second
factor's device, in one query), and the session's sliding expiry saved (savepoint, update,
release).
"""

import datetime

import pytest
from django.urls import reverse

from apprenticeships.choices import Status
from apprenticeships.factories import PlacementFactory, StandardFactory, TrainingProviderFactory
from apprenticeships.models import BreakInLearning

from .helpers import date_post, placement_in

pytestmark = pytest.mark.django_db
PER_PAGE = 5


@pytest.fixture(params=[1, 25], ids=["small", "large"])
def data(request, hackney):
    """Other placements, providers, standards and closed breaks, `request.param` of each."""
    size = request.param
    PlacementFactory.create_batch(size, borough=hackney)
    TrainingProviderFactory.create_batch(size)
    StandardFactory.create_batch(size)
    on_break = placement_in(Status.BREAK_IN_LEARNING, borough=hackney)
    for n in range(size):
        started = datetime.date(2023, 10, 2) + datetime.timedelta(days=n)
        BreakInLearning.objects.create(
            placement=on_break, started_on=started, returned_on=started, reason="work"
        )
    return {"on_break": on_break, "learning": placement_in(Status.IN_LEARNING, borough=hackney)}


# page → (which placement, the page's own queries beyond PER_PAGE, and which they are)
PAGES = {
    "placement_return": ("on_break", 2),  # the placement; its open break (the moved end date)
    "placement_change_provider": ("learning", 2),  # the placement; the other active providers
    "placement_complete": ("learning", 1),  # the placement
    "placement_start_break": ("learning", 1),  # the placement
    "placement_edit": ("learning", 2),  # the placement; the active standards and its own
    # the placement; the timeline's breaks, provider and end-date changes; history rows, and
    # the standards and providers they name
    "placement_detail": ("on_break", 7),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_placement_pages(client, hackney_hr, data, page, django_assert_num_queries):
    which, own = PAGES[page]
    client.force_login(hackney_hr)
    url = reverse(f"apprenticeships:{page}", args=[data[which].pk])
    with django_assert_num_queries(PER_PAGE + own):
        response = client.get(url)
    assert response.status_code == 200


def test_the_journeys_details_page(client, hackney_hr, data, django_assert_num_queries):
    client.force_login(hackney_hr)
    journey = client.get(reverse("apprenticeships:recruit_start")).url.split("/")[-3]
    person = {"given_name": "Ada", "family_name": "Lovelace", "email": "", "uln": ""}
    person |= date_post("date_of_birth", datetime.date(2000, 1, 1))
    # this hour's lookups by the user counted, this one recorded, day-old ones removed
    # (loti_portal/ratelimit.py); no ULN or email, so only the name and date of birth are looked
    # up among the user's own boroughs' people (queries.find_matching_apprentice): one query
    with django_assert_num_queries(PER_PAGE + 4):
        response = client.post(
            reverse("apprenticeships:recruit_apprentice", args=[journey]), person
        )
    assert response.status_code == 302
