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
