"""The dashboard page (统计看板): its charts' numbers are the summary API's and the annual API's, figures as people
write them, my-dashboard, scope."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from lifecycle import services as lifecycle
from tests.conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_B1
from tests.factories import make_region
from tests.households import builders as b

pytestmark = pytest.mark.django_db

AS_OF = "2017-12-31"
QUERIES = 14  # the summary's eight and the two rows of every year's report among them, whatever the size


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
        assert data["flows"]["identified"][index]["value"] == poor["households"]["identified"]
        assert data["flows"]["exited"][index]["value"] == poor["households"]["exited"]
        assert data["stock"]["households"][index]["value"] == poor["households"]["end"]
        assert data["stock"]["people"][index]["value"] == poor["people"]["end"]
    values = {key: [point["value"] for point in points] for key, points in data["flows"].items()}
    assert values["exited"] == [0, 0, 1, 1]
    assert [point["value"] for point in data["stock"]["households"]] == [3, 3, 2, 1]
    assert sum(c["households"] for c in data["causes"] if c["value"] == "illness") == 2


def test_the_page_writes_figures_as_people_do_and_links_the_households(client, users, registered):
    """The as-of date in words, rates as percentages, the region by name (no code in the title), figures linked to
    the households behind them."""
    client.force_login(users["county_officer"])
    html = client.get(f"/regions/{COUNTY}/dashboard/?as_of={AS_OF}").content.decode()
    assert "2017年12月31日" in html
    assert re.search(r'data-figure="exit_rate.people">\d+\.\d\d%<', html)
    assert f"<title>{COUNTY}" not in html and f"<small class=\"text-muted\">{COUNTY}" not in html
    assert f"/households/?region={COUNTY}&amp;on=2017-12-31&amp;stock=poor" in html
    assert "vendor/echarts/echarts.min.js" in html and "js/dashboard.js" in html
    assert "<script>" not in html  # no inline script: the data travels as JSON
    assert f'href="/reports/{COUNTY}/annual/?year=2017"' in html  # the year-end report of the as-of year


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


def households_behind(client, url: str, homes) -> set[str]:
    html = client.get(url).content.decode()
    return {home.number for home in homes if home.number in html}


def test_each_figure_opens_exactly_its_households(client, users, registered):
    """The poor on the as-of day, those exited by then, a cause's households on the register, a child's poor, a year's
    exits: each link opens the households counted in its figure, on that day, not today's."""
    client.force_login(users["county_officer"])
    html = client.get(f"/regions/{COUNTY}/dashboard/?as_of=2016-12-31").content.decode()
    data = chart_data(html)
    numbers = [home.number for home in registered]
    links = dict(re.findall(r'href="([^"]+)" data-figure="(people\.poor|people\.exited|households\.registered)"', html))
    by_figure = {figure: url.replace("&amp;", "&") for url, figure in links.items()}
    # As of 2016-12-31 the third household was still poor (it exited in 2017, as it is today).
    assert households_behind(client, by_figure["people.poor"], registered) == {numbers[0], numbers[2]}
    assert households_behind(client, by_figure["people.exited"], registered) == {numbers[1]}
    assert households_behind(client, by_figure["households.registered"], registered) == set(numbers)
    illness = next(c for c in data["causes"] if c["value"] == "illness")
    assert households_behind(client, illness["url"], registered) == {numbers[0], numbers[1]}
    town_b = next(c for c in data["children"] if c["code"] == TOWN_B)
    assert households_behind(client, town_b["poor_url"], registered) == {numbers[2]}
    exits_2016 = data["flows"]["exited"][data["years"].index("2016")]
    assert households_behind(client, exits_2016["url"], registered) == {numbers[1]}


def test_figures_do_not_link_for_a_caller_without_the_register(client, users, registered):
    """The api client reads figures but not the register: its dashboard links no household list."""
    client.force_login(users["inspector"])
    html = client.get(f"/regions/{COUNTY}/dashboard/?as_of={AS_OF}").content.decode()
    assert "/households/?" in html  # the inspector reads the register
    client.force_login(users["api_client"])
    response = client.get(f"/regions/{COUNTY}/dashboard/?as_of={AS_OF}")
    assert response.status_code == 200 and "/households/?" not in response.content.decode()
    assert chart_data(response.content.decode())["causes"][0]["url"] is None


def test_money_and_counts_are_written_with_separators(client, users, registered):
    client.force_login(users["county_officer"])
    html = client.get(f"/regions/{COUNTY}/dashboard/?as_of={AS_OF}").content.decode()
    assert re.search(r'data-figure="programs.benefit_amount">(—|[\d,]+\.\d\d)<', html)
    assert re.search(r'data-figure="villages.exit_rate">(—|\d+\.\d\d%)<', html)


@pytest.mark.parametrize("villages", [3, 30])
def test_the_dashboard_costs_the_same_queries_for_3_or_30_villages(
    client, users, registered, villages, django_assert_num_queries
):
    """A township's dashboard with its villages compared, and every year since 2014 charted: the same queries."""
    for n in range(villages):
        make_region(f"2208211002{n + 10:02d}")
    client.force_login(users["county_officer"])
    with django_assert_num_queries(QUERIES):
        response = client.get(f"/regions/{TOWN_A}/dashboard/?as_of={AS_OF}")
    assert response.content.decode().count('<tr data-region="') == villages + 2
