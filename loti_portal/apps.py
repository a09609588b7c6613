from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the OTP-protected site (admin_site.py) as its default site.

    Lives here, not in admin_site.py, because an app config's module must not import models.
    """

    default_site = "loti_portal.admin_site.PortalAdminSite"


class PortalConfig(AppConfig):
    name = "loti_portal"
    verbose_name = "London Apprenticeships Portal"

    def ready(self) -> None:
        # Connects the sign-in event receivers (one log line per attempt, without the email),
        # and registers the portal's own deploy checks.
        from . import checks, logging  # noqa: F401
