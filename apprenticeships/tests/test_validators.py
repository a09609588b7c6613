import pytest
from django.core.exceptions import ValidationError

from apprenticeships.validators import (
    TEMPORARY_ULN,
    uln_check_digit_is_valid,
    validate_standard_reference,
    validate_ukprn,
    validate_uln,
)


@pytest.mark.parametrize(
    ("uln", "valid"),
    [
        ("1234567899", True),  # 10·1+9·2+…+2·9 = 210; 210 mod 11 = 1; check digit 10-1 = 9
        ("1234567890", False),  # same stem, wrong check digit
        ("12345678999", False),  # too long
        ("12345A7899", False),
    ],
)
def test_uln_check_digit(uln, valid):
    assert uln_check_digit_is_valid(uln) is valid


def test_a_stem_whose_remainder_is_zero_is_never_valid():
    # Find a stem whose weighted sum is divisible by 11: no tenth digit can make it valid.
    stem = next(
        f"{n:09d}"
        for n in range(1, 10_000)
        if sum(int(d) * w for d, w in zip(f"{n:09d}", range(10, 1, -1), strict=True)) % 11 == 0
    )
    assert not any(uln_check_digit_is_valid(stem + str(d)) for d in range(10))


def test_validate_uln_explains_a_wrong_check_digit():
    with pytest.raises(ValidationError, match="last digit does not match"):
        validate_uln("1234567890")


def test_validate_uln_accepts_blank_and_the_temporary_uln():
    validate_uln("")
    validate_uln(TEMPORARY_ULN)


@pytest.mark.parametrize("ukprn", ["10012345", "19999999"])
def test_ukprn_accepts_eight_digits_starting_with_1(ukprn):
    validate_ukprn(ukprn)


@pytest.mark.parametrize("ukprn", ["20012345", "1001234", "100123456", "1001234X"])
def test_ukprn_rejects_anything_else_with_a_clear_message(ukprn):
    with pytest.raises(ValidationError, match="8 digits starting with 1"):
        validate_ukprn(ukprn)


def test_standard_reference_format():
    validate_standard_reference("ST0116")
    with pytest.raises(ValidationError, match="ST0116"):
        validate_standard_reference("0116")
