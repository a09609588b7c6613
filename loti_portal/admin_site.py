"""The admin site, behind a second factor (django-otp TOTP).

Installed as Django's *default* admin site (apps.PortalAdminConfig), so every app's
`admin.site.register(...)` lands on it: no model can reach an admin without the one-time code.
"""

from django_otp.admin import OTPAdminSite


class PortalAdminSite(OTPAdminSite):
    """Admins sign in with email, password and the current code from their authenticator app.

    OTPAdminSite treats a staff user whose session has not passed a TOTP code as not staff, and
    its login form (OTPAdminAuthenticationForm) asks for the code.
    """

    site_header = "London Apprenticeships Portal administration"
    site_title = "Portal admin"
    index_title = "Administration"

    def __init__(self, name: str = "admin") -> None:
        # Keep the instance name "admin" so that reverse("admin:index") works everywhere.
        super().__init__(name)
