"""Fixtures of the lifecycle tests."""

import pytest

from households import services
from tests.conftest import VILLAGE_A1
from tests.households.builders import head, spouse
from villages.models import Region


@pytest.fixture
def household(users):
    return services.household_create(
        user=users["superuser"],
        village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"},
        members=[head(1), spouse(1)],
    )
