"""The import engine shared by the HR upload page, the admin import page and `import_placements`.

`check_file()` reads a file and says, for every row, whether it is new, an update, unchanged or in
error (every error of the row, with the column, the value and what is wrong). It writes nothing:
`services.commit_import()` runs it again on the same bytes and writes only when no row has an
error. Existing records are looked up with a few bulk `IN` queries, never a query per row.
"""

import datetime
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.db.models.base import ModelState

from apprenticeships import linking, rules
from apprenticeships.choices import ENDED_STATUSES, BreakReason, PlannedEndChangeReason, Status
from apprenticeships.models import (
    Apprentice,
    BreakInLearning,
    EqualityMonitoring,
    Placement,
    Standard,
    TrainingProvider,
)
from apprenticeships.services import planned_end_change, provider_change
from apprenticeships.validators import TEMPORARY_ULN
from boroughs.models import Borough

from .cleaning import RememberingClean
from .columns import COLUMNS_BY_NAME
from .reading import FileRejected, read_spreadsheet
from .validation import as_text, parse_row

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
OUTCOME_LABELS = {NEW: "New", UPDATE: "Update", UNCHANGED: "Unchanged", ERROR: "Error"}
APPRENTICE_FIELDS = ("given_name", "family_name", "email", "uln", "date_of_birth")
# A blank in these columns keeps what is held: a shorter spreadsheet must not erase a ULN.
KEEP_WHEN_BLANK = frozenset({"email", "uln", "date_of_birth", "sex", "ethnic_group", "disability"})
PLACEMENT_FIELDS = (
    "standard",
    "provider",
    "job_title",
    "service_area",
    "start_date",
    "planned_end_date",
    "status",
    "actual_end_date",
    "withdrawal_reason",
    "outcome",
)
EQUALITY_FIELDS = ("sex", "ethnic_group", "disability")
PERSON_LABELS = {
    "given_name": "given name",
    "family_name": "family name",
    "email": "email address",
    "uln": "ULN",
    "date_of_birth": "date of birth",
}
FIELD_COLUMNS = {
    "standard": "standard_reference",
    "provider": "provider_ukprn",
    # The changes of circumstance's own fields (services.py, rules.break_errors).
    "started_on": "break_started_on",
    "planned_end_reason": "planned_end_change_reason",
    NON_FIELD_ERRORS: "",
}
FK_FIELDS = ["apprentice", "borough", "standard", "provider"]
CHUNK = 1000


@dataclass
class RowError:
    column: str
    value: str
    message: str


@dataclass
class Person:
    """One apprentice as the file describes them, shared by all their rows."""

    apprentice: Apprentice
    first_row: int
    values: dict[str, object]
    changed: list[str] = field(default_factory=list)
    equality_values: dict[str, str] = field(default_factory=dict)
    equality: EqualityMonitoring | None = None
    equality_changed: bool = False
    # Another borough's person with the same ULN or email, and which: an administrator is asked
    # to link them when the file is saved (linking.py).
    link: tuple[Apprentice, str] | None = None


@dataclass
class RowResult:
    number: int
    values: dict[str, object]
    parsed: dict[str, object] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    outcome: str = ""
    changes: list[str] = field(default_factory=list)
    person: Person | None = None
    placement: Placement | None = None
    placement_changed: list[str] = field(default_factory=list)
    # Changes of circumstance the row records (unsaved): a break begun, changes of provider and
    # of planned end date; and the held open break it ends, with its return date set.
    events: list = field(default_factory=list)
    closed_break: BreakInLearning | None = None

    def add_error(self, column: str, message: str) -> None:
        if any(e.column == column and e.message == message for e in self.errors):
            return
        value = as_text(self.values.get(column)) if column else ""
        self.errors.append(RowError(column=column, value=value, message=message))

    def has_error_in(self, column: str) -> bool:
        return any(e.column == column for e in self.errors)

    @property
    def summary(self) -> str:
        p = self.parsed
        name = f"{p.get('given_name') or ''} {p.get('family_name') or ''}".strip()
        start = p.get("start_date")
        when = f" from {start:%d/%m/%Y}" if isinstance(start, datetime.date) else ""
        return f"{name or 'No name'}, {p.get('standard_reference') or 'no standard'}{when}"


