"""The household list costs one page at any depth (quality.md P3, issue 18 "Lists cost one page").

The list's SQL is captured from real requests on a county of a few thousand households and explained by
PostgreSQL: no aggregate over the region below the Limit (the member count is a correlated subquery per row of
the page), and the order comes from the index the region's number range is read from, on the first page and on
a page reached by the cursor far down the list. Query counts are pinned beside. The number range itself
(rules.number_bounds) is a pure function, tested without a database.
"""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.filtersets import HouseholdFilterSet
from households.models import Household, Member
from households.rules import make_resident_id, number_bounds
from households.selectors import household_list
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.plans import aggregates_over_rows, assert_one_page_plan, explain, list_query, sorts_over_rows

HOUSEHOLDS = "/api/v1/households/"
PER_VILLAGE = 700
TABLE = "households_household"


# The number range: pure ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "bounds"),
    [
        ("22", ("22", "23")),
        ("2208", ("2208", "2209")),
        ("220829", ("220829", "220830")),
        ("2208211", ("2208211", "2208212")),
        ("220821100201", ("220821100201", "220821100202")),
        ("09", ("09", "10")),
        ("99", ("99", None)),
    ],
)
def test_a_prefix_is_the_half_open_range_of_its_numbers(prefix, bounds):
    """A region's numbers run from its prefix up to the next prefix of the same length (none above all nines)."""
    assert number_bounds(prefix) == bounds


@pytest.mark.parametrize("prefix", ["", "22a8", "２２"])
def test_a_prefix_that_is_not_digits_is_refused(prefix):
    with pytest.raises(ValueError, match="digits"):
        number_bounds(prefix)


def test_every_number_of_the_subtree_and_no_other_lies_in_the_range():
    """Numbers of the subtree (village code + sequence) fall inside; the neighbours' on both sides fall outside."""
    low, high = number_bounds("2208211")
    inside = ["2208211002010001", "2208211002019999", "2208211992999999"]
    outside = ["2208210992999999", "2208212002010001", "2208201002010001", "2209211002010001"]
    assert all(low <= number < high for number in inside)
    assert not any(low <= number < high for number in outside)


# The plans ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def county(db, tree, users):
    """PER_VILLAGE households of one to three active members (and a former member each third) in each of the
    tree's four villages, written in bulk, then analyzed so that the planner knows the table's size."""
    households = Household.objects.bulk_create(
        [
            Household(
                number=f"{village}{sequence:04d}",
                village=tree[village],
                attribute="general",
                main_cause="illness",
                status="poor" if sequence % 4 else "exited",
            )
            for village in (VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, OTHER_VILLAGE)
            for sequence in range(1, PER_VILLAGE + 1)
        ],
        batch_size=2000,
    )
    members = []
    for index, household in enumerate(households):
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=index)
        # 1 to 3 active members (head, spouse, child), and for every third household a former member as well.
        places = [*range(1 + index % 3), *([3] if index % 3 == 0 else [])]
        for place in places:
            sex = "female" if place == 1 else "male"
            number = make_resident_id(area=household.village_id[:6], birth_date=birth, sequence=place, sex=sex)
            left = place == 3
            members.append(
                Member(
                    household=household, name=f"户主{index}" if place == 0 else "成员", id_number=number,
                    person_number=number, sex=sex, birth_date=birth, relation=("01", "02", "20", "20")[place],
                    labour="normal", left_on=datetime.date(2017, 1, 1) if left else None,
                    left_reason="death" if left else "",
                )  # fmt: skip
            )
    Member.objects.bulk_create(members, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE households_household")
        cursor.execute("ANALYZE households_member")
    return households


def page(client, url, *, queries: int, django_assert_num_queries):
    """GET the list, with its query count pinned; returns (json, the page's SQL)."""
    with CaptureQueriesContext(connection) as captured, django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), list_query(captured.captured_queries, TABLE)


# Queries of a page: token + user, the role grants (none read for a superuser), the page itself (no bank account
# is shown, so no personal-data read is logged).
PAGE_QUERIES = 3


