"""The dashboard page, its CSVs and JSON feed as users see them."""

import datetime
import html
import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.urls import reverse

from apprenticeships.choices import Sex
from apprenticeships.dashboard.tables import EQUALITY_SLUGS, TABLE_BUILDERS, Table
from apprenticeships.factories import (
    ApprenticeFactory,
    RecruitmentTargetFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import EqualityMonitoring
from loti_portal.accounts.factories import UserFactory

from .conftest import place
from .helpers import bulk_placements, csv_rows, page_table

INDEX = reverse("dashboard:index")
SMALL_COUNT = re.compile(r"^[1-4]$")
# Reading a page from Django's database cache is one query (SELECT of its entry); from Redis none.
DATABASE_CACHE_READ = 1 if isinstance(caches["default"], DatabaseCache) else 0


def test_loti_staff_see_the_campaign_reach_its_target_with_the_date(
    client, loti_analyst, hackney, campaign
):
    campaign.target_number = 10
    campaign.save()
    for i in range(11):
        place(hackney, datetime.date(2019, 7, 1) + datetime.timedelta(days=30 * i))
    client.force_login(loti_analyst)

    page = client.get(INDEX).content.decode()

    assert "<strong>11</strong> recruited of a target of 10 (110%)" in page
    assert "Achieved on 27 March 2020" in page  # the 10th start: 1 July 2019 + 270 days
    assert "app-progress-bar__fill--100" in page
    assert "style=" not in page


def test_no_published_cell_is_a_count_from_1_to_4(client, loti_analyst, busy_campaign):
    client.force_login(loti_analyst)

    page = client.get(INDEX).content.decode()

    for slug in [*TABLE_BUILDERS, *EQUALITY_SLUGS]:
        labels = 3 if slug == "standards" else 1  # reference, title and level are not counts
        for row in page_table(page, slug)[1:]:
            assert not any(SMALL_COUNT.match(cell) for cell in row[labels:]), (slug, row)
    boroughs = page_table(page, "boroughs")
    assert boroughs[1][:2] == ["Camden", "fewer than 5"]
    # Camden's 3 could be worked out from the total and Hackney's 12, so Hackney is hidden too.
    assert boroughs[2][:2] == ["Hackney", "hidden"]
    assert boroughs[-1][:2] == ["Total", "15"]


@pytest.mark.parametrize("slug", [*TABLE_BUILDERS, *EQUALITY_SLUGS])
def test_each_csv_equals_the_table_on_the_page(client, loti_analyst, busy_campaign, slug):
    client.force_login(loti_analyst)
    page = client.get(INDEX).content.decode()

    response = client.get(reverse("dashboard:export", args=[slug]))

    assert response.status_code == 200
    assert csv_rows(response) == page_table(page, slug)
    assert re.fullmatch(
        rf'attachment; filename="{slug}-20192020-campaign-\d{{4}}-\d{{2}}-\d{{2}}.csv"',
        response["Content-Disposition"],
    )


def test_a_borough_filter_narrows_every_figure(
    client, loti_analyst, busy_campaign, hackney, camden
):
    client.force_login(loti_analyst)

    page = client.get(INDEX, {"boroughs": [hackney.gss_code]}).content.decode()
    feed = client.get(reverse("dashboard:progress_json"), {"boroughs": [hackney.gss_code]})

    assert "<strong>12</strong> recruited" in page
    assert [row[0] for row in page_table(page, "boroughs")[1:]] == ["Hackney", "Total"]
    assert page_table(page, "standards")[-1][-2] == "12"
    assert feed.json()["recruited"] == 12
    assert feed.json()["boroughs"] == [hackney.gss_code]


def test_equality_tables_are_london_wide_only(client, loti_analyst, busy_campaign, hackney):
    for person in ApprenticeFactory._meta.model.objects.all():
        EqualityMonitoring.objects.create(apprentice=person, sex=Sex.FEMALE)
    client.force_login(loti_analyst)

    london = client.get(INDEX).content.decode()
    filtered = client.get(INDEX, {"boroughs": [hackney.gss_code]}).content.decode()

    assert page_table(london, "equality-sex")[1][:2] == ["Female", "15"]
    assert page_table(filtered, "equality-sex") == []
    assert 'id="equality-hidden"' in filtered
    export = client.get(
        reverse("dashboard:export", args=["equality-sex"]), {"boroughs": [hackney.gss_code]}
    )
    assert export.status_code == 404


def test_hr_users_see_only_their_boroughs_and_never_equality(
    client, hackney_hr, busy_campaign, camden
):
    client.force_login(hackney_hr)

    page = client.get(INDEX, {"boroughs": [camden.gss_code]}).content.decode()

    assert "is not one of the boroughs in this campaign whose figures you can see" in page
    assert [row[0] for row in page_table(page, "boroughs")[1:]] == ["Hackney", "Total"]
    assert "Camden" not in page
    assert 'id="equality-hidden"' in page
    assert "Figures for Hackney, your borough in the target, as of" in page


def test_names_in_the_tables_are_escaped(client, loti_analyst, campaign, hackney):
    """The tables' rows are marked up in Python (tables.Table.body_html), not by the template's
    autoescaping: a provider's name must still arrive as text, never as markup."""
    name = '<script>alert("x")</script> & Sons'
    for i in range(5):
        place(
            hackney,
            datetime.date(2019, 9, 2) + datetime.timedelta(days=i),
            provider=TrainingProviderFactory(name=name, ukprn="10099999"),
        )
    client.force_login(loti_analyst)

    page = client.get(INDEX).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in page
    assert page_table(page, "providers")[1][0] == name


def test_a_row_is_marked_up_with_its_header_first_and_the_total_row_bold():
    table = Table(
        slug="t",
        title="T",
        headers=["Borough", "Kind", "Recruits"],
        rows=[["Hackney", "a", "12"], ["Total", "", "12"]],
        label_columns=2,
    )
    assert table.body_html() == (
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Hackney</th>'
        '<td class="govuk-table__cell">a</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">12</td></tr>\n'
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Total</th>'
        '<td class="govuk-table__cell"></td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric"><strong>12</strong></td></tr>'
    )
    table.label_columns = 0  # the first cell is still the row's header, and printed once
    assert table.body_html().count("Hackney") == 1


def test_the_cache_never_gives_one_role_the_words_of_another(
    client, page_cache, loti_analyst, hackney, camden
):
    """Found in review: an HR officer of every borough of a small target and LOTI staff count
    the same boroughs, but only the officer's page says "your boroughs"."""
    RecruitmentTargetFactory(name="Two boroughs", boroughs=[hackney, camden])
    client.force_login(UserFactory(email="hr@both.example", boroughs=[hackney, camden]))
    assert "Figures for your 2 boroughs in the target" in client.get(INDEX).content.decode()
    client.force_login(loti_analyst)
    assert "Figures for all 2 boroughs in the target" in client.get(INDEX).content.decode()


def test_the_page_says_whose_figures_it_shows(client, loti_analyst, busy_campaign, hackney, camden):
    client.force_login(loti_analyst)
    assert "Figures for all 10 boroughs in the target," in client.get(INDEX).content.decode()
    page = html.unescape(client.get(INDEX, {"boroughs": [hackney.gss_code]}).content.decode())
    assert "Figures for 1 of the target's boroughs: Hackney," in page
    one = RecruitmentTargetFactory(name="Hackney only", boroughs=[hackney])
    page = html.unescape(client.get(INDEX, {"target": one.pk}).content.decode())
    assert "Figures for Hackney, the target's only borough," in page
    # A borough outside the campaign is not offered, and naming it in the URL is refused.
    page = html.unescape(
        client.get(INDEX, {"target": one.pk, "boroughs": [camden.gss_code]}).content.decode()
    )
    assert "is not one of the boroughs in this campaign" in page
    assert f'value="{camden.gss_code}"' not in page
    both = UserFactory(email="hr@both.example", boroughs=[hackney, camden])
    client.force_login(both)
    page = client.get(INDEX).content.decode()
    assert "Figures for your 2 boroughs in the target: Camden, Hackney," in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start_from_0": "31", "start_from_1": "2", "start_from_2": "2020"},
            "must be a real date",
        ),
        ({"start_to_0": "1", "start_to_2": "2020"}, "must include a day, month and year"),
        ({"target": "not-a-number"}, "Select a recruitment target from the list."),
        (
            {
                "start_from_0": "1",
                "start_from_1": "6",
                "start_from_2": "2020",
                "start_to_0": "1",
                "start_to_1": "1",
                "start_to_2": "2020",
            },
            "must be the same as or after",
        ),
    ],
)
def test_invalid_filters_get_a_clear_message_not_an_error(
    client, loti_analyst, busy_campaign, params, message
):
    client.force_login(loti_analyst)

    response = client.get(INDEX, params)

    assert response.status_code == 200
    assert "There is a problem with the filters" in response.content.decode()
    assert message in response.content.decode()
    assert client.get(reverse("dashboard:export", args=["boroughs"]), params).status_code == 400
    assert client.get(reverse("dashboard:progress_json"), params).status_code == 400


