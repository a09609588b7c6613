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
        self.known: dict[tuple, tuple[object, list | None]] = {}

    def __call__(self, instance, *, exclude: list[str]) -> None:
        errors: dict = {}
        for f in instance._meta.fields:
            if f.name in exclude or f.generated:
                continue
            raw = getattr(instance, f.attname)
            if (f.blank and raw in f.empty_values) or isinstance(raw, DatabaseDefault):
                continue
            cleaned, failed = self._clean_field(f, raw, instance)
            if failed is None:
                setattr(instance, f.attname, cleaned)
            else:
                errors[f.name] = failed
        try:
            instance.clean()
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_field(self, f, raw, instance) -> tuple[object, list | None]:
        key = (f, type(raw), raw) if type(raw) in self.REMEMBERED_TYPES else None
        if key is not None and key in self.known:
            return self.known[key]
        try:
            outcome = (f.clean(raw, instance), None)
        except ValidationError as invalid:
            outcome = (raw, invalid.error_list)
        if key is not None:
            self.known[key] = outcome
        return outcome
