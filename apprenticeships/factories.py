"""Test factories for the apprenticeship domain."""

import datetime

import factory

from boroughs.factories import BoroughFactory

from .choices import Status
from .models import Apprentice, Placement, RecruitmentTarget, Standard, TrainingProvider


def valid_uln(n: int) -> str:
    """A ULN with a correct check digit, distinct for each n."""
    for offset in range(20):
        stem = f"{(100000000 + n * 7 + offset) % 1000000000:09d}"
        remainder = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True)) % 11
        if remainder not in (0, 1):  # remainder 1 would need a check digit of 10
            return stem + str(10 - remainder)
    raise ValueError(n)


class TrainingProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProvider
        django_get_or_create = ("ukprn",)

    name = factory.Sequence(lambda n: f"Test Training Provider {n}")
    ukprn = factory.Sequence(lambda n: f"1{n:07d}")


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard
        django_get_or_create = ("reference",)

    # Wraps within ST9000–ST9999 (the reference is six characters); get_or_create reuses.
    reference = factory.Sequence(lambda n: f"ST{9000 + n % 1000}")
    title = factory.Sequence(lambda n: f"Test standard {n}")
    level = 4
    typical_duration_months = 18


class ApprenticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Apprentice

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    email = factory.Sequence(lambda n: f"apprentice{n}@example.org")
    uln = factory.Sequence(valid_uln)
    date_of_birth = datetime.date(2000, 5, 17)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    apprentice = factory.SubFactory(ApprenticeFactory)
    borough = factory.SubFactory(BoroughFactory)
    standard = factory.SubFactory(StandardFactory)
    provider = factory.SubFactory(TrainingProviderFactory)
    job_title = "Apprentice software developer"
    service_area = "ICT"
    start_date = datetime.date(2019, 9, 2)
    planned_end_date = factory.LazyAttribute(lambda p: p.start_date + datetime.timedelta(days=548))
    status = Status.IN_LEARNING
    # Set where placements are written (Placement.clean); a factory writes without clean().
    age_at_start = factory.LazyAttribute(lambda p: p.apprentice.age_on(p.start_date))


class RecruitmentTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentTarget
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test target {n}")
    target_number = 100
    opens_on = datetime.date(2019, 6, 1)
    closes_on = datetime.date(2020, 9, 30)

    @factory.post_generation
    def boroughs(self, create, extracted, **kwargs):
        if create and extracted:
            self.boroughs.set(extracted)
