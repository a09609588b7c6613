"""UK formats for en-gb, in place of Django's ("25 Oct 2006, 2:30 p.m."): GOV.UK's date style,
and the 24-hour clock where Django's format characters cannot write "6:58pm" (the admin)."""

DATE_FORMAT = "j F Y"  # 3 March 2026
TIME_FORMAT = "H:i"  # 18:58
DATETIME_FORMAT = "j F Y, H:i"  # 3 March 2026, 18:58
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 03/03/2026, for spreadsheets
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Input formats and number formatting: Django's own for en-gb (unset here, so they apply).
