"""The apprenticeship domain (DESIGN.md, "Domain"): providers, standards, people and placements.

Rules about one record live here, in `clean()` with plain-English messages, and again as database
constraints for what must never be stored, so that a bulk write or a bug cannot store it either.
Changes of circumstance that touch several fields are services (`services.py`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from boroughs.models import Borough

from .choices import (
    ALLOWED_TRANSITIONS,
    ENDED_STATUSES,
    BreakReason,
    Destination,
    Disability,
    EthnicGroup,
    Outcome,
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

MINIMUM_AGE_AT_START = 16


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
                condition=~Q(uln="") & ~Q(uln=TEMPORARY_ULN),
                name="apprentice_uln_unique",
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="apprentice_email_unique_ci"
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
        if not self.date_of_birth:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


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
    break_started_on = models.DateField("break started on", null=True, blank=True)
    break_reason = models.CharField(max_length=20, choices=BreakReason.choices, blank=True)
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
    # The apprentice's age in whole years on the start date (as Apprentice.age_on; None without
    # a date of birth), for the dashboard's age bands without joining every recruit to their
    # apprentice. The database keeps it with triggers (apprenticeships/age_at_start.py, put
    # back and checked after every migrate) whenever a placement is written or its apprentice's
    # date of birth changes: saves, updates, the import's COPY, the admin. Whatever is written
    # to it is replaced by the computed age; an instance saved by the ORM still holds the value
    # it had, so read it from the database. Derived, so not in the history.
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
            # The match key of DESIGN.md: a row with the same four values updates, not duplicates.
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
            models.CheckConstraint(
                condition=(Q(status=Status.BREAK_IN_LEARNING) & Q(break_started_on__isnull=False))
                | (~Q(status=Status.BREAK_IN_LEARNING) & Q(break_started_on__isnull=True)),
                name="placement_break_date_iff_on_break",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.reference} at {self.borough} from {self.start_date:%d/%m/%Y}"

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES

    def allowed_transitions(self) -> frozenset[str]:
        return ALLOWED_TRANSITIONS[self.status]

    def can_transition_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if self.start_date and self.planned_end_date and self.planned_end_date <= self.start_date:
            add("planned_end_date", "Planned end date must be after the start date.")
        if self.start_date and self.actual_end_date and self.actual_end_date < self.start_date:
            add("actual_end_date", "Actual end date must be on or after the start date.")
        if self.status in ENDED_STATUSES and not self.actual_end_date:
            verb = "completed" if self.status == Status.COMPLETED else "withdrawn"
            add("actual_end_date", f"Enter the date the apprenticeship was {verb}.")
        if self.status not in ENDED_STATUSES and self.actual_end_date:
            add(
                "actual_end_date",
                "Only a completed or withdrawn apprenticeship has an actual end date.",
            )
        if self.status == Status.WITHDRAWN and not self.withdrawal_reason:
            add("withdrawal_reason", "Select why the apprentice withdrew.")
        if self.status != Status.WITHDRAWN and self.withdrawal_reason:
            add("withdrawal_reason", "Only a withdrawn apprenticeship has a withdrawal reason.")
        if self.outcome and self.status != Status.COMPLETED:
            add("outcome", "Only a completed apprenticeship has an outcome.")
        if self.destination and self.status not in ENDED_STATUSES:
            add("destination", "Record what the apprentice went on to do once it has ended.")
        if self.status == Status.BREAK_IN_LEARNING and not self.break_started_on:
            add("break_started_on", "Enter the date the break in learning started.")
        if self.status != Status.BREAK_IN_LEARNING and self.break_started_on:
            add("break_started_on", "Only an apprenticeship on a break has a break start date.")
        if self.break_started_on and self.start_date and self.break_started_on < self.start_date:
            add("break_started_on", "A break cannot start before the apprenticeship started.")
        self._check_age(add)
        if errors:
            raise ValidationError(errors)

    def _check_age(self, add) -> None:
        if not (self.apprentice_id and self.start_date):
            return
        age = self.apprentice.age_on(self.start_date)
        if age is not None and age < MINIMUM_AGE_AT_START:
            add(
                "start_date",
                f"The apprentice would be {age} on the start date: apprentices must be at least "
                f"{MINIMUM_AGE_AT_START}.",
            )


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


class FiguresVersion(models.Model):
    """One row: a number that goes up after every committed change to what the dashboard counts.

    The dashboard keeps each rendered page under the number it was computed at, so a repeated
    request is answered from the cache until a change is committed (dashboard/freshness.py).
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Dashboard figures version {self.number}"
