"""Placement.age_at_start, kept by the database: triggers on placements and apprentices.

The dashboard groups recruits by their age band at start. Working the age out per request meant
joining every recruit to their apprentice for the date of birth: about 30 ms of a 100 ms query
at 100,000 placements on PostgreSQL. Stored on the placement, it needs no join; kept by
triggers, it follows every route that writes a placement or a date of birth (ORM saves,
QuerySet.update, bulk_update, the import's COPY, the admin, anonymisation, fixtures):

- when a placement is inserted, or its apprentice, start date or age is written, its age is
  worked out from the apprentice's date of birth (so a value written to age_at_start is
  replaced by the right one). On PostgreSQL a new placement reads its apprentice FOR SHARE: a
  change of date of birth still being committed is waited for, not missed;
- when an apprentice's date of birth changes, their placements' ages are worked out again;
- when an apprentice is inserted, any placement already inserted for them (foreign keys are
  checked at commit, so that order is allowed) gets its age.

The age is Apprentice.age_on in SQL (`age_sql`): whole years, a 29 February birthday reached
on 1 March in other years.

The triggers are not part of a migration. A `migrate` that will run any migration removes them
first (pre_migrate), so no migration runs with them in place and none has to know about them:
SQLite rebuilds a table to change it, which fails while a trigger names that table, and
PostgreSQL refuses to change the type of a column a trigger names. After `migrate`
(post_migrate, and this app's `migrate` command when a migration fails) they are put back if
they are missing or out of date, and every stored age is then checked and corrected. A
`migrate` with nothing to run (and `--check`, `--plan`, `--prune`) leaves them alone: dropping a
trigger locks its table against reads, and a long dashboard query would hold a deploy up.
"""

# Every SQL string below is built from this module's constants only: no value from outside.
# ruff: noqa: S608

import hashlib
import logging

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_migrate, pre_migrate

PLACEMENTS, APPRENTICES = "apprenticeships_placement", "apprenticeships_apprentice"
# Every trigger and function this module has ever installed, so that removing them also removes
# those of an older version (the first one was installed by migration 0005).
TRIGGERS = {
    "postgresql": [
        ("apprentice_ages_at_start", APPRENTICES),
        ("apprentice_inserted_ages_at_start", APPRENTICES),
        ("placement_age_at_start", PLACEMENTS),
    ],
    "sqlite": [
        "apprentice_ages_at_start",
        "apprentice_inserted_ages_at_start",
        "placement_age_at_start_insert",
        "placement_age_at_start_update",
    ],
}
logger = logging.getLogger(__name__)

FUNCTIONS = [
    "apprentice_ages_at_start",
    "apprentice_inserted_ages_at_start",
    "placement_age_at_start",
]


def age_sql(vendor: str, born: str, day: str) -> str:
    """SQL for the whole years from date `born` to date `day` (NULL when `born` is NULL).

    As Apprentice.age_on: the difference of the years, less one while the birthday's month and
    day have not come (compared as MMDD, so 29 February is reached on 1 March), the same on both
    databases for every pair of dates, even a start before the birth.
    """
    if vendor == "postgresql":
        return (
            f"(CAST(EXTRACT(YEAR FROM {day}) AS integer)"
            f" - CAST(EXTRACT(YEAR FROM {born}) AS integer)"
            f" - CASE WHEN to_char({day}, 'MMDD') < to_char({born}, 'MMDD') THEN 1 ELSE 0 END)"
        )
    return (
        f"(CAST(strftime('%Y', {day}) AS integer) - CAST(strftime('%Y', {born}) AS integer)"
        f" - (strftime('%m%d', {day}) < strftime('%m%d', {born})))"
    )


def _postgresql() -> list[str]:
    from_apprentice = age_sql("postgresql", "a.date_of_birth", "NEW.start_date")
    from_new_birth = age_sql("postgresql", "NEW.date_of_birth", "start_date")
    from_inserted = age_sql("postgresql", "i.date_of_birth", "p.start_date")
    return [
        f"""
        CREATE OR REPLACE FUNCTION placement_age_at_start() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' OR NEW.apprentice_id IS DISTINCT FROM OLD.apprentice_id THEN
                SELECT {from_apprentice} INTO NEW.age_at_start
                FROM {APPRENTICES} a WHERE a.id = NEW.apprentice_id FOR SHARE;
            ELSE
                SELECT {from_apprentice} INTO NEW.age_at_start
                FROM {APPRENTICES} a WHERE a.id = NEW.apprentice_id;
            END IF;
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
        CREATE OR REPLACE FUNCTION apprentice_ages_at_start() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {PLACEMENTS} SET age_at_start = {from_new_birth} WHERE apprentice_id = NEW.id;
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
        # Once per statement, over the rows it inserted: an import's COPY of 10,000 apprentices
        # runs one join, not 10,000 lookups (which almost always find nothing).
        f"""
        CREATE OR REPLACE FUNCTION apprentice_inserted_ages_at_start() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {PLACEMENTS} p SET age_at_start = {from_inserted}
            FROM inserted i WHERE p.apprentice_id = i.id;
            RETURN NULL;
        END
        $$
        """,
        f"""
        CREATE TRIGGER apprentice_inserted_ages_at_start
        AFTER INSERT ON {APPRENTICES} REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION apprentice_inserted_ages_at_start()
        """,
    ]


def _sqlite() -> list[str]:
    # SQLite triggers cannot change the row being written, so they update it just after. The
    # WHEN clause skips a row whose age is already right, so the update never needs the trigger
    # again, even with recursive triggers switched on.
    computed = (
        f"(SELECT {age_sql('sqlite', 'a.date_of_birth', 'NEW.start_date')} "
        f"FROM {APPRENTICES} a WHERE a.id = NEW.apprentice_id)"
    )
    set_age = f"UPDATE {PLACEMENTS} SET age_at_start = {computed} WHERE id = NEW.id;"
    set_ages = (
        f"UPDATE {PLACEMENTS} SET age_at_start = "
        f"{age_sql('sqlite', 'NEW.date_of_birth', 'start_date')} WHERE apprentice_id = NEW.id;"
    )
    return [
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
        BEGIN {set_ages} END
        """,
        f"""
        CREATE TRIGGER apprentice_inserted_ages_at_start AFTER INSERT ON {APPRENTICES}
        FOR EACH ROW BEGIN {set_ages} END
        """,
    ]


