"""Writes for imports: record a checked file, and save it — all rows or none."""

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apprenticeships import linking
from apprenticeships.dashboard.freshness import figures_changed
from apprenticeships.models import (
    Apprentice,
    BreakInLearning,
    EqualityMonitoring,
    LinkRequest,
    Placement,
    refresh_ages_at_start,
)
from boroughs.models import Borough

from .engine import (
    EQUALITY_FIELDS,
    ERROR,
    NEW,
    UNCHANGED,
    UPDATE,
    CheckResult,
    Person,
    RowResult,
    check_file,
)
from .history import CHANGED, CREATED, write_history
from .inserting import insert_records
from .models import ImportRun

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from loti_portal.accounts.models import User

BATCH_SIZE = 1000
# Rows named at most when saving is refused because someone changed their records meanwhile.
ROWS_NAMED = 10
# PostgreSQL's SQLSTATE for a transaction stopped to break a deadlock.
DEADLOCK_DETECTED = "40P01"


class ImportNotSaved(Exception):
    """The import could not be saved; the message says why in plain English."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _apply_counts(run: ImportRun, result: CheckResult) -> None:
    run.row_count = len(result.rows)
    run.new_count = result.count(NEW)
    run.updated_count = result.count(UPDATE)
    run.unchanged_count = result.count(UNCHANGED)
    run.error_count = result.count(ERROR)
    run.report = result.report()
    run.status = ImportRun.Status.CHECKED if result.is_valid else ImportRun.Status.HAS_ERRORS


def record_check(
    *,
    borough: Borough,
    user: "User | AnonymousUser | None",
    file_name: str,
    content: bytes,
    result: CheckResult,
    source: str = ImportRun.Source.WEB,
) -> ImportRun:
    """Keep a checked file and its per-row results, ready for the preview and for saving."""
    run = ImportRun(
        borough=borough,
        created_by=user if user is not None and user.is_authenticated else None,
        file_name=file_name[:255],
        file_size=len(content),
        content=content,
        source=source,
    )
    _apply_counts(run, result)
    run.checked_versions = _versions_read(result)
    # The borough and user are objects the caller already holds: no existence query for them.
    run.full_clean(exclude=["borough", "created_by"])
    run.save()
    return run


def commit_import(*, run: ImportRun, user: "User | AnonymousUser | None") -> CheckResult:
    """Check the stored file again and, if no row has an error, save every row in one transaction.

    Returns the check's result; raises ImportNotSaved when there is nothing to save (already
    saved, or errors found now that were not there before). Every record written gets a history
    row naming the import and the user. Saving the same file again changes nothing.
    """
    history_user = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            # The old report is replaced below: not worth decoding.
            locked = ImportRun.objects.select_for_update().defer("report").get(pk=run.pk)
            if not locked.can_commit:
                raise ImportNotSaved("This import has already been saved, or has errors.")
            result = check_file(
                content=bytes(locked.content), file_name=locked.file_name, borough=locked.borough
            )
            _apply_counts(locked, result)
            if not result.is_valid:
                locked.save()
                _copy_state(locked, run)
                return result
            _confirm_nobody_changed_them(result, locked.checked_versions)
            _write(result, history_user, locked.change_reason, borough=locked.borough)
            locked.status = ImportRun.Status.COMMITTED
            locked.committed_at = timezone.now()
            locked.content = b""
            locked.save()
    except IntegrityError as error:
        raise ImportNotSaved(
            "Someone changed these records while the file was being saved, so nothing was "
            "saved. Upload the file again to check it against the latest records."
        ) from error
    except OperationalError as error:
        # Two saves writing some of the same people at once can each wait for the other (each
        # locks the records it changes, in its own order). PostgreSQL then stops one of them;
        # all of its writes are undone, so it can simply be tried again.
        if getattr(error.__cause__, "pgcode", None) != DEADLOCK_DETECTED:
            raise
        raise ImportNotSaved(
            "Another save was writing some of the same people at the same moment, so nothing "
            "was saved. Save this import again."
        ) from error
    _copy_state(locked, run)
    return result


def _versions_read(result: CheckResult) -> dict[str, dict[str, object]]:
    """Each held placement's version and each held apprentice's last change, as the check read
    them, for every record the file matched (ImportRun.checked_versions)."""
    placements: dict[str, object] = {
        str(row.placement.pk): row.placement.version
        for row in result.rows
        if row.placement is not None and row.placement.pk is not None
    }
    apprentices: dict[str, object] = {
        str(person.apprentice.pk): person.apprentice.updated_at.isoformat()
        for person in result.people
        if person.apprentice.pk is not None
    }
    return {"placements": placements, "apprentices": apprentices}


def _confirm_nobody_changed_them(result: CheckResult, seen: dict[str, dict[str, object]]) -> None:
    """Lock the records the save would change and refuse if any is not as the user's check read
    it: a placement at another version, an apprentice changed since (their last-change time
    stands in for a version, as on the web pages).

    Found in review: an officer's edit saved between the check and the save was overwritten
    without a word. Comparing with what the save's own check read was not enough: that check
    reads the file again, so it already sees the officer's edit and would undo it. So the
    versions compared are those of the check the user previewed, kept with the run. A record that
    check did not hold (a new row then, held now) counts as changed. Apprentices are locked first,
    as the web pages lock them (services.update_apprentice).
    """
    people = {p.apprentice.pk: p for p in result.people if p.apprentice.pk and p.changed}
    placements = {
        row.placement.pk: row
        for row in result.rows
        if row.placement is not None and row.placement.pk is not None and row.placement_changed
    }
    now_people = _locked(Apprentice, list(people), "updated_at")
    now_placements = _locked(Placement, list(placements), "version")
    seen_people, seen_placements = seen.get("apprentices", {}), seen.get("placements", {})
    # A record deleted meanwhile is missing from now_*: changed too.
    stale_people = [
        person
        for pk, person in people.items()
        if pk not in now_people or seen_people.get(str(pk)) != now_people[pk].isoformat()
    ]
    stale_rows = [
        row
        for pk, row in placements.items()
        if seen_placements.get(str(pk)) != now_placements.get(pk)
    ]
    if stale_people or stale_rows:
        raise ImportNotSaved(_changed_meanwhile(stale_rows, stale_people))


def _locked(model: type[Apprentice | Placement], pks: list[int], field: str) -> dict:
    """{pk: value of `field`} of these records, locked until the transaction ends."""
    found: dict = {}
    for start in range(0, len(pks), BATCH_SIZE):
        rows = model._default_manager.select_for_update().filter(
            pk__in=pks[start : start + BATCH_SIZE]
        )
        found.update(rows.values_list("pk", field))
    return found


def _changed_meanwhile(rows: list[RowResult], people: list[Person]) -> str:
    """The refusal, naming the rows (the first ten) whose records someone else changed."""
    named = {row.number: row.summary for row in rows}
    named |= {p.first_row: f"{p.apprentice.given_name} {p.apprentice.family_name}" for p in people}
    numbers = sorted(named)
    listed = [f"row {n} ({named[n]})" for n in numbers[:ROWS_NAMED]]
    if len(numbers) > ROWS_NAMED:
        listed.append(f"{len(numbers) - ROWS_NAMED:,} more")
    what = " and ".join(
        f"{count:,} {noun}{'s' if count != 1 else ''}"
        for count, noun in ((len(rows), "placement"), (len(people), "apprentice"))
        if count
    )
    were = "was" if len(rows) + len(people) == 1 else "were"
    return (
        f"{what} in this file {were} changed by someone else after you checked it: "
        f"{_and_list(listed)}. Nothing was saved: check the file again to see it against the "
        "latest records, then save it."
    )


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _copy_state(saved: ImportRun, run: ImportRun) -> None:
    """The caller's run as just saved, without reading its report back from the database."""
    for name in (f.attname for f in ImportRun._meta.concrete_fields):
        setattr(run, name, getattr(saved, name))


