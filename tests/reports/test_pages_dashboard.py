"""The dashboard page (统计看板): its charts' numbers are the summary API's and the annual API's, figures as people
write them, my-dashboard, scope."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from lifecycle import services as lifecycle
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b

pytestmark = pytest.mark.django_db

AS_OF = "2017-12-31"


@pytest.fixture
def registered(tree, users):
    """Demo-like data: three households identified in 2014 in two townships (illness, illness, disability causes);
    one exited in 2016, one in 2017."""
    root = users["superuser"]
    homes = [
        b.make_household(village=tree[village], user=root, members=b.family(n), main_cause=cause)
        for n, (village, cause) in enumerate(
            [(VILLAGE_A1, "illness"), (VILLAGE_A1, "illness"), (VILLAGE_B1, "disability")], start=1
        )
    ]
    for home in homes:
        lifecycle.status_record(user=root, household=home, status="poor", on=datetime.date(2014, 5, 1))
    lifecycle.status_record(user=root, household=homes[1], status="exited", on=datetime.date(2016, 11, 1))
    lifecycle.status_record(user=root, household=homes[2], status="exited", on=datetime.date(2017, 10, 1))
    return homes


def chart_data(html: str) -> dict:
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_chart_numbers_equal_the_summary_and_annual_apis(client, api, users, registered):
    """Causes and child regions are the summary API's figures; each year's flows and year-end stock are the annual
    report API's."""
    client.force_login(users["county_officer"])
    html = client.get(f"/regions/{COUNTY}/dashboard/?as_of={AS_OF}").content.decode()
    data = chart_data(html)
    reader = api(users["county_officer"])
    summary = reader.get(f"/api/v1/summaries/{COUNTY}/?as_of={AS_OF}").json()
    assert {c["value"]: c["households"] for c in data["causes"]} == {
        value: figures["households"] for value, figures in summary["by_cause"].items()
    }
    assert {c["code"]: (c["poor"], c["exited"]) for c in data["children"]} == {
        child["region"]["code"]: (child["people"]["poor"], child["people"]["exited"]) for child in summary["children"]
    }
    assert data["years"] == [str(year) for year in range(2014, 2018)]
    for index, year in enumerate(range(2014, 2018)):
        annual = reader.get(f"/api/v1/reports/{COUNTY}/annual/?year={year}").json()
        poor = annual.get("poor", annual)
        assert data["flows"]["identified"][index] == poor["households"]["identified"]
        assert data["flows"]["exited"][index] == poor["households"]["exited"]
        assert data["stock"]["households"][index] == poor["households"]["end"]
    assert data["flows"]["exited"] == [0, 0, 1, 1] and data["stock"]["households"] == [3, 3, 2, 1]
    assert sum(c["households"] for c in data["causes"] if c["value"] == "illness") == 2


def test_the_page_writes_figures_as_people_do_and_links_the_households(client, users, registered):
    """The as-of date in words, rates as percentages, the region by name (no code in the title), figures linked to
    the households behind them."""
    client.force_login(users["county_officer"])
    html = client.get(f"/regions/{COUNTY}/dashboard/?as_of={AS_OF}").content.decode()
    assert "2017年12月31日" in html
    assert re.search(r'data-figure="exit_rate.people">\d+\.\d\d%<', html)
    assert f"<title>{COUNTY}" not in html and f"<small class=\"text-muted\">{COUNTY}" not in html
    assert f"/households/?region={COUNTY}&amp;status=poor" in html
    assert "vendor/echarts/echarts.min.js" in html and "js/dashboard.js" in html
    assert "<script>" not in html  # no inline script: the data travels as JSON


def test_my_dashboard_opens_the_first_region_of_the_user(client, users, tree):
    assert reverse("my-dashboard") == "/dashboard/"
    client.force_login(users["township_reviewer"])
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == f"/regions/{TOWN_A}/dashboard/"
    client.force_login(users["nobody"])
    assert client.get("/dashboard/").status_code == 404


def test_another_countys_dashboard_is_404(client, users, tree):
    client.force_login(users["township_reviewer"])
    assert client.get(f"/regions/{COUNTY}/dashboard/").status_code == 404
