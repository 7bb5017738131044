"""Village exit (贫困村出列): the evaluation at a year's end, and the county's decision."""

import datetime
from decimal import Decimal

import pytest

from households import services
from households.models import Household
from lifecycle import services as lifecycle
from tests.assertions import assert_error
from tests.conftest import VILLAGE_A1
from tests.households.builders import head, spouse
from villages.models import Region, VillageProfile, VillageYear

pytestmark = pytest.mark.django_db
URL = f"/api/v1/villages/{VILLAGE_A1}/"


@pytest.fixture
def poverty_village(users):
    """A poverty village of 2014 with one poor household of two people and good infrastructure in 2016."""
    VillageProfile.objects.create(village_id=VILLAGE_A1, poverty_status="poverty", identified_year=2014)
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(3), spouse(3)],
    )  # fmt: skip
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=datetime.date(2014, 5, 1))
    VillageYear.objects.create(
        village_id=VILLAGE_A1, year=2016, rural_population=101, hardened_road=True, safe_water=True, power_grid=True,
        broadband=True, clinic=True, culture_room=True, collective_income=Decimal("52000.00"),
    )  # fmt: skip
    return household


def test_the_evaluation_lists_incidence_and_the_village_checks(api, users, poverty_village):
    body = api(users["inspector"]).get(f"{URL}exit-evaluation/?year=2016").json()
    assert [c["name"] for c in body["checks"]] == [
        "incidence", "road", "water", "power", "broadband", "clinic", "collective_income",
    ]  # fmt: skip
    incidence = body["checks"][0]
    assert incidence["result"] == "pass"  # 2 ÷ 101 = 0.0198 < 0.02
    assert incidence["detail"]["poor_people"] == 2
    assert body["passed"] is True


def test_too_many_poor_people_fail_the_incidence(api, users, poverty_village):
    VillageYear.objects.filter(year=2016).update(rural_population=100)  # 2 ÷ 100 = 0.02, not below
    body = api(users["county_officer"]).get(f"{URL}exit-evaluation/?year=2016").json()
    assert body["checks"][0]["result"] == "fail" and body["passed"] is False
    refused = api(users["county_officer"]).post(f"{URL}exit/", {"year": 2016, "date": "2016-12-20"}, format="json")
    assert_error(refused, 409, "eligibility_failed")
    assert VillageProfile.objects.get(village_id=VILLAGE_A1).poverty_status == "poverty"


def test_the_county_decides_the_exit(api, users, poverty_village):
    response = api(users["county_officer"]).post(f"{URL}exit/", {"year": 2016, "date": "2016-12-20"}, format="json")
    assert response.status_code == 200, response.json()
    profile = VillageProfile.objects.get(village_id=VILLAGE_A1)
    assert (profile.poverty_status, profile.exit_year, profile.identified_year) == ("exited", 2016, 2014)
    again = api(users["county_officer"]).post(f"{URL}exit/", {"year": 2016, "date": "2016-12-21"}, format="json")
    assert_error(again, 409, "transition_not_allowed")


def test_only_the_county_office_decides(api, users, poverty_village):
    for role in ("village_team", "township_reviewer", "inspector"):
        response = api(users[role]).post(f"{URL}exit/", {"year": 2016, "date": "2016-12-20"}, format="json")
        assert_error(response, 403, "permission_denied")
    assert VillageProfile.objects.get(village_id=VILLAGE_A1).poverty_status == "poverty"


def test_exited_households_do_not_count_as_poor(api, users, poverty_village):
    lifecycle.status_record(
        user=users["superuser"], household=Household.objects.get(), status="exited", on=datetime.date(2016, 11, 1)
    )
    VillageYear.objects.filter(year=2016).update(rural_population=50)
    body = api(users["county_officer"]).get(f"{URL}exit-evaluation/?year=2016").json()
    assert body["checks"][0]["detail"]["poor_people"] == 0


def test_a_missing_year_is_a_clear_400(api, users, poverty_village):
    assert_error(api(users["county_officer"]).get(f"{URL}exit-evaluation/"), 400, "invalid")
