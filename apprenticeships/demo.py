"""Synthetic demo data that tells the programme's story (README, "Management commands").

Hackney's own programme from 2018, LOTI's first campaign — 100 digital apprentices between June 2019
and 30 September 2020 — passed, steady recruitment in the years after, and a current campaign open
on the day the data is loaded (`today`): 250 digital apprentices across the member boroughs over
two years, with each borough's pledge, some boroughs ahead of their pledge pro rata and some behind.
Every member borough has people in learning, on a break (one longer than 12 weeks), waiting to
start (one past their start date), due to finish soon and past their planned end, so the worklist
and the current apprentices' pages have something to show (with enough placements: the default).

Every record is flagged `is_demo`, every person has an obviously fictional name and an
`example.invalid` address, and the LOTI membership it sets is flagged as demo. The same seed,
size and `today` give the same data.
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
    Pledge,
    ProviderChange,
    RecruitmentTarget,
    Standard,
    TrainingProvider,
)

DEFAULT_PLACEMENTS = 640
DEFAULT_SEED = 2018
BATCH_SIZE = 2000
DEMO_TARGET_NAME = "LOTI digital apprentices 2019–20 (demo)"
CAMPAIGN_OPENS = datetime.date(2019, 6, 1)
CAMPAIGN_CLOSES = datetime.date(2020, 9, 30)
HACKNEY_PROGRAMME_STARTS = datetime.date(2018, 1, 8)
STEADY_FROM = CAMPAIGN_CLOSES + datetime.timedelta(days=1)
# The current campaign, set on the day the data is loaded (`current_campaign_dates`).
CURRENT_TARGET = 250
CURRENT_OPENED_MONTHS_AGO = 8
CURRENT_NAME_PREFIX = "LOTI digital apprentices"
# Each member borough's pace against its pledge, in turn: some ahead, some behind.
PACES = [1.4, 0.6, 1.15, 0.75, 1.3, 0.85]

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
    current_campaign: str = ""
    current_target: int = 0
    current_recruited: int = 0


def demo_marker(seed: int, placements: int, today: datetime.date) -> str:
    return f"Synthetic demo data (seed {seed}, {placements} placements, as of {today:%Y-%m-%d})."


def demo_uln(n: int) -> str:
    """A distinct, check-digit-valid ULN for the n-th demo person ('' when n's stem has none)."""
    stem = f"{500000000 + n:09d}"
    remainder = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True)) % 11
    # Remainder 0 has no valid check digit, and 1 would need the digit 10 (validators.py).
    return stem + str(10 - remainder) if remainder > 1 else ""


def current_campaign_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The current campaign opened on the first of the month eight months before `today` (so
    within the last year) and runs for two years (so it closes in the future)."""
    index = today.year * 12 + today.month - 1 - CURRENT_OPENED_MONTHS_AGO
    opens = datetime.date(index // 12, index % 12 + 1, 1)
    closes = opens.replace(year=opens.year + 2) - datetime.timedelta(days=1)
    return opens, closes


def current_campaign_name(today: datetime.date) -> str:
    opens, closes = current_campaign_dates(today)
    return f"{CURRENT_NAME_PREFIX} {opens.year}–{str(closes.year)[-2:]} (demo)"


def load_demo_data(
    *,
    placements: int = DEFAULT_PLACEMENTS,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
) -> DemoSummary:
    """Replace any demo records with the set for this seed, size and day (default today); keep
    real records untouched."""
    today = today or timezone.localdate()
    marker = demo_marker(seed, placements, today)
    existing = RecruitmentTarget.objects.filter(name=DEMO_TARGET_NAME, description=marker)
    if existing.exists() and Placement.objects.filter(is_demo=True).count() == placements:
        return _summary(already_loaded=True, today=today)
    with transaction.atomic():
        _delete_demo_records()
        boroughs = _demo_memberships(random.Random(seed))
        providers = _demo_providers()
        standards = list(Standard.objects.filter(reference__in=DEMO_STANDARDS).order_by("pk"))
        if not standards:
            raise ValueError("No standards found: run seed_reference_data first.")
        _demo_target(boroughs, marker)
        pledges = _current_target(boroughs, marker, today)
        _demo_people(
            random.Random(seed), placements, boroughs, providers, standards, pledges, today
        )
        _close_providers(providers)
        figures_changed()  # bulk writes send no signals
    return _summary(already_loaded=False, today=today)


def _summary(*, already_loaded: bool, today: datetime.date) -> DemoSummary:
    recruited = (
        Placement.objects.filter(is_demo=True, start_date__range=(CAMPAIGN_OPENS, CAMPAIGN_CLOSES))
        .started(on=today)
        .values("apprentice")
        .distinct()
        .count()
    )
    current = RecruitmentTarget.objects.filter(is_demo=True, name=current_campaign_name(today))
    target = current.first()
    current_recruited = 0
    if target is not None:
        current_recruited = (
            Placement.objects.filter(
                is_demo=True,
                borough__in=target.boroughs.all(),
                start_date__range=(target.opens_on, target.closes_on),
            )
            .started(on=today)
            .values("apprentice")
            .distinct()
            .count()
        )
    return DemoSummary(
        placements=Placement.objects.filter(is_demo=True).count(),
        apprentices=Apprentice.objects.filter(is_demo=True).count(),
        recruited_in_campaign=recruited,
        already_loaded=already_loaded,
        current_campaign=target.name if target else "",
        current_target=target.target_number if target else 0,
        current_recruited=current_recruited,
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


def _current_target(
    boroughs: dict[str, Borough], marker: str, today: datetime.date
) -> dict[str, int]:
    """The campaign open now, across every member borough, with pledges near its target in
    proportion to each borough's headcount (multiples of 5, at least 5)."""
    opens, closes = current_campaign_dates(today)
    target = RecruitmentTarget.objects.create(
        name=current_campaign_name(today),
        target_number=CURRENT_TARGET,
        opens_on=opens,
        closes_on=closes,
        description=f"{marker} The current campaign: each member borough's pledge is recorded.",
        is_demo=True,
    )
    members = list(boroughs.values())
    target.boroughs.set(members)
    headcount = sum(b.headcount or 0 for b in members) or 1
    pledges = {
        b.gss_code: max(5, round(CURRENT_TARGET * (b.headcount or 0) / headcount / 5) * 5)
        for b in members
    }
    Pledge.objects.bulk_create(
        Pledge(target=target, borough=boroughs[code], number=number)
        for code, number in pledges.items()
    )
    return pledges


