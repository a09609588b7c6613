"""The apprenticeship domain (docs/architecture.md): providers, standards, people and placements.

Rules about one record live here, in `clean()` with plain-English messages, and again as database
constraints for what must never be stored, so that a bulk write or a bug cannot store it either.
Changes of circumstance that touch several fields are services (`services.py`).
"""

import datetime
import functools
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from boroughs.models import Borough
from loti_portal.dates import govuk_date

from . import rules
from .choices import (
    ENDED_STATUSES,
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
from .validators import (
    STANDARD_REFERENCE_PATTERN,
    TEMPORARY_ULN,
    UKPRN_PATTERN,
    ULN_PATTERN,
    validate_standard_reference,
    validate_ukprn,
    validate_uln,
)


class TrainingProviderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class TrainingProvider(models.Model):
    name = models.CharField(max_length=200)
    ukprn = models.CharField(
        "UKPRN",
        max_length=8,
        unique=True,
        validators=[validate_ukprn],
        help_text="UK Provider Reference Number: 8 digits starting with 1.",
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Inactive providers cannot be chosen for new placements; old ones keep them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = TrainingProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ukprn__regex=UKPRN_PATTERN), name="provider_ukprn_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ukprn})"


class StandardQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Standard(models.Model):
    reference = models.CharField(
        max_length=6, unique=True, validators=[validate_standard_reference]
    )
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(2, "Apprenticeship levels run from 2 to 7."),
            MaxValueValidator(7, "Apprenticeship levels run from 2 to 7."),
        ]
    )
    level_checked = models.BooleanField(
        default=False, help_text="Whether the level was confirmed against the published standard."
    )
    route = models.CharField(max_length=100, default="Digital")
    funding_band_maximum = models.PositiveIntegerField(
        "funding band maximum (£)", null=True, blank=True
    )
    typical_duration_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=2, level__lte=7), name="standard_level_2_to_7"
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=STANDARD_REFERENCE_PATTERN),
                name="standard_reference_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title} (level {self.level})"


class ApprenticeQuerySet(models.QuerySet):
    def for_user(self, user):
        """People this user may see: HR only those placed in their boroughs; LOTI staff nobody."""
        if not user.is_authenticated or not user.may_see_personal_data:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        return self.filter(placements__borough__memberships__user=user).distinct()

    def with_emails(self, emails):
        """People whose email is one of `emails`, ignoring case, found through the unique index.

        The index on lower(email) is partial (blank emails are not unique), so the query must
        exclude blank emails too or PostgreSQL reads every apprentice instead: found when an
        import of 10,000 rows spent a second here against 100,000 apprentices held.
        """
        wanted = {email.lower() for email in emails if email}
        return (
            self.exclude(email="").alias(email_lower=Lower("email")).filter(email_lower__in=wanted)
        )


class Apprentice(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    uln = models.CharField(
        "ULN",
        max_length=10,
        blank=True,
        validators=[validate_uln],
        help_text="Unique Learner Number: 10 digits. 9999999999 while a real one is awaited.",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Synthetic record from load_demo_data.")
    # A person entered by a borough with the ULN or email of someone another borough holds:
    # kept apart, exactly as entered, until an administrator confirms or refuses the link
    # (LinkRequest, apprenticeships/linking.py). Exempt from the unique ULN and email meanwhile.
    link_pending = models.BooleanField(
        "waiting for an administrator to confirm who they are", default=False, editable=False
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ApprenticeQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uln="") | Q(uln__regex=ULN_PATTERN), name="apprentice_uln_format"
            ),
            # One person per real ULN; the temporary ULN is shared by everyone awaiting one.
            models.UniqueConstraint(
                fields=["uln"],
                condition=~Q(uln="") & ~Q(uln=TEMPORARY_ULN) & Q(link_pending=False),
                name="apprentice_uln_unique",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email="") & Q(link_pending=False),
                name="apprentice_email_unique_ci",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def clean(self) -> None:
        self.given_name = self.given_name.strip()
        self.family_name = self.family_name.strip()
        self.email = self.email.strip().lower()
        self.uln = self.uln.strip()
        if self.date_of_birth and self.date_of_birth > datetime.date.today():
            raise ValidationError({"date_of_birth": "Date of birth must be in the past."})

    def age_on(self, day: datetime.date) -> int | None:
        return rules.age_on(self.date_of_birth, day)


class EqualityMonitoring(models.Model):
    """Special-category data (DPA 2018 Sch. 1 para. 8): aggregate monitoring only, never per person.

    Kept in its own table, with no change history, so that it is not copied into every historical
    row of the apprentice and can be erased on its own.
    """

    apprentice = models.OneToOneField(
        Apprentice, on_delete=models.CASCADE, related_name="equality_monitoring"
    )
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)

    class Meta:
        verbose_name_plural = "equality monitoring"
        constraints = [
            models.CheckConstraint(
                condition=Q(sex="") | Q(sex__in=Sex.values), name="equality_sex_known"
            ),
            models.CheckConstraint(
                condition=Q(ethnic_group="") | Q(ethnic_group__in=EthnicGroup.values),
                name="equality_ethnic_group_known",
            ),
            models.CheckConstraint(
                condition=Q(disability="") | Q(disability__in=Disability.values),
                name="equality_disability_known",
            ),
        ]

    def __str__(self) -> str:
        return "Equality monitoring record"


class PlacementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Placements this user may open: HR their boroughs', admins all, LOTI staff none."""
        if not user.is_authenticated or not user.may_see_personal_data:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        return self.filter(borough__memberships__user=user)

    def with_related(self):
        return self.select_related("apprentice", "borough", "standard", "provider")

    def started(self, on: datetime.date | None = None):
        """Placements that had started by `on` (default today): the recruitment rule's base."""
        on = on or datetime.date.today()
        return self.filter(start_date__lte=on).exclude(status=Status.WAITING_TO_START)

    # --- The programme now (docs/architecture.md, "The programme now") ------------------------

    def in_now_state(self, state: str, today: datetime.date):
        """Placements in one of the "current apprentices" states (`rules.NOW_STATES`)."""
        return self.filter(now_conditions(today)[state])

    def needing_action(self, today: datetime.date):
        """HR's worklist: placements meeting any of `action_conditions` on `today`."""
        return self.filter(functools.reduce(operator.or_, action_conditions(today).values()))

    def with_action_reasons(self, today: datetime.date):
        """Each placement annotated `needs_<reason>` (True or False) for every worklist rule."""
        return self.annotate(
            **{
                f"needs_{key}": Case(When(condition, then=Value(True)), default=Value(False))
                for key, condition in action_conditions(today).items()
            }
        )

    def now_counts(self, today: datetime.date) -> dict[str, int]:
        """How many placements are in each "current" state, and need action: one query."""
        return self.order_by().aggregate(**_counts(Count("pk", filter=q) for q in _all(today)))

    def now_people_by_borough(self, today: datetime.date) -> dict[int, dict[str, int]]:
        """Per borough id, how many *people* are in each "current" state and need action.

        One query. A person is counted once per state at a borough, however many placements.
        """
        rows = (
            self.order_by()
            .values("borough_id")
            .annotate(
                **_counts(Count("apprentice_id", filter=q, distinct=True) for q in _all(today))
            )
        )
        return {row.pop("borough_id"): row for row in rows}


OPEN_LEARNING = [Status.IN_LEARNING, Status.BREAK_IN_LEARNING]
NEEDS_ACTION = "needs_action"


def now_conditions(today: datetime.date) -> dict[str, Q]:
    """The "current apprentices" states as conditions on a placement (labels: rules.NOW_STATES).

    Due to end and past the planned end are about open placements (in learning or on a break);
    their edge dates are decided in rules.py.
    """
    due_from, due_to = rules.due_to_end_window(today)
    return {
        rules.IN_LEARNING: Q(status=Status.IN_LEARNING),
        rules.ON_BREAK: Q(status=Status.BREAK_IN_LEARNING),
        rules.WAITING: Q(status=Status.WAITING_TO_START),
        rules.DUE_TO_END: Q(
            status__in=OPEN_LEARNING, planned_end_date__gte=due_from, planned_end_date__lte=due_to
        ),
        rules.PAST_PLANNED_END: Q(
            status__in=OPEN_LEARNING, planned_end_date__lt=rules.planned_end_passed_before(today)
        ),
    }


