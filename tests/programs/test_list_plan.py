"""Program lists whose rows carry a count (issue 18 "Lists cost one page"): the count is a correlated subquery per
row of the page, never an aggregate over the caller's whole scope below the page's Limit (tests/plans.py walks
the PostgreSQL plan of the SQL the request ran)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs import services
from tests.conftest import VILLAGE_A1, VILLAGE_A2
from tests.plans import aggregates_over_rows, explain, list_query
from tests.programs.conftest import join, make_cooperative, make_home

pytestmark = pytest.mark.django_db


def page_sql(client, url, table, *, queries, django_assert_num_queries):
    with CaptureQueriesContext(connection) as captured, django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), list_query(captured.captured_queries, table)


def test_the_project_list_counts_beneficiaries_per_row(api, users, tree, unit, django_assert_num_queries):
    """Given projects of two villages with one and two beneficiaries, the page's plan aggregates nothing over the
    projects (the count of each project's beneficiaries is a correlated subplan) and the counts are right; three
    queries: token + user, grants, the page (a cursor: no count)."""
    homes = [make_home(tree, sequence=n, village=village) for n, village in ((1, VILLAGE_A1), (2, VILLAGE_A1), (3, VILLAGE_A2))]
    for n, (village, beneficiaries) in enumerate(((VILLAGE_A1, homes[:2]), (VILLAGE_A2, homes[2:]), (VILLAGE_A1, []))):
        services.project_create(
            user=None, data={"unit": unit, "village": tree[village], "name": f"项目{n}", "year": 2017},
            beneficiaries=beneficiaries,
        )  # fmt: skip

    body, sql = page_sql(
        api(users["county_officer"]), "/api/v1/projects/", "programs_pairingproject", queries=3,
        django_assert_num_queries=django_assert_num_queries,
    )  # fmt: skip

    assert aggregates_over_rows(explain(sql)) == []
    assert sorted((row["name"], row["beneficiary_households"]) for row in body["results"]) == [
        ("项目0", 2), ("项目1", 1), ("项目2", 0)
    ]  # fmt: skip


def test_the_cooperative_list_counts_member_households_per_row(api, users, tree, django_assert_num_queries):
    """Given two cooperatives, one with two member households, the page's plan aggregates nothing over the
    cooperatives of the scope (the member count is a correlated subplan)."""
    busy, idle = make_cooperative(tree), make_cooperative(tree, village=VILLAGE_A2, name="新合作社")
    for n in (1, 2):
        join(busy, make_home(tree, sequence=n))

    body, sql = page_sql(
        api(users["county_officer"]), "/api/v1/cooperatives/", "programs_cooperative", queries=3,
        django_assert_num_queries=django_assert_num_queries,
    )  # fmt: skip

    assert aggregates_over_rows(explain(sql)) == []
    assert {row["id"]: row["member_households"] for row in body["results"]} == {busy.pk: 2, idle.pk: 0}
