"""GET /api/v1/summaries/{code}/series/ (docs/reports.md, Time series): each point equals the single summary of its
day, in a number of queries that does not grow with the number of days."""

import datetime
import json

import pytest

from core.series import series_days
from tests.assertions import assert_error
from tests.conftest import COUNTY, TOWN_A
from tests.reports.test_summaries import county, officer  # noqa: F401 - fixtures: the constructed county

pytestmark = pytest.mark.django_db


def series(client, code=COUNTY, **query):
    response = client.get(f"/api/v1/summaries/{code}/series/", query)
    assert response.status_code == 200, response.content
    return response.json()


def single(client, code, day) -> dict:
    return client.get(f"/api/v1/summaries/{code}/", {"as_of": day.isoformat()}).json()


def test_the_2014_to_2020_series_equals_seven_single_summaries(county, officer):  # noqa: F811
    """Given the constructed county (changes from 2014 to 2018), the yearly series 2014–2020 with children is, point
    by point, the summary of each year end."""
    body = series(officer, **{"from": "2014-12-31", "to": "2020-12-31", "step": "year", "children": "1"})
    days = [datetime.date(year, 12, 31) for year in range(2014, 2021)]
    assert [point["as_of"] for point in body["points"]] == [day.isoformat() for day in days]
    assert body["points"] == [single(officer, COUNTY, day) for day in days]
    assert body["region"]["code"] == COUNTY and body["step"] == "year"
    # The figures do move along the series (the test would pass on zeros otherwise).
    exited = [point["households"]["exited"] for point in body["points"]]
    assert exited[0] == 0 and exited[2] > 0


def test_without_children_each_point_is_the_summary_without_them(county, officer):  # noqa: F811
    body = series(officer, code=TOWN_A, **{"from": "2015-06-30", "to": "2017-06-30", "step": "quarter"})
    assert len(body["points"]) == 9
    for point in body["points"]:
        expected = single(officer, TOWN_A, datetime.date.fromisoformat(point["as_of"]))
        expected.pop("children")
        assert point == expected


# The token, the caller's grants, the region (scoped), the ledger's flush and household groups, villages, teams,
# resident cadres, the ledger's pairing cadres, cooperatives; the children's names with children=1.
QUERIES = 10


@pytest.mark.parametrize("children", ["0", "1"])
def test_the_queries_do_not_grow_with_the_number_of_days(county, officer, children, django_assert_num_queries):  # noqa: F811
    """2 days, 7 days and 25 months cost the same number of queries."""
    for query in (
        {"from": "2016-12-31", "to": "2017-12-31"},
        {"from": "2014-12-31", "to": "2020-12-31"},
        {"from": "2015-12-31", "to": "2017-12-31", "step": "month"},
    ):
        with django_assert_num_queries(QUERIES + int(children)):
            series(officer, children=children, **query)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"to": "2020-12-31"}, "from"),
        ({"from": "2014-12-31"}, "to"),
        ({"from": "2020-12-31", "to": "2014-12-31"}, "to"),
        ({"from": "2014-12-31", "to": "2020-12-31", "step": "week"}, "step"),
        ({"from": "2014-12-31", "to": "2020-12-31", "children": "yes"}, "children"),
        ({"from": "1990-01-31", "to": "2030-12-31", "step": "month"}, "to"),  # 492 points, over 400
        ({"from": "2014-12-32", "to": "2020-12-31"}, "from"),
    ],
)
def test_bad_parameters_are_400_naming_them(county, officer, query, field):  # noqa: F811
    response = officer.get(f"/api/v1/summaries/{COUNTY}/series/", query)
    assert_error(response, 400, "invalid")
    assert field in response.json()["errors"]


def test_400_points_are_allowed(county, officer):  # noqa: F811
    body = series(officer, **{"from": "1990-01-31", "to": "2023-04-30", "step": "month"})
    assert len(body["points"]) == 400


def test_out_of_scope_is_404(county, api, users):  # noqa: F811
    client = api(users["township_reviewer"])
    assert_error(client.get(f"/api/v1/summaries/{COUNTY}/series/?from=2016-12-31&to=2017-12-31"), 404, "not_found")


def test_an_api_client_polls_the_series_with_its_tag(county, api, users):  # noqa: F811
    client = api(users["api_client"])
    url = f"/api/v1/summaries/{COUNTY}/series/?from=2014-12-31&to=2017-12-31"
    first = client.get(url)
    assert first["Cache-Control"] == "private, no-cache"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert "王" not in json.dumps(first.json(), ensure_ascii=False)  # figures only


def test_series_days_step_from_month_end_to_month_end():
    assert series_days(datetime.date(2014, 12, 31), datetime.date(2015, 6, 30), 3, limit=400) == [
        datetime.date(2014, 12, 31), datetime.date(2015, 3, 31), datetime.date(2015, 6, 30)
    ]  # fmt: skip
    assert series_days(datetime.date(2015, 1, 30), datetime.date(2015, 3, 30), 1, limit=400) == [
        datetime.date(2015, 1, 30), datetime.date(2015, 2, 28), datetime.date(2015, 3, 30)
    ]  # fmt: skip
