import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apprenticeships import rules
from apprenticeships.choices import Status
from apprenticeships.demo import (
    CAMPAIGN_CLOSES,
    CAMPAIGN_OPENS,
    CURRENT_TARGET,
    DEMO_TARGET_NAME,
    current_campaign_dates,
    current_campaign_name,
    load_demo_data,
)
from apprenticeships.management.commands import load_demo_data as command
from apprenticeships.models import NEEDS_ACTION, Apprentice, Placement, Pledge, RecruitmentTarget
from boroughs.models import Borough
from loti_portal.accounts.models import Role, User


@pytest.fixture
def reference_data(db):
    call_command("seed_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def password_file(tmp_path, monkeypatch):
    """The kept demo password goes to a temporary folder, never the project's."""
    path = tmp_path / ".demo-password"
    monkeypatch.setattr(command, "PASSWORD_FILE", path)
    return path


def load(*args, stdin: str | None = None) -> str:
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(
        Placement.objects.order_by(
            "start_date", "apprentice__email", "standard__reference"
        ).values_list(
            "apprentice__email",
            "apprentice__uln",
            "borough__gss_code",
            "standard__reference",
            "provider__ukprn",
            "start_date",
            "status",
            "actual_end_date",
            "withdrawal_reason",
            "outcome",
        )
    )


@pytest.mark.django_db
def test_default_tells_the_campaign_story():
    output = load()
    target = RecruitmentTarget.objects.get(name=DEMO_TARGET_NAME)
    assert (target.target_number, target.opens_on, target.closes_on) == (
        100,
        CAMPAIGN_OPENS,
        CAMPAIGN_CLOSES,
    )
    recruited = (
        Placement.objects.started()
        .filter(
            start_date__range=(CAMPAIGN_OPENS, CAMPAIGN_CLOSES), borough__in=target.boroughs.all()
        )
        .values("apprentice")
        .distinct()
        .count()
    )
    assert recruited > 100
    assert f"{recruited} recruited in the 2019–20 campaign" in output
    # Hackney's own programme started in 2018, before LOTI.
    assert Placement.objects.filter(start_date__year=2018, borough__name="Hackney").exists()
    statuses = set(Placement.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Placement.objects.filter(status=Status.COMPLETED).exclude(outcome="").exists()
    assert Placement.objects.filter(status=Status.COMPLETED).exclude(destination="").exists()
    assert Borough.objects.filter(is_loti_member=True, membership_is_demo=True).count() >= 15


@pytest.mark.django_db
def test_every_record_is_labelled_demo_and_passes_validation():
    load()
    assert not Apprentice.objects.filter(is_demo=False).exists()
    assert not Placement.objects.filter(is_demo=False).exists()
    for apprentice in Apprentice.objects.all():
        assert apprentice.email.endswith("@example.invalid")
        assert apprentice.family_name.endswith("-Demo")
        apprentice.full_clean()
    for placement in Placement.objects.select_related("apprentice"):
        placement.full_clean()
        assert placement.age_at_start == placement.apprentice.age_on(placement.start_date)
    # One "created" history row per record, as for any other write.
    assert Placement.history.filter(history_type="+").count() == Placement.objects.count()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_a_rerun_changes_nothing():
    load("--seed", "5", "--placements", "90")
    first = snapshot()
    history_rows = Placement.history.count()
    assert "already loaded" in load("--seed", "5", "--placements", "90")
    assert snapshot() == first
    assert Placement.history.count() == history_rows
    load("--seed", "6", "--placements", "90")
    assert snapshot() != first
    load("--seed", "5", "--placements", "90")
    assert snapshot() == first


@pytest.mark.django_db
def test_real_records_are_left_alone(hackney):
    from apprenticeships.factories import PlacementFactory

    real = PlacementFactory(borough=hackney, start_date=datetime.date(2019, 9, 2))
    load("--placements", "40")
    load("--placements", "50")
    real.refresh_from_db()
    assert Placement.objects.filter(is_demo=False).get() == real


@pytest.mark.django_db
def test_demo_users_only_under_debug_or_when_asked(settings):
    settings.DEBUG = False
    assert "Demo sign-ins not created" in load("--placements", "30")
    assert not User.objects.exists()
    output = load("--placements", "30", "--with-users")
    hr = User.objects.get(email="hr.hackney@demo.example")
    assert hr.role == Role.BOROUGH_HR
    assert [m.borough.name for m in hr.memberships.all()] == ["Hackney"]
    assert User.objects.get(email="admin@demo.example").is_superuser
    password = output.split("password for all of them: ", 1)[1].splitlines()[0].strip()
    assert hr.check_password(password)


@pytest.mark.django_db
def test_a_second_run_keeps_the_demo_password(settings, password_file):
    settings.DEBUG = True
    first = load("--placements", "30").split("password for all of them: ", 1)[1].split()[0]
    assert oct(password_file.stat().st_mode & 0o777) == "0o600"
    second = load("--placements", "30").split("password for all of them: ", 1)[1].split()[0]
    assert first == second
    assert User.objects.get(email="hr.camden@demo.example").check_password(second)
    password_file.unlink()  # deleting the file is how to ask for a new one
    third = load("--placements", "30").split("password for all of them: ", 1)[1].split()[0]
    assert third != first


# --- The story on any day: the current campaign and every member borough's current states ---

DAYS = [
    datetime.date(2026, 12, 1),  # the day
    datetime.date(2025, 3, 31),
    datetime.date(2028, 2, 29),  # a leap day
    datetime.date(2031, 7, 15),
]


@pytest.mark.django_db
@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_story_on_any_day(reference_data, today):
    summary = load_demo_data(today=today)
    # The 2019–20 campaign passed 100 before it closed, whatever today is.
    assert summary.recruited_in_campaign > 100
    # The current campaign opened within the last year and closes in the future.
    current = RecruitmentTarget.objects.get(name=current_campaign_name(today))
    assert today - datetime.timedelta(days=366) < current.opens_on <= today < current.closes_on
    assert (current.opens_on, current.closes_on) == current_campaign_dates(today)
    members = set(Borough.objects.filter(is_loti_member=True, membership_is_demo=True))
    assert set(current.boroughs.all()) == members
    pledges = {p.borough: p.number for p in Pledge.objects.filter(target=current)}
    assert set(pledges) == members
    assert abs(sum(pledges.values()) - CURRENT_TARGET) <= 25
    # Recruited so far, near the straight line to the target; some boroughs ahead of their
    # pledge pro rata and some behind.
    elapsed = ((today - current.opens_on).days + 1) / (
        (current.closes_on - current.opens_on).days + 1
    )
    assert (
        0.8 * CURRENT_TARGET * elapsed
        <= summary.current_recruited
        <= 1.3 * CURRENT_TARGET * elapsed
    )
    started = Placement.objects.started(on=today).filter(
        start_date__range=(current.opens_on, today)
    )
    ahead = behind = 0
    for borough, pledged in pledges.items():
        recruits = started.filter(borough=borough).values("apprentice").distinct().count()
        ahead += recruits > pledged * elapsed
        behind += recruits < pledged * elapsed
    assert ahead >= 3 and behind >= 3
    # Every member borough has people in each current state, and records needing action for
    # each reason.
    counts = Placement.objects.now_people_by_borough(today)
    for borough in members:
        for state in rules.NOW_STATES:
            assert counts[borough.pk][state] > 0, (borough.name, state)
        for reason in rules.ACTION_REASONS:
            needing = Placement.objects.filter(borough=borough).with_action_reasons(today)
            assert needing.filter(**{f"needs_{reason}": True}).exists(), (borough.name, reason)
        assert counts[borough.pk][NEEDS_ACTION] > 0
    # Hackney's 2018 programme is still there.
    assert Placement.objects.filter(start_date__year=2018, borough__name="Hackney").exists()


@pytest.mark.django_db
def test_the_same_seed_and_day_give_the_same_data_and_another_day_reloads(reference_data):
    day = datetime.date(2026, 12, 1)
    load_demo_data(placements=120, seed=3, today=day)
    first = snapshot()
    assert load_demo_data(placements=120, seed=3, today=day).already_loaded
    later = load_demo_data(placements=120, seed=3, today=day + datetime.timedelta(days=1))
    assert not later.already_loaded
    load_demo_data(placements=120, seed=3, today=day)
    assert snapshot() == first


@pytest.mark.django_db
def test_rejects_a_placement_count_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        load("--placements", "0")


def test_every_demo_apprentice_is_at_least_16_at_the_start():
    """Found at 100,000 placements: 365-day years made some 16-year-olds 15 at the start, which
    the rules refuse (the loader stops rather than store it)."""
    import random

    from apprenticeships.demo import _demo_apprentice
    from apprenticeships.rules import MINIMUM_AGE_AT_START

    rng = random.Random(7)  # noqa: S311 - demo data, not secrets
    for i in range(20_000):
        start = datetime.date(2019, 1, 1) + datetime.timedelta(days=i % 2922)
        assert _demo_apprentice(rng, i, start).age_on(start) >= MINIMUM_AGE_AT_START, start
