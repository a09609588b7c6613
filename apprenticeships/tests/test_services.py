"""The write services: transitions, validation, optimistic locking and who is in the history."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from apprenticeships import linking, services
from apprenticeships.choices import (
    BreakReason,
    Destination,
    Disability,
    Outcome,
    Sex,
    Status,
    WithdrawalReason,
)
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    StandardFactory,
    TrainingProviderFactory,
)
from apprenticeships.models import (
    Apprentice,
    BreakInLearning,
    EqualityMonitoring,
    LinkRequest,
    Placement,
    PlannedEndChange,
)
from apprenticeships.rules import ALLOWED_TRANSITIONS

from .helpers import START, placement_in

DAY = datetime.date(2024, 6, 3)

# Each service, the status it moves to, and the only status it starts from (None: any allowed).
SERVICES = {
    "record_start": (Status.IN_LEARNING, Status.WAITING_TO_START),
    "return_from_break": (Status.IN_LEARNING, Status.BREAK_IN_LEARNING),
    "start_break": (Status.BREAK_IN_LEARNING, None),
    "record_completion": (Status.COMPLETED, None),
    "record_withdrawal": (Status.WITHDRAWN, None),
}

ARGUMENTS = {
    "record_start": {"started_on": DAY},
    "return_from_break": {"returned_on": DAY},
    "start_break": {"started_on": DAY, "reason": BreakReason.CARING},
    # DAY is nine months before the placements' planned end: an early completion, confirmed.
    "record_completion": {"completed_on": DAY, "outcome": Outcome.MERIT, "confirmed_early": True},
    "record_withdrawal": {"withdrawn_on": DAY, "reason": WithdrawalReason.PERSONAL},
}


def call(name, placement, user, **overrides):
    kwargs = {**ARGUMENTS[name], **overrides}
    return getattr(services, name)(
        user=user, placement=placement, expected_version=placement.version, **kwargs
    )


def test_every_allowed_transition_has_a_service():
    pairs = {(f, t) for f, targets in ALLOWED_TRANSITIONS.items() for t in targets}
    offered = {
        (f, to)
        for to, only_from in SERVICES.values()
        for f in Status.values
        if to in ALLOWED_TRANSITIONS[f] and only_from in (None, f)
    }
    assert offered == pairs


@pytest.mark.parametrize(("name", "from_status"), list(itertools.product(SERVICES, Status.values)))
def test_transition(name, from_status, hackney_hr, hackney):
    to, only_from = SERVICES[name]
    allowed = to in ALLOWED_TRANSITIONS[from_status] and only_from in (None, from_status)
    placement = placement_in(from_status, borough=hackney)
    if allowed:
        call(name, placement, hackney_hr)
        placement.refresh_from_db()
        assert placement.status == to
        assert placement.version == 2
        assert placement.history.latest().history_user == hackney_hr
    else:
        with pytest.raises(ValidationError) as caught:
            call(name, placement, hackney_hr)
        assert "You cannot" in caught.value.messages[0]
        assert Status(from_status).label.lower() in caught.value.messages[0]
        placement.refresh_from_db()
        assert placement.status == from_status
        assert placement.version == 1


def test_a_break_stays_on_record_after_the_return(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)
    services.start_break(
        user=hackney_hr,
        placement=placement,
        expected_version=1,
        started_on=DAY,
        reason=BreakReason.PARENTAL_LEAVE,
    )
    returned = DAY + datetime.timedelta(days=30)
    services.return_from_break(
        user=hackney_hr, placement=placement, expected_version=2, returned_on=returned
    )
    placement.refresh_from_db()
    assert placement.status == Status.IN_LEARNING
    period = BreakInLearning.objects.get(placement=placement)
    assert (period.started_on, period.reason, period.returned_on) == (
        DAY,
        "parental_leave",
        returned,
    )
    assert (period.recorded_by, period.return_recorded_by) == (hackney_hr, hackney_hr)
    assert placement.history.latest().history_change_reason == "Returned from break on 3 July 2024"


def test_a_second_break_is_a_second_period(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)
    for version, started in ((1, DAY), (3, DAY + datetime.timedelta(days=60))):
        services.start_break(
            user=hackney_hr,
            placement=placement,
            expected_version=version,
            started_on=started,
            reason=BreakReason.CARING,
        )
        services.return_from_break(
            user=hackney_hr,
            placement=placement,
            expected_version=version + 1,
            returned_on=started + datetime.timedelta(days=10),
        )
    assert BreakInLearning.objects.filter(placement=placement).count() == 2
    assert not BreakInLearning.objects.filter(returned_on__isnull=True).exists()


def test_a_return_with_a_revised_planned_end_keeps_the_move_and_its_reason(hackney_hr):
    placement = placement_in(Status.BREAK_IN_LEARNING)  # on a break since 8 January 2024
    old_end = placement.planned_end_date
    new_end = old_end + datetime.timedelta(days=147)
    services.return_from_break(
        user=hackney_hr,
        placement=placement,
        expected_version=1,
        returned_on=DAY,
        planned_end_date=new_end,
    )
    placement.refresh_from_db()
    assert placement.planned_end_date == new_end
    moved = PlannedEndChange.objects.get(placement=placement)
    assert (moved.from_date, moved.to_date, moved.reason) == (old_end, new_end, "break")
    assert moved.recorded_by == hackney_hr


def test_return_before_the_break_started_is_refused(hackney_hr):
    placement = placement_in(Status.BREAK_IN_LEARNING)
    with pytest.raises(ValidationError) as caught:
        call("return_from_break", placement, hackney_hr, returned_on=datetime.date(2024, 1, 1))
    assert caught.value.message_dict["returned_on"] == [
        "The date they returned must be on or after the date the break started, 8 January 2024."
    ]


def test_an_end_date_before_the_start_or_in_the_future_is_refused(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)
    with pytest.raises(ValidationError) as caught:
        call("record_withdrawal", placement, hackney_hr, withdrawn_on=START.replace(year=2022))
    assert "on or after the start date" in caught.value.message_dict["actual_end_date"][0]
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        call("record_completion", placement, hackney_hr, completed_on=tomorrow)
    assert "today or in the past" in caught.value.message_dict["actual_end_date"][0]
    placement.refresh_from_db()
    assert placement.status == Status.IN_LEARNING


def test_completion_from_a_break_ends_the_break_and_records_the_destination(hackney_hr):
    placement = placement_in(Status.BREAK_IN_LEARNING)
    call("record_completion", placement, hackney_hr, destination=Destination.COUNCIL_JOB)
    placement.refresh_from_db()
    assert placement.status == Status.COMPLETED
    assert placement.breaks.get().returned_on == DAY  # the break is kept, ended that day
    assert placement.actual_end_date == DAY
    assert (placement.outcome, placement.destination) == ("merit", "council_job")


def test_a_stale_version_is_refused_and_the_first_save_survives(hackney_hr, camden_hr):
    """The lost update: two officers read version 1; the second save must not win silently."""
    placement = placement_in(Status.IN_LEARNING)
    first = Placement.objects.get(pk=placement.pk)
    second = Placement.objects.get(pk=placement.pk)
    services.record_withdrawal(
        user=hackney_hr,
        placement=first,
        expected_version=1,
        withdrawn_on=DAY,
        reason=WithdrawalReason.RESIGNED,
    )
    with pytest.raises(services.StaleRecordError) as caught:
        services.record_completion(
            user=camden_hr,
            placement=second,
            expected_version=1,
            completed_on=DAY,
            outcome=Outcome.PASS,
        )
    assert "changed by someone else" in caught.value.messages[0]
    placement.refresh_from_db()
    assert (placement.status, placement.withdrawal_reason) == ("withdrawn", "resigned")
    assert placement.version == 2
    assert placement.history.count() == 2


def test_update_placement_stale_edit_keeps_the_first_values(hackney_hr):
    placement = placement_in(Status.IN_LEARNING, job_title="Developer")

    def edit(job_title):
        services.update_placement(
            user=hackney_hr,
            placement=placement,
            expected_version=1,
            details=services.PlacementDetails(
                standard=placement.standard,
                provider=placement.provider,
                start_date=placement.start_date,
                planned_end_date=placement.planned_end_date,
                job_title=job_title,
            ),
        )

    edit("Data analyst")
    with pytest.raises(services.StaleRecordError):
        edit("Cyber security analyst")
    placement.refresh_from_db()
    assert placement.job_title == "Data analyst"


def test_update_keeps_an_inactive_provider_but_refuses_choosing_one(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)
    placement.provider.is_active = False
    placement.provider.save()
    retired = TrainingProviderFactory(is_active=False)

    def details(provider):
        return services.PlacementDetails(
            standard=placement.standard,
            provider=provider,
            start_date=placement.start_date,
            planned_end_date=placement.planned_end_date,
            job_title="Kept",
        )

    services.update_placement(
        user=hackney_hr,
        placement=placement,
        expected_version=1,
        details=details(placement.provider),
    )
    with pytest.raises(ValidationError) as caught:
        services.update_placement(
            user=hackney_hr, placement=placement, expected_version=2, details=details(retired)
        )
    assert "no longer active" in caught.value.message_dict["provider"][0]
    placement.refresh_from_db()
    assert (
        placement.job_title == "Kept" and placement.provider != retired and placement.version == 2
    )


def _new_placement(**overrides):
    values = {
        "standard": StandardFactory(),
        "provider": TrainingProviderFactory(),
        "start_date": datetime.date(2024, 9, 2),
        "planned_end_date": datetime.date(2026, 3, 1),
        "job_title": "Apprentice developer",
    }
    return services.PlacementDetails(**{**values, **overrides})


def test_create_recruit_saves_person_equality_and_placement_with_the_user(hackney_hr, hackney):
    placement = services.create_recruit(
        user=hackney_hr,
        borough=hackney,
        apprentice=services.ApprenticeDetails(
            given_name=" Ada ", family_name="Lovelace", email="ADA@example.org"
        ),
        equality=services.EqualityAnswers(sex=Sex.FEMALE, disability=Disability.PREFER_NOT_TO_SAY),
        placement=_new_placement(),
    )
    person = placement.apprentice
    person.refresh_from_db()
    assert (person.given_name, person.email) == ("Ada", "ada@example.org")
    assert EqualityMonitoring.objects.get(apprentice=person).sex == "female"
    assert placement.status == Status.IN_LEARNING
    assert placement.history.get().history_user == hackney_hr
    assert person.history.get().history_user == hackney_hr


def test_create_recruit_in_the_future_waits_to_start_and_skips_blank_equality(hackney_hr, hackney):
    start = datetime.date.today() + datetime.timedelta(days=30)
    placement = services.create_recruit(
        user=hackney_hr,
        borough=hackney,
        apprentice=services.ApprenticeDetails(given_name="Alan", family_name="Turing"),
        equality=services.EqualityAnswers(),
        placement=_new_placement(
            start_date=start, planned_end_date=start + datetime.timedelta(days=400)
        ),
    )
    assert placement.status == Status.WAITING_TO_START
    assert not EqualityMonitoring.objects.exists()


def test_create_recruit_refuses_another_borough_and_inactive_choices(hackney_hr, camden):
    with pytest.raises(ValidationError) as caught:
        services.create_recruit(
            user=hackney_hr,
            borough=camden,
            apprentice=services.ApprenticeDetails(given_name="A", family_name="B"),
            placement=_new_placement(),
        )
    assert "borough" in caught.value.message_dict
    assert not Apprentice.objects.exists()


def test_create_recruit_refuses_inactive_standard_and_provider(hackney_hr, hackney):
    with pytest.raises(ValidationError) as caught:
        services.create_recruit(
            user=hackney_hr,
            borough=hackney,
            apprentice=services.ApprenticeDetails(given_name="A", family_name="B"),
            placement=_new_placement(
                standard=StandardFactory(is_active=False),
                provider=TrainingProviderFactory(is_active=False),
            ),
        )
    assert set(caught.value.message_dict) == {"standard", "provider"}
    assert not Apprentice.objects.exists()


def test_create_recruit_for_an_existing_person_adds_only_a_placement(hackney_hr, hackney):
    person = ApprenticeFactory()
    PlacementFactory(apprentice=person)  # held by another borough
    services.create_recruit(
        user=hackney_hr, borough=hackney, existing_apprentice=person, placement=_new_placement()
    )
    assert Apprentice.objects.count() == 1
    assert person.placements.filter(borough=hackney).exists()


def test_create_recruit_says_plainly_that_the_uln_is_held_by_its_own_borough(hackney_hr, hackney):
    held = PlacementFactory(borough=hackney).apprentice
    with pytest.raises(ValidationError) as caught:
        services.create_recruit(
            user=hackney_hr,
            borough=hackney,
            apprentice=services.ApprenticeDetails(given_name="A", family_name="B", uln=held.uln),
            placement=_new_placement(),
        )
    assert "already recorded" in caught.value.message_dict["uln"][0]
    assert Apprentice.objects.count() == 1


def test_a_uln_held_only_by_another_borough_is_never_mentioned(hackney_hr, hackney, camden):
    """Whatever the other details, the recruit is added as entered and an admin is asked."""
    held = PlacementFactory(borough=camden).apprentice
    placement = services.create_recruit(
        user=hackney_hr,
        borough=hackney,
        apprentice=services.ApprenticeDetails(given_name="A", family_name="B", uln=held.uln),
        placement=_new_placement(),
    )
    entered = placement.apprentice
    assert entered != held and (entered.uln, entered.link_pending) == (held.uln, True)
    request = LinkRequest.objects.get()
    assert (request.provisional, request.held, request.borough) == (entered, held, hackney)
    assert request.entered["given_name"] == "A"


def test_an_admin_approves_a_link_and_the_placement_moves_to_the_person_held(
    hackney_hr, hackney, camden, admin_user
):
    held = PlacementFactory(borough=camden).apprentice
    placement = services.create_recruit(
        user=hackney_hr,
        borough=hackney,
        apprentice=services.ApprenticeDetails(
            given_name=held.given_name,
            family_name=held.family_name,
            uln=held.uln,
            date_of_birth=held.date_of_birth,
        ),
        placement=_new_placement(),
    )
    request = LinkRequest.objects.get()
    assert linking.details_agree(request)
    linking.approve(request=request, user=admin_user)
    placement.refresh_from_db()
    assert placement.apprentice == held
    assert not Apprentice.objects.filter(link_pending=True).exists()
    request.refresh_from_db()
    assert (request.decision, request.decided_by) == ("approved", admin_user)


def test_an_admin_refuses_a_link_and_the_clashing_uln_comes_off(
    hackney_hr, hackney, camden, admin_user
):
    held = PlacementFactory(borough=camden).apprentice
    placement = services.create_recruit(
        user=hackney_hr,
        borough=hackney,
        apprentice=services.ApprenticeDetails(given_name="Not", family_name="Them", uln=held.uln),
        placement=_new_placement(),
    )
    request = LinkRequest.objects.get()
    assert not linking.details_agree(request)
    linking.refuse(request=request, user=admin_user)
    entered = placement.apprentice
    entered.refresh_from_db()
    assert (entered.uln, entered.link_pending) == ("", False)
    assert placement.apprentice != held
    with pytest.raises(ValidationError):
        linking.approve(request=request, user=admin_user)  # decided once only


def test_completing_more_than_three_months_early_must_be_confirmed(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)  # planned to end on 5 March 2025
    with pytest.raises(ValidationError) as caught:
        call("record_completion", placement, hackney_hr, confirmed_early=False)
    assert caught.value.message_dict["actual_end_date"] == [
        "The completion date is more than three months before the planned end date, "
        "5 March 2025. Check the date, and confirm that they completed early."
    ]
    placement.refresh_from_db()
    assert (placement.status, placement.version) == (Status.IN_LEARNING, 1)
    # Three months before, to the day, needs no confirmation.
    call("record_completion", placement, hackney_hr, completed_on=datetime.date(2024, 12, 5),
         confirmed_early=False)  # fmt: skip
    placement.refresh_from_db()
    assert placement.status == Status.COMPLETED


def test_a_change_of_provider_keeps_the_old_one_and_the_date(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)
    old = placement.provider
    new = TrainingProviderFactory()
    services.change_provider(
        user=hackney_hr, placement=placement, expected_version=1, changed_on=DAY, provider=new
    )
    placement.refresh_from_db()
    assert placement.provider == new
    change = placement.provider_changes.get()
    assert (change.from_provider, change.to_provider, change.changed_on) == (old, new, DAY)
    assert change.recorded_by == hackney_hr


def test_a_change_to_an_inactive_provider_is_refused(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)
    closed = TrainingProviderFactory(name="Closed College", is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.change_provider(
            user=hackney_hr,
            placement=placement,
            expected_version=1,
            changed_on=DAY,
            provider=closed,
        )
    assert caught.value.message_dict["provider"] == [
        "Closed College is no longer active, so it cannot be chosen: choose another."
    ]
    assert not placement.provider_changes.exists()


def test_a_new_planned_end_date_is_kept_with_its_reason(hackney_hr):
    placement = placement_in(Status.IN_LEARNING)
    old_end = placement.planned_end_date
    details = services.PlacementDetails(
        standard=placement.standard,
        provider=placement.provider,
        start_date=placement.start_date,
        planned_end_date=old_end + datetime.timedelta(days=90),
    )
    with pytest.raises(ValidationError) as caught:
        services.update_placement(
            user=hackney_hr, placement=placement, expected_version=1, details=details
        )
    assert caught.value.message_dict["planned_end_reason"] == [
        "Select why the planned end date has changed."
    ]
    services.update_placement(
        user=hackney_hr,
        placement=placement,
        expected_version=1,
        details=details,
        planned_end_reason="extension",
    )
    moved = placement.planned_end_changes.get()
    assert (moved.from_date, moved.to_date, moved.reason) == (
        old_end,
        old_end + datetime.timedelta(days=90),
        "extension",
    )


def test_counting_is_unchanged_by_kept_changes_of_circumstance(hackney_hr):
    """A recruit is still counted once, and retention reads the current status only: two breaks
    and a change of provider leave one started placement, in learning."""
    placement = placement_in(Status.IN_LEARNING)
    for version, started in ((1, DAY), (3, DAY + datetime.timedelta(days=40))):
        services.start_break(user=hackney_hr, placement=placement, expected_version=version,
                             started_on=started, reason=BreakReason.WORK)  # fmt: skip
        services.return_from_break(user=hackney_hr, placement=placement,
                                   expected_version=version + 1,
                                   returned_on=started + datetime.timedelta(days=7))  # fmt: skip
    services.change_provider(user=hackney_hr, placement=placement, expected_version=5,
                             changed_on=DAY, provider=TrainingProviderFactory())  # fmt: skip
    assert Placement.objects.started().count() == 1
    assert Placement.objects.get().status == Status.IN_LEARNING
