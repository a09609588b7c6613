"""An admin signs in with the one-time code, adds a training provider and deactivates another.

The admin site is Django's, so it is not held to the axe checks; the journey must still work.
"""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from apprenticeships.factories import TrainingProviderFactory
from apprenticeships.models import TrainingProvider
from loti_portal.accounts.factories import TEST_PASSWORD

from .journeys import current_code


def test_admin_adds_a_provider_and_deactivates_another(page, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="Authenticator app", confirmed=True)
    TrainingProviderFactory(name="Old Provider Ltd", ukprn="10000001")

    page.goto("/admin/")
    page.get_by_label("Email address").fill(admin_user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    # One form: email, password and the authenticator's code (loti_portal/admin_site.py).
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()

    page.get_by_role("link", name="Training providers").first.click()
    page.get_by_role("link", name="Add training provider").click()
    page.get_by_label("Name:", exact=True).fill("Newham Tech Academy")
    page.get_by_label("UKPRN").fill("10099999")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.get_by_role("checkbox", name="Select this object for an action - Old Provider Ltd").check()
    page.locator("select[name=action]").select_option(
        label="Deactivate: no new placements (existing ones keep the provider)"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_be_visible()

    assert TrainingProvider.objects.get(ukprn="10099999").is_active
    assert not TrainingProvider.objects.get(ukprn="10000001").is_active
