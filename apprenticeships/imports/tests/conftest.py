import pytest

from apprenticeships.factories import StandardFactory, TrainingProviderFactory


@pytest.fixture
def reference_data(db):
    """The standard and provider the helper rows name."""
    return {
        "standard": StandardFactory(reference="ST0116", title="Software developer"),
        "provider": TrainingProviderFactory(ukprn="10012345", name="Good Training Ltd"),
    }
