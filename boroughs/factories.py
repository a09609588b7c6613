"""Test factories for boroughs and memberships."""

import factory

from .models import Borough, Membership


class BoroughFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borough
        django_get_or_create = ("gss_code",)

    gss_code = factory.Sequence(lambda n: f"E09{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test borough {n}")
    official_name = factory.LazyAttribute(lambda b: f"London Borough of {b.name}")
    is_loti_member = True
    headcount = 4000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("loti_portal.accounts.factories.UserFactory")
    borough = factory.SubFactory(BoroughFactory)
