"""Synthetic demo data that tells the programme's story (README, "Management commands").

Hackney's own programme from 2018, LOTI's first campaign — 100 digital apprentices between June 2019
and 30 September 2020 — passed, then later starts. Every record is flagged `is_demo`, every person
has an obviously fictional name and an `example.invalid` address, and the LOTI membership it sets is
flagged as demo. The same seed and size give the same data.
"""

import bisect
import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

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
from .dashboard.freshness import figures_changed
from .imports.history import CREATED, write_history
from .imports.inserting import insert_records
from .models import (
    Apprentice,
    BreakInLearning,
    EqualityMonitoring,
    Placement,
    PlannedEndChange,
    ProviderChange,
    RecruitmentTarget,
    Standard,
    TrainingProvider,
)

DEFAULT_PLACEMENTS = 160
DEFAULT_SEED = 2018
BATCH_SIZE = 2000
DEMO_TARGET_NAME = "LOTI digital apprentices 2019–20 (demo)"
CAMPAIGN_OPENS = datetime.date(2019, 6, 1)
CAMPAIGN_CLOSES = datetime.date(2020, 9, 30)
HACKNEY_PROGRAMME_STARTS = datetime.date(2018, 1, 8)

# LOTI launched in June 2019 with 15 founding boroughs, Hackney among them. Which ones is not
# published here, so this set is illustrative (flagged `membership_is_demo`).
DEMO_FOUNDING_MEMBERS = [
    "E09000012", "E09000007", "E09000019", "E09000022", "E09000023", "E09000028",
    "E09000030", "E09000031", "E09000025", "E09000014", "E09000005", "E09000013",
    "E09000032", "E09000033", "E09000001",
]  # fmt: skip
DEMO_LATER_MEMBERS = ["E09000002", "E09000009", "E09000018", "E09000024"]
DEMO_LATER_JOINED = datetime.date(2020, 4, 1)

DEMO_PROVIDERS = [
    ("Demo Digital Skills Academy", "10000001", True),
    ("Demo Institute of Technology", "10000002", True),
    ("Example Coding College", "10000003", True),
    ("Sample Data Apprenticeships", "10000004", True),
    ("Placeholder Cyber Training", "10000005", True),
    ("Fictional Tech Partnership (closed)", "10000006", False),
]
DEMO_STANDARDS = ["ST0116", "ST0118", "ST0120", "ST0125", "ST0124", "ST0795", "ST0128", "ST0117"]
GIVEN_NAMES = [
    "Ada", "Alan", "Grace", "Tim", "Mary", "Charles", "Katherine", "Dorothy", "Margaret",
    "Sophie", "Tom", "Priya", "Kwame", "Aisha", "Chen", "Olu", "Zara", "Luca", "Fatima", "Sam",
]  # fmt: skip
FAMILY_NAMES = ["Example", "Sample", "Placeholder", "Specimen", "Testcase", "Fictional", "Madeup"]
# Enum `.values` builds a new list on every call: read them once.
OUTCOMES, DESTINATIONS = Outcome.values, Destination.values
WITHDRAWAL_REASONS, BREAK_REASONS = WithdrawalReason.values, BreakReason.values
SEXES, ETHNIC_GROUPS, DISABILITIES = Sex.values, EthnicGroup.values, Disability.values
DESTINATION_WEIGHTS = [40, 10, 8, 20, 3, 5, 4, 4, 2, 4]
SERVICE_AREAS = ["ICT", "Digital services", "Data and insight", "Customer services", "Finance"]


@dataclass(frozen=True)
class DemoSummary:
    placements: int
    apprentices: int
    recruited_in_campaign: int
    already_loaded: bool


def demo_marker(seed: int, placements: int) -> str:
    return f"Synthetic demo data (seed {seed}, {placements} placements)."


def demo_uln(n: int) -> str:
    """A distinct, check-digit-valid ULN for the n-th demo person ('' when n's stem has none)."""
    stem = f"{500000000 + n:09d}"
    remainder = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True)) % 11
    # Remainder 0 has no valid check digit, and 1 would need the digit 10 (validators.py).
    return stem + str(10 - remainder) if remainder > 1 else ""


