import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apprenticeships.imports.models import ImportRun
from apprenticeships.models import Placement

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def upload(client, borough, content: bytes, name="placements.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("imports:upload"), {"borough": borough.pk, "file": file})


def test_hr_uploads_checks_and_saves_a_file(client, hackney, hackney_hr, reference_data):
    client.force_login(hackney_hr)
    response = upload(client, hackney, csv_bytes([good_row(1), good_row(2)]))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:preview", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "Save 2 new and 0 updated" in page
    assert not Placement.objects.exists()
    saved = client.post(reverse("imports:commit", args=[run.pk]), follow=True)
    assert "placements.csv saved: 2 new, 0 updated, 0 unchanged." in saved.content.decode()
    assert Placement.objects.filter(borough=hackney).count() == 2


def test_the_check_lists_every_mistake_against_its_row(client, hackney, hackney_hr, reference_data):
    client.force_login(hackney_hr)
    rows = [
        good_row(1, uln="1234567891"),
        good_row(2, start_date="01/09/2021", planned_end_date="01/08/2021"),
        good_row(3, standard_reference="ST0161"),
    ]
    response = upload(client, hackney, csv_bytes(rows))
    page = client.get(response.url).content.decode()
    assert "3 rows have errors: nothing can be saved" in page
    assert "This ULN is not valid: its last digit does not match." in page
    assert "Planned end date must be after the start date." in page
    assert "No apprenticeship standard has the reference ST0161." in page
    assert "Save " not in page
    run = ImportRun.objects.get()
    client.post(reverse("imports:commit", args=[run.pk]))
    assert not Placement.objects.exists()


def test_a_refused_file_is_explained_next_to_the_field(client, hackney, hackney_hr):
    client.force_login(hackney_hr)
    response = upload(client, hackney, b"%PDF-1.7 not a spreadsheet")
    assert response.status_code == 200
    assert "This file is a PDF, not a spreadsheet." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_hr_cannot_import_into_another_borough(client, camden, hackney_hr, reference_data):
    client.force_login(hackney_hr)
    response = upload(client, camden, csv_bytes([good_row(1)]))
    assert response.status_code == 200
    assert "Select one of your boroughs." in response.content.decode()
    assert not ImportRun.objects.exists() and not Placement.objects.exists()


def test_hr_cannot_see_or_save_another_boroughs_import(
    client, camden, camden_hr, hackney_hr, reference_data
):
    client.force_login(camden_hr)
    upload(client, camden, csv_bytes([good_row(1)]))
    run = ImportRun.objects.get()
    client.force_login(hackney_hr)
    assert client.get(reverse("imports:preview", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[run.pk])).status_code == 404
    assert not Placement.objects.exists()
    assert "placements.csv" not in client.get(reverse("imports:list")).content.decode()


def test_templates_have_the_columns_and_a_guidance_sheet(client, hackney_hr):
    import io

    import openpyxl

    client.force_login(hackney_hr)
    text = client.get(reverse("imports:template_csv")).content.decode("utf-8-sig")
    assert text.startswith("given_name,family_name,email,uln,date_of_birth,")
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("imports:template_xlsx")).content)
    )
    assert workbook.sheetnames == ["Placements", "Guidance"]
    guidance = {row[0]: row for row in workbook["Guidance"].iter_rows(min_row=2, values_only=True)}
    assert guidance["start_date"][1] == "Required"
    assert "31/08/2020" in guidance["start_date"][3]
    assert "ILR CompStatus code: 1 = In learning" in guidance["status"][4]


ACCESS = {
    # url name, args, method → expected status for anonymous, hackney_hr, camden_hr, analyst, admin
    ("imports:upload", False, "get"): (302, 200, 200, 403, 200),
    ("imports:list", False, "get"): (302, 200, 200, 403, 200),
    ("imports:template_csv", False, "get"): (302, 200, 200, 403, 200),
    ("imports:template_xlsx", False, "get"): (302, 200, 200, 403, 200),
    ("imports:preview", True, "get"): (302, 200, 404, 403, 200),
    ("imports:commit", True, "post"): (302, 302, 404, 403, 302),
}


@pytest.mark.parametrize("role_index", range(5))
@pytest.mark.parametrize("key", list(ACCESS))
def test_access_by_role(
    client, key, role_index, hackney, hackney_hr, camden_hr, loti_analyst, request
):
    url_name, needs_run, method = key
    users = [None, hackney_hr, camden_hr, loti_analyst]
    run = ImportRun.objects.create(borough=hackney, file_name="x.csv", content=b"x")
    if role_index == 4:
        client = request.getfixturevalue("otp_admin_client")  # past the one-time code
    elif users[role_index]:
        client.force_login(users[role_index])
    url = reverse(url_name, args=[run.pk] if needs_run else [])
    response = getattr(client, method)(url)
    assert response.status_code == ACCESS[key][role_index]


def test_every_import_url_is_in_the_access_table():
    from apprenticeships.imports import urls

    assert {f"imports:{p.name}" for p in urls.urlpatterns} == {k[0] for k in ACCESS}
