"""The admin site as an administrator uses it: every model's list, add and change pages."""

import csv
import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from apprenticeships.choices import Status
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    RecruitmentTargetFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import (
    Apprentice,
    EqualityMonitoring,
    LinkRequest,
    Placement,
    TrainingProvider,
)
from boroughs.factories import BoroughFactory

from .helpers import admin_post_data


def every_registered_model():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_placements(count: int) -> None:
    """`count` placements spread over a few boroughs, standards and providers."""
    boroughs = [BoroughFactory() for _ in range(3)]
    standards = [StandardFactory() for _ in range(3)]
    providers = [TrainingProviderFactory() for _ in range(3)]
    apprentices = ApprenticeFactory.create_batch(count)
    Placement.objects.bulk_create(
        PlacementFactory.build(
            apprentice=a,
            borough=boroughs[i % 3],
            standard=standards[i % 3],
            provider=providers[i % 3],
        )
        for i, a in enumerate(apprentices)
    )
    target = RecruitmentTargetFactory(boroughs=boroughs)
    assert target.boroughs.count() == 3


@pytest.fixture
def admin_client_(otp_admin_client):
    return otp_admin_client


@pytest.mark.django_db
@pytest.mark.parametrize("model", every_registered_model(), ids=lambda m: m._meta.label)
def test_changelist_and_add_pages_open(admin_client_, admin_user, rf, model):
    make_placements(3)
    assert admin_client_.get(url(model, "changelist")).status_code == 200
    request = rf.get("/")
    request.user = admin_user
    # Some records are only ever written by the system (sign-in attempts, import runs).
    may_add = admin.site._registry[model].has_add_permission(request)
    assert admin_client_.get(url(model, "add")).status_code == (200 if may_add else 403)


def domain_models():
    """Our records (sign-in logs, OTP devices and import runs are written by the system)."""
    return [
        m
        for m in every_registered_model()
        if m._meta.app_label in {"accounts", "boroughs", "apprenticeships"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m._meta.label)
def test_change_and_history_pages_open(admin_client_, hackney_hr, model):
    make_placements(3)
    if model is LinkRequest:  # made only by a journey or an import naming another's person
        first, second = Placement.objects.all()[:2]
        LinkRequest.objects.create(
            provisional=first.apprentice,
            held=second.apprentice,
            borough=first.borough,
            matched_on="ULN",
        )
    obj = model._default_manager.first()
    assert obj is not None, model
    response = admin_client_.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    assert admin_client_.get(url(model, "history", obj.pk)).status_code == 200


# Queries per changelist, the same at 10 and at 1,000 placements. Every admin page costs 5: the
# session, the user (with the id of the admin's OTP device, in the same query:
# loti_portal/auth_backends.py), and the session's sliding expiry saved (savepoint, update,
# release). Then
# each list: the filtered count, the total count, and one page of rows with related rows joined
# and counts annotated in SQL — plus one query per filter or date hierarchy whose choices come
# from the database:
#   placement: borough, standard, provider, start years, levels; date hierarchy min/max + days
#   apprentice: borough filter
#   standard: levels, routes
#   recruitment target: date hierarchy min/max + days
CHANGELIST_QUERIES = {
    "apprenticeships.placement": 5 + 3 + 7,
    "apprenticeships.apprentice": 5 + 3 + 1,
    "apprenticeships.standard": 5 + 3 + 2,
    "apprenticeships.recruitmenttarget": 5 + 3 + 2,
    "apprenticeships.trainingprovider": 5 + 3,
    "boroughs.borough": 5 + 3,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "queries"), sorted(CHANGELIST_QUERIES.items()))
def test_changelist_query_count_does_not_grow_with_data(
    admin_client_, label, queries, django_assert_num_queries
):
    model = apps.get_model(label)
    make_placements(10)
    with django_assert_num_queries(queries):
        small = admin_client_.get(url(model, "changelist"))
    make_placements(990)
    with django_assert_num_queries(queries):
        large = admin_client_.get(url(model, "changelist"))
    assert small.status_code == large.status_code == 200
    assert large.context["cl"].full_result_count > small.context["cl"].full_result_count


