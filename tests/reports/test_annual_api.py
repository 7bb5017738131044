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


def test_the_annual_report_of_a_county(api, users):
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(5), spouse(5)],
    )  # fmt: skip
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=datetime.date(2014, 4, 1))
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=datetime.date(2016, 11, 1))
    body = api(users["api_client"]).get(f"/api/v1/reports/{COUNTY}/annual/?year=2016").json()
    assert body["region"]["code"] == COUNTY and body["balanced"] is True
    assert (body["households"]["start"], body["households"]["exited"], body["households"]["end"]) == (1, 1, 0)
    assert (body["people"]["start"], body["people"]["exited"]) == (2, 2)


def test_the_report_is_scoped(api, users):
    assert_error(api(users["township_reviewer"]).get(f"/api/v1/reports/{COUNTY}/annual/?year=2016"), 404, "not_found")
    assert api(users["township_reviewer"]).get(f"/api/v1/reports/{TOWN_A}/annual/?year=2016").status_code == 200
    assert_error(api(users["county_officer"]).get(f"/api/v1/reports/{COUNTY}/annual/"), 400, "invalid")