def test_a_date_filter_narrows_the_figures(client, loti_analyst, busy_campaign):
    client.force_login(loti_analyst)

    feed = client.get(
        reverse("dashboard:progress_json"),
        {"start_from_0": "4", "start_from_1": "11", "start_from_2": "2019"},
    ).json()

    assert feed["recruited"] == 6  # Hackney's 4, 11 and 18 November and Camden's 3
    assert feed["start_from"] == "2019-11-04"


def test_the_json_feed_suppresses_small_numbers(client, hackney_hr, campaign, hackney):
    place(hackney, datetime.date(2019, 9, 2))
    client.force_login(hackney_hr)

    feed = client.get(reverse("dashboard:progress_json")).json()

    assert feed["recruited"] is None
    assert feed["recruited_text"] == "fewer than 5"
    assert feed["percent"] is None and feed["still_needed"] is None


def test_an_unknown_table_is_not_found(client, loti_analyst, campaign):
    client.force_login(loti_analyst)

    assert client.get(reverse("dashboard:export", args=["people"])).status_code == 404


def test_without_any_target_the_page_says_so(client, loti_analyst):
    client.force_login(loti_analyst)

    page = client.get(INDEX).content.decode()

    assert "No recruitment target has been set up yet" in page


@pytest.mark.parametrize("placements", [10, 2000])
def test_the_query_count_does_not_grow_with_the_data(
    client, loti_analyst, hackney, camden, django_assert_num_queries, placements
):
    RecruitmentTargetFactory(boroughs=[hackney, camden])
    bulk_placements(placements, [hackney, camden])
    client.force_login(loti_analyst)

    # 1 session, 2 user, 3 the targets (the filter's options, and the default among them), 4 the
    # scope's boroughs, 5 borough options, then queries.dashboard_figures: 6 every recruit
    # breakdown (headline, n-th recruit's start, months, boroughs, standards, providers, age
    # bands, outcomes, destinations, equality: one query over the recruiting placements), 7 starts
    # in the financial year; nothing built from them queries (test_read_path.py); 8-10 session
    # save (savepoint, update, release: the session's expiry slides on every request).
    # On PostgreSQL the breakdowns run in a savepoint of their own that lets the planner share
    # them between cores and is rolled back after (savepoint, set_config, rollback, release).
    extra = 4 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(10 + extra):
        response = client.get(INDEX)

    assert response.status_code == 200


