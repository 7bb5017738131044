"""Query plans for the list tests (quality.md P3: a list costs one page at any depth).

A list's SQL is captured from a real request (CaptureQueriesContext) and explained by PostgreSQL
(`EXPLAIN (FORMAT JSON)`); the helpers walk the plan tree. Work that grows with the region shows in a plan as an
aggregate over it (COUNT … GROUP BY before the LIMIT) or as a sort of all its rows before the LIMIT; a correlated
subplan (a per-row count, the head's name) runs once per row the page returns and is the page's own work.
"""

import json

from django.db import connection

# Nodes that aggregate their input: an Aggregate (plain, sorted = GroupAggregate, hashed = HashAggregate), Group,
# WindowAgg.
AGGREGATE_NODES = {"Aggregate", "Group", "WindowAgg"}
SORT_NODES = {"Sort", "Incremental Sort"}


def explain(sql: str, *, settings: dict[str, str] | None = None) -> dict:
    """The plan of an executed statement (as CaptureQueriesContext records it, parameters interpolated).

    `settings`: planner settings for the statement only (SET LOCAL in a savepoint), e.g. enable_sort=off to ask
    whether an index can give the order at all.
    """
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT explain_plan")
        try:
            for name, value in (settings or {}).items():
                cursor.execute(f"SET LOCAL {name} = {value}")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            (document,) = cursor.fetchone()
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT explain_plan")
    if isinstance(document, str):
        document = json.loads(document)
    return document[0]["Plan"]


def is_per_row(node: dict) -> bool:
    """A correlated subplan: run once for each row of its parent, not once over the whole table (a hashed
    SubPlan or an InitPlan is run once over everything it reads)."""
    return node.get("Parent Relationship") == "SubPlan" and not node.get("Subplan Name", "").startswith("hashed")


def nodes_outside_per_row_subplans(plan: dict):
    """Every node of the plan except those of correlated subplans (and their children)."""
    yield plan
    for child in plan.get("Plans", ()):
        if not is_per_row(child):
            yield from nodes_outside_per_row_subplans(child)


def aggregates_over_rows(plan: dict) -> list[dict]:
    """Aggregate nodes that run over the query's rows rather than per returned row."""
    return [node for node in nodes_outside_per_row_subplans(plan) if node["Node Type"] in AGGREGATE_NODES]


def sorts_over_rows(plan: dict) -> list[dict]:
    return [node for node in nodes_outside_per_row_subplans(plan) if node["Node Type"] in SORT_NODES]


def scans_of(plan: dict, table: str) -> list[dict]:
    """The nodes outside correlated subplans that read `table`."""
    return [node for node in nodes_outside_per_row_subplans(plan) if node.get("Relation Name") == table]


def list_query(captured, table: str) -> str:
    """The one captured statement that reads the page of `table` (a SELECT from it with a LIMIT)."""
    statements = [
        q["sql"] for q in captured
        if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"] and " LIMIT " in q["sql"]
    ]  # fmt: skip
    assert len(statements) == 1, statements
    return statements[0]


def assert_one_page_plan(sql: str, table: str) -> dict:
    """The list's statement aggregates nothing over the region (also with sorting forbidden), and an index gives
    its order: with sorting made as costly as the planner allows, the plan reads `table` through an index scan
    under the Limit and sorts nothing before it. Returns the plan as the planner chooses it unforced."""
    plan = explain(sql)
    assert plan["Node Type"] == "Limit", plan
    assert aggregates_over_rows(plan) == [], json.dumps(plan, indent=1)
    forced = explain(sql, settings={"enable_sort": "off", "enable_seqscan": "off"})
    assert forced["Node Type"] == "Limit", forced
    assert aggregates_over_rows(forced) == [], json.dumps(forced, indent=1)
    assert sorts_over_rows(forced) == [], json.dumps(forced, indent=1)
    scans = scans_of(forced, table)
    assert scans and all(node["Node Type"] in {"Index Scan", "Index Only Scan"} for node in scans), json.dumps(
        forced, indent=1
    )
    return plan
