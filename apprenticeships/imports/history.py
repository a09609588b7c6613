"""History rows for an import's writes, copied on the database server from the rows just written.

django-simple-history's `bulk_create_with_history` builds a second model instance per record and
sends every value back through the ORM: for a 10,000-row file that was over half the commit's
time. The rows are the same when the database copies them itself in one `INSERT … SELECT` per
chunk of primary keys, with the user, reason and date as parameters (load_demo_data uses it
too). Only tracked fields are copied, so a field excluded from history stays out of it.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import connection
from django.db.models import Model

CREATED, CHANGED = "+", "~"
# Primary keys per statement: within SQLite's 999 parameters with the four history values.
PKS_PER_STATEMENT = 900


def write_history(
    model: type[Model],
    pks: Sequence[int],
    *,
    history_type: str,
    user,
    reason: str,
    when: datetime.datetime,
) -> None:
    """One history row per record in `pks`, as simple-history would write it for a bulk write."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in historical.tracked_fields)
    user_column = quote(historical._meta.get_field("history_user").column)
    head = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, history_date, "  # noqa: S608
        f"history_change_reason, history_type, {user_column}) "
        f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN "
    )
    values = [when, reason, history_type, user.pk if user is not None else None]
    with connection.cursor() as cursor:
        for start in range(0, len(pks), PKS_PER_STATEMENT):
            chunk = list(pks[start : start + PKS_PER_STATEMENT])
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{head}({placeholders})", [*values, *chunk])
