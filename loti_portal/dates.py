"""The portal's one date style (GOV.UK's): "3 March 2026", and "3 March 2026 at 6:58pm" with a
time. Spreadsheets keep 31/08/2020 where their columns expect it (the import and CSV code)."""

import datetime

from django.utils import timezone


def govuk_date(value: datetime.date | datetime.datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def govuk_time(value: datetime.datetime | datetime.time) -> str:
    """6:58pm, 10am, midday, midnight (GOV.UK style guide, "Times")."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def govuk_datetime(value: datetime.datetime | None) -> str:
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{govuk_date(value)} at {govuk_time(value)}"
