"""Model rules: each plain-English message, and the database constraint behind it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apprenticeships.choices import Status
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    RecruitmentTargetFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import (
    Apprentice,
    BreakInLearning,
    Placement,
    RecruitmentTarget,
    TrainingProvider,
)
from boroughs.factories import BoroughFactory

D = datetime.date


def messages_for(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def assert_refused_by_database(**changes) -> None:
    """Write the change past model validation: the database itself must refuse it."""
    placement = PlacementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(**changes)


@pytest.mark.django_db
class TestPlacementRules:
    def test_a_valid_placement_passes(self):
        PlacementFactory().full_clean()

    def test_planned_end_before_start(self):
        placement = PlacementFactory.build(
            start_date=D(2020, 9, 1), planned_end_date=D(2020, 8, 31)
        )
        assert messages_for(placement)["planned_end_date"] == [
            "Planned end date must be after the start date."
        ]

    def test_database_refuses_planned_end_before_start(self):
        assert_refused_by_database(planned_end_date=D(2000, 1, 1))

    def test_completed_without_end_date(self):
        placement = PlacementFactory.build(status=Status.COMPLETED)
        assert (
            "Enter the date the apprenticeship was completed."
            in messages_for(placement)["actual_end_date"]
        )

    def test_database_refuses_completed_without_end_date(self):
        assert_refused_by_database(status=Status.COMPLETED)

    def test_withdrawn_without_reason(self):
        placement = PlacementFactory.build(status=Status.WITHDRAWN, actual_end_date=D(2020, 1, 10))
        assert messages_for(placement)["withdrawal_reason"] == [
            "Select why the apprentice withdrew."
        ]

    def test_database_refuses_withdrawn_without_reason(self):
        assert_refused_by_database(status=Status.WITHDRAWN, actual_end_date=D(2020, 1, 10))

    def test_actual_end_before_start(self):
        placement = PlacementFactory.build(
            status=Status.COMPLETED, actual_end_date=D(2019, 1, 1), outcome="pass"
        )
        assert (
            "The completion date must be on or after the start date, 2 September 2019."
            in messages_for(placement)["actual_end_date"]
        )

    def test_database_refuses_actual_end_before_start(self):
        assert_refused_by_database(
            status=Status.COMPLETED, actual_end_date=D(2000, 1, 1), outcome="pass"
        )

    def test_open_placement_cannot_have_an_end_date(self):
        placement = PlacementFactory.build(actual_end_date=D(2020, 1, 1))
        assert "Only a completed or withdrawn" in messages_for(placement)["actual_end_date"][0]
        assert_refused_by_database(actual_end_date=D(2020, 1, 1))

    def test_outcome_only_when_completed(self):
        placement = PlacementFactory.build(outcome="merit")
        assert messages_for(placement)["outcome"] == [
            "Only a completed apprenticeship has an outcome."
        ]
        assert_refused_by_database(outcome="merit")

    def test_unknown_status_refused_by_database(self):
        assert_refused_by_database(status="on_holiday")

    def test_apprentice_under_16_at_start(self):
        apprentice = ApprenticeFactory(date_of_birth=D(2004, 3, 1))
        placement = PlacementFactory.build(apprentice=apprentice, start_date=D(2020, 2, 28))
        assert messages_for(placement)["start_date"] == [
            "The apprentice would be 15 on the start date: apprentices must be at least 16."
        ]

    def test_apprentice_who_turns_16_on_the_start_date_may_start(self):
        apprentice = ApprenticeFactory(date_of_birth=D(2004, 3, 1))
        placement = PlacementFactory.build(
            apprentice=apprentice,
            borough=BoroughFactory(),
            standard=StandardFactory(),
            provider=TrainingProviderFactory(),
            start_date=D(2020, 3, 1),
        )
        placement.full_clean()

    def test_one_placement_per_apprentice_borough_standard_and_start(self):
        placement = PlacementFactory()
        twin = PlacementFactory.build(
            apprentice=placement.apprentice,
            borough=placement.borough,
            standard=placement.standard,
            provider=placement.provider,
            start_date=placement.start_date,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            twin.save()


@pytest.mark.django_db
class TestBreaksInLearning:
    def test_a_break_cannot_start_before_the_apprenticeship(self):
        placement = PlacementFactory(start_date=D(2020, 3, 2))
        period = BreakInLearning(placement=placement, started_on=D(2020, 3, 1), reason="health")
        assert messages_for(period)["started_on"] == [
            "The date the break started must be on or after the start date, 2 March 2020."
        ]

    def test_the_database_refuses_a_return_before_the_break(self):
        placement = PlacementFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            BreakInLearning.objects.create(
                placement=placement,
                started_on=D(2020, 3, 2),
                returned_on=D(2020, 3, 1),
                reason="health",
            )

    def test_the_database_refuses_two_open_breaks(self):
        placement = PlacementFactory()
        BreakInLearning.objects.create(placement=placement, started_on=D(2020, 3, 2), reason="work")
        with pytest.raises(IntegrityError), transaction.atomic():
            BreakInLearning.objects.create(
                placement=placement, started_on=D(2020, 4, 2), reason="work"
            )


@pytest.mark.django_db
class TestStatusTransitions:
    @pytest.mark.parametrize(
        ("start", "offered"),
        [
            (Status.WAITING_TO_START, ["start", "change_provider"]),
            (Status.IN_LEARNING, ["break", "change_provider", "complete", "withdraw"]),
            (Status.BREAK_IN_LEARNING, ["return", "change_provider", "complete", "withdraw"]),
            (Status.COMPLETED, []),
            (Status.WITHDRAWN, []),
        ],
    )
    def test_the_actions_each_status_offers(self, start, offered):
        assert Placement(status=start).available_actions() == offered

    def test_a_completed_placement_cannot_go_back_to_learning(self):
        held = PlacementFactory(
            status=Status.COMPLETED, actual_end_date=D(2021, 1, 4), outcome="pass"
        )
        placement = Placement.objects.get(pk=held.pk)
        placement.status, placement.actual_end_date, placement.outcome = (
            Status.IN_LEARNING,
            None,
            "",
        )
        assert messages_for(placement)["status"] == [
            "This placement is held as completed; it cannot change to in learning."
        ]


@pytest.mark.django_db
class TestApprenticeRules:
    def test_wrong_uln_check_digit(self):
        apprentice = ApprenticeFactory.build(uln="1234567890")
        assert "last digit does not match" in messages_for(apprentice)["uln"][0]

    def test_database_refuses_a_uln_that_is_not_ten_digits(self):
        apprentice = ApprenticeFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Apprentice.objects.filter(pk=apprentice.pk).update(uln="12345")

    def test_real_uln_is_unique_but_the_temporary_one_is_shared(self):
        ApprenticeFactory(uln="9999999999")
        ApprenticeFactory(uln="9999999999")
        ApprenticeFactory(uln="1234567899")
        with pytest.raises(IntegrityError), transaction.atomic():
            ApprenticeFactory(uln="1234567899")

    def test_email_is_unique_regardless_of_case(self):
        ApprenticeFactory(email="sam@example.org")
        with pytest.raises(IntegrityError), transaction.atomic():
            ApprenticeFactory(email="SAM@example.org")

    def test_many_apprentices_may_have_no_email(self):
        ApprenticeFactory(email="")
        ApprenticeFactory(email="")
        assert Apprentice.objects.filter(email="").count() == 2


@pytest.mark.django_db
class TestReferenceRules:
    def test_level_outside_2_to_7(self):
        standard = StandardFactory.build(level=8)
        assert messages_for(standard)["level"] == ["Apprenticeship levels run from 2 to 7."]
        with pytest.raises(IntegrityError), transaction.atomic():
            StandardFactory(level=1)

    def test_ukprn_format(self):
        provider = TrainingProviderFactory.build(ukprn="20000000")
        assert "8 digits starting with 1" in messages_for(provider)["ukprn"][0]
        with pytest.raises(IntegrityError), transaction.atomic():
            TrainingProvider.objects.create(name="Bad", ukprn="2000000")

    def test_ukprn_unique(self):
        TrainingProviderFactory(ukprn="10000099")
        with pytest.raises(IntegrityError), transaction.atomic():
            TrainingProvider.objects.create(name="Twin", ukprn="10000099")

    def test_target_closes_before_it_opens(self):
        target = RecruitmentTargetFactory.build(opens_on=D(2020, 1, 1), closes_on=D(2019, 1, 1))
        assert "closes_on" in messages_for(target)
        with pytest.raises(IntegrityError), transaction.atomic():
            target.save()

    def test_current_or_latest_target(self):
        old = RecruitmentTargetFactory(opens_on=D(2019, 6, 1), closes_on=D(2020, 9, 30))
        assert RecruitmentTarget.objects.current_or_latest(D(2021, 1, 1)) == old
        current = RecruitmentTargetFactory(opens_on=D(2021, 1, 1), closes_on=D(2022, 1, 1))
        assert RecruitmentTarget.objects.current_or_latest(D(2021, 6, 1)) == current

    def test_the_default_target_is_the_open_one_then_the_last_closed_then_the_next(
        self, django_assert_num_queries
    ):
        """The dashboard opens on this target: one query, whatever the mix of dates."""
        pick = RecruitmentTarget.objects.current_or_latest
        assert pick(D(2021, 1, 1)) is None  # none set up yet
        later = RecruitmentTargetFactory(opens_on=D(2023, 1, 1), closes_on=D(2023, 12, 31))
        sooner = RecruitmentTargetFactory(opens_on=D(2022, 1, 1), closes_on=D(2022, 12, 31))
        assert pick(D(2021, 1, 1)) == sooner  # none open or closed: the next to open
        closed_long_ago = RecruitmentTargetFactory(opens_on=D(2018, 1, 1), closes_on=D(2018, 6, 1))
        closed_lately = RecruitmentTargetFactory(opens_on=D(2019, 1, 1), closes_on=D(2020, 6, 1))
        assert pick(D(2021, 1, 1)) == closed_lately
        assert pick(D(2019, 1, 1)) == closed_lately  # it opens that day: open beats closed
        assert pick(D(2018, 12, 1)) == closed_long_ago  # the only one closed by then
        open_long = RecruitmentTargetFactory(opens_on=D(2020, 1, 1), closes_on=D(2021, 12, 31))
        open_short = RecruitmentTargetFactory(opens_on=D(2020, 6, 1), closes_on=D(2021, 3, 31))
        assert pick(D(2021, 1, 1)) == open_short  # both open: the one closing first
        assert pick(D(2021, 12, 31)) == open_long  # its last day
        assert pick(D(2022, 6, 1)) == sooner
        with django_assert_num_queries(1):
            assert pick(D(2024, 1, 1)) == later  # all closed: the most recent
