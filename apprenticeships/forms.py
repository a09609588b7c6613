"""Forms for the HR pages, with GOV.UK-style messages ("Start date must include a year")."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from boroughs.models import Borough

from . import rules
from .choices import (
    BreakReason,
    Destination,
    Disability,
    EthnicGroup,
    Outcome,
    PlannedEndChangeReason,
    Sex,
    Status,
    WithdrawalReason,
)
from .models import Placement, Standard, TrainingProvider
from .services import ApprenticeDetails, PlacementDetails
from .validators import validate_uln

DATE_HINT = "For example, 27 3 2024"


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes named <name>_0, _1, _2 (templates/_partials/_date_input.html)."""

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric"}
        super().__init__([forms.TextInput(box), forms.TextInput(box), forms.TextInput(box)], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from three boxes, with the Design System's error messages, named by the label."""

    widget = GovukDateWidget

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        self.name_in_messages = label
        parts = [forms.CharField(required=False) for _ in range(3)]
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(parts, label=label, required=required, require_all_fields=False, **kwargs)

    def clean(self, value):
        # The parts are validated together in compress(): one clear message for the whole date.
        value = value if isinstance(value, list | tuple) else [None, None, None]
        return self.compress([(part or "").strip() for part in value])

    def compress(self, data_list):
        day, month, year = [*data_list, "", "", ""][:3]
        name = self.name_in_messages
        if not (day or month or year):
            if self.required:
                raise ValidationError(f"Enter the {name.lower()}", code="required")
            return None
        missing = [w for w, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{name} must be a real date")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{name} must be a real date") from None


def _radio(choices, label: str, *, required: bool = True, help_text: str = "", message: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message or f"Select {label.lower()}"},
    )


