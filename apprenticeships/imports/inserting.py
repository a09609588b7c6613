"""Inserting an import's new records: what `bulk_create` does, without its cost per value.

Django's `bulk_create` sends each value of each record through the field's full preparation
chain (`pre_save`, `get_db_prep_save`, `get_prep_value`, `to_python`, the backend's adapter): for a
10,000-row file that was most of the time the inserts took, far more than the database's own
work. Here text, whole numbers, booleans and ids, already the right Python type (the check ran
the models' validation on every record), go to the driver as they are, exactly as that chain would
leave them; anything else (dates, timestamps) still goes through the field's own
`get_db_prep_save`, once per distinct value. Timestamps are the time of the write.
Primary keys come back with `RETURNING`, as `bulk_create` gets them on PostgreSQL and SQLite 3.35+.
"""

import datetime
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
