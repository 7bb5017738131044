"""Builders and fixtures of the cadres tests: units, cadres with valid ID numbers, households with a status."""

from datetime import date

import pytest
from django.utils import translation

from cadres import services
from cadres.models import Cadre, Pairing, TeamMembership, Unit, Visit, WorkTeam
from households.rules import make_resident_id
from lifecycle import services as lifecycle
from tests.conftest import COUNTY, VILLAGE_A1
from tests.households import builders as b

CADRE_BIRTH = date(1975, 6, 1)
REGISTERED_ON = date(2014, 4, 1)  # the households' identification (status poor from this day)


def cadre_id(sequence: int, sex: str = "male") -> str:
    """A valid resident ID number for cadre number `sequence` (0..499)."""
    return make_resident_id(area="220821", birth_date=CADRE_BIRTH, sequence=sequence, sex=sex)


def make_unit(tree, name: str = "县农业农村局", region: str = COUNTY, level: str = "county") -> Unit:
    return services.unit_create(user=None, data={"name": name, "level": level, "region": tree[region]})


def make_cadre(tree, unit: Unit, sequence: int, *, name: str | None = None, region: str = COUNTY, sex: str = "male",
               user=None) -> Cadre:  # fmt: skip
    return services.cadre_create(
        user=None,
        data={
            "name": name or f"干部{sequence}",
            "sex": sex,
            "id_number": cadre_id(sequence, sex),
            "phone": "13900000000",
            "unit": unit,
            "title": "科员",
            "region": tree[region],
            "user": user,
        },
    )


def make_household(tree, users, sequence: int, *, village: str = VILLAGE_A1, status: str | None = "poor",
                   on: date = REGISTERED_ON):  # fmt: skip
    """A household of three (ID sequence `sequence`) with a status from `on` (None: never identified)."""
    household = b.make_household(village=tree[village], user=users["superuser"], members=b.family(sequence))
    if status:
        lifecycle.status_record(user=users["superuser"], household=household, status=status, on=on)
        household.refresh_from_db()
    return household


def pair(cadre, household, starts_on=date(2016, 1, 1), ends_on=None) -> Pairing:
    return services.pairing_create(user=None, cadre=cadre, household=household, starts_on=starts_on, ends_on=ends_on)


def visit(cadre, household, day, **data) -> Visit:
    return services.visit_create(user=None, cadre=cadre, household=household, data={"date": day, **data})


def counts() -> dict:
    """What a refused write must leave unchanged: every row of the cadres app, pairings with their periods."""
    return {
        "units": Unit.objects.count(),
        "cadres": sorted(Cadre.objects.values_list("id", "id_number", "user_id", "version")),
        "teams": sorted(WorkTeam.objects.values_list("id", "starts_on", "ends_on", "version")),
        "memberships": sorted(TeamMembership.objects.values_list("id", "role", "resident", "starts_on", "ends_on")),
        "pairings": sorted(Pairing.objects.values_list("id", "cadre_id", "household_id", "starts_on", "ends_on")),
        "visits": sorted(Visit.objects.values_list("id", "date", "kind", "found")),
    }


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def unit(tree):
    return make_unit(tree)


@pytest.fixture
def cadres(tree, unit):
    """Three cadres of the county: 0, 1 and 2."""
    return [make_cadre(tree, unit, n) for n in range(3)]


@pytest.fixture
def household(tree, users):
    """A poor household in village A1 (from 2014-04-01)."""
    return make_household(tree, users, 1)
