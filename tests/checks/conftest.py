"""Fixtures of the register-rule, findings and gate tests."""

import pytest
from django.utils import translation

from tests.conftest import VILLAGE_A1
from tests.households import builders as b


@pytest.fixture
def chinese():
    """Messages asserted in the source language, whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def home(tree, users):
    """Head, spouse and son (ID sequence 1) of village A1, registered through the service; status not yet set."""
    return b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(1))
