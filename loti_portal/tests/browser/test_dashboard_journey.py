"""A LOTI analyst filters the dashboard by a borough and downloads a table as CSV."""

import csv

import pytest
from playwright.sync_api import expect

from apprenticeships.factories import PlacementFactory, RecruitmentTargetFactory

from .axe import check_page
from .journeys import sign_in


@pytest.fixture
def campaign(hackney, camden):
    target = RecruitmentTargetFactory(name="Digital apprentices 2020", boroughs=[hackney, camden])
    PlacementFactory.create_batch(6, borough=hackney)
    PlacementFactory.create_batch(7, borough=camden)
    return target


def page_rows(page, slug: str) -> list[list[str]]:
    """The table's rows as a user reads them, header first."""
    return page.locator(f"#table-{slug} tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))"
    )


def test_analyst_filters_by_borough_and_downloads_the_same_figures(
    page, loti_analyst, campaign, tmp_path
):
    sign_in(page, loti_analyst, check=check_page)
    expect(page.get_by_role("heading", name="Digital apprentices 2020")).to_be_visible()
    expect(page.locator("#headline-recruited")).to_contain_text("13 recruited of a target of 100")
    check_page(page)

    page.get_by_text("Filter the figures").click()
    page.get_by_label("Hackney").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#headline-recruited")).to_contain_text("6 recruited of a target of 100")
    expect(page.locator("main")).to_contain_text("1 of the target's boroughs: Hackney")
    check_page(page)
    shown = page_rows(page, "boroughs")
    assert shown[1][:2] == ["Hackney", "6"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this table as CSV (Recruits by borough)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("boroughs-digital-apprentices-2020-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        downloaded = list(csv.reader(file))
    assert downloaded == shown
