"""The three doors into the engine (the HR upload page, the admin's import page and the
`import_placements` command) refuse each hostile file with the same words, and keep nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from apprenticeships.imports.models import ImportRun

from .helpers import HEADERS, mixed_csv, wide_row_xlsx

pytestmark = pytest.mark.django_db

REFUSED = {
    "wide.xlsx": (
        lambda: wide_row_xlsx(3_900_000),
        "This file has more than 60 columns: row 2 has a value in column BI. A placements sheet "
        "needs 23 (see the template). Delete the columns you do not need and upload it again.",
    ),
    "wide.csv": (
        lambda: (",".join(HEADERS) + "\r\n" + "1," * 2_600_000 + "\r\n").encode(),
        "Row 2 has more than 1,000 cells, counting empty ones: far more than a placements "
        "sheet has. Delete the columns to the right of your table and upload it again.",
    ),
    "mixed.csv": (
        lambda: mixed_csv({3, 7}),
        "Rows 3 and 7 are not in the same text encoding as the rest of the file: save it again "
        "as CSV UTF-8, checking the accented letters in those rows first (they may show "
        'garbled, like "ZoÃ«").',
    ),
}


@pytest.fixture(params=list(REFUSED))
def refused(request) -> tuple[str, bytes, str]:
    build, message = REFUSED[request.param]
    return request.param, build(), message


def test_the_upload_page_shows_the_refusal_and_keeps_nothing(client, hackney, hackney_hr, refused):
    name, content, message = refused
    client.force_login(hackney_hr)
    file = SimpleUploadedFile(name, content)
    response = client.post(reverse("imports:upload"), {"borough": hackney.pk, "file": file})
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_admin_import_page_shows_the_same_refusal(otp_admin_client, camden, refused):
    name, content, message = refused
    file = SimpleUploadedFile(name, content)
    response = otp_admin_client.post(
        reverse("admin:imports_importrun_import"), {"borough": camden.pk, "file": file}
    )
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_command_prints_the_same_refusal_and_exits_2(tmp_path, hackney, refused):
    name, content, message = refused
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import_placements", str(path), "--borough", hackney.gss_code)
    assert (error.value.returncode, str(error.value)) == (2, message)
    assert not ImportRun.objects.exists()
