"""The dashboard's read path: one function reads every figure, and nothing built from them reads.

`queries.dashboard_figures(scope)` runs the aggregate queries and returns plain data; the page, each
CSV and the JSON feed call it once, and the headline, tables, charts, CSVs and the page's markup are
built from its result without a single query.
"""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from apprenticeships.choices import Sex
from apprenticeships.dashboard import exports, progress, queries, tables, views
from apprenticeships.factories import ApprenticeFactory
from apprenticeships.models import EqualityMonitoring

EVERY_TABLE = [*tables.TABLE_BUILDERS, *tables.EQUALITY_SLUGS]


@pytest.fixture
def recruits(busy_campaign):
    """Hackney 12 recruits, Camden 3, every one with an equality record."""
    for person in ApprenticeFactory._meta.model.objects.all():
        EqualityMonitoring.objects.create(apprentice=person, sex=Sex.FEMALE)
    return busy_campaign


def test_one_call_reads_every_figure(scope_for, recruits, django_assert_num_queries):
    scope = scope_for()
    # The recruit breakdowns and the starts in the financial year. On PostgreSQL the breakdowns
    # run in a savepoint of their own here (the test's transaction) that sets the planner's
    # parallel cost and is rolled back after: savepoint, set_config, rollback, release.
    extra = 4 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(2 + extra):
        figures = queries.dashboard_figures(scope)

    assert figures.headline_counts()["recruited"] == 15
    assert figures.equality_counts()["sex"][Sex.FEMALE] == 15


def test_nothing_built_from_the_figures_reads_the_database(
    scope_for, recruits, django_assert_num_queries
):
    figures = queries.dashboard_figures(scope_for())
    assert figures.scope.is_london_wide  # so the equality tables are built too

    with django_assert_num_queries(0):
        page = views.page_figures(figures)
        built = {slug: tables.table_for(figures, slug) for slug in EVERY_TABLE}
        csvs = {slug: exports.csv_response(table, f"{slug}.csv") for slug, table in built.items()}
        feed = progress.build_headline(figures).as_json()
        # The template reads the same plain data: rendering the page's body reads nothing either.
        body = render_to_string(
            "dashboard/_body.html", {"scope": figures.scope, "counted_boroughs": "all", **page}
        )

    assert feed["recruited"] == 15
    assert all(table is not None for table in built.values())
    assert b"Total,15" in csvs["boroughs"].content
    assert page["borough_table"].rows[-1][:2] == ["Total", "15"]
    assert "<strong>15</strong> recruited" in body


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard:index"),
        reverse("dashboard:progress_json"),
        reverse("dashboard:export", args=["boroughs"]),
        reverse("dashboard:export", args=["equality-sex"]),
    ],
)
def test_the_page_its_csvs_and_the_feed_read_through_the_one_function(
    client, loti_analyst, recruits, monkeypatch, url
):
    calls = []
    real = queries.dashboard_figures

    def spy(scope):
        calls.append(scope)
        return real(scope)

    monkeypatch.setattr(queries, "dashboard_figures", spy)
    client.force_login(loti_analyst)

    assert client.get(url).status_code == 200
    assert len(calls) == 1
    assert calls[0].target == recruits


def test_an_unknown_table_reads_no_figures(client, loti_analyst, recruits, monkeypatch):
    monkeypatch.setattr(queries, "dashboard_figures", lambda scope: pytest.fail("read"))
    client.force_login(loti_analyst)

    assert client.get(reverse("dashboard:export", args=["people"])).status_code == 404