def _check_vendor(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in TRIGGERS:
        raise NotImplementedError(f"age_at_start has no triggers for {connection.vendor}.")


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (and on PostgreSQL their functions), wherever they are installed."""
    _check_vendor(connection)
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for trigger, table in TRIGGERS["postgresql"]:
                if table in tables:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            for function in FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        else:
            for trigger in TRIGGERS["sqlite"]:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def _marker(vendor: str) -> str:
    """Names the version of the triggers: a digest of the SQL that creates them."""
    statements = "\n".join(_postgresql() if vendor == "postgresql" else _sqlite())
    return "age_at_start " + hashlib.sha256(statements.encode()).hexdigest()[:16]


def is_current(connection: BaseDatabaseWrapper) -> bool:
    """True if every trigger is installed, as this version of the module creates it."""
    marker = _marker(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [name for name, _ in TRIGGERS["postgresql"]]
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s) "
                "AND obj_description(oid, 'pg_trigger') = %s",
                [names, marker],
            )
            return cursor.fetchone()[0] == len(names)
        names = TRIGGERS["sqlite"]
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        found = {name: sql for name, sql in cursor.fetchall() if name in names}
        return len(found) == len(names) and all(marker in sql for sql in found.values())


def install(connection: BaseDatabaseWrapper) -> bool:
    """Put the triggers in place, if missing or out of date, then correct every wrong age.

    Returns whether they are in place. Does nothing while the tables or the column do not
    exist: before the migrations that make them, or after migrating back past them.
    """
    _check_vendor(connection)
    if not {PLACEMENTS, APPRENTICES} <= set(connection.introspection.table_names()):
        return False
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, PLACEMENTS)
        if "age_at_start" not in {column.name for column in columns}:
            return False
    if is_current(connection):
        return True
    vendor, marker = connection.vendor, _marker(connection.vendor)
    if vendor == "postgresql":
        statements = _postgresql()
        statements += [
            f"COMMENT ON TRIGGER {name} ON {table} IS '{marker}'"
            for name, table in TRIGGERS["postgresql"]
        ]
    else:  # SQLite keeps a trigger's SQL as written: the marker goes in a comment inside it
        statements = [sql.replace("BEGIN", f"BEGIN /* {marker} */", 1) for sql in _sqlite()]
    # Replacing triggers locks their tables against reads until it commits, so that is all this
    # transaction does.
    with transaction.atomic(using=connection.alias):
        remove(connection)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)  # no parameters: the % signs are strftime's
    # Then the correction, a pass over every placement, with the triggers already catching a
    # date of birth changed meanwhile.
    right_age = (
        f"(SELECT {age_sql(vendor, 'a.date_of_birth', f'{PLACEMENTS}.start_date')} "
        f"FROM {APPRENTICES} a WHERE a.id = {PLACEMENTS}.apprentice_id)"
    )
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PLACEMENTS} SET age_at_start = {right_age} "
            f"WHERE age_at_start {differs} {right_age}"
        )
    return True


# Databases whose triggers pre_migrate removed and post_migrate has not yet put back: only a
# migrate that failed in between leaves one here (see `put_back_after_failure`).
_removed: set[str] = set()


def _before_migrate(sender, using, plan=None, **kwargs) -> None:
    # Any migration at all, not only this app's: on SQLite, changing the type of a key that a
    # placement or an apprentice points at rebuilds their tables too. With nothing to run, the
    # triggers stay (dropping one would lock its table against reads).
    if plan is None or plan:
        remove(connections[using])
        _removed.add(using)


def _after_migrate(sender, using, **kwargs) -> None:
    install(connections[using])
    _removed.discard(using)


def put_back_after_failure(connection: BaseDatabaseWrapper) -> None:
    """After a `migrate` that stopped between removing the triggers and putting them back.

    Called by this app's `migrate` command whatever happened; does nothing unless the triggers
    were removed and not put back. A failure here is logged, not raised, so that the error that
    stopped the migrate is the one reported.
    """
    if connection.alias not in _removed:
        return
    try:
        install(connection)
        _removed.discard(connection.alias)
    except Exception:
        logger.exception(
            "The age-at-start triggers could not be put back after a failed migrate: the "
            "placements' ages are not kept until `migrate` runs again successfully."
        )


def connect_signals(app_config) -> None:
    """Remove the triggers before a `migrate` that runs migrations, put them back after."""
    pre_migrate.connect(_before_migrate, sender=app_config, dispatch_uid="age_at_start.remove")
    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="age_at_start.install")
