"""Placement.age_at_start, kept by the database: triggers on placements and apprentices.

The dashboard groups recruits by their age band at start. Working the age out per request
meant joining every recruit to their apprentice for the date of birth: about 30 ms of a 100 ms
query at 100,000 placements on PostgreSQL. Stored on the placement, it needs no join; kept by
triggers, it cannot fall out of step, whichever route writes a placement or a date of birth
(ORM saves, QuerySet.update, bulk_update, the import's COPY, the admin, anonymisation):

- placement_age_at_start: when a placement is inserted, or its apprentice, start date or
  age_at_start is written, the age is worked out from the apprentice's date of birth (so any
  value written to age_at_start is replaced by the right one);
- apprentice_ages_at_start: when an apprentice's date of birth changes, the ages at start of
  their placements are worked out again.

The age is Apprentice.age_on in SQL: whole years, a 29 February birthday reached on 1 March in
other years. PostgreSQL computes it with age(); SQLite from the year, month and day. Only
constants of this module are formatted into the SQL.
"""

from django.db import migrations, models

PLACEMENTS, APPRENTICES = "apprenticeships_placement", "apprenticeships_apprentice"


def _age(vendor: str, born: str, day: str) -> str:
    """SQL for the whole years from date `born` to date `day` (NULL when `born` is NULL)."""
    if vendor == "postgresql":
        return f"CAST(date_part('year', age({day}::timestamp, {born}::timestamp)) AS integer)"
    return (
        f"CAST(strftime('%Y', {day}) AS integer) - CAST(strftime('%Y', {born}) AS integer)"
        f" - (strftime('%m%d', {day}) < strftime('%m%d', {born}))"
    )


def _postgresql() -> tuple[list[str], list[str]]:
    from_apprentice = _age("postgresql", "a.date_of_birth", "NEW.start_date")
    for_placements = _age("postgresql", "NEW.date_of_birth", "start_date")
    install = [
        f"""
        CREATE FUNCTION placement_age_at_start() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.age_at_start := (
                SELECT {from_apprentice} FROM {APPRENTICES} a WHERE a.id = NEW.apprentice_id
            );
            RETURN NEW;
        END
        $$
        """,
        f"""
        CREATE TRIGGER placement_age_at_start
        BEFORE INSERT OR UPDATE OF apprentice_id, start_date, age_at_start ON {PLACEMENTS}
        FOR EACH ROW EXECUTE FUNCTION placement_age_at_start()
        """,
        f"""
        CREATE FUNCTION apprentice_ages_at_start() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {PLACEMENTS} SET age_at_start = {for_placements}
            WHERE apprentice_id = NEW.id;
            RETURN NULL;
        END
        $$
        """,
        f"""
        CREATE TRIGGER apprentice_ages_at_start
        AFTER UPDATE OF date_of_birth ON {APPRENTICES}
        FOR EACH ROW WHEN (OLD.date_of_birth IS DISTINCT FROM NEW.date_of_birth)
        EXECUTE FUNCTION apprentice_ages_at_start()
        """,
    ]
    remove = [
        f"DROP TRIGGER IF EXISTS apprentice_ages_at_start ON {APPRENTICES}",
        "DROP FUNCTION IF EXISTS apprentice_ages_at_start()",
        f"DROP TRIGGER IF EXISTS placement_age_at_start ON {PLACEMENTS}",
        "DROP FUNCTION IF EXISTS placement_age_at_start()",
    ]
    return install, remove


def _sqlite() -> tuple[list[str], list[str]]:
    # SQLite triggers cannot change the row being written, so they update it just after. The
    # WHEN clause stops the update of a row whose age is already right, so the trigger never
    # needs to fire again for its own update, even with recursive triggers switched on.
    computed = (
        f"(SELECT {_age('sqlite', 'a.date_of_birth', 'NEW.start_date')} "
        f"FROM {APPRENTICES} a WHERE a.id = NEW.apprentice_id)"
    )
    set_age = f"UPDATE {PLACEMENTS} SET age_at_start = {computed} WHERE id = NEW.id;"
    for_placements = _age("sqlite", "NEW.date_of_birth", "start_date")
    install = [
        f"""
        CREATE TRIGGER placement_age_at_start_insert AFTER INSERT ON {PLACEMENTS}
        FOR EACH ROW WHEN NEW.age_at_start IS NOT {computed}
        BEGIN {set_age} END
        """,
        f"""
        CREATE TRIGGER placement_age_at_start_update
        AFTER UPDATE OF apprentice_id, start_date, age_at_start ON {PLACEMENTS}
        FOR EACH ROW WHEN NEW.age_at_start IS NOT {computed}
        BEGIN {set_age} END
        """,
        f"""
        CREATE TRIGGER apprentice_ages_at_start AFTER UPDATE OF date_of_birth ON {APPRENTICES}
        FOR EACH ROW WHEN OLD.date_of_birth IS NOT NEW.date_of_birth
        BEGIN
            UPDATE {PLACEMENTS} SET age_at_start = {for_placements} WHERE apprentice_id = NEW.id;
        END
        """,
    ]
    remove = [
        "DROP TRIGGER IF EXISTS apprentice_ages_at_start",
        "DROP TRIGGER IF EXISTS placement_age_at_start_update",
        "DROP TRIGGER IF EXISTS placement_age_at_start_insert",
    ]
    return install, remove


def _statements(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        return _postgresql()
    if vendor == "sqlite":
        return _sqlite()
    raise NotImplementedError(f"Placement.age_at_start has no triggers for {vendor}.")


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements, _ = _statements(vendor)
    # Existing placements first, in one statement; from here on the triggers keep them.
    schema_editor.execute(
        f"UPDATE {PLACEMENTS} SET age_at_start = ("  # noqa: S608
        f"SELECT {_age(vendor, 'a.date_of_birth', f'{PLACEMENTS}.start_date')} "
        f"FROM {APPRENTICES} a WHERE a.id = {PLACEMENTS}.apprentice_id)",
        params=None,
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)  # no parameters: the % are strftime's


def remove(apps, schema_editor) -> None:
    _, statements = _statements(schema_editor.connection.vendor)
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0004_placement_index_covers_starts"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="age_at_start",
            field=models.SmallIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(install, remove),
    ]