def _write(result: CheckResult, user: "User | None", reason: str, *, borough: Borough) -> None:
    figures_changed()  # bulk writes send no signals
    now = timezone.now()
    history = {"user": user, "reason": reason, "when": now}
    people = result.people
    new_people = [p.apprentice for p in people if p.apprentice.pk is None]
    changed = [p for p in people if p.apprentice.pk is not None and p.changed]
    _create(Apprentice, new_people, history)
    if changed:
        fields = sorted({name for p in changed for name in p.changed} | {"updated_at"})
        for person in changed:
            person.apprentice.updated_at = now
        _update(Apprentice, [p.apprentice for p in changed], fields, history)
    _write_equality(people)
    _write_placements(result, history, now)
    LinkRequest.objects.bulk_create(
        linking.new_request(
            person=p.apprentice, held=p.link[0], matched_on=p.link[1], borough=borough, user=user
        )
        for p in people
        if p.link is not None
    )
    # After the placements: a new date of birth changes the age at start of every placement
    # the person has, in this file or not.
    refresh_ages_at_start([p.apprentice for p in changed if "date_of_birth" in p.changed])
    _write_circumstances(result, user)


def _create(model: type[Apprentice | Placement], records: list, history: dict) -> None:
    """Insert the records (their primary keys come back), then their "created" history rows."""
    if not connection.features.can_return_rows_from_bulk_insert:  # SQLite before 3.35
        bulk_create_with_history(
            records,
            model,
            batch_size=BATCH_SIZE,
            default_user=history["user"],
            default_change_reason=history["reason"],
            default_date=history["when"],
        )
        return
    insert_records(model, records, batch_size=BATCH_SIZE, now=history["when"])
    write_history(model, [r.pk for r in records], history_type=CREATED, **history)


