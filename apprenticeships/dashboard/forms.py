"""The dashboard's filters: a GET form, so the filter state lives in a shareable URL."""

from __future__ import annotations

import datetime

from django import forms

from apprenticeships.models import RecruitmentTarget, current_or_latest
from boroughs.models import Borough


class DateInputWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes named <name>_0, <name>_1, <name>_2."""

    def __init__(self):
        numeric = {"inputmode": "numeric"}
        super().__init__(
            [
                forms.TextInput(attrs={**numeric, "class": "govuk-input--width-2"}),
                forms.TextInput(attrs={**numeric, "class": "govuk-input--width-2"}),
                forms.TextInput(attrs={**numeric, "class": "govuk-input--width-4"}),
            ]
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    """A date from three boxes, with GOV.UK's plain-English messages."""

    widget = DateInputWidget

    def __init__(self, **kwargs):
        fields = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        parts = [(p or "").strip() for p in (data_list or [])]
        if not any(parts):
            return None
        name = self.label
        if not all(parts) or len(parts) != 3:
            raise forms.ValidationError(f"{name} must include a day, month and year.")
        if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            raise forms.ValidationError(f"{name} must be a real date, like 31 8 2020.")
        try:
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date, like 31 8 2020.") from None


class DashboardFilterForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=RecruitmentTarget.objects.order_by("-opens_on", "name"),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": "Select a recruitment target from the list."},
    )
    boroughs = forms.ModelMultipleChoiceField(
        queryset=Borough.objects.none(),
        to_field_name="gss_code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Boroughs",
        help_text="Leave all unticked to see every borough you have access to.",
        error_messages={
            "invalid_choice": (
                "Select boroughs from the list: %(value)s is not one of the boroughs "
                "in this campaign whose figures you can see."
            ),
        },
    )
    start_from = DateInputField(label="Started on or after")
    start_to = DateInputField(label="Started on or before")

    def __init__(self, *args, user, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The campaign the page shows: the one named in the URL if it exists, else the open one
        # (or the latest). Picked from the target choices, read once here and listed again by
        # the view from the same cached queryset, so choosing costs no query of its own.
        targets = list(self.fields["target"].queryset)
        wanted = str(self.data.get("target", "")) if self.is_bound else ""
        named = [t for t in targets if str(t.pk) == wanted]
        self.target = (
            named[0] if named else current_or_latest(targets, today or datetime.date.today())
        )
        # Only the chosen campaign's boroughs among the user's own are choices, so an edited URL
        # cannot widen the scope, and a borough outside the campaign is never offered.
        self.fields["boroughs"].queryset = (
            Borough.objects.for_user(user).filter(recruitment_targets=self.target).order_by("name")
            if self.target is not None
            else Borough.objects.none()
        )

    def clean(self):
        cleaned = super().clean()
        start_from, start_to = cleaned.get("start_from"), cleaned.get("start_to")
        if start_from and start_to and start_to < start_from:
            self.add_error(
                "start_to", "Started on or before must be the same as or after started on or after."
            )
        return cleaned