def load_demo_data(
    *, placements: int = DEFAULT_PLACEMENTS, seed: int = DEFAULT_SEED
) -> DemoSummary:
    """Replace any demo records with the set for this seed and size; keep real records untouched."""
    marker = demo_marker(seed, placements)
    existing = RecruitmentTarget.objects.filter(name=DEMO_TARGET_NAME, description=marker)
    if existing.exists() and Placement.objects.filter(is_demo=True).count() == placements:
        return _summary(already_loaded=True)
    with transaction.atomic():
        _delete_demo_records()
        boroughs = _demo_memberships(random.Random(seed))
        providers = _demo_providers()
        standards = list(Standard.objects.filter(reference__in=DEMO_STANDARDS).order_by("pk"))
        if not standards:
            raise ValueError("No standards found: run seed_reference_data first.")
        _demo_target(boroughs, marker)
        _demo_people(random.Random(seed), placements, boroughs, providers, standards)
        _close_providers(providers)
        figures_changed()  # bulk writes send no signals
    return _summary(already_loaded=False)


def _summary(*, already_loaded: bool) -> DemoSummary:
    recruited = (
        Placement.objects.filter(is_demo=True, start_date__range=(CAMPAIGN_OPENS, CAMPAIGN_CLOSES))
        .started()
        .values("apprentice")
        .distinct()
        .count()
    )
    return DemoSummary(
        placements=Placement.objects.filter(is_demo=True).count(),
        apprentices=Apprentice.objects.filter(is_demo=True).count(),
        recruited_in_campaign=recruited,
        already_loaded=already_loaded,
    )


def _delete_demo_records() -> None:
    """Remove demo rows and their history directly: demo data is not a record anyone keeps."""
    for rows in (
        BreakInLearning.objects.filter(placement__apprentice__is_demo=True),
        PlannedEndChange.objects.filter(placement__apprentice__is_demo=True),
        ProviderChange.objects.filter(placement__apprentice__is_demo=True),
        Placement.objects.filter(apprentice__is_demo=True),
        EqualityMonitoring.objects.filter(apprentice__is_demo=True),
        Apprentice.objects.filter(is_demo=True),
    ):
        rows._raw_delete(rows.db)
    for model in (Placement, Apprentice):
        history = model.history.filter(is_demo=True)
        history._raw_delete(history.db)
    RecruitmentTarget.objects.filter(is_demo=True).delete()


def _demo_memberships(rng: random.Random) -> dict[str, Borough]:
    members = {}
    for borough in Borough.objects.filter(gss_code__in=DEMO_FOUNDING_MEMBERS + DEMO_LATER_MEMBERS):
        founding = borough.gss_code in DEMO_FOUNDING_MEMBERS
        if not borough.is_loti_member or borough.membership_is_demo:
            borough.is_loti_member = True
            borough.loti_joined_on = CAMPAIGN_OPENS if founding else DEMO_LATER_JOINED
            borough.membership_is_demo = True
        if borough.headcount is None:
            borough.headcount = rng.randrange(1800, 6500, 50)
            borough.membership_is_demo = True
        borough.save()
        members[borough.gss_code] = borough
    return members


def _demo_providers() -> list[TrainingProvider]:
    """The demo providers, all active while the placements are made: one closes afterwards
    (`_close_providers`), as a real provider closes after its apprentices started with it."""
    providers = []
    for name, ukprn, active in DEMO_PROVIDERS:
        provider, _ = TrainingProvider.objects.get_or_create(
            ukprn=ukprn,
            defaults={
                "name": name,
                "contact_email": f"apprenticeships@provider{ukprn[-1]}.example.invalid",
            },
        )
        provider.closes = not active
        provider.is_active = True
        providers.append(provider)
    return providers


def _close_providers(providers: list[TrainingProvider]) -> None:
    for provider in providers:
        if provider.closes:
            provider.is_active = False
        provider.save(update_fields=["is_active", "updated_at"])


def _demo_target(boroughs: dict[str, Borough], marker: str) -> None:
    target = RecruitmentTarget.objects.create(
        name=DEMO_TARGET_NAME,
        target_number=100,
        opens_on=CAMPAIGN_OPENS,
        closes_on=CAMPAIGN_CLOSES,
        description=marker,
        is_demo=True,
    )
    target.boroughs.set(b for code, b in boroughs.items() if code in DEMO_FOUNDING_MEMBERS)


