import datetime

import pytest

from apprenticeships.choices import Status
from apprenticeships.factories import ApprenticeFactory, PlacementFactory, valid_uln
from apprenticeships.imports.engine import ERROR, NEW, UNCHANGED, UPDATE, check_file
from apprenticeships.imports.services import commit_import, record_check
from apprenticeships.models import EqualityMonitoring, LinkRequest, Placement

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def check(content: bytes, borough, name="placements.csv"):
    return check_file(content=content, file_name=name, borough=borough)


def errors_of(result, number):
    row = next(r for r in result.rows if r.number == number)
    return {(e.column, e.message) for e in row.errors}


def test_good_rows_are_new_and_numbered_as_the_spreadsheet_shows(hackney, reference_data):
    result = check(csv_bytes([good_row(1), good_row(2)]), hackney)
    assert result.is_valid
    assert [(r.number, r.outcome) for r in result.rows] == [(2, NEW), (3, NEW)]


def test_every_error_of_a_row_is_listed_with_column_value_and_message(hackney, reference_data):
    row = good_row(2, uln="1234567891", standard_reference="ST0161", planned_end_date="01/09/2019")
    result = check(csv_bytes([good_row(1), row]), hackney)
    assert not result.is_valid
    bad = result.rows[1]
    assert bad.outcome == ERROR and bad.number == 3
    assert {e.column for e in bad.errors} == {"uln", "standard_reference", "planned_end_date"}
    uln_error = next(e for e in bad.errors if e.column == "uln")
    assert uln_error.value == "1234567891"
    assert "last digit does not match" in uln_error.message
    standard_error = next(e for e in bad.errors if e.column == "standard_reference")
    assert "Did you mean ST0116 (Software developer)?" in standard_error.message
    assert ("planned_end_date", "Planned end date must be after the start date.") in errors_of(
        result, 3
    )


def test_a_row_matching_a_placement_held_is_an_update_or_unchanged(hackney, reference_data):
    apprentice = ApprenticeFactory(
        uln=valid_uln(5001),
        email="ada1@example.org",
        given_name="Ada1",
        family_name="Lovelace",
        date_of_birth=datetime.date(2000, 5, 17),
    )
    PlacementFactory(
        apprentice=apprentice,
        borough=hackney,
        standard=reference_data["standard"],
        provider=reference_data["provider"],
        start_date=datetime.date(2019, 9, 2),
        planned_end_date=datetime.date(2021, 3, 1),
        job_title="Apprentice developer",
        service_area="ICT",
    )
    same = check(csv_bytes([good_row(1)]), hackney)
    assert same.rows[0].outcome == UNCHANGED
    moved_on = check(csv_bytes([good_row(1, job_title="Developer")]), hackney)
    assert moved_on.rows[0].outcome == UPDATE
    assert moved_on.rows[0].changes == ["job title"]


def test_status_cannot_go_back_from_completed(hackney, reference_data):
    apprentice = ApprenticeFactory(uln=valid_uln(5001))
    PlacementFactory(
        apprentice=apprentice,
        borough=hackney,
        standard=reference_data["standard"],
        provider=reference_data["provider"],
        start_date=datetime.date(2019, 9, 2),
        status=Status.COMPLETED,
        actual_end_date=datetime.date(2021, 3, 1),
    )
    result = check(
        csv_bytes(
            [
                good_row(
                    1,
                    given_name=apprentice.given_name,
                    family_name=apprentice.family_name,
                    email=apprentice.email,
                )
            ]
        ),
        hackney,
    )
    assert ("status", "This placement is held as completed; it cannot change to in learning.") in (
        errors_of(result, 2)
    )


def test_rows_repeated_in_the_file_are_flagged(hackney, reference_data):
    result = check(csv_bytes([good_row(1), good_row(2), good_row(1)]), hackney)
    assert result.rows[2].outcome == ERROR
    assert any("repeats row 2" in e.message for e in result.rows[2].errors)


