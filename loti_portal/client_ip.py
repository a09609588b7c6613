"""Who is signing in, from where: the two halves of django-axes' lock-out keys.

X-Forwarded-For is written by whoever sends the request, so it is believed only when the request
comes straight from one of the reverse proxies listed in DJANGO_TRUSTED_PROXIES. Each trusted
proxy appends the address it received the request from; reading from the right, the first address
that is not itself a trusted proxy is the client. Anything further left was written by the client
and is ignored, which is what stops a forged X-Forwarded-For from dodging the lock-out, or from
putting failures on somebody else's address, whether the request came through the proxy or was
sent straight to gunicorn.

(django-ipware counts proxies instead of naming them, which is what let a request sent straight to
gunicorn choose its own address: docs/security.md.)
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Addresses or networks, e.g. `10.0.0.2, 10.1.0.0/16`; raises ValueError naming a bad one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or network") from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _address(text: str) -> Address | None:
    """An address as a proxy writes it: `192.0.2.1`, `192.0.2.1:443`, `2001:db8::1`, `[::1]:80`."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy (see the module doc)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    peer = _address(remote_addr)
    if not _is_trusted(peer, networks):
        return remote_addr
    client = str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed([part for part in forwarded if part.strip()]):
        address = _address(entry)
        if address is None:
            # Not what a proxy writes: the hop before it stays the client.
            break
        client = str(address)
        if not _is_trusted(address, networks):
            break
    return client


def sign_in_name(request: HttpRequest, credentials: dict | None) -> str:
    """The email as typed, normalised as sign-in does, so `A@x` and `a@x ` share one counter."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()
