"""The portal's one date style: "3 March 2026" and "3 March 2026 at 6:58pm" (GOV.UK)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from loti_portal.dates import govuk_date, govuk_datetime

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime.datetime(2026, 3, 3, 18, 58, tzinfo=LONDON), "3 March 2026 at 6:58pm"),
        (datetime.datetime(2026, 3, 3, 10, 0, tzinfo=LONDON), "3 March 2026 at 10am"),
        (datetime.datetime(2026, 3, 3, 12, 0, tzinfo=LONDON), "3 March 2026 at midday"),
        (datetime.datetime(2026, 3, 3, 0, 0, tzinfo=LONDON), "3 March 2026 at midnight"),
        # Stored in UTC, shown in London time (summer time here).
        (datetime.datetime(2026, 7, 1, 17, 5, tzinfo=datetime.UTC), "1 July 2026 at 6:05pm"),
    ],
)
def test_govuk_datetime(when, expected):
    assert govuk_datetime(when) == expected


def test_govuk_date_and_the_template_filters():
    assert govuk_date(datetime.date(2026, 3, 3)) == "3 March 2026"
    assert govuk_date(None) == ""
    rendered = Template("{% load govuk_dates %}{{ d|govuk_date }} / {{ t|govuk_datetime }}").render(
        Context({"d": datetime.date(2020, 8, 31), "t": datetime.datetime(2026, 12, 1, 18, 58)})
    )
    assert rendered == "31 August 2020 / 1 December 2026 at 6:58pm"
