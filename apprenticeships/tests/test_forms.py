"""The GOV.UK date input field and the placement form's choices."""

import datetime

import pytest
from django import forms

from apprenticeships.factories import PlacementFactory, StandardFactory, TrainingProviderFactory
from apprenticeships.forms import ChangeProviderForm, GovukDateField, PlacementEditForm


class DateForm(forms.Form):
    start_date = GovukDateField(label="Start date")
    end_date = GovukDateField(label="End date", required=False)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the start date"),
        ("1", "9", "", "Start date must include a year"),
        ("", "9", "", "Start date must include a day and a year"),
        ("31", "2", "2024", "Start date must be a real date"),
        ("1", "sept", "2024", "Start date must be a real date"),
        ("1", "9", "24", "Year must include 4 numbers"),
    ],
)
def test_date_errors(day, month, year, message):
    form = DateForm({"start_date_0": day, "start_date_1": month, "start_date_2": year})
    assert form.errors["start_date"] == [message]


def test_a_real_date_and_an_optional_blank():
    form = DateForm({"start_date_0": " 2 ", "start_date_1": "09", "start_date_2": "2024"})
    assert form.is_valid()
    assert form.cleaned_data == {"start_date": datetime.date(2024, 9, 2), "end_date": None}


def test_the_boxes_show_what_was_typed_and_decompress_dates():
    bound = DateForm({"start_date_0": "31", "start_date_1": "2", "start_date_2": "2024"})
    html = str(bound["start_date"])
    assert 'name="start_date_0"' in html and 'value="31"' in html
    unbound = DateForm(initial={"start_date": datetime.date(2024, 9, 2)})
    assert 'value="2024"' in str(unbound["start_date"])


@pytest.mark.django_db
def test_edit_form_offers_active_standards_and_the_placements_own():
    placement = PlacementFactory(standard=StandardFactory(is_active=False))
    other_retired = StandardFactory(is_active=False)
    active = StandardFactory()
    listed = PlacementEditForm(current=placement).fields["standard"].widget.choices
    standards = {value.instance for value, _ in listed if value}
    assert standards == {placement.standard, active}
    assert other_retired not in standards
    # The provider changes on its own page, which keeps the date of the change.
    assert "provider" not in PlacementEditForm(current=placement).fields


@pytest.mark.django_db
def test_change_of_provider_offers_only_other_active_providers():
    placement = PlacementFactory(provider=TrainingProviderFactory(is_active=False))
    TrainingProviderFactory(is_active=False)
    active = TrainingProviderFactory()
    offered = set(ChangeProviderForm(placement=placement).fields["provider"].queryset)
    assert offered == {active}