def action_conditions(today: datetime.date) -> dict[str, Q]:
    """The worklist rules, each a condition on a placement (labels: rules.ACTION_REASONS).

    Written once here and used by the worklist page, the count on the placement list and LOTI's
    counts per borough. A long break is an open `BreakInLearning` (no return recorded) that
    began before `rules.long_break_started_before(today)`.
    """
    open_long_break = BreakInLearning.objects.filter(
        placement=OuterRef("pk"),
        returned_on__isnull=True,
        started_on__lt=rules.long_break_started_before(today),
    )
    return {
        rules.START_PASSED: Q(
            status=Status.WAITING_TO_START, start_date__lt=rules.start_passed_before(today)
        ),
        rules.PLANNED_END_PASSED: now_conditions(today)[rules.PAST_PLANNED_END],
        rules.LONG_BREAK: Q(status=Status.BREAK_IN_LEARNING) & Q(Exists(open_long_break)),
    }


def _all(today: datetime.date) -> list[Q]:
    """Every "current" state, then "needs action" (any worklist rule): the counted columns."""
    return [
        *now_conditions(today).values(),
        functools.reduce(operator.or_, action_conditions(today).values()),
    ]


def _counts(aggregates) -> dict:
    return dict(zip([*rules.NOW_STATES, NEEDS_ACTION], aggregates, strict=True))