def test_a_bad_value_repeated_on_many_rows_is_reported_on_each(hackney, reference_data):
    # The check reads and validates each distinct value once per file: the answer must still
    # reach every row that has it.
    long_title = "x" * 201
    rows = [
        good_row(n, start_date="31/02/2020" if n % 2 else "02/09/2019", job_title=long_title)
        for n in range(1, 5)
    ]
    result = check(csv_bytes(rows), hackney)
    assert [r.outcome for r in result.rows] == [ERROR] * 4
    for number in (2, 3, 4, 5):
        assert "job_title" in {column for column, _ in errors_of(result, number)}
    assert [r.has_error_in("start_date") for r in result.rows] == [True, False, True, False]


class TestAnotherBoroughsPeople:
    """Found in review: an import could rewrite, then open, another borough's apprentice."""

    @pytest.fixture
    def camden_person(self, camden, reference_data):
        person = ApprenticeFactory(
            given_name="Victim",
            family_name="Camden",
            email="victim@example.org",
            uln="1234567899",
            date_of_birth=datetime.date(2001, 5, 5),
        )
        PlacementFactory(apprentice=person, borough=camden)
        EqualityMonitoring.objects.create(apprentice=person, sex="female")
        return person

    def check(self, hackney, **changes):
        return check(csv_bytes([good_row(1, **changes)]), hackney)

    def test_the_answer_never_depends_on_whether_their_details_match(self, hackney, camden_person):
        """The identity oracle of the security review: 1,825 rows of one ULN with every date of
        birth gave "New" for the right one and an error for every other. Now every row gets the
        answer anyone new gets, whether the name and date of birth are theirs or not."""
        matching = dict(given_name="Victim", family_name="Camden", date_of_birth="05/05/2001")
        answers = []
        for details in (matching, {**matching, "date_of_birth": "06/05/2001"}, {}):
            result = self.check(hackney, uln=camden_person.uln, **details)
            row = result.rows[0]
            answers.append((result.is_valid, row.outcome, row.errors, row.changes))
        assert answers == [(True, NEW, [], [])] * 3

    def test_saving_asks_an_administrator_and_changes_nothing_of_theirs(
        self, hackney, camden_person, hackney_hr
    ):
        content = csv_bytes(
            [
                good_row(
                    1,
                    uln=camden_person.uln,
                    given_name="victim",
                    family_name="CAMDEN",
                    date_of_birth="05/05/2001",
                    email="attacker@example.org",
                    sex="male",
                )
            ]
        )
        result = check(content, hackney)
        run = record_check(
            user=hackney_hr, borough=hackney, file_name="x.csv", content=content, result=result
        )
        commit_import(user=hackney_hr, run=run)
        camden_person.refresh_from_db()
        assert (camden_person.given_name, camden_person.email) == ("Victim", "victim@example.org")
        assert camden_person.equality_monitoring.sex == "female"
        assert not camden_person.placements.filter(borough=hackney).exists()
        # Hackney's placement is on a person of its own, as entered, until an admin decides.
        entered = Placement.objects.get(borough=hackney).apprentice
        assert (entered.uln, entered.link_pending, entered.email) == (
            camden_person.uln,
            True,
            "attacker@example.org",
        )
        request = LinkRequest.objects.get()
        assert (request.provisional, request.held, request.matched_on) == (
            entered,
            camden_person,
            "ULN",
        )
        assert request.requested_by == hackney_hr and request.borough == hackney
        # The same file again changes nothing and asks nothing more.
        again = check(content, hackney)
        assert [row.outcome for row in again.rows] == [UNCHANGED]

    def test_name_and_birth_date_alone_never_join_two_boroughs_records(
        self, hackney, camden_person
    ):
        result = self.check(
            hackney,
            uln="",
            email="someone.else@example.org",
            given_name="Victim",
            family_name="Camden",
            date_of_birth="05/05/2001",
        )
        assert result.is_valid
        assert result.rows[0].outcome == NEW
        assert result.rows[0].person.apprentice.pk is None  # a new person, not the held one
