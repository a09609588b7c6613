"""Test factories for portal users."""

import factory

from .models import Role, User

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@council.example")
    role = Role.BOROUGH_HR
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def boroughs(self, create, extracted, **kwargs):
        """`UserFactory(boroughs=[hackney])` makes the user HR staff of those boroughs."""
        if create and extracted:
            for borough in extracted:
                self.memberships.create(borough=borough)
        if create:
            self.save()


class AdminUserFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True