def _update(
    model: type[Apprentice | Placement], records: list, fields: list[str], history: dict
) -> None:
    model.objects.bulk_update(records, fields, batch_size=BATCH_SIZE)
    write_history(model, [r.pk for r in records], history_type=CHANGED, **history)


def _write_equality(people: list[Person]) -> None:
    # Equality monitoring keeps no history by design (models.EqualityMonitoring).
    new: list[EqualityMonitoring] = []
    changed: list[EqualityMonitoring] = []
    for person in people:
        record = person.equality
        if record is None or not (person.equality_changed or record.pk is None):
            continue
        record.apprentice = person.apprentice
        (changed if record.pk else new).append(record)
    EqualityMonitoring.objects.bulk_create(new, batch_size=BATCH_SIZE)
    EqualityMonitoring.objects.bulk_update(changed, list(EQUALITY_FIELDS), batch_size=BATCH_SIZE)


def _write_placements(result: CheckResult, history: dict, now: datetime.datetime) -> None:
    new: list[Placement] = []
    changed: list[Placement] = []
    fields = {"version", "updated_at"}
    for row in result.rows:
        placement = row.placement
        assert placement is not None and row.person is not None  # noqa: S101 - a valid file's rows have both
        placement.apprentice = row.person.apprentice  # sets apprentice_id now it has a pk
        if placement.pk is None:
            new.append(placement)
        elif row.placement_changed:
            placement.version += 1
            placement.updated_at = now
            fields.update(row.placement_changed)
            if "start_date" in row.placement_changed:
                fields.add("age_at_start")
            changed.append(placement)
    _create(Placement, new, history)
    if changed:
        _update(Placement, changed, sorted(fields), history)


def _write_circumstances(result: CheckResult, user) -> None:
    """The rows' changes of circumstance, as records: breaks begun and ended, changes of
    provider and of planned end date, each recorded by the user who saved the import."""
    by_model: dict[type[Model], list] = {}
    closed = []
    for row in result.rows:
        for event in row.events:
            event.placement = row.placement  # sets placement_id now it has a pk
            event.recorded_by = user
            by_model.setdefault(type(event), []).append(event)
        if row.closed_break is not None:
            row.closed_break.return_recorded_by = user
            closed.append(row.closed_break)
    BreakInLearning.objects.bulk_update(
        closed, ["returned_on", "return_recorded_by"], batch_size=BATCH_SIZE
    )
    for model, events in by_model.items():
        model._default_manager.bulk_create(events, batch_size=BATCH_SIZE)
