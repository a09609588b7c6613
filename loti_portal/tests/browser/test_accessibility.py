"""axe and reflow on every page each role reaches from the navigation; the keyboard journey; and
proof that the checks fail on a real fault.

The journeys' own pages (error states included) are checked inside the journey tests.
"""

import pytest
from playwright.sync_api import Locator, Page, expect

from apprenticeships.factories import PlacementFactory, RecruitmentTargetFactory
from apprenticeships.models import Placement

from .axe import AXE_CORE_VERSION, axe_violations, check_page
from .journeys import sign_in
from .test_hr_journeys import provider, standard  # noqa: F401 - fixtures

MAX_TABS = 80


@pytest.fixture
def some_records(hackney, camden):
    RecruitmentTargetFactory(name="Digital apprentices 2020", boroughs=[hackney, camden])
    PlacementFactory.create_batch(6, borough=hackney)
    PlacementFactory.create_batch(5, borough=camden)


def reachable_from_navigation(page: Page) -> list[str]:
    """The portal's own pages linked from the service navigation and the footer."""
    links = page.locator(
        "nav[aria-label=Menu] a.govuk-service-navigation__link, footer a.govuk-footer__link"
    )
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    # Django's admin is not ours to fix, and external links are not pages of this service.
    return [h for h in dict.fromkeys(hrefs) if h.startswith("/") and not h.startswith("/admin/")]


@pytest.mark.parametrize("role", ["hackney_hr", "loti_analyst", "admin_user"])
def test_every_page_in_the_navigation_passes_axe_and_reflows(page, request, role, some_records):
    print(f"axe-core {AXE_CORE_VERSION}")
    user = request.getfixturevalue(role)
    sign_in(page, user, lands_in_portal=role != "admin_user")
    page.goto("/dashboard/")
    urls = reachable_from_navigation(page)
    assert "/dashboard/" in urls and "/accessibility/" in urls
    for url in urls:
        page.goto(url)
        check_page(page)


def test_the_statement_names_the_axe_core_version_that_ran(page):
    page.goto("/accessibility/")
    expect(page.locator("main")).to_contain_text(f"axe-core {AXE_CORE_VERSION} checks")


def test_the_checks_find_an_image_without_alt_text_and_an_unlabelled_input(page):
    page.goto("/accessibility/")
    assert axe_violations(page) == []
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<img src="/static/nothing.png">');
            main.insertAdjacentHTML("beforeend", '<input type="text" name="unlabelled">');
        }"""
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        check_page(page)


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the target has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} cannot be reached with {key}")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def type_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    for label, value in (("Day", day), ("Month", month), ("Year", year)):
        type_into(page, group.get_by_label(label), str(value))


def test_add_a_recruit_with_the_keyboard_alone(page, hackney_hr, standard, provider):  # noqa: F811
    sign_in(page, hackney_hr)
    tab_to(
        page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Add a recruit")
    )
    page.keyboard.press("Enter")

    type_into(page, page.get_by_label("First name"), "Katherine")
    type_into(page, page.get_by_label("Last name"), "Johnson")
    uln = page.get_by_label("Unique Learner Number (ULN) (optional)")
    type_into(page, uln, "12345")
    type_date(page, "Date of birth", 26, 8, 2002)
    # Back up to the first name to check it, then on to the button.
    tab_to(page, page.get_by_label("First name"), backwards=True)
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    error_link = page.locator(".govuk-error-summary a").first
    expect(error_link).to_be_visible()
    tab_to(page, error_link)
    page.keyboard.press("Enter")
    expect(uln).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("9999999999")
    page.keyboard.press("Enter")  # submits the form, as Enter in a text box does

    tab_to(page, page.get_by_role("button", name="Continue"))  # equality questions: none answered
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_label("Apprenticeship standard"))
    page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_label("Training provider"))
    page.keyboard.press("ArrowDown")
    type_date(page, "Start date", 1, 10, 2024)
    type_date(page, "Planned end date", 1, 4, 2026)
    tab_to(page, page.get_by_label("Yes"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    save = page.get_by_role("button", name="Save recruit")
    tab_to(page, save)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Recruit added")).to_be_visible()

    placement = Placement.objects.get()
    assert placement.apprentice.full_name == "Katherine Johnson"
    assert (placement.standard, placement.provider, placement.pays_london_living_wage) == (
        standard,
        provider,
        True,
    )


@pytest.fixture
def current_records(hackney, camden):
    """Records in every current state and needing action, at two LOTI member boroughs."""
    import datetime

    from apprenticeships.tests.test_views_now import make

    today = datetime.date.today()
    for borough in (hackney, camden):
        borough.is_loti_member = True
        borough.save()
    make(hackney, today, copies=2)
    make(camden, today, copies=1)


NOW_PAGES = {
    "hackney_hr": [
        "/placements/",
        "/placements/current/?state=on_break",
        "/placements/needing-action/",
    ],
    "loti_analyst": ["/dashboard/current/"],
}


@pytest.mark.parametrize("role", NOW_PAGES)
@pytest.mark.parametrize("width", [1280, 320])
def test_the_programme_now_pages_pass_axe_at_1280_and_320(
    new_page, request, role, width, current_records
):
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, request.getfixturevalue(role))
    for url in NOW_PAGES[role]:
        page.goto(url)
        check_page(page)