def _start_date(rng: random.Random, i: int, n: int) -> datetime.date:
    """12% in Hackney's own 2018 programme, 70% in the LOTI campaign, the rest after it."""
    share = i / max(n, 1)
    if share < 0.12:
        first, last = HACKNEY_PROGRAMME_STARTS, CAMPAIGN_OPENS - datetime.timedelta(days=1)
    elif share < 0.82:
        first, last = CAMPAIGN_OPENS, CAMPAIGN_CLOSES
    elif share < 0.90:
        first, last = CAMPAIGN_CLOSES + datetime.timedelta(days=1), datetime.date(2024, 9, 30)
    elif share < 0.98:  # still in learning today
        first, last = datetime.date(2025, 1, 6), datetime.date(2026, 10, 30)
    else:  # a few recruits still waiting to start
        first, last = datetime.date(2027, 1, 4), datetime.date(2027, 3, 29)
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _demo_people(rng, n, boroughs, providers, standards) -> None:
    today = datetime.date.today()
    active_providers = [p for p in providers if not p.closes]
    founding = [boroughs[c] for c in DEMO_FOUNDING_MEMBERS if c in boroughs]
    every_member = list(boroughs.values())
    starts = sorted(_start_date(rng, i, n) for i in range(n))
    apprentices: list[Apprentice] = []
    placements: list[Placement] = []
    returned_on: set[tuple[int, datetime.date]] = set()
    for i, start in enumerate(starts):
        if start < CAMPAIGN_OPENS:
            borough = boroughs["E09000012"]
        else:
            borough = rng.choice(founding if start <= CAMPAIGN_CLOSES else every_member)
        standard = rng.choice(standards)
        earlier = _returning_candidate(rng, i, placements, starts)
        if earlier is not None and (id(earlier.apprentice), start) in returned_on:
            earlier = None  # already returned that day: one new placement a day is plenty
        if earlier is not None:
            returned_on.add((id(earlier.apprentice), start))
            # A returning apprentice: a second, different apprenticeship at the same borough.
            apprentice, borough = earlier.apprentice, earlier.borough
            if standard == earlier.standard:
                standard = standards[(standards.index(standard) + 1) % len(standards)]
        else:
            apprentice = _demo_apprentice(rng, i, start)
            apprentices.append(apprentice)
        provider = rng.choice(providers if start < datetime.date(2021, 1, 1) else active_providers)
        placements.append(
            _demo_placement(rng, apprentice, borough, standard, provider, start, today)
        )
    # Written as an import writes (imports/inserting.py, imports/history.py): Django's
    # bulk_create prepares every value of every record, and simple-history's bulk helper builds a
    # second object per record; together they took `--placements 100000` past a minute.
    when = timezone.now()
    _insert(Apprentice, apprentices, when)
    for placement in placements:
        placement.apprentice_id = placement.apprentice.pk
    _insert(Placement, placements, when)
    _insert_circumstances(placements)
    for model, records in ((Apprentice, apprentices), (Placement, placements)):
        write_history(
            model,
            [r.pk for r in records],
            history_type=CREATED,
            user=None,
            reason="Demo data",
            when=when,
        )
    EqualityMonitoring.objects.bulk_create(
        [_demo_equality(rng, a) for a in apprentices if rng.random() < 0.85],
        batch_size=BATCH_SIZE,
    )


def _insert_circumstances(placements: list[Placement]) -> None:
    """Breaks and moved planned end dates, as records beside their placements."""
    breaks, moves = [], []
    for placement in placements:
        for record in placement.demo_circumstances:
            record.placement = placement  # sets placement_id now it has a pk
            (breaks if isinstance(record, BreakInLearning) else moves).append(record)
    BreakInLearning.objects.bulk_create(breaks, batch_size=BATCH_SIZE)
    PlannedEndChange.objects.bulk_create(moves, batch_size=BATCH_SIZE)


def _insert(model, records: list, when) -> None:
    if connection.features.can_return_rows_from_bulk_insert:
        insert_records(model, records, batch_size=BATCH_SIZE, now=when)
    else:  # SQLite before 3.35: no RETURNING for the keys
        model.objects.bulk_create(records, batch_size=BATCH_SIZE)


def _returning_candidate(rng, i, placements, starts) -> Placement | None:
    """Every 30th recruit is someone who started at least a year earlier, or nobody."""
    if i % 30 != 29:
        return None
    started_a_year_before = bisect.bisect_right(starts, starts[i] - datetime.timedelta(days=365))
    return placements[rng.randrange(started_a_year_before)] if started_a_year_before else None


