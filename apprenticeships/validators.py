"""Identifiers used across the apprenticeship system, checked the way their owners define them."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# The ILR's placeholder while a learner's real ULN is awaited (derived-data rule 01).
TEMPORARY_ULN = "9999999999"

UKPRN_PATTERN = r"^1[0-9]{7}$"
ULN_PATTERN = r"^[0-9]{10}$"
STANDARD_REFERENCE_PATTERN = r"^ST[0-9]{4}$"

validate_ukprn = RegexValidator(
    UKPRN_PATTERN, "Enter a UKPRN of 8 digits starting with 1, like 10012345."
)
validate_standard_reference = RegexValidator(
    STANDARD_REFERENCE_PATTERN, "Enter a standard reference like ST0116: ST and four digits."
)


def uln_check_digit_is_valid(uln: str) -> bool:
    """The ULN's tenth digit is 10 minus (sum of the first nine × 10, 9, …, 2) mod 11."""
    if len(uln) != 10 or not uln.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(uln[:9], range(10, 1, -1), strict=True)) % 11
    return remainder != 0 and int(uln[9]) == 10 - remainder


def validate_uln(value: str) -> None:
    if not value or value == TEMPORARY_ULN:
        return
    if len(value) != 10 or not value.isdigit():
        raise ValidationError("Enter a ULN of 10 digits, like 1234567890.", code="uln_format")
    if not uln_check_digit_is_valid(value):
        raise ValidationError(
            "This ULN is not valid: its last digit does not match. Check it against the "
            "learner's record.",
            code="uln_check_digit",
        )