@dataclass
class CheckResult:
    file_name: str
    rows: list[RowResult] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    file_error: str = ""
    people: list[Person] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def is_valid(self) -> bool:
        return not self.file_error and bool(self.rows) and self.count(ERROR) == 0

    def report(self) -> dict:
        """What the preview shows, as JSON that the ImportRun keeps."""
        return {
            "file_error": self.file_error,
            "unknown_columns": self.unknown_columns,
            "rows": [
                {
                    "number": row.number,
                    "outcome": row.outcome,
                    "summary": row.summary,
                    "changes": row.changes,
                    "errors": [vars(error) for error in row.errors],
                }
                for row in self.rows
            ],
        }


def check_file(*, content: bytes, file_name: str, borough: Borough) -> CheckResult:
    """Read and check a whole file for one borough. Never raises for anything in the file."""
    try:
        sheet = read_spreadsheet(content, file_name)
    except FileRejected as rejected:
        return CheckResult(file_name=file_name, file_error=rejected.message)
    result = CheckResult(file_name=file_name, unknown_columns=sheet.unknown_columns)
    memo: dict = {}
    for raw in sheet.rows:
        row = RowResult(number=raw.number, values=raw.values)
        row.parsed, errors = parse_row(raw.values, memo)
        for column, message in errors.items():
            row.add_error(column, message)
        result.rows.append(row)
    checker = _Checker(borough, result.rows)
    checker.run()
    result.people = checker.people
    return result


def _in_chunks(queryset, lookup: str, values: Iterable) -> list:
    values = sorted(set(values))
    found: list = []
    for start in range(0, len(values), CHUNK):
        found.extend(queryset.filter(**{lookup: values[start : start + CHUNK]}))
    return found


def _name_key(given: object, family: object, born: object) -> tuple:
    return (str(given or "").casefold(), str(family or "").casefold(), born)


def _is_real_uln(uln: object) -> bool:
    return bool(uln) and uln != TEMPORARY_ULN


def _copy_of(instance: Model) -> Model:
    """A shallow copy of a model instance, as `copy.copy` makes it, at a third of the cost.

    `copy.copy` goes through pickling's `__reduce_ex__` and `Model.__getstate__`; a check builds
    two copies per row, so that machinery was a tenth of a 10,000-row check. The instance's
    values and related-object cache are copied; nothing is shared that a change could leak
    through (related objects themselves are shared, as with `copy.copy`).
    """
    clone = object.__new__(type(instance))
    clone.__dict__ = instance.__dict__.copy()
    state = clone._state = ModelState()
    state.db, state.adding = instance._state.db, instance._state.adding
    state.fields_cache = dict(instance._state.fields_cache)
    return clone