def _demo_apprentice(rng: random.Random, i: int, start: datetime.date) -> Apprentice:
    age = rng.choices(
        [rng.randint(16, 18), rng.randint(19, 24), rng.randint(25, 45)], [25, 50, 25]
    )[0]
    # `age` whole years before the start, less up to a year: never younger than `age` (365-day
    # years were a few days short, so a 16-year-old could be 15 at the start: refused by the rules).
    born = datetime.date(start.year - age, start.month, min(start.day, 28))
    born -= datetime.timedelta(days=rng.randrange(1, 360))
    given = GIVEN_NAMES[i % len(GIVEN_NAMES)]
    family = FAMILY_NAMES[(i // len(GIVEN_NAMES)) % len(FAMILY_NAMES)]
    return Apprentice(
        given_name=given,
        family_name=f"{family}-Demo",
        email=f"demo.apprentice{i}@example.invalid",
        uln=demo_uln(i) if rng.random() < 0.9 else "",
        date_of_birth=born,
        is_demo=True,
    )


def _demo_placement(rng, apprentice, borough, standard, provider, start, today) -> Placement:
    months = standard.typical_duration_months or rng.choice([12, 15, 18, 24])
    planned_end = start + datetime.timedelta(days=months * 30)
    placement = Placement(
        apprentice=apprentice,
        borough=borough,
        standard=standard,
        provider=provider,
        job_title=f"Apprentice {standard.title.lower()}"[:200],
        service_area=rng.choice(SERVICE_AREAS),
        start_date=start,
        planned_end_date=planned_end,
        pays_london_living_wage=rng.random() < 0.9,
        is_demo=True,
    )
    placement.demo_circumstances = []
    roll = rng.random()
    if start > today:
        placement.status = rules.initial_status(start, today)
    elif planned_end < today and roll < 0.74:
        _past_break(rng, placement, today)
        placement.status = Status.COMPLETED
        end = min(placement.planned_end_date + datetime.timedelta(days=rng.randint(-20, 60)), today)
        placement.actual_end_date = max(end, start)
        placement.outcome = rng.choices(OUTCOMES, [20, 32, 38, 4, 6])[0]
        placement.destination = rng.choices(DESTINATIONS, DESTINATION_WEIGHTS)[0]
    elif planned_end < today or roll < 0.08:
        placement.status = Status.WITHDRAWN
        days_in = max((min(planned_end, today) - start).days, 1)
        placement.actual_end_date = start + datetime.timedelta(days=rng.randrange(days_in))
        placement.withdrawal_reason = rng.choice(WITHDRAWAL_REASONS)
    elif roll < 0.25:
        placement.status = Status.BREAK_IN_LEARNING
        placement.demo_circumstances.append(
            BreakInLearning(
                started_on=max(start, today - datetime.timedelta(days=rng.randint(7, 90))),
                reason=rng.choice(BREAK_REASONS),
                is_demo=True,
            )
        )
    else:
        _past_break(rng, placement, today)
        placement.status = Status.IN_LEARNING
    born = apprentice.date_of_birth
    errors = rules.placement_errors(placement, before=None, today=today, date_of_birth=born)
    if errors:  # the generator's fault, not the user's: stop rather than store it
        raise ValueError(f"Demo placement breaks the rules: {errors}")
    placement.age_at_start = rules.age_on(born, start)
    return placement


def _past_break(rng: random.Random, placement: Placement, today: datetime.date) -> None:
    """One placement in eight had a break and came back, its planned end moved on by the break."""
    start, planned_end = placement.start_date, placement.planned_end_date
    if rng.random() >= 0.125 or (min(planned_end, today) - start).days < 200:
        return
    started = start + datetime.timedelta(
        days=rng.randrange(60, (min(planned_end, today) - start).days - 120)
    )
    returned = started + datetime.timedelta(days=rng.randint(14, 100))
    if returned > today:
        return
    moved = rules.moved_planned_end(planned_end, started, returned)
    placement.planned_end_date = moved
    placement.demo_circumstances += [
        BreakInLearning(
            started_on=started, reason=rng.choice(BREAK_REASONS), returned_on=returned, is_demo=True
        ),
        PlannedEndChange(
            changed_on=returned,
            from_date=planned_end,
            to_date=moved,
            reason=PlannedEndChangeReason.BREAK,
            is_demo=True,
        ),
    ]


def _demo_equality(rng: random.Random, apprentice: Apprentice) -> EqualityMonitoring:
    return EqualityMonitoring(
        apprentice=apprentice,
        sex=rng.choices(SEXES, [46, 50, 4])[0],
        ethnic_group=rng.choices(ETHNIC_GROUPS, [20, 17, 7, 42, 8, 6])[0],
        disability=rng.choices(DISABILITIES, [12, 80, 8])[0],
    )
