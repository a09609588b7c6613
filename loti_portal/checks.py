"""The portal's own `check --deploy` warnings: settings Django cannot judge by itself."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_without_trusted_addresses(app_configs, **kwargs) -> list[Warning]:
    """Behind a TLS proxy (it sets the HTTPS header) but no proxy is trusted for X-Forwarded-For.

    Every request then seems to come from the proxy's address, so the per-address sign-in
    lock-out pauses everyone at once after a few people's mistakes.
    """
    if settings.SECURE_PROXY_SSL_HEADER and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "DJANGO_SECURE_PROXY_SSL_HEADER is set but DJANGO_TRUSTED_PROXIES is empty.",
                hint="List the reverse proxy's addresses in DJANGO_TRUSTED_PROXIES.",
                id="loti_portal.W001",
            )
        ]
    return []


# Backends that write each message, reset links included, where operators and their logs read it.
_PRINTING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "the console",
    "django.core.mail.backends.filebased.EmailBackend": "a file",
}


@register(Tags.security, deploy=True)
def email_printed_not_sent(app_configs, **kwargs) -> list[Warning]:
    """EMAIL_URL names the console or a file: every reset link would be readable in the output.

    Allowed (a deliberate choice, e.g. for a staging copy), but said out loud in production.
    """
    where = _PRINTING_EMAIL_BACKENDS.get(settings.EMAIL_BACKEND)
    if where is None:
        return []
    return [
        Warning(
            f"Email goes to {where}: password-reset links would be written there.",
            hint="Set EMAIL_URL to the mail server, e.g. smtp+tls://user:password@host:587.",
            id="loti_portal.W002",
        )
    ]


@register(Tags.security, deploy=True)
def second_factor_off(app_configs, **kwargs) -> list[Warning]:
    """SECOND_FACTOR_REQUIRED is off: HR users would see people with a password alone."""
    if settings.SECOND_FACTOR_REQUIRED:
        return []
    return [
        Warning(
            "SECOND_FACTOR_REQUIRED is off: borough HR users see personal data after a password.",
            hint="Unset SECOND_FACTOR_REQUIRED (on by default with DEBUG off) or set it to 1.",
            id="loti_portal.W003",
        )
    ]
