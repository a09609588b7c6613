from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


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


def _rename_models(app_config: AppConfig, names: dict[str, tuple[str, str]]) -> None:
    """Give a third-party app's models plain-English names in the admin.

    Only the names in use change: migrations read a model's declared options
    (`_meta.original_attrs`), which stay as the package wrote them, so no migration follows.
    """
    for model_name, (singular, plural) in names.items():
        meta = app_config.get_model(model_name)._meta
        meta.verbose_name = singular
        meta.verbose_name_plural = plural


class SignInLockoutsConfig(AxesAppConfig):
    """django-axes, named for what admins use it for: the admin showed "AXES" and "access logs"."""

    verbose_name = "Sign-in lock-outs"

    def ready(self) -> None:
        super().ready()
        _rename_models(
            self,
            {
                "AccessAttempt": ("failed sign-in count", "failed sign-in counts"),
                "AccessLog": ("sign-in record", "sign-in records"),
                "AccessFailureLog": ("failed sign-in", "failed sign-ins"),
            },
        )


class AuthenticatorAppsConfig(TOTPAppConfig):
    """django-otp's TOTP devices: the admin showed "OTP_TOTP" and "TOTP devices"."""

    verbose_name = "One-time codes"

    def ready(self) -> None:
        super().ready()
        _rename_models(self, {"TOTPDevice": ("authenticator app", "authenticator apps")})
