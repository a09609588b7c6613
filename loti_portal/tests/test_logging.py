"""One access-log line per request, in UTC, with a request id and user id and no personal data."""

import io
import logging
import re

import pytest

from loti_portal.accounts.factories import TEST_PASSWORD
from loti_portal.logging import UTCFormatter

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) INFO loti_portal\.access "
    r"request_id=(?P<request_id>[0-9a-f]{32}) user_id=(?P<user_id>\S+) method=(?P<method>\S+) "
    r"path=(?P<path>\S+) status=(?P<status>\d{3}) duration_ms=\d+\.\d$"
)


@pytest.fixture
def log_output():
    """What the portal's loggers write, formatted as on stdout."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(UTCFormatter())
    logger = logging.getLogger("loti_portal")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def access_lines(stream) -> list[re.Match]:
    lines = [line for line in stream.getvalue().splitlines() if "loti_portal.access" in line]
    return [LINE.match(line) for line in lines]


def test_one_line_per_request_with_its_id_and_no_query_string(client, log_output):
    response = client.get("/healthz?email=jo.bloggs@example.org&name=Jo+Bloggs")

    [line] = access_lines(log_output)
    assert line is not None, log_output.getvalue()
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == "200"
    assert line["user_id"] == "-"
    assert line["request_id"] == response["X-Request-ID"]
    assert "jo.bloggs" not in log_output.getvalue()
    assert "Bloggs" not in log_output.getvalue()


def test_signed_in_requests_carry_the_user_id_not_the_email(client, hackney_hr, log_output):
    client.force_login(hackney_hr)

    client.get("/")

    [line] = access_lines(log_output)
    assert line["user_id"] == str(hackney_hr.pk)
    assert line["status"] == "302"
    assert hackney_hr.email not in log_output.getvalue()


def test_sign_in_attempts_are_logged_without_email_or_password(client, hackney_hr, log_output):
    client.post("/accounts/login/", {"username": hackney_hr.email, "password": "not my password"})
    client.post("/accounts/login/", {"username": hackney_hr.email, "password": TEST_PASSWORD})

    output = log_output.getvalue()
    assert "event=sign_in_failed" in output
    assert "event=sign_in request_id=" in output
    assert f"user_id={hackney_hr.pk}" in output
    assert hackney_hr.email not in output
    assert "not my password" not in output
    assert TEST_PASSWORD not in output


def test_a_proxys_request_id_is_kept_but_a_forged_one_is_not(client, log_output):
    kept = client.get("/healthz", headers={"x-request-id": "lb-0123456789abcdef"})
    forged = client.get("/healthz", headers={"x-request-id": "x\nFAKE LOG LINE status=200"})

    assert kept["X-Request-ID"] == "lb-0123456789abcdef"
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
    assert "FAKE LOG LINE" not in log_output.getvalue()


def test_timestamps_are_utc_whatever_the_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    record = logging.LogRecord("loti_portal", logging.INFO, __file__, 1, "x", None, None)
    record.created = 1_593_561_600.25  # 2020-07-01T00:00:00.250Z, 01:00 in London (BST)
    record.msecs = 250

    assert UTCFormatter().format(record).startswith("2020-07-01T00:00:00.250Z INFO loti_portal x")
