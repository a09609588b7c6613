"""The spreadsheet's columns (docs/import.md, "Columns"): one definition that the engine,
the downloadable templates and the guidance sheet all read, so they cannot drift apart."""

from dataclasses import dataclass

from django.db import models

from apprenticeships.choices import (
    ILR_COMP_STATUS,
    BreakReason,
    Disability,
    EthnicGroup,
    Outcome,
    PlannedEndChangeReason,
    Sex,
    Status,
    WithdrawalReason,
)

DATE_FORMAT_HELP = "A date like 31/08/2020 or 2020-08-31 (or a date cell in Excel)."


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, email, uln, ukprn, reference, date, choice
    required: bool
    description: str
    example: str = ""
    choices: type[models.TextChoices] | None = None

    @property
    def format(self) -> str:
        return {
            "text": "Text",
            "email": "An email address",
            "uln": "10 digits (Unique Learner Number); 9999999999 while one is awaited",
            "ukprn": "8 digits starting with 1 (UK Provider Reference Number)",
            "reference": "ST and four digits, like ST0116",
            "date": DATE_FORMAT_HELP,
            "choice": "One of the accepted values (upper or lower case)",
        }[self.kind]

    @property
    def accepted_values(self) -> str:
        if self.choices is None:
            return ""
        words = "; ".join(str(label) for label in self.choices.labels)
        if self.choices is Status:
            codes = ", ".join(f"{code} = {ILR_COMP_STATUS[code].label}" for code in ILR_COMP_STATUS)
            return f"{words}. Or the ILR CompStatus code: {codes}."
        return words


COLUMNS: tuple[Column, ...] = (
    Column("given_name", "text", True, "The apprentice's given (first) name.", "Ada"),
    Column("family_name", "text", True, "The apprentice's family name (surname).", "Lovelace"),
    Column("email", "email", False, "The apprentice's own email address.", "ada@example.org"),
    Column("uln", "uln", False, "Unique Learner Number from the learner record.", "1000000042"),
    Column("date_of_birth", "date", False, "The apprentice's date of birth.", "17/05/2000"),
    Column("job_title", "text", False, "The apprentice's job title.", "Apprentice developer"),
    Column("service_area", "text", False, "The council service they work in.", "ICT"),
    Column("standard_reference", "reference", True, "The apprenticeship standard.", "ST0116"),
    Column("provider_ukprn", "ukprn", True, "The training provider's UKPRN.", "10012345"),
    Column("start_date", "date", True, "The day the apprenticeship started.", "02/09/2019"),
    Column("planned_end_date", "date", True, "The day it is planned to end.", "01/03/2021"),
    Column(
        "status",
        "choice",
        False,
        "Where the apprenticeship stands. Blank: for a new row, Waiting to start if the start "
        "date is in the future and In learning otherwise; unchanged for a row already held.",
        "In learning",
        Status,
    ),
    Column(
        "actual_end_date",
        "date",
        False,
        "Only when completed or withdrawn: the day it ended.",
    ),
    Column(
        "withdrawal_reason",
        "choice",
        False,
        "Only when withdrawn: why.",
        choices=WithdrawalReason,
    ),
    Column("outcome", "choice", False, "Only when completed: the grade.", choices=Outcome),
    Column("sex", "choice", False, "Equality monitoring (optional).", choices=Sex),
    Column("ethnic_group", "choice", False, "Equality monitoring (optional).", choices=EthnicGroup),
    Column("disability", "choice", False, "Equality monitoring (optional).", choices=Disability),
    # Beyond the original template's columns: the changes of circumstance that the web pages
    # keep as records (a break is a period with a start, a reason and a return; a change of
    # planned end date has a reason; a change of provider has a date) need them too.
    Column(
        "break_started_on",
        "date",
        False,
        "Only when on a break in learning: the day the break started.",
    ),
    Column(
        "break_reason",
        "choice",
        False,
        "Only when a break in learning starts: why (blank: Other).",
        choices=BreakReason,
    ),
    Column(
        "returned_on",
        "date",
        False,
        "Only when an apprentice held as on a break is back in learning: the day they returned.",
    ),
    Column(
        "planned_end_change_reason",
        "choice",
        False,
        "Only when the planned end date of a placement already held changes: why.",
        choices=PlannedEndChangeReason,
    ),
    Column(
        "provider_changed_on",
        "date",
        False,
        "Only when the training provider of a placement already held changes: the day it "
        "changed (blank: the day of the import).",
    ),
)

COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
