"""Reading one cell's value as the type its column needs, with a plain-English message if not.

Rules about the record itself (ULN check digit, dates in order, ...) are not repeated here: the
engine hands the typed values to the models' own `full_clean()`.
"""

import datetime
import functools
import re

from django.db import models

from apprenticeships.choices import ILR_COMP_STATUS, Status

from .columns import COLUMNS_BY_NAME, Column

EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers from 1927 to 2119: wide enough for any birth or start date, narrow enough
# that a stray number is not mistaken for a date.
EXCEL_SERIAL_RANGE = (10_000, 80_000)


class CellInvalid(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def as_text(value: object) -> str:
    """A cell as trimmed text; whole numbers from Excel lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def parse_date(value: object) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    return _parse_text_date(str(value).strip())


DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@functools.lru_cache(maxsize=4096)  # a file repeats the same few hundred dates many times
def _parse_text_date(text: str) -> datetime.date:
    text = re.sub(r"[ T]00:00(:00)?$", "", text)  # Excel's text export adds midnight
    for pattern, order in ((DAY_FIRST, (2, 1, 0)), (ISO, (0, 1, 2))):
        match = pattern.fullmatch(text)
        if match:
            parts = match.groups()
            try:
                return datetime.date(*(int(parts[i]) for i in order))
            except ValueError:
                raise CellInvalid(
                    "This date does not exist. Enter a real date like 31/08/2020."
                ) from None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text))
    raise CellInvalid("Enter a real date like 31/08/2020 or 2020-08-31.")


def _from_serial(number: float) -> datetime.date:
    low, high = EXCEL_SERIAL_RANGE
    if not (low <= number <= high):
        raise CellInvalid("Enter a real date like 31/08/2020 or 2020-08-31, not a number.")
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def parse_digits(value: object, what: str) -> str:
    """ULNs and UKPRNs: digits only, tolerating spaces and Excel's number cells."""
    text = as_text(value)
    if re.fullmatch(r"\d(\.\d+)?E\+\d+", text, flags=re.IGNORECASE):
        raise CellInvalid(
            f"Excel has turned this {what} into a rounded number. Format the column as Text "
            "and type the number again."
        )
    return re.sub(r"\s+", "", text)


def parse_choice(value: object, choices: type[models.TextChoices]) -> str:
    """Our value ('in_learning') or its label ('In learning'), any case; status also ILR codes."""
    text = as_text(value)
    if not text:
        return ""
    wanted = re.sub(r"\s+", " ", text).casefold()
    found = _choice_lookup(choices).get(wanted)
    if found is not None:
        return found
    accepted = ", ".join(str(label) for label in choices.labels)
    codes = " (or the ILR code 1, 2, 3 or 6)" if choices is Status else ""
    raise CellInvalid(f"Use one of: {accepted}{codes}.")


@functools.cache
def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Each accepted spelling, case-folded, to our stored value."""
    lookup = {}
    for choice_value, label in choices.choices:
        lookup[choice_value.casefold()] = choice_value
        lookup[str(label).casefold()] = choice_value
    if choices is Status:
        lookup.update({code: status.value for code, status in ILR_COMP_STATUS.items()})
    return lookup


def parse_cell(column: Column, value: object) -> object:
    """The typed value of one cell, or CellInvalid with what is wrong."""
    if column.kind == "date":
        return parse_date(value)
    if column.kind == "choice":
        return parse_choice(value, column.choices)
    if column.kind == "uln":
        return parse_digits(value, "ULN")
    if column.kind == "ukprn":
        return parse_digits(value, "UKPRN")
    if column.kind == "reference":
        return re.sub(r"\s+", "", as_text(value)).upper()
    if column.kind == "email":
        return as_text(value).lower()
    return as_text(value)


REQUIRED_MESSAGES = {
    "given_name": "Enter the apprentice's given name.",
    "family_name": "Enter the apprentice's family name.",
    "standard_reference": "Enter the standard's reference, like ST0116.",
    "provider_ukprn": "Enter the training provider's UKPRN, like 10012345.",
    "start_date": "Enter the start date.",
    "planned_end_date": "Enter the planned end date.",
}


def parse_row(
    values: dict[str, object], memo: dict | None = None
) -> tuple[dict[str, object], dict[str, str]]:
    """Every column's typed value, and a message for each column that could not be read.

    `memo`, shared by the rows of one file, keeps each column's reading of each cell value: a
    file repeats the same dates, titles, standards and statuses on thousands of rows.
    """
    memo = {} if memo is None else memo
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, column in COLUMNS_BY_NAME.items():
        raw = values.get(name)
        key = (name, type(raw), raw)
        outcome = memo.get(key)
        if outcome is None:
            try:
                outcome = memo[key] = (parse_cell(column, raw), "")
            except CellInvalid as invalid:
                outcome = memo[key] = (None, invalid.message)
        parsed[name], message = outcome
        if message:
            errors[name] = message
        elif column.required and parsed[name] in (None, ""):
            errors[name] = REQUIRED_MESSAGES[name]
    return parsed, errors
