"""{% load govuk_dates %}: `value|govuk_date` ("3 March 2026") and `value|govuk_datetime`
("3 March 2026 at 6:58pm"), the portal's one date style (loti_portal/dates.py)."""

from django import template

from .. import dates

register = template.Library()
register.filter("govuk_date", dates.govuk_date)
register.filter("govuk_datetime", dates.govuk_datetime)
