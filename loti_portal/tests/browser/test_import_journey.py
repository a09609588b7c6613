"""Borough HR imports a spreadsheet: errors shown row by row, a corrected file saved."""

import csv

from django.core.management import call_command
from playwright.sync_api import expect

from apprenticeships.factories import TrainingProviderFactory
from apprenticeships.imports.columns import COLUMNS
from apprenticeships.models import Placement

from .axe import check_page
from .journeys import sign_in

HEADER = [column.name for column in COLUMNS]


def write_csv(path, rows: list[dict]) -> str:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def row(**values) -> dict:
    base = {
        "given_name": "Ada",
        "family_name": "Lovelace",
        "standard_reference": "ST0116",
        "provider_ukprn": "10012345",
        "start_date": "02/09/2024",
        "planned_end_date": "01/03/2026",
        "status": "In learning",
    }
    return base | values


def upload(page, path: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import a spreadsheet")).to_be_visible()
    check_page(page)
    page.get_by_label("Borough").select_option(label="Hackney")
    page.get_by_label("Spreadsheet").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()


def test_hr_uploads_a_file_with_errors_then_a_corrected_one(page, hackney_hr, tmp_path):
    call_command("seed_reference_data", verbosity=0)  # the real standards, ST0116 among them
    TrainingProviderFactory(name="Hackney Digital Skills Ltd", ukprn="10012345")
    sign_in(page, hackney_hr)

    # No file chosen: the form's own error state.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import").click()
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page)

    bad = [
        row(),
        row(given_name="Alan", family_name="Turing", provider_ukprn="19999999"),
        row(given_name="Mary", family_name="Somerville", start_date="31/02/2024"),
    ]
    upload(page, write_csv(tmp_path / "placements.csv", bad))
    expect(
        page.get_by_role("heading", name="2 rows have errors: nothing can be saved")
    ).to_be_visible()
    errors = page.get_by_role("table", name="Errors")
    expect(errors.get_by_role("row")).to_have_count(3)  # the header and one per error
    expect(errors).to_contain_text("provider_ukprn")
    expect(errors).to_contain_text("19999999")
    expect(errors).to_contain_text("start_date")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    check_page(page)
    assert not Placement.objects.exists()

    good = [row(), row(given_name="Alan", family_name="Turing"), row(given_name="Mary")]
    upload(page, write_csv(tmp_path / "placements-corrected.csv", good))
    expect(page.get_by_role("heading", name="Check placements-corrected.csv")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Save 3 new and 0 updated").click()

    expect(page.get_by_text("placements-corrected.csv saved: 3 new")).to_be_visible()
    check_page(page)
    assert sorted(Placement.objects.values_list("apprentice__given_name", flat=True)) == [
        "Ada",
        "Alan",
        "Mary",
    ]
    assert set(Placement.objects.values_list("borough__name", flat=True)) == {"Hackney"}