# What a placement is made to show. HISTORIC and CAMPAIGN placements take their status from
# their dates and a roll of the dice (`_demo_placement`); the others are made to be in one of the
# current states, so that every member borough has each of them.
HISTORIC, CAMPAIGN = "historic", "campaign"
DUE, OVERDUE, SHORT_BREAK, WAITING, LONG_BREAK, WAITING_LATE, LEARNING = (
    "due", "overdue", "short_break", "waiting", "long_break", "waiting_late", "learning",
)  # fmt: skip
STATE_CYCLE = [DUE, OVERDUE, SHORT_BREAK, WAITING, LONG_BREAK, WAITING_LATE, LEARNING]


@dataclass(frozen=True)
class Slot:
    start: datetime.date
    borough: Borough | None  # None: chosen among `choose_from` with the generator
    kind: str
    choose_from: tuple[Borough, ...] = ()
    planned_end: datetime.date | None = None
    break_started: datetime.date | None = None


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _slots(rng, n, boroughs, pledges, today) -> list[Slot]:
    """Every placement's start, borough and kind, in the programme's proportions:

    8% Hackney's 2018 programme, 40% LOTI's 2019–20 campaign (founding members), 18% steady
    recruitment after it (every member), then the current campaign's starts so far (its target
    pro rata, shared by pledge × pace, so some boroughs run ahead and some behind) and, for the
    rest, people in each current state, borough by borough.
    """
    day = datetime.timedelta(days=1)
    opens, closes = current_campaign_dates(today)
    founding = tuple(boroughs[c] for c in DEMO_FOUNDING_MEMBERS if c in boroughs)
    members = tuple(boroughs.values())
    hackney, loti, steady = round(n * 0.08), round(n * 0.40), round(n * 0.18)
    rest = n - hackney - loti - steady
    elapsed = ((today - opens).days + 1) / ((closes - opens).days + 1)
    campaign = min(round(CURRENT_TARGET * elapsed), rest // 2)
    hackney_borough = boroughs["E09000012"]
    slots = [
        Slot(
            _between(rng, HACKNEY_PROGRAMME_STARTS, CAMPAIGN_OPENS - day), hackney_borough, HISTORIC
        )
        for _ in range(hackney)
    ]
    slots += [
        Slot(_between(rng, CAMPAIGN_OPENS, CAMPAIGN_CLOSES), None, HISTORIC, founding)
        for _ in range(loti)
    ]
    slots += [
        Slot(_between(rng, STEADY_FROM, opens - day), None, HISTORIC, members)
        for _ in range(steady)
    ]
    for borough, count in zip(members, _shares(campaign, members, pledges), strict=True):
        slots += [Slot(_between(rng, opens, today), borough, CAMPAIGN) for _ in range(count)]
    for j in range(rest - campaign):
        borough, kind = members[j % len(members)], STATE_CYCLE[(j // len(members)) % 7]
        slots.append(_state_slot(rng, borough, kind, opens, today))
    return sorted(slots, key=lambda slot: slot.start)


def _shares(total: int, members, pledges: dict[str, int]) -> list[int]:
    """`total` starts shared in proportion to pledge × pace (largest remainders)."""
    weights = [pledges[b.gss_code] * PACES[i % len(PACES)] for i, b in enumerate(members)]
    exact = [total * w / sum(weights) for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _state_slot(rng, borough, kind, opens, today) -> Slot:
    """A placement made to be in one current state on `today`."""
    days = datetime.timedelta
    before_campaign = opens - days(days=rng.randint(1, 150))
    if kind in (DUE, OVERDUE):
        planned_end = today + days(days=rng.randint(1, 85) if kind == DUE else -rng.randint(3, 120))
        start = min(planned_end - days(days=rng.choice([12, 15, 18]) * 30), before_campaign)
        return Slot(start, borough, kind, planned_end=planned_end)
    if kind in (SHORT_BREAK, LONG_BREAK, LEARNING):
        break_started = today - days(
            days=rng.randint(7, 70) if kind == SHORT_BREAK else rng.randint(90, 180)
        )
        return Slot(
            before_campaign,
            borough,
            kind,
            planned_end=today + days(days=rng.randint(100, 400)),
            break_started=None if kind == LEARNING else break_started,
        )
    if kind == WAITING:
        return Slot(today + days(days=rng.randint(7, 120)), borough, kind)
    return Slot(today - days(days=rng.randint(3, 40)), borough, WAITING_LATE)


def _demo_people(rng, n, boroughs, providers, standards, pledges, today) -> None:
    active_providers = [p for p in providers if not p.closes]
    slots = _slots(rng, n, boroughs, pledges, today)
    starts = [slot.start for slot in slots]
    apprentices: list[Apprentice] = []
    placements: list[Placement] = []
    returned_on: set[tuple[int, datetime.date]] = set()
    for i, slot in enumerate(slots):
        start = slot.start
        borough = slot.borough or rng.choice(slot.choose_from)
        standard = rng.choice(standards)
        earlier = (
            _returning_candidate(rng, i, placements, starts) if slot.kind == HISTORIC else None
        )
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
            _demo_placement(rng, apprentice, borough, standard, provider, slot, today)
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
    # Their birthday `age` years before the start, less up to a year: `age` on the start date
    # (counting days, 365 a year, made some 15 once leap days were counted).
    anniversary = start.replace(year=start.year - age, day=min(start.day, 28))
    born = anniversary - datetime.timedelta(days=rng.randrange(0, 360))
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


def _demo_placement(rng, apprentice, borough, standard, provider, slot, today) -> Placement:
    start = slot.start
    months = standard.typical_duration_months or rng.choice([12, 15, 18, 24])
    planned_end = slot.planned_end or start + datetime.timedelta(days=months * 30)
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
    # Recorded when it was agreed: a month before the start for one still waiting after it (its
    # start never recorded), otherwise on the start date, or today for a future start.
    recorded_on = start - datetime.timedelta(days=30) if slot.kind == WAITING_LATE else start
    placement.status = rules.initial_status(start, min(recorded_on, today))
    roll = rng.random()
    if slot.kind in (SHORT_BREAK, LONG_BREAK):
        _open_break(rng, placement, slot.break_started)
    elif slot.kind in (DUE, OVERDUE, LEARNING, WAITING, WAITING_LATE):
        pass  # in learning or waiting to start, as initial_status said
    elif start > today:
        pass
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
        _open_break(rng, placement, max(start, today - datetime.timedelta(days=rng.randint(7, 80))))
    else:
        _past_break(rng, placement, today)
    born = apprentice.date_of_birth
    errors = rules.placement_errors(placement, before=None, today=today, date_of_birth=born)
    if errors:  # the generator's fault, not the user's: stop rather than store it
        raise ValueError(f"Demo placement breaks the rules: {errors}")
    placement.age_at_start = rules.age_on(born, start)
    return placement


def _open_break(rng: random.Random, placement: Placement, started_on: datetime.date) -> None:
    """On a break in learning since `started_on`, kept as an open break beside the placement."""
    placement.status = Status.BREAK_IN_LEARNING
    placement.demo_circumstances.append(
        BreakInLearning(started_on=started_on, reason=rng.choice(BREAK_REASONS), is_demo=True)
    )


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