class ApprenticeForm(forms.Form):
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the apprentice’s first name"},
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the apprentice’s last name"},
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput({"autocomplete": "off", "spellcheck": "false"}),
    )
    uln = forms.CharField(
        label="Unique Learner Number (ULN) (optional)",
        required=False,
        help_text="10 digits. Leave this blank if the real one is not known yet.",
        validators=[validate_uln],
        widget=forms.TextInput({"inputmode": "numeric", "spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2004")

    def clean_uln(self) -> str:
        return self.cleaned_data["uln"].replace(" ", "")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born >= datetime.date.today():
            raise ValidationError("Date of birth must be in the past")
        return born

    def details(self) -> ApprenticeDetails:
        """The person's details as the services take them (after is_valid())."""
        data = self.cleaned_data
        return ApprenticeDetails(
            given_name=data["given_name"],
            family_name=data["family_name"],
            email=data["email"],
            uln=data["uln"],
            date_of_birth=data["date_of_birth"],
        )


class DuplicateChoiceForm(forms.Form):
    USE = "use"
    CHANGE = "change"
    choice = _radio(
        [
            (USE, "Yes, add this placement to that apprentice’s record"),
            (CHANGE, "No, go back and change the details I entered"),
        ],
        "Is this the same person?",
        message="Select whether this is the same person",
    )


class EqualityForm(forms.Form):
    """Optional questions: a blank answer is stored as not answered."""

    sex = _radio(Sex.choices, "What is the apprentice’s sex? (optional)", required=False)
    ethnic_group = _radio(
        EthnicGroup.choices, "What is the apprentice’s ethnic group? (optional)", required=False
    )
    disability = _radio(
        Disability.choices,
        "Does the apprentice consider themselves to have a disability? (optional)",
        required=False,
    )


LIVING_WAGE_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


def _offer(field, accepted, listed, own: int | None, order: str) -> None:
    field.queryset = accepted.order_by(order)
    if own is not None:
        listed = listed | accepted.filter(pk=own)
    field.widget.choices = forms.models.ModelChoiceIterator(
        forms.ModelChoiceField(listed.order_by(order), empty_label=field.empty_label)
    )


class PlacementDetailsForm(forms.Form):
    """The placement's own details, shared by the add-a-recruit journey and the edit page."""

    standard = forms.ModelChoiceField(
        label="Apprenticeship standard",
        queryset=Standard.objects.none(),
        empty_label="Choose a standard",
        error_messages={
            "required": "Select the apprenticeship standard",
            "invalid_choice": "Select a standard from the list",
        },
    )
    provider = forms.ModelChoiceField(
        label="Training provider",
        queryset=TrainingProvider.objects.none(),
        empty_label="Choose a training provider",
        error_messages={
            "required": "Select the training provider",
            "invalid_choice": "Select a training provider from the list",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    service_area = forms.CharField(label="Service area (optional)", max_length=200, required=False)
    start_date = GovukDateField(label="Start date")
    planned_end_date = GovukDateField(label="Planned end date")
    pays_london_living_wage = _radio(
        LIVING_WAGE_CHOICES, "Does the pay meet the London Living Wage?", required=False
    )

    def __init__(self, *args, current=None, date_of_birth=None, **kwargs):
        """`current`: the placement being edited, whose own standard and provider stay choosable.
        `date_of_birth`: the apprentice's, for the minimum age at start."""
        super().__init__(*args, **kwargs)
        self.current = current
        self.date_of_birth = current.apprentice.date_of_birth if current else date_of_birth
        # Listed: the active ones (and the placement's own). Accepted: any that exists, so that an
        # inactive one is refused by the rules, in the rules' words, as on every other path.
        _offer(self.fields["standard"], Standard.objects.all(), Standard.objects.active(),
               current.standard_id if current else None, "reference")  # fmt: skip
        _offer(self.fields["provider"], TrainingProvider.objects.all(),
               TrainingProvider.objects.active(), current.provider_id if current else None,
               "name")  # fmt: skip

    def clean(self):
        """The placement rules (rules.py), so each fault shows next to its field at once."""
        data = super().clean()
        candidate = self._candidate(data)
        errors = rules.placement_errors(
            candidate,
            before=self.current.before if self.current else None,
            today=datetime.date.today(),
            date_of_birth=self.date_of_birth,
        )
        for field, messages in errors.items():
            if field in self.errors:
                continue  # the box itself is wrong: its own message is enough
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data

    def _candidate(self, data: dict) -> Placement:
        """The placement as it would be saved: the current one changed, or a new one."""
        fields = {
            name: data.get(name)
            for name in ("standard", "provider", "start_date", "planned_end_date")
            if name in self.fields
        }
        if self.current is not None:
            candidate = Placement(**{f.attname: getattr(self.current, f.attname) for f in
                                     Placement._meta.concrete_fields})  # fmt: skip
            candidate.read_as = self.current.before
            for name, value in fields.items():
                setattr(candidate, name, value)
            if "provider" not in fields:
                candidate.provider = self.current.provider
            return candidate
        start = fields["start_date"]
        status = rules.initial_status(start, datetime.date.today()) if start else Status.IN_LEARNING
        return Placement(status=status, **fields)

    def living_wage(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("pays_london_living_wage"))

    def details(self) -> PlacementDetails:
        """The placement's details as the services take them (after is_valid())."""
        data = self.cleaned_data
        return PlacementDetails(
            standard=data["standard"],
            provider=data["provider"] if "provider" in self.fields else self.current.provider,
            start_date=data["start_date"],
            planned_end_date=data["planned_end_date"],
            job_title=data["job_title"],
            service_area=data["service_area"],
            pays_london_living_wage=self.living_wage(),
        )

    @staticmethod
    def living_wage_initial(value: bool | None) -> str:
        return {True: "yes", False: "no"}.get(value, "unknown")


class NewPlacementForm(PlacementDetailsForm):
    """In the journey the user also picks the borough, when they work for more than one."""

    borough = forms.ModelChoiceField(
        label="Borough",
        queryset=Borough.objects.none(),
        empty_label="Choose a borough",
        error_messages={"required": "Select the borough", "invalid_choice": "Select a borough"},
    )
    field_order = ["borough"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        boroughs = list(Borough.objects.for_user(user).order_by("name"))
        self.only_borough = boroughs[0] if len(boroughs) == 1 else None
        if self.only_borough:
            del self.fields["borough"]  # Nothing to choose: most HR officers work for one borough.
        else:
            self.fields["borough"].queryset = Borough.objects.filter(
                pk__in=[b.pk for b in boroughs]
            )

    def chosen_borough(self) -> Borough:
        return self.only_borough or self.cleaned_data["borough"]


class VersionedForm(forms.Form):
    """Carries the version the user read, for optimistic locking (services.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class BreakForm(VersionedForm):
    started_on = GovukDateField(label="Date the break started")
    reason = _radio(BreakReason.choices, "Reason for the break")


class ReturnForm(VersionedForm):
    returned_on = GovukDateField(label="Date they returned")
    planned_end_date = GovukDateField(
        label="New planned end date",
        help_text="We have moved it on by the length of the break. Change it if the provider "
        "agreed another date.",
    )


class ChangeProviderForm(VersionedForm):
    changed_on = GovukDateField(label="Date of the change")
    provider = forms.ModelChoiceField(
        label="New training provider",
        queryset=TrainingProvider.objects.none(),
        empty_label="Choose a training provider",
        error_messages={
            "required": "Select the new training provider",
            "invalid_choice": "Select a training provider from the list",
        },
    )

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (
            TrainingProvider.objects.active().exclude(pk=placement.provider_id).order_by("name")
        )


def _destination_field() -> forms.ChoiceField:
    """The same question on completion and withdrawal. Its blank (nothing recorded yet) and
    "Not known" (asked, and nobody knows) meant different things under near-identical words;
    the blank now reads as a prompt, and the hint says which to choose."""
    return forms.ChoiceField(
        label="What did they go on to do? (optional)",
        help_text=(
            "Leave this until you find out, if you can. Choose ‘Not known’ only if you "
            "have asked and nobody knows."
        ),
        choices=[("", "Not recorded yet"), *Destination.choices],
        required=False,
    )


class StartForm(VersionedForm):
    start_date = GovukDateField(label="Date they started")


class CompletionForm(VersionedForm):
    actual_end_date = GovukDateField(label="Completion date")
    outcome = _radio(Outcome.choices, "Outcome", message="Select the outcome")
    destination = _destination_field()
    # Asked only once the date turned out to be more than three months early
    # (rules.completes_early): until then a hidden "no".
    confirm_early = forms.BooleanField(
        label="Yes, they completed more than three months early",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("confirm_early") in ("on", "True", "true"):
            self.ask_to_confirm()

    def ask_to_confirm(self) -> None:
        self.fields["confirm_early"].widget = forms.CheckboxInput()


class WithdrawalForm(VersionedForm):
    actual_end_date = GovukDateField(label="Date they withdrew")
    reason = forms.ChoiceField(
        label="Reason for withdrawal",
        choices=[("", "Choose a reason"), *WithdrawalReason.choices],
        error_messages={"required": "Select the reason for withdrawal"},
    )
    destination = _destination_field()


class PlacementEditForm(VersionedForm, PlacementDetailsForm):
    """The edit page. The provider is changed on a page of its own, which keeps the date."""

    planned_end_reason = forms.ChoiceField(
        label="If the planned end date has changed, why?",
        choices=PlannedEndChangeReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["provider"]


class ApprenticeEditForm(ApprenticeForm):
    """The person's details, with the last-change time they were read at (optimistic lock)."""

    updated_at = forms.CharField(widget=forms.HiddenInput)