class Placement(models.Model):
    """One apprenticeship of one apprentice at one borough."""

    # No index of their own: the unique constraint's index leads with the apprentice and
    # placement_borough_start with the borough, and each serves their lookups. Every index
    # is upkeep on each insert, which an import of 10,000 rows pays 10,000 times.
    apprentice = models.ForeignKey(
        Apprentice, on_delete=models.PROTECT, related_name="placements", db_index=False
    )
    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, related_name="placements", db_index=False
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="placements")
    provider = models.ForeignKey(
        TrainingProvider,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name="training provider",
    )
    job_title = models.CharField(max_length=200, blank=True)
    service_area = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    planned_end_date = models.DateField()
    actual_end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_LEARNING)
    withdrawal_reason = models.CharField(
        max_length=20, choices=WithdrawalReason.choices, blank=True
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    destination = models.CharField(
        "went on to", max_length=30, choices=Destination.choices, blank=True
    )
    pays_london_living_wage = models.BooleanField(
        "pay meets the London Living Wage", null=True, blank=True
    )
    is_demo = models.BooleanField(default=False, help_text="Synthetic record from load_demo_data.")
    # Optimistic locking: a save must name the version it was read at (services.py).
    version = models.PositiveIntegerField(default=1, editable=False)
    # The apprentice's age in whole years on the start date (None without a date of birth), for
    # the dashboard's age bands without joining every recruit to their apprentice. Derived, so
    # set in Python where it is written: `clean()` (which every write path runs) for the
    # placement, `refresh_ages_at_start()` when a date of birth changes. Not in the history.
    age_at_start = models.SmallIntegerField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # History is only ever read one record at a time (by id): the related ids need no index.
    history = HistoricalRecords(
        no_db_index=["apprentice", "borough", "standard", "provider"],
        excluded_fields=["age_at_start"],
    )
    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        indexes = [
            # Carries the apprentice and status too, so the dashboard's starts per borough in a
            # financial year are read from the index alone (PostgreSQL: an index-only scan, a
            # third of the time of reading the table). SQLite ignores INCLUDE: see settings.
            models.Index(
                fields=["borough", "start_date"],
                include=["apprentice", "status"],
                name="placement_borough_start",
            ),
            models.Index(fields=["start_date", "status"]),
        ]
        constraints = [
            # The match key of an import (docs/import.md): a row with the same four values
            # updates, not duplicates.
            models.UniqueConstraint(
                fields=["apprentice", "borough", "standard", "start_date"],
                name="placement_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="placement_status_known"
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__gt=models.F("start_date")),
                name="placement_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end_date__isnull=True)
                | Q(actual_end_date__gte=models.F("start_date")),
                name="placement_actual_end_not_before_start",
            ),
            # Ended placements have an end date; open ones do not.
            models.CheckConstraint(
                condition=Q(status__in=sorted(ENDED_STATUSES), actual_end_date__isnull=False)
                | (~Q(status__in=sorted(ENDED_STATUSES)) & Q(actual_end_date__isnull=True)),
                name="placement_end_date_iff_ended",
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.WITHDRAWN) & ~Q(withdrawal_reason=""))
                | (~Q(status=Status.WITHDRAWN) & Q(withdrawal_reason="")),
                name="placement_withdrawal_reason_iff_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status=Status.COMPLETED),
                name="placement_outcome_only_when_completed",
            ),
            models.CheckConstraint(
                condition=Q(destination="") | Q(status__in=sorted(ENDED_STATUSES)),
                name="placement_destination_only_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.reference} at {self.borough} from {govuk_date(self.start_date)}"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember what was read, so `clean()` can tell a change from what was there (the
        pattern of Django's documentation for `Model.from_db`)."""
        instance = super().from_db(db, field_names, values)
        instance.read_as = rules.Before(
            status=instance.__dict__.get("status", ""),
            standard_id=instance.__dict__.get("standard_id"),
            provider_id=instance.__dict__.get("provider_id"),
        )
        return instance

    @property
    def before(self) -> rules.Before | None:
        """The placement as read from the database; None for one not saved yet."""
        return getattr(self, "read_as", None) if self.pk else None

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES

    def available_actions(self) -> list[str]:
        """The changes of circumstance this placement offers (rules.ACTIONS)."""
        return rules.available_actions(self.status)

    def clean(self) -> None:
        born = self.apprentice.date_of_birth if self.apprentice_id or self._apprentice_set else None
        errors = rules.placement_errors(
            self, before=self.before, today=datetime.date.today(), date_of_birth=born
        )
        if errors:
            raise ValidationError(errors)
        self.age_at_start = rules.age_on(born, self.start_date) if self.start_date else None

    @property
    def _apprentice_set(self) -> bool:
        return self._meta.get_field("apprentice").is_cached(self)


class ChangeOfCircumstance(models.Model):
    """What every kept change of circumstance has: its placement, who recorded it and when."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="recorded by",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Demo records are removed with the demo placements they belong to.
    is_demo = models.BooleanField(default=False)

    class Meta:
        abstract = True


class BreakInLearning(ChangeOfCircumstance):
    """A break in learning: a period that stays on the placement after the apprentice returns."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="breaks")
    started_on = models.DateField("break started on")
    reason = models.CharField("reason for the break", max_length=20, choices=BreakReason.choices)
    returned_on = models.DateField("returned on", null=True, blank=True)
    return_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "break in learning"
        verbose_name_plural = "breaks in learning"
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("started_on")),
                name="break_returned_not_before_started",
            ),
            # A placement is on at most one break at a time.
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(returned_on__isnull=True),
                name="break_one_open_per_placement",
            ),
        ]

    def __str__(self) -> str:
        return f"Break in learning from {govuk_date(self.started_on)}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None

    def clean(self) -> None:
        if not (self.started_on and self.placement_id):
            return
        errors = rules.break_errors(
            started_on=self.started_on,
            returned_on=self.returned_on,
            placement_start=self.placement.start_date,
            today=datetime.date.today(),
        )
        if errors:
            raise ValidationError(errors)


