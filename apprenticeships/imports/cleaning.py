"""The models' own validation for every row of a file, without repeating it 10,000 times."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models.expressions import DatabaseDefault


class RememberingClean:
    """`full_clean(exclude, validate_unique=False, validate_constraints=False)`, with each field's
    own `clean()` remembered by value for the length of one check.

    A file repeats the same few dates, titles, statuses and standards thousands of times, and a
    field's `clean()` (conversion, choices, validators) depends on nothing but the value for the
    fields checked here: the related fields, whose `clean()` queries, are excluded by the caller.
    The model's own `clean()` still runs for every record.
    """

    REMEMBERED_TYPES = (str, int, bool, datetime.date, type(None))

    def __init__(self):
        self.fields: dict[tuple, list[tuple]] = {}

    def __call__(self, instance, *, exclude: list[str]) -> None:
        errors: dict = {}
        for f, known in self._fields(type(instance), tuple(exclude)):
            raw = getattr(instance, f.attname)
            if (f.blank and raw in f.empty_values) or isinstance(raw, DatabaseDefault):
                continue
            key = (type(raw), raw) if type(raw) in self.REMEMBERED_TYPES else None
            outcome = known.get(key) if key is not None else None
            if outcome is None:
                try:
                    outcome = (f.clean(raw, instance), None)
                except ValidationError as invalid:
                    outcome = (raw, invalid.error_list)
                if key is not None:
                    known[key] = outcome
            if outcome[1] is None:
                if outcome[0] is not raw:  # most values are already what clean() returns
                    setattr(instance, f.attname, outcome[0])
            else:
                errors[f.name] = outcome[1]
        try:
            instance.clean()
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _fields(self, model: type, exclude: tuple[str, ...]) -> list[tuple]:
        """The fields to clean, each with what it has said about each value so far."""
        key = (model, exclude)
        if key not in self.fields:
            self.fields[key] = [
                (f, {}) for f in model._meta.fields if f.name not in exclude and not f.generated
            ]
        return self.fields[key]