class _Checker:
    """One pass over the rows with every lookup loaded up front."""

    def __init__(self, borough: Borough, rows: list[RowResult]):
        self.borough = borough
        self.rows = rows
        self.people: list[Person] = []
        self.new_people: dict[tuple, Person] = {}
        self.seen_people: dict[int, Person] = {}
        self.seen_placements: dict[tuple, int] = {}
        self.full_clean = RememberingClean()
        # New records start as copies of these, which costs half of building each one (the
        # borough goes through its descriptor only once); no default here is a callable that
        # must differ per record.
        self.blank_apprentice = Apprentice(is_demo=False)
        self.blank_placement = Placement(borough=borough)
        self.today = datetime.date.today()

    def run(self) -> None:
        self._load_reference_data()
        self._load_apprentices()
        for row in self.rows:
            self._match_person(row)
        self._load_placements()
        for row in self.rows:
            if row.person is not None:
                self._build_placement(row)
            self._decide(row)

    # Loading -------------------------------------------------------------------------------

    def _values(self, column: str) -> set:
        return {row.parsed[column] for row in self.rows if row.parsed.get(column)}

    def _load_reference_data(self) -> None:
        refs = self._values("standard_reference")
        self.standards = {
            s.reference: s for s in _in_chunks(Standard.objects, "reference__in", refs)
        }
        ukprns = self._values("provider_ukprn")
        self.providers = {
            p.ukprn: p for p in _in_chunks(TrainingProvider.objects, "ukprn__in", ukprns)
        }
        self.all_references = None  # loaded only if a reference is unknown, for suggestions

    def _load_apprentices(self) -> None:
        """Everyone the file may name, split into this borough's people and other boroughs'.

        Only this borough's people are matched and compared; another borough's person is
        found only to ask an administrator to link them (apprenticeships/linking.py), never to
        tell the officer anything about them.
        """
        ulns = {u for u in self._values("uln") if _is_real_uln(u)}
        by_uln = _in_chunks(Apprentice.objects, "uln__in", ulns)
        emails = sorted(self._values("email"))
        by_email = [
            a
            for start in range(0, len(emails), CHUNK)
            for a in Apprentice.objects.with_emails(emails[start : start + CHUNK])
        ]
        born = self._values("date_of_birth") - {None}
        by_birth = _in_chunks(Apprentice.objects, "date_of_birth__in", born) if born else []
        everyone = {a.pk: a for a in [*by_uln, *by_email, *by_birth]}
        # People this borough already holds; anyone else is another borough's.
        self.local_ids = set(
            _in_chunks(
                Placement.objects.filter(borough=self.borough).values_list(
                    "apprentice_id", flat=True
                ),
                "apprentice_id__in",
                everyone,
            )
        )
        local = [a for a in everyone.values() if a.pk in self.local_ids]
        elsewhere = [
            a for a in everyone.values() if a.pk not in self.local_ids and not a.link_pending
        ]
        self.by_uln = {a.uln: a for a in local if _is_real_uln(a.uln)}
        self.by_email = {a.email.lower(): a for a in local if a.email}
        self.by_name: dict[tuple, list[Apprentice]] = {}
        for apprentice in local:
            key = _name_key(apprentice.given_name, apprentice.family_name, apprentice.date_of_birth)
            self.by_name.setdefault(key, []).append(apprentice)
        self.uln_elsewhere = {a.uln: a for a in elsewhere if _is_real_uln(a.uln)}
        self.email_elsewhere = {a.email.lower(): a for a in elsewhere if a.email}

    def _load_placements(self) -> None:
        ids = [p.apprentice.pk for p in self.people if p.apprentice.pk]
        placements = _in_chunks(
            Placement.objects.filter(borough=self.borough), "apprentice_id__in", ids
        )
        self.placements = {(p.apprentice_id, p.standard_id, p.start_date): p for p in placements}
        on_a_break = [p.pk for p in placements if p.status == Status.BREAK_IN_LEARNING]
        self.open_breaks = {
            b.placement_id: b
            for b in _in_chunks(
                BreakInLearning.objects.filter(returned_on__isnull=True),
                "placement_id__in",
                on_a_break,
            )
        }
        monitoring = _in_chunks(EqualityMonitoring.objects, "apprentice_id__in", ids)
        self.equality = {e.apprentice_id: e for e in monitoring}
        for person in self.people:
            self._apply_equality(person)

    # People ---------------------------------------------------------------------------------

    def _find_held(self, row: RowResult) -> Apprentice | None:
        p = row.parsed
        if _is_real_uln(p["uln"]) and p["uln"] in self.by_uln:
            return self.by_uln[p["uln"]]
        held = None
        if p["email"] and p["email"] in self.by_email:
            held = self.by_email[p["email"]]
        elif p["date_of_birth"]:
            matches = self.by_name.get(
                _name_key(p["given_name"], p["family_name"], p["date_of_birth"])
            )
            if matches and len(matches) > 1:
                row.add_error(
                    "",
                    "More than one apprentice held has this name and date of birth. Add the "
                    "apprentice's ULN or email so the right one is updated.",
                )
                return None
            held = matches[0] if matches else None
        if held and _is_real_uln(p["uln"]) and _is_real_uln(held.uln):
            row.add_error(
                "uln",
                "The apprentice held with this email or name and date of birth has a different "
                "ULN. Check the ULN and the email.",
            )
            return None
        return held

    def _find_new(self, row: RowResult) -> Person | None:
        p = row.parsed
        keys = []
        if _is_real_uln(p["uln"]):
            keys.append(("uln", p["uln"]))
        if p["email"]:
            keys.append(("email", p["email"]))
        if p["date_of_birth"]:
            keys.append(("name", *_name_key(p["given_name"], p["family_name"], p["date_of_birth"])))
        return next((self.new_people[k] for k in keys if k in self.new_people), None)

    def _match_person(self, row: RowResult) -> None:
        if row.has_error_in("given_name") or row.has_error_in("family_name"):
            return
        held = self._find_held(row)
        if row.has_error_in("") or row.has_error_in("uln"):
            return
        person = self.seen_people.get(held.pk) if held else self._find_new(row)
        if person is None:
            person = self._new_person(row, held)
        else:
            self._check_same_person(row, person)
        row.person = person

    def _held_elsewhere(self, apprentice: Apprentice) -> tuple[Apprentice, str] | None:
        """Another borough's person with this ULN, else this email (linking.holders' order)."""
        other = self.uln_elsewhere.get(apprentice.uln) if _is_real_uln(apprentice.uln) else None
        if other is not None:
            return other, linking.ULN
        other = self.email_elsewhere.get(apprentice.email) if apprentice.email else None
        return (other, linking.EMAIL) if other is not None else None

    def _new_person(self, row: RowResult, held: Apprentice | None) -> Person:
        apprentice = _copy_of(held or self.blank_apprentice)
        values = {name: row.parsed[name] for name in APPRENTICE_FIELDS}
        person = Person(apprentice=apprentice, first_row=row.number, values=values)
        person.equality_values = {name: row.parsed[name] or "" for name in EQUALITY_FIELDS}
        for name, value in values.items():
            if value in (None, "") and name in KEEP_WHEN_BLANK:
                continue
            if getattr(apprentice, name) != value:
                setattr(apprentice, name, value if value is not None else None)
                person.changed.append(name)
        if not apprentice.link_pending:
            # The same answer as for anyone new: the officer is never told (linking.py).
            person.link = self._held_elsewhere(apprentice)
            if person.link is not None:
                apprentice.link_pending = True
                if held is not None:
                    person.changed.append("link_pending")
        self._clean(row, apprentice, exclude=[])
        if held:
            self.seen_people[held.pk] = person
        else:
            for key in self._person_keys(row):
                self.new_people.setdefault(key, person)
        self._check_unique_identifiers(row, apprentice)
        self.people.append(person)
        return person

    def _person_keys(self, row: RowResult) -> list[tuple]:
        p = row.parsed
        keys = [("uln", p["uln"])] if _is_real_uln(p["uln"]) else []
        if p["email"]:
            keys.append(("email", p["email"]))
        if p["date_of_birth"]:
            keys.append(("name", *_name_key(p["given_name"], p["family_name"], p["date_of_birth"])))
        return keys

    def _check_unique_identifiers(self, row: RowResult, apprentice: Apprentice) -> None:
        other = self.by_email.get(apprentice.email) if apprentice.email else None
        if other and other.pk != apprentice.pk:
            row.add_error("email", "This email address belongs to another apprentice held.")

    def _check_same_person(self, row: RowResult, person: Person) -> None:
        for name in APPRENTICE_FIELDS:
            value, first = row.parsed[name], person.values[name]
            if value in (None, "") and name in KEEP_WHEN_BLANK:
                continue
            if first not in (None, "") and value != first:
                label = PERSON_LABELS[name]
                row.add_error(
                    name,
                    f"Row {person.first_row} is the same apprentice with a different {label}. "
                    "Make them match.",
                )

    def _apply_equality(self, person: Person) -> None:
        values = person.equality_values
        held = self.equality.get(person.apprentice.pk) if person.apprentice.pk else None
        if held is None and not any(values.values()):
            return
        record = _copy_of(held) if held else EqualityMonitoring()
        for name, value in values.items():
            if value and getattr(record, name) != value:
                setattr(record, name, value)
                person.equality_changed = True
        person.equality = record

    # Placements -----------------------------------------------------------------------------

    def _build_placement(self, row: RowResult) -> None:
        p = row.parsed
        standard = self.standards.get(p["standard_reference"])
        provider = self.providers.get(p["provider_ukprn"])
        self._check_references(row, standard, provider)
        person = row.person
        key = (id(person), p["standard_reference"], p["start_date"])
        if p["standard_reference"] and p["start_date"]:
            if key in self.seen_placements:
                row.add_error(
                    "",
                    f"This row repeats row {self.seen_placements[key]}: the same apprentice, "
                    "standard and start date. Remove one of them.",
                )
                return
            self.seen_placements[key] = row.number
        held = None
        if person.apprentice.pk and standard:
            held = self.placements.get((person.apprentice.pk, standard.pk, p["start_date"]))
        placement = _copy_of(held or self.blank_placement)
        placement.apprentice = person.apprentice
        values = dict(p)
        values["standard"], values["provider"] = standard, provider
        if not values["status"]:
            values["status"] = held.status if held else self._initial_status(p["start_date"])
        for name in PLACEMENT_FIELDS:
            value = values[name]
            if name in ("standard", "provider"):
                # Compared by id: reading held.standard would cost a query per row.
                if value is not None and (held is None or getattr(held, f"{name}_id") != value.pk):
                    setattr(placement, name, value)
                    if held:
                        row.placement_changed.append(name)
                continue
            value = "" if value is None and name in ("job_title", "service_area") else value
            if held is None or getattr(placement, name) != value:
                setattr(placement, name, value)
                if held:
                    row.placement_changed.append(name)
        self._clean(row, placement, exclude=FK_FIELDS)
        if not row.errors:
            self._circumstances(row, held, placement)
        row.placement = placement

    def _initial_status(self, start: object) -> str:
        if isinstance(start, datetime.date):
            return rules.initial_status(start, self.today)
        return Status.IN_LEARNING  # no start date: the row is refused for that anyway

    def _circumstances(self, row: RowResult, held: Placement | None, placement: Placement) -> None:
        """The changes of circumstance the row makes, kept as records as the web pages keep them."""
        p = row.parsed
        on_break = placement.status == Status.BREAK_IN_LEARNING
        if p["break_started_on"] and not on_break:
            row.add_error(
                "break_started_on", "Only an apprenticeship on a break has a break start date."
            )
        if on_break and (held is None or held.status != Status.BREAK_IN_LEARNING):
            self._break_begins(row, placement)
        open_break = self.open_breaks.get(held.pk) if held is not None else None
        returning = open_break is not None and not on_break
        if returning:
            self._break_ends(row, placement, open_break)
        if held is None:
            return
        reason = p["planned_end_change_reason"] or (
            PlannedEndChangeReason.BREAK if returning else ""
        )
        try:
            moved = planned_end_change(
                placement, from_date=held.planned_end_date, user=None, on=self.today, reason=reason
            )
        except ValidationError as invalid:
            self._add_errors(row, invalid)
            return
        changed = provider_change(
            placement,
            from_provider_id=held.provider_id,
            user=None,
            on=p["provider_changed_on"] or self.today,
        )
        row.events += [event for event in (moved, changed) if event is not None]

    def _break_begins(self, row: RowResult, placement: Placement) -> None:
        started = row.parsed["break_started_on"]
        if not started:
            row.add_error("break_started_on", "Enter the date the break in learning started.")
            return
        errors = rules.break_errors(
            started_on=started,
            returned_on=None,
            placement_start=placement.start_date,
            today=self.today,
        )
        self._add_errors(row, ValidationError(errors) if errors else None)
        reason = row.parsed["break_reason"] or BreakReason.OTHER
        row.events.append(BreakInLearning(placement=placement, started_on=started, reason=reason))

    def _break_ends(self, row: RowResult, placement: Placement, open_break) -> None:
        ended = placement.actual_end_date if placement.status in ENDED_STATUSES else None
        returned = row.parsed["returned_on"] or ended
        if not returned:
            row.add_error("returned_on", "Enter the date they returned from the break in learning.")
            return
        errors = rules.break_errors(
            started_on=open_break.started_on,
            returned_on=returned,
            placement_start=placement.start_date,
            today=self.today,
        )
        self._add_errors(row, ValidationError(errors) if errors else None)
        closed = _copy_of(open_break)
        closed.returned_on = returned
        row.closed_break = closed

    def _add_errors(self, row: RowResult, invalid: ValidationError | None) -> None:
        if invalid is None:
            return
        for name, messages in invalid.message_dict.items():
            column = FIELD_COLUMNS.get(name, name)
            for message in messages:
                row.add_error(column if column in COLUMNS_BY_NAME else "", message)

    def _check_references(self, row: RowResult, standard, provider) -> None:
        p = row.parsed
        if (
            p["standard_reference"]
            and standard is None
            and not row.has_error_in("standard_reference")
        ):
            row.add_error("standard_reference", self._unknown_standard(p["standard_reference"]))
        if p["provider_ukprn"] and provider is None and not row.has_error_in("provider_ukprn"):
            row.add_error(
                "provider_ukprn",
                "No training provider with this UKPRN is registered in the portal. Check it, or "
                "ask a portal admin to add the provider.",
            )

    def _unknown_standard(self, reference: str) -> str:
        if self.all_references is None:
            self.all_references = dict(Standard.objects.values_list("reference", "title"))
        close = difflib.get_close_matches(reference, self.all_references, n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]} ({self.all_references[close[0]]})?" if close else ""
        return f"No apprenticeship standard has the reference {reference}.{hint}"

    def _clean(self, row: RowResult, instance, exclude: list[str]) -> None:
        """The model's own rules; uniqueness is checked above against the bulk lookups, and
        related records were resolved above, so neither costs a query per row here."""
        try:
            self.full_clean(instance, exclude=exclude)
        except ValidationError as invalid:
            for name, messages in invalid.message_dict.items():
                column = FIELD_COLUMNS.get(name, name)
                if column and row.has_error_in(column):
                    continue  # the cell could not be read: one message is enough
                for message in messages:
                    row.add_error(column if column in COLUMNS_BY_NAME else "", message)

    # Outcome --------------------------------------------------------------------------------

    def _decide(self, row: RowResult) -> None:
        if row.errors:
            row.outcome = ERROR
            return
        person = row.person
        first = person.first_row == row.number
        if row.placement.pk is None:
            row.outcome = NEW
            return
        changes = list(row.placement_changed) + [str(event) for event in row.events]
        if row.closed_break is not None:
            changes.append(f"returned from the break on {row.closed_break.returned_on:%d/%m/%Y}")
        if first:
            # Never "link pending": the officer is not told another borough holds the person.
            changes += [name for name in person.changed if name != "link_pending"]
            changes += ["equality monitoring"] if person.equality_changed else []
        row.changes = [name.replace("_", " ") for name in changes]
        row.outcome = UPDATE if changes else UNCHANGED
