import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apprenticeships.imports.models import ImportRun
from apprenticeships.models import Placement

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def test_admin_imports_for_any_borough_through_the_same_check(
    otp_admin_client, camden, admin_user, reference_data
):
    client = otp_admin_client
    changelist = client.get(reverse("admin:imports_importrun_changelist")).content.decode()
    assert reverse("admin:imports_importrun_import") in changelist
    file = SimpleUploadedFile("camden.csv", csv_bytes([good_row(1)]))
    response = client.post(
        reverse("admin:imports_importrun_import"), {"borough": camden.pk, "file": file}
    )
    run = ImportRun.objects.get()
    assert response.url == reverse("imports:preview", args=[run.pk])
    assert (run.borough, run.source, run.new_count) == (camden, ImportRun.Source.ADMIN, 1)
    client.post(reverse("imports:commit", args=[run.pk]))
    assert Placement.objects.get().borough == camden


def test_hr_cannot_reach_the_admin_import_page(client, hackney_hr):
    client.force_login(hackney_hr)
    response = client.get(reverse("admin:imports_importrun_import"))
    assert response.status_code == 302 and "/admin/login/" in response.url
