"""Fixtures and builders for the programs tests: households with a status, programs, benefits, cooperatives."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from cadres.models import Unit
from lifecycle import services as lifecycle
from programs import services
from programs.models import Cooperative, Program
from tests.conftest import COUNTY, VILLAGE_A1
from tests.households import builders as b

IDENTIFIED = date(2014, 4, 2)


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


def make_home(tree, *, village: str = VILLAGE_A1, sequence: int, status: str | None = "poor", members=None, on=IDENTIFIED, **fields):
    """A household of head, spouse and son (ID sequence `sequence`) in a village, registered with a status."""
    household = b.make_household(
        village=tree[village], user=None, members=b.family(sequence) if members is None else members, **fields
    )
    if status is not None:
        lifecycle.status_record(user=None, household=household, status=status, on=on)
    return household


def make_program(tree, *, region: str = COUNTY, **overrides) -> Program:
    """A county program of 2016–2018 (industry, county funds) through the service."""
    data = {
        "name": "庭院经济补贴",
        "category": "industry",
        "subtype": "courtyard",
        "start_year": 2016,
        "end_year": 2018,
        "region": tree[region] if region in tree else _region(region),
        "funding_source": "county",
        "budget": Decimal("100000.00"),
    }
    data.update(overrides)
    return services.program_create(user=None, data=data)


def _region(code):
    from tests.factories import make_region

    return make_region(code)


def give(program, household, *, on=date(2017, 5, 1), amount="1000.00", member=None, **extra):
    """A benefit through the service (the system records it)."""
    return services.benefit_create(
        user=None, program=program, household=household, member=member, date=on, amount=amount, **extra
    )


def make_cooperative(tree, *, village: str = VILLAGE_A1, name: str = "丰收种植合作社", founded=date(2015, 3, 1)):
    return services.cooperative_create(
        user=None, data={"name": name, "village": tree[village], "kind": "planting", "founded": founded}
    )


def join(cooperative: Cooperative, household, *, joined=date(2016, 1, 1), left=None, shares="1.00"):
    return services.membership_create(
        user=None, cooperative=cooperative, household=household, joined=joined, left=left, shares=shares
    )


@pytest.fixture
def unit(tree):
    return Unit.objects.create(name="省财政厅", level="provincial", region=_region("220000000000"))


@pytest.fixture
def program(tree):
    return make_program(tree)


@pytest.fixture
def home(tree):
    """A poor household in village A1 (ID sequence 1)."""
    return make_home(tree, sequence=1)
