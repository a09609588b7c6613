"""The admin site, behind a second factor (django-otp TOTP).

Installed as Django's *default* admin site (apps.PortalAdminConfig), so every app's
`admin.site.register(...)` lands on it: no model can reach an admin without the one-time code.
"""

from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice


class AdminSignInForm(OTPAdminAuthenticationForm):
    """Email, password and the authenticator's code: nothing else to choose.

    Admins have one TOTP device each, and a code is checked against the user's own devices when
    none is chosen, so django-otp's device list and "challenge" button (for devices that send a
    code, which we do not use) would only confuse.
    """

    otp_device = None
    otp_challenge = None
    # django-otp's own words ("Invalid token", "OTP token") in the portal's.
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Enter the 6-digit code from your authenticator app",
        "invalid_token": "The code is wrong or has expired: enter the code your app shows now",
    }

    def _chosen_device(self, user):
        # django-otp wants the device named; an admin's only device is their TOTP app.
        return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = "Code from your authenticator app"
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )


class PortalAdminSite(OTPAdminSite):
    """Admins sign in with email, password and the current code from their authenticator app.

    OTPAdminSite treats a staff user whose session has not passed a TOTP code as not staff, and
    its login form (OTPAdminAuthenticationForm) asks for the code.
    """

    login_form = AdminSignInForm
    login_template = "admin/portal_login.html"
    site_header = "London Apprenticeships Portal administration"
    site_title = "Portal admin"
    index_title = "Administration"

    def __init__(self, name: str = "admin") -> None:
        # Keep the instance name "admin" so that reverse("admin:index") works everywhere.
        super().__init__(name)