@pytest.mark.parametrize(
    ("role", "region", "total", "queries"),
    [
        ("county_officer", COUNTY, 3 * PER_VILLAGE, PAGE_QUERIES),
        ("county_officer", TOWN_A, 2 * PER_VILLAGE, PAGE_QUERIES),
        ("county_officer", None, 3 * PER_VILLAGE, PAGE_QUERIES),
        ("superuser", COUNTY, 3 * PER_VILLAGE, PAGE_QUERIES - 1),
        ("superuser", None, 4 * PER_VILLAGE, PAGE_QUERIES - 1),
        ("village_team", None, PER_VILLAGE, PAGE_QUERIES),
    ],
)
def test_the_first_page_aggregates_nothing_over_the_region(
    api, users, county, role, region, total, queries, django_assert_num_queries
):
    """Given a region of hundreds to thousands of households, the first page's plan has no aggregate and no
    sort over the region below its Limit, and its rows carry the head's name and the active member count."""
    client = api(users[role])
    url = f"{HOUSEHOLDS}?page_size=50" + (f"&region={region}" if region else "")
    body, sql = page(client, url, queries=queries, django_assert_num_queries=django_assert_num_queries)

    plan = assert_one_page_plan(sql, TABLE)
    assert sorts_over_rows(plan) == []  # the planner, unforced, reads the index in order too
    shown = {row["id"] for row in body["results"]}
    expected = {h.pk: 1 + i % 3 for i, h in enumerate(county) if h.pk in shown}
    assert {row["id"]: row["member_count"] for row in body["results"]} == expected
    assert all(row["head_name"].startswith("户主") for row in body["results"])
    scope = household_list(user=users[role])
    if region:
        scope = HouseholdFilterSet({"region": region}, queryset=scope).qs
    assert scope.count() == total
    assert [row["number"] for row in body["results"]] == list(scope.values_list("number", flat=True)[:50])


def test_a_page_deep_down_the_cursor_costs_one_page(api, users, county, django_assert_num_queries):
    """Given the county's 2100 households, the page after 1500 rows is reached by the cursor: its SQL starts at
    the cursor's number in the index (no OFFSET), aggregates and sorts nothing over the region, and holds the
    rows that follow in number order."""
    client = api(users["county_officer"])
    url = f"{HOUSEHOLDS}?region={COUNTY}&page_size=500"
    for _ in range(3):
        body, _sql = page(client, url, queries=PAGE_QUERIES, django_assert_num_queries=django_assert_num_queries)
        url = body["next"]
    body, sql = page(client, url, queries=PAGE_QUERIES, django_assert_num_queries=django_assert_num_queries)

    assert " OFFSET " not in sql
    assert_one_page_plan(sql, TABLE)
    expected = Household.objects.filter(village__code__startswith=COUNTY[:6]).order_by("number")[1500:2000]
    assert [row["number"] for row in body["results"]] == [h.number for h in expected]


@pytest.mark.parametrize(
    "query",
    ["status=poor", "status=exited&attribute=general", "main_cause=illness&stars=2", "returned=false", f"q={quote('户主1')}"],
)
def test_filters_and_search_aggregate_nothing_either(api, users, county, query, django_assert_num_queries):
    """Filters and the search (number or head's name) add conditions on the rows the scan reaches: still no
    aggregate and no sort over the region."""
    client = api(users["county_officer"])
    _body, sql = page(
        client, f"{HOUSEHOLDS}?region={COUNTY}&{query}", queries=PAGE_QUERIES, django_assert_num_queries=django_assert_num_queries
    )

    assert_one_page_plan(sql, TABLE)


def test_the_old_grouped_count_is_what_the_walk_catches(users, county):
    """The plan walk is not vacuous: a COUNT … GROUP BY over the members of the region (the list before issue 18)
    is an aggregate below the Limit."""
    from django.db.models import Count, Q

    grouped = household_list(user=users["superuser"]).annotate(
        old_count=Count("members", filter=Q(members__left_on__isnull=True))
    )[:51]
    with CaptureQueriesContext(connection) as captured:
        list(grouped)

    plan = explain(captured.captured_queries[0]["sql"])
    assert [node["Node Type"] for node in aggregates_over_rows(plan)] == ["Aggregate"]