class ProviderChange(ChangeOfCircumstance):
    """The apprentice moved to another training provider: the old one is kept, with the date."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="provider_changes"
    )
    changed_on = models.DateField("date of the change")
    from_provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="+", verbose_name="from"
    )
    to_provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="+", verbose_name="to"
    )

    class Meta:
        ordering = ["-changed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_provider=models.F("to_provider")),
                name="provider_change_changes_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"Change of training provider on {govuk_date(self.changed_on)}"


class PlannedEndChange(ChangeOfCircumstance):
    """The planned end date moved: the old and new dates, and why."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="planned_end_changes"
    )
    changed_on = models.DateField("date of the change")
    from_date = models.DateField("planned end before")
    to_date = models.DateField("planned end after")
    reason = models.CharField(max_length=20, choices=PlannedEndChangeReason.choices)

    class Meta:
        ordering = ["-changed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_date=models.F("to_date")),
                name="planned_end_change_changes_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Change of planned end date on {govuk_date(self.changed_on)}"


def refresh_ages_at_start(apprentices) -> None:
    """After a change of date of birth: the people's placements' ages at start again.

    Two queries however many people: their placements, then one bulk update.
    """
    born = {a.pk: a.date_of_birth for a in apprentices}
    placements = list(
        Placement.objects.filter(apprentice_id__in=list(born)).only(
            "pk", "apprentice_id", "start_date", "age_at_start"
        )
    )
    for placement in placements:
        placement.age_at_start = rules.age_on(born[placement.apprentice_id], placement.start_date)
    Placement.objects.bulk_update(placements, ["age_at_start"], batch_size=1000)


def current_or_latest(targets, today: datetime.date):
    """Of `targets`, the one open on `today` (closing soonest), else the one that closed most
    recently, else the next to open; None if there are none.

    Campaigns are a handful of rows, which the dashboard reads anyway for its target filter:
    choosing among them here costs no query of its own.
    """
    targets = list(targets)
    open_now = [t for t in targets if t.opens_on <= today <= t.closes_on]
    if open_now:
        return min(open_now, key=lambda t: (t.closes_on, t.opens_on, t.pk))
    closed = [t for t in targets if t.closes_on < today]
    if closed:
        return min(closed, key=lambda t: (-t.closes_on.toordinal(), t.opens_on, t.pk))
    return min(targets, key=lambda t: (t.opens_on, t.pk), default=None)


class RecruitmentTargetQuerySet(models.QuerySet):
    def current_or_latest(self, today: datetime.date | None = None):
        """The target open today, else the one that closed most recently, else the next one."""
        return current_or_latest(self.all(), today or datetime.date.today())


class RecruitmentTarget(models.Model):
    """A recruitment campaign: how many apprentices, between which dates, at which boroughs."""

    name = models.CharField(max_length=200, unique=True)
    target_number = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    opens_on = models.DateField()
    closes_on = models.DateField()
    boroughs = models.ManyToManyField(Borough, related_name="recruitment_targets")
    description = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[boroughs])
    objects = RecruitmentTargetQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="target_closes_after_opens"
            ),
            models.CheckConstraint(condition=Q(target_number__gt=0), name="target_number_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": "The closing date must be on or after the opening date."}
            )


class Pledge(models.Model):
    """A borough's promise towards a recruitment target: how many apprentices it means to recruit.

    Read by `dashboard/pledges.py` (the borough's progress against it: `progress.expected_by`,
    `progress.pledge_status`) and the campaigns page (`dashboard/campaigns.py`).
    """

    target = models.ForeignKey(RecruitmentTarget, on_delete=models.CASCADE, related_name="pledges")
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="pledges")
    number = models.PositiveIntegerField("apprentices pledged", validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "borough__name"]
        constraints = [
            models.UniqueConstraint(fields=["target", "borough"], name="pledge_one_per_borough"),
            models.CheckConstraint(condition=Q(number__gt=0), name="pledge_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.borough} pledged {self.number} to {self.target}"


class LinkRequest(models.Model):
    """A borough entered a person with the ULN or email of someone another borough holds.

    The new placement is kept on a person of its own (`provisional`, exactly as the borough
    entered them) until an administrator compares the two and confirms the link (the placement
    moves to `held`) or refuses it (the clashing ULN or email is taken off). Nothing of the held
    person is shown to the borough meanwhile, and the borough is never told the person was
    already held: the answer to an officer never depends on another borough's records.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for an administrator"
        APPROVED = "approved", "Linked: the same person"
        REFUSED = "refused", "Not linked"

    provisional = models.ForeignKey(
        Apprentice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="link_requests",
        verbose_name="person as the borough entered them",
    )
    held = models.ForeignKey(
        Apprentice,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="person already held by another borough",
    )
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    matched_on = models.CharField("same", max_length=20)
    # What the borough entered, kept as evidence even after the provisional person goes.
    entered = models.JSONField("details entered", default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "request to link a person across boroughs"
        verbose_name_plural = "requests to link a person across boroughs"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Link request #{self.pk} from {self.borough}"


class FiguresVersion(models.Model):
    """One row: a number that goes up after every committed change to what the dashboard counts.

    The dashboard keeps each rendered page under the number it was computed at, so a repeated
    request is answered from the cache until a change is committed (dashboard/freshness.py).
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Dashboard figures version {self.number}"