def test_equality_is_not_published_for_a_date_range_or_a_small_target(
    client, loti_analyst, busy_campaign, hackney, camden
):
    """Two views a day apart, or a target of two boroughs, could single a person out."""
    for person in ApprenticeFactory._meta.model.objects.all():
        EqualityMonitoring.objects.create(apprentice=person, sex=Sex.FEMALE)
    client.force_login(loti_analyst)
    dated = client.get(INDEX, {"start_to_0": "2", "start_to_1": "9", "start_to_2": "2020"})
    assert page_table(dated.content.decode(), "equality-sex") == []
    small = RecruitmentTargetFactory(name="Two boroughs", boroughs=[hackney, camden])
    page = client.get(INDEX, {"target": small.pk}).content.decode()
    assert page_table(page, "equality-sex") == []
    assert 'id="equality-hidden"' in page


def test_a_repeated_page_comes_from_the_cache_but_never_crosses_users_boroughs(
    client, page_cache, loti_analyst, hackney_hr, busy_campaign, django_assert_num_queries
):
    """Thirty boroughs opening the same page: the second request skips the figures' queries."""
    client.force_login(loti_analyst)
    first = client.get(INDEX).content.decode()
    # session, user, the targets (the filter's options and the default), the scope's boroughs,
    # the filter's boroughs, the figures' version, and with the database cache the page's entry;
    # no figures. (The session's sliding expiry adds its savepoint, update, release.)
    with django_assert_num_queries(9 + DATABASE_CACHE_READ):
        second = client.get(INDEX).content.decode()
    assert page_table(second, "boroughs") == page_table(first, "boroughs")
    client.force_login(hackney_hr)
    mine = client.get(INDEX).content.decode()
    assert [row[0] for row in page_table(mine, "boroughs")[1:]] == ["Hackney", "Total"]


@pytest.mark.django_db(transaction=True)  # the version is bumped only once a change commits
def test_a_committed_change_shows_at_once_despite_the_cache(
    client, page_cache, loti_analyst, hackney, busy_campaign
):
    """The cached page is keyed on the figures' version, which every committed change bumps."""
    client.force_login(loti_analyst)
    total = lambda page: page_table(page, "boroughs")[-1][:2]  # noqa: E731
    assert total(client.get(INDEX).content.decode()) == ["Total", "15"]
    assert total(client.get(INDEX).content.decode()) == ["Total", "15"]  # from the cache
    place(hackney, datetime.date(2020, 3, 2))
    assert total(client.get(INDEX).content.decode()) == ["Total", "16"]
