"""With JavaScript switched off: adding a recruit and reading the dashboard still work."""

from playwright.sync_api import expect

from apprenticeships.models import Placement

from .journeys import add_recruit_with_a_mistake, sign_in
from .test_dashboard_journey import campaign  # noqa: F401 - fixture
from .test_hr_journeys import provider, standard  # noqa: F401 - fixtures


def test_add_a_recruit_without_javascript(new_page, hackney_hr, standard, provider):  # noqa: F811
    page = new_page(java_script_enabled=False)
    sign_in(page, hackney_hr)
    add_recruit_with_a_mistake(page, standard=standard, provider=provider)
    assert Placement.objects.get().apprentice.full_name == "Grace Hopper"


def test_dashboard_without_javascript(new_page, loti_analyst, campaign):  # noqa: F811
    page = new_page(java_script_enabled=False)
    sign_in(page, loti_analyst)
    expect(page.locator("#headline-recruited")).to_contain_text("13 recruited of a target of 100")
    expect(page.locator("#table-boroughs")).to_contain_text("Camden")
    page.get_by_text("Filter the figures").click()  # <details> opens without JavaScript
    page.get_by_label("Camden").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#headline-recruited")).to_contain_text("7 recruited of a target of 100")
