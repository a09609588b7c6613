"""Inserting an import's new records: what `bulk_create` does, without its cost per value.

Django's `bulk_create` sends each value of each record through the field's full preparation
chain (`pre_save`, `get_db_prep_save`, `get_prep_value`, `to_python`, the backend's adapter): for a
10,000-row file that was most of the time the inserts took, far more than the database's own
work. Here text, whole numbers, booleans and ids, already the right Python type (the check ran
the models' validation on every record), go to the driver as they are, exactly as that chain would
leave them; anything else (dates, timestamps) still goes through the field's own
`get_db_prep_save`, once per distinct value. Timestamps are the time of the write.
Primary keys come back with `RETURNING`, as `bulk_create` gets them on PostgreSQL and SQLite 3.35+.

On PostgreSQL the rows go in with `COPY … FROM STDIN` instead, their primary keys taken from the
table's own sequence first: a 10,000-row import spent most of its insert time having the server
parse statements of 25,000 parameters, and COPY reads the same rows in a fraction of that.
"""

import datetime
import io
from collections.abc import Callable

from django.db import connection
from django.db.models import Field, Model

# Field types whose prepared value is the value itself when it is already str, int, bool or None.
AS_THEY_ARE = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)
PLAIN_TYPES = (str, int, bool, type(None))


def insert_records(
    model: type[Model], records: list[Model], *, batch_size: int, now: datetime.datetime
) -> None:
    """Insert new records of `model` and set their primary keys, `batch_size` per statement.

    `auto_now` and `auto_now_add` fields get `now`, one time for the whole write.
    """
    if not records:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    getters = [_value_getter(f, now) for f in fields]
    if connection.vendor == "postgresql":
        _copy_records(model, records, fields, getters)
        return
    per_statement = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, records)))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    row = f"({', '.join(['%s'] * len(fields))})"
    tail = f" RETURNING {quote(meta.pk.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(records), per_statement):
            chunk = records[start : start + per_statement]
            params = [get(record) for record in chunk for get in getters]
            cursor.execute(head + ", ".join([row] * len(chunk)) + tail, params)
            for record, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                record.pk = pk
                record._state.adding = False
                record._state.db = connection.alias


def _value_getter(field: Field, now: datetime.datetime) -> Callable[[Model], object]:
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = field.get_db_prep_save(now, connection)

        def stamped(record: Model) -> object:
            setattr(record, attname, now)
            return stamp

        return stamped
    as_they_are = field.get_internal_type() in AS_THEY_ARE
    prepared: dict[tuple, object] = {}

    def get(record: Model) -> object:
        value = getattr(record, attname)
        if as_they_are and type(value) in PLAIN_TYPES:
            return value
        key = (type(value), value)
        if key not in prepared:
            prepared[key] = field.get_db_prep_save(value, connection)
        return prepared[key]

    return get


def _copy_records(model: type[Model], records: list[Model], fields: list[Field], getters) -> None:
    """PostgreSQL: take the records' primary keys from the table's sequence, then COPY them in."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(records)],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
        lines = []
        for record, pk in zip(records, pks, strict=True):
            values = [pk, *(get(record) for get in getters)]
            lines.append("\t".join(_copy_text(value) for value in values))
        stream = io.StringIO("\n".join(lines) + "\n")
        # The driver's own cursor: Django turns its errors into IntegrityError and the like only
        # for execute(), so do it here (an import clashing with a concurrent save relies on it).
        with connection.wrap_database_errors:
            cursor.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", stream)
    for record, pk in zip(records, pks, strict=True):
        record.pk = pk
        record._state.adding = False
        record._state.db = connection.alias


# COPY's text format: a tab between columns, a newline after each row, \N for NULL, and these
# characters escaped with a backslash inside a value.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)
