"""reports/{code}/annual/?year=Y through the API: scoped, balanced, nothing personal."""

import datetime

import pytest

from households import services
from lifecycle import services as lifecycle
from tests.assertions import assert_error
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A1
from tests.households.builders import head, spouse
from villages.models import Region

pytestmark = pytest.mark.django_db
# The token, the caller's grants, the region, whether the year is published (Cache-Control), the status changes, the
# members: whatever the region's size.
QUERIES = 6


def test_the_annual_report_of_a_county(api, users, django_assert_num_queries):
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(5), spouse(5)],
    )  # fmt: skip
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=datetime.date(2014, 4, 1))
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=datetime.date(2016, 11, 1))
    client = api(users["api_client"])
    with django_assert_num_queries(QUERIES):
        body = client.get(f"/api/v1/reports/{COUNTY}/annual/?year=2016").json()
    assert body["region"]["code"] == COUNTY and body["balanced"] is True
    assert (body["households"]["start"], body["households"]["exited"], body["households"]["end"]) == (1, 1, 0)
    assert (body["people"]["start"], body["people"]["exited"]) == (2, 2)
    # On the register (poor + exited) the exit is a move inside the stock: it stays on it.
    on_register = body["on_register"]
    assert (on_register["households"]["start"], on_register["households"]["exited"]) == (1, 1)
    assert (on_register["households"]["end"], on_register["people"]["end"]) == (1, 2)


def test_a_closing_of_an_exited_household_leaves_the_register(api, users, django_assert_num_queries):
    """自然销户 of an exited household: nothing in the poor stock, a closing on the register, whatever the region's size."""
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(6)],
    )  # fmt: skip
    for status, day in (("poor", datetime.date(2014, 4, 1)), ("exited", datetime.date(2015, 11, 1))):
        lifecycle.status_record(user=users["superuser"], household=household, status=status, on=day)
    household.members.update(left_on=datetime.date(2016, 3, 1), left_reason="deceased")
    lifecycle.status_record(user=users["superuser"], household=household, status="closed", on=datetime.date(2016, 4, 1))
    client = api(users["county_officer"])
    with django_assert_num_queries(QUERIES):
        body = client.get(f"/api/v1/reports/{COUNTY}/annual/?year=2016").json()
    assert (body["households"]["start"], body["households"]["closed"], body["households"]["end"]) == (0, 0, 0)
    h, p = body["on_register"]["households"], body["on_register"]["people"]
    assert (h["start"], h["closed"], h["end"]) == (1, 1, 0)
    assert (p["start"], p["deaths"], p["closed"], p["end"]) == (1, 1, 0, 0)


def test_the_report_is_scoped(api, users):
    assert_error(api(users["township_reviewer"]).get(f"/api/v1/reports/{COUNTY}/annual/?year=2016"), 404, "not_found")
    assert api(users["township_reviewer"]).get(f"/api/v1/reports/{TOWN_A}/annual/?year=2016").status_code == 200
    assert_error(api(users["county_officer"]).get(f"/api/v1/reports/{COUNTY}/annual/"), 400, "invalid")
