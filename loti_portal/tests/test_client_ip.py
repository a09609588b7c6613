"""client_ip(): X-Forwarded-For is believed only from a trusted proxy (DJANGO_TRUSTED_PROXIES)."""

import os
import re
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.test import RequestFactory

from loti_portal.client_ip import client_ip, parse_networks

BASE_DIR = Path(__file__).resolve().parents[2]


def ip_of(remote_addr: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:1::/64"]


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert ip_of("203.0.113.9", "192.0.2.1") == "203.0.113.9"


def test_a_request_sent_past_the_proxy_cannot_choose_its_address(proxies):
    assert ip_of("203.0.113.9", "192.0.2.1") == "203.0.113.9"
    assert ip_of("203.0.113.9", "10.0.0.5") == "203.0.113.9"


def test_through_the_proxy_the_right_most_untrusted_address_is_the_client(proxies):
    assert ip_of("10.0.0.2", "203.0.113.9") == "203.0.113.9"
    assert ip_of("10.0.0.2", "192.0.2.1, 203.0.113.9") == "203.0.113.9"
    assert ip_of("10.0.0.2", "192.0.2.1, 203.0.113.9, 10.0.0.7") == "203.0.113.9"
    assert ip_of("2001:db8:1::2", "2001:db8:2::9") == "2001:db8:2::9"


def test_ports_and_brackets_as_some_proxies_write_them(proxies):
    assert ip_of("10.0.0.2", "203.0.113.9:51234") == "203.0.113.9"
    assert ip_of("10.0.0.2", "[2001:db8:2::9]:443") == "2001:db8:2::9"


def test_nothing_usable_forwarded_leaves_the_last_trusted_hop(proxies):
    assert ip_of("10.0.0.2") == "10.0.0.2"
    assert ip_of("10.0.0.2", "") == "10.0.0.2"
    assert ip_of("10.0.0.2", "10.0.0.3") == "10.0.0.3"
    assert ip_of("10.0.0.2", "203.0.113.9, not-an-address") == "10.0.0.2"


def test_parse_networks_names_what_it_cannot_read():
    assert [str(n) for n in parse_networks(["10.0.0.2", " 10.1.0.0/16 ", "::1"])] == [
        "10.0.0.2/32",
        "10.1.0.0/16",
        "::1/128",
    ]
    with pytest.raises(ValueError, match=r"'proxy\.internal' is not an IP address or network"):
        parse_networks(["proxy.internal"])


def test_gunicorn_and_env_example_listen_on_this_machine_only():
    """The finding: .env.example suggested binding gunicorn to every interface."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    with mock.patch.dict(os.environ, clean, clear=True):
        config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000"

    example = (BASE_DIR / ".env.example").read_text()
    assert "GUNICORN_BIND=127.0.0.1:8000\n" in example
    assert not re.search(r"(?<![\d.])0\.0\.0\.0\b", example)
    assert "DJANGO_TRUSTED_PROXY_COUNT" not in example
