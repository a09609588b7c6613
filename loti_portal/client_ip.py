"""Who is signing in, from where: the two halves of django-axes' lock-out key.

django-ipware counts proxies as entries *inside* X-Forwarded-For and, in strict mode, returns no
address at all for the usual one-proxy layout (nginx or a cloud load balancer appends the address
it received the request from). So the rule is stated here, where it can be read and tested: each
trusted proxy appends exactly one entry, so the client is that many entries from the right.
Anything further left was written by the client and is ignored, which is what stops a spoofed
X-Forwarded-For from either dodging the lock or locking somebody else out.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, given DJANGO_TRUSTED_PROXY_COUNT proxies in front of the portal."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Not through the proxy (a direct probe): the peer itself is the client.
        return remote_addr
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def sign_in_name(request: HttpRequest, credentials: dict | None) -> str:
    """The email as typed, normalised as sign-in does, so `A@x` and `a@x ` share one counter."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()