@pytest.mark.django_db
def test_placement_search_by_uln_and_filter_by_status(admin_client_):
    make_placements(5)
    placement = Placement.objects.select_related("apprentice").first()
    response = admin_client_.get(url(Placement, "changelist"), {"q": placement.apprentice.uln})
    assert list(response.context["cl"].result_list) == [placement]
    Placement.objects.filter(pk=placement.pk).update(
        status=Status.WITHDRAWN, actual_end_date=placement.start_date, withdrawal_reason="other"
    )
    response = admin_client_.get(url(Placement, "changelist"), {"status__exact": "withdrawn"})
    assert list(response.context["cl"].result_list) == [placement]


@pytest.mark.django_db
def test_csv_export_of_selected_placements(admin_client_):
    make_placements(3)
    chosen = list(Placement.objects.values_list("pk", flat=True)[:2])
    first = Placement.objects.select_related("apprentice").get(pk=chosen[0])
    Apprentice.objects.filter(pk=first.apprentice_id).update(given_name='=HYPERLINK("http://x")')
    response = admin_client_.post(
        url(Placement, "changelist"),
        {"action": "export_as_csv", "_selected_action": chosen},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Apprentice", "Borough", "Standard"]
    assert len(rows) == 3
    # A cell that would run as a formula in Excel is written as text.
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


@pytest.mark.django_db
def test_admin_deactivates_a_provider_and_its_placements_keep_it(admin_client_):
    placement = PlacementFactory()
    provider = placement.provider
    admin_client_.post(
        url(TrainingProvider, "changelist"),
        {"action": "deactivate", "_selected_action": [provider.pk]},
    )
    provider.refresh_from_db()
    placement.refresh_from_db()
    assert provider.is_active is False
    assert placement.provider == provider
    assert provider.history.first().is_active is False


@pytest.mark.django_db
def test_equality_monitoring_is_shown_only_inside_the_admin_apprentice_page(admin_client_):
    placement = PlacementFactory()
    EqualityMonitoring.objects.create(apprentice=placement.apprentice, ethnic_group="mixed")
    response = admin_client_.get(url(type(placement.apprentice), "change", placement.apprentice.pk))
    assert "Mixed or multiple ethnic groups" in response.content.decode()


posted_form = admin_post_data


@pytest.mark.django_db
def test_an_admin_edit_never_overwrites_a_change_saved_after_it_was_opened(admin_client_):
    placement = PlacementFactory(job_title="Apprentice developer")
    page = admin_client_.get(url(Placement, "change", placement.pk))
    data = posted_form(page, job_title="Data apprentice")
    assert data["opened_at_version"] == placement.version
    # Meanwhile an HR officer saves a change: the version moves on.
    Placement.objects.filter(pk=placement.pk).update(service_area="Digital", version=2)

    refused = admin_client_.post(url(Placement, "change", placement.pk), data)
    assert refused.status_code == 200
    assert "Someone changed this placement after you opened it" in refused.content.decode()
    placement.refresh_from_db()
    assert (placement.job_title, placement.service_area) == ("Apprentice developer", "Digital")

    data["opened_at_version"] = 2  # opened again, at the current version
    data["service_area"] = "Digital"
    saved = admin_client_.post(url(Placement, "change", placement.pk), data)
    assert saved.status_code == 302
    placement.refresh_from_db()
    assert (placement.job_title, placement.version) == ("Data apprentice", 3)


@pytest.mark.django_db
def test_reverting_a_placement_to_an_earlier_version_saves_it_as_a_new_change(admin_client_):
    placement = PlacementFactory(job_title="Apprentice developer")
    placement.job_title = "Data apprentice"
    placement.version += 1
    placement.save()
    first = placement.history.order_by("history_id").first()
    revert_url = url(Placement, "simple_history", placement.pk, first.history_id)
    page = admin_client_.get(revert_url)
    data = posted_form(page)
    assert data["job_title"] == "Apprentice developer" and data["opened_at_version"] == 2
    assert admin_client_.post(revert_url, data).status_code == 302
    placement.refresh_from_db()
    assert (placement.job_title, placement.version) == ("Apprentice developer", 3)
