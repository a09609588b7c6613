"""Text encodings, tested as the review's file: lines in UTF-8 and in Windows-1252 mixed in one
CSV were imported as "ZoÃ«" without a word. Now such a file is refused naming its rows."""

import pytest

from apprenticeships.imports.engine import check_file
from apprenticeships.imports.reading import FileRejected, read_spreadsheet
from apprenticeships.models import Apprentice

from .helpers import csv_bytes, good_row, mixed_csv

pytestmark = pytest.mark.django_db


def refusal(content: bytes) -> str:
    with pytest.raises(FileRejected) as rejected:
        read_spreadsheet(content, "people.csv")
    return rejected.value.message


def test_utf8_rows_in_a_windows_1252_file_are_refused_naming_them(hackney, reference_data):
    content = mixed_csv({3, 7})
    result = check_file(content=content, file_name="people.csv", borough=hackney)
    assert result.file_error == (
        "Rows 3 and 7 are not in the same text encoding as the rest of the file: save it again "
        "as CSV UTF-8, checking the accented letters in those rows first (they may show "
        'garbled, like "ZoÃ«").'
    )
    assert not result.rows and not Apprentice.objects.exists()


def test_windows_1252_rows_in_a_utf8_file_are_refused_naming_them():
    assert refusal(mixed_csv({3, 7}, main="utf-8", other="cp1252")).startswith(
        "Rows 3 and 7 are not in the same text encoding"
    )


def test_with_a_byte_order_mark_the_file_is_utf8_and_other_rows_are_named_however_many():
    content = b"\xef\xbb\xbf" + mixed_csv({1, 2, 3}, main="cp1252", other="utf-8")
    assert refusal(content).startswith("Rows 4, 5, 6, 7 and 8 are not in the same text encoding")


def test_rows_are_named_as_the_spreadsheet_numbers_them_not_by_line():
    rows = [good_row(1, job_title="Developer\nsecond line"), good_row(2, given_name="Zoë")]
    content = csv_bytes(rows).replace("Zoë".encode(), "Zoë".encode("cp1252"))
    content = content.replace(b"Lovelace", "Lövelace".encode(), 1)  # row 2, one line on
    assert refusal(content).startswith("Row 3 is not in the same text encoding")


def test_many_rows_are_named_ten_then_counted():
    content = mixed_csv(set(range(2, 27)), main="utf-8", other="cp1252", people=60)
    assert refusal(content).startswith(
        "Rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 15 more are not in the same text encoding"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_a_file_in_one_encoding_is_read_whichever_it_is(encoding):
    content = csv_bytes([good_row(1, given_name="Zoë", family_name="O’Brien")], encoding=encoding)
    [row] = read_spreadsheet(content, "people.csv").rows
    assert (row.values["given_name"], row.values["family_name"]) == ("Zoë", "O’Brien")
