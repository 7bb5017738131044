"""Every list costs one page, at any size of the region (quality.md P3, P4; issue 18 "Lists cost one page").

The inventory is the URL router's: every API route named `…-list` is a list by its name, so a new one joins this
test without a word; every other routed name is either a list (`EXTRA_API_LISTS`, `PAGE_LISTS`: a nested API list,
a page that shows rows) or is said not to be, with the reason (`NOT_LISTS`). A route in none of them fails
`test_every_route_is_in_the_inventory`.

Each list is requested by the county office and by a superuser, on the small world of the permission matrix
(tests/security/world.py: a few rows of every kind), then again after the region grew: a few thousand households
and their members copied in bulk (INSERT … SELECT over generate_series, triggers off through
`session_replication_role = replica` inside the test's transaction), and the world's rows of every table an API
list reads copied again where the table's unique constraints allow. Then:

- the query count is the same on both (a query per row would grow with the region);
- no SELECT the request ran aggregates over the region. Precisely: the request's SELECT statements are explained
  (`EXPLAIN (FORMAT JSON)`); a plan node that aggregates (Aggregate in any strategy — plain, sorted i.e.
  GroupAggregate, hashed i.e. HashAggregate —, Group, WindowAgg) is allowed only where its input is bounded: when
  it runs inside a correlated SubPlan (once per row of an outer query: a per-row count under the page's Limit), or
  when a Limit node lies below it (it aggregates at most the Limit's rows). Any other aggregate reads every row its
  filters select, however deep the page: a `COUNT(*)` for numbered pages, a `COUNT … GROUP BY` before the Limit.
  An InitPlan or a hashed SubPlan runs once over everything it reads, so it counts as unbounded. Statements that
  read only Django's own tables (the caller's session, permissions and groups) are left out: the planner may hash
  those few rows, and they never grow with the region.

Lists not fixed yet are strict xfails with the reason (`KNOWN_UNBOUNDED`): when one is fixed the run fails and the
entry must go.
"""

import json
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.factories import token_for
from tests.plans import AGGREGATE_NODES, explain, is_per_row
from tests.security import conftest as security
from tests.security import matrix
from tests.security.world import SIDES

CALLERS = ("county_officer", "superuser")

# The permission matrix's world, built once for the module (each test runs in a savepoint of it).
world = security.world
in_world = security.in_world

# API routes that list rows although their name does not end in "-list" (an action's list, a feed).
EXTRA_API_LISTS = {
    "api:changes",
    "api:program-gaps",
    "api:campaign-assignments",
    "api:campaign-samples",
    "api:campaign-verifications",
    "api:project-beneficiaries",
    "api:work-team-members",
    "api:cadre-portfolio",
    "api:household-members",
    "api:household-procedures",
    "api:household-history",
    "api:household-status-corrections",
    "api:household-annual-records",
    "api:notice-objections",
    "api:village-exits",
    "api:village-exit-objections",
    "api:import-errors",
}

# Web pages that show a list of rows.
PAGE_LISTS = {
    "households:list",
    "notices",
    "notice-board",
    "findings",
    "checks",
    "comparisons",
    "comparison",
    "campaigns",
    "campaign",
    "cadres",
    "cadre",
    "units",
    "work-teams",
    "work-team",
    "visits",
    "programs",
    "program",
    "cooperatives",
    "cooperative",
    "projects",
    "imports",
    "import",
    "jobs",
    "users",
    "reviews",
    "personal-data",
    "admin:households_household_changelist",
}

_FIGURES = "figures of a region, not rows: summaries are issue 18 item 3 (the ledger), not a list"
_ONE = "one object (a detail, a form or a helper), not a list"
_WRITE = "a write (POST/PATCH only), no list"
_STREAM = "an export streams the whole region by design (a file of every row, read with a server-side cursor)"
NOT_LISTS = {
    **dict.fromkeys(
        (
            "api:region-detail", "api:household-detail", "api:member-detail", "api:import-detail",
            "api:annual-record-detail", "api:standard-detail", "api:procedure-detail", "api:notice-detail",
            "api:objection-detail", "api:rule-run-detail", "api:finding-detail", "api:comparison-detail",
            "api:comparison-category-detail", "api:campaign-detail", "api:unit-detail", "api:cadre-detail",
            "api:work-team-detail", "api:pairing-detail", "api:visit-detail", "api:program-detail",
            "api:benefit-detail", "api:cooperative-detail", "api:cooperative-membership-detail",
            "api:dividend-detail", "api:project-detail", "api:job-detail", "api:job-file", "api:import-template",
            "api:household-eligibility", "api:campaign-report", "api:cadre-my-households",
            "households:detail", "households:new", "households:edit", "households:member-row", "record",
            "procedure-new", "procedure", "campaign-new", "campaign-sample", "program-create",
            "user-reset-password", "password_change", "personal-data-person", "home", "login", "second-factor",
            "admin:index", "admin:login", "admin:households_household_change",
            "schema", "api-docs", "healthz", "metrics",
        ),
        _ONE,
    ),
    **dict.fromkeys(
        (
            "api:token", "api:village-exit-steps", "api:village-exit-objection-resolve", "api:published-year-publish",
            "api:member-lookup", "api:member-move", "api:import-commit", "api:procedure-steps",
            "api:objection-resolve", "api:rule-run-create", "api:campaign-assign", "api:campaign-close",
            "api:work-team-membership", "api:pairing-handover", "api:job-retry",
            "logout", "set_language", "households:id-check", "import-commit", "checks-run", "comparison-upload",
            "comparison-category", "campaign-assign", "campaign-close", "procedure-objection", "objection-resolve",
            "user-set-active", "personal-alert-close", "program-record", "cooperative-create",
            "cooperative-member-create", "cooperative-dividend-create", "project-create", "export-households-job",
            "jobs-retry", "pairing-handover",
        ),
        _WRITE,
    ),
    **dict.fromkeys(
        (
            "api:village-evaluation", "api:report-annual", "api:summary-detail", "api:summary-series",
            "api:program-figures", "dashboard", "annual-report", "my-dashboard", "my-annual-report", "village",
        ),
        _FIGURES,
    ),
    **dict.fromkeys(
        (
            "api:summary-export-csv", "api:summary-export-xlsx", "api:export-households-csv",
            "api:export-households-xlsx", "program-export",
        ),
        _STREAM,
    ),
}  # fmt: skip

# Lists that still aggregate over the region or grow their query count: name → the reason. Strict xfails.
KNOWN_UNBOUNDED: dict[str, str] = {
    "programs": (
        "the page's figures panel (program figures of the chosen region, by program and per child region) "
        "aggregates the region: a summary's figures, for issue 18 item 3's ledger"
    ),
}


def _walk(patterns, namespace="", *, with_views=False):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from _walk(
                pattern.url_patterns, f"{namespace}:{inner}".strip(":") if inner else namespace, with_views=with_views
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield (name, pattern.callback) if with_views else name


def routed_names() -> set[str]:
    """Every named URL of the router but the admin's generated per-model views (the matrix walks the household's)."""
    names = set(_walk(get_resolver().url_patterns))
    keep = {"admin:index", "admin:login", "admin:households_household_changelist", "admin:households_household_change"}
    return {n for n in names if not n.startswith(matrix.ADMIN_NAMESPACE + ":")} | (names & keep)


def api_lists() -> set[str]:
    return {n for n in routed_names() if n.startswith("api:") and n.endswith("-list")} | EXTRA_API_LISTS


def inventory() -> list[str]:
    return sorted(api_lists() | PAGE_LISTS)


def test_every_route_is_in_the_inventory():
    """A new route is a list by its name (`…-list`), or is named a list or not a list here; no name is both, and
    every name here is routed."""
    names = routed_names()
    lists = api_lists() | PAGE_LISTS
    assert lists & set(NOT_LISTS) == set()
    assert names - lists - set(NOT_LISTS) == set()
    assert (lists | set(NOT_LISTS)) - names == set()
    assert set(KNOWN_UNBOUNDED) <= lists


# Growing the region ---------------------------------------------------------------------------------------------

COPIES = 1500  # households copied into the world's villages (with their members: about 4 times as many rows)
TABLE_COPIES = 60  # copies of the world's rows of each table an API list reads


def _columns(cursor, table: str) -> list[str]:
    return [c.name for c in connection.introspection.get_table_description(cursor, table) if c.name != "id"]


def _list_tables() -> set[str]:
    """The tables the API lists read (their views' models), but the households and members (grown by hand)."""
    names = api_lists()
    tables = {
        callback.cls.queryset.model._meta.db_table
        for name, callback in _walk(get_resolver().url_patterns, with_views=True)
        if name in names and getattr(getattr(callback, "cls", None), "queryset", None) is not None
    }
    return tables - {"households_household", "households_member"}


def grow(built) -> None:
    """Copy the world's household of village A1 COPIES times over the county's three villages, with its members
    (fresh person and ID numbers), and the world's rows of the lists' other tables TABLE_COPIES times where their
    unique constraints allow (a table that refuses the copies keeps its rows); triggers are off for the copies."""
    source = built.objects["in"]["household"]
    villages = (SIDES["in"][0], "220821100202", "220821101201")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        columns = _columns(cursor, "households_household")
        values = [
            {"number": "v.code || lpad((5000 + g)::text, 4, '0')", "village_id": "v.code"}.get(c, f'h."{c}"')
            for c in columns
        ]
        cursor.execute(
            f"""INSERT INTO households_household ({", ".join(f'"{c}"' for c in columns)})
            SELECT {", ".join(values)} FROM households_household h
            CROSS JOIN generate_series(1, %s) g CROSS JOIN unnest(%s::text[]) v(code)
            WHERE h.id = %s""",  # noqa: S608 (names from the schema)
            [COPIES // len(villages), list(villages), source],
        )
        columns = _columns(cursor, "households_member")
        values = [
            {
                "household_id": "n.id",
                "person_number": "'9' || lpad(n.id::text, 10, '0') || lpad(m.id::text, 7, '0')",
                "id_number": "'9' || lpad(n.id::text, 10, '0') || lpad(m.id::text, 7, '0')",
            }.get(c, f'm."{c}"')
            for c in columns
        ]
        cursor.execute(
            f"""INSERT INTO households_member ({", ".join(f'"{c}"' for c in columns)})
            SELECT {", ".join(values)} FROM households_member m
            CROSS JOIN households_household n
            WHERE m.household_id = %s AND n.number ~ '^[0-9]{{12}}5'""",  # noqa: S608
            [source],
        )
        for table in sorted(_list_tables()):
            columns = ", ".join(f'"{c}"' for c in _columns(cursor, table))
            cursor.execute("SAVEPOINT grow_table")
            try:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} CROSS JOIN generate_series(1, %s)",  # noqa: S608
                    [TABLE_COPIES],
                )
            except Exception:  # noqa: BLE001 (a unique constraint: this table keeps the world's rows)
                cursor.execute("ROLLBACK TO SAVEPOINT grow_table")
            else:
                cursor.execute("RELEASE SAVEPOINT grow_table")
        cursor.execute("SET LOCAL session_replication_role = origin")
        # No ANALYZE: a table's row estimate (pg_class.reltuples) is written in place and outlives the rollback,
        # which would mislead the planner in the tests that follow on this database.


# The plan walk ------------------------------------------------------------------------------------------------------


@pytest.fixture
def grown(in_world):
    """The world of one test, to grow (a savepoint rolled back after the test)."""
    return in_world


def unbounded_aggregates(plan: dict) -> list[dict]:
    """The aggregate nodes of a plan whose input is not bounded (see the module's docstring): outside correlated
    subplans, and with no Limit below them."""

    def has_limit_below(node):
        return any(child["Node Type"] == "Limit" or has_limit_below(child) for child in node.get("Plans", ()))

    found = []

    def walk(node):
        if node["Node Type"] in AGGREGATE_NODES and not has_limit_below(node):
            found.append(node)
        for child in node.get("Plans", ()):
            if not is_per_row(child):
                walk(child)

    walk(plan)
    return found


def _url(built, name: str) -> str:
    entry = matrix.API.get(name) or matrix.PAGES[name]
    objects = built.objects["in"]
    kwargs = {key: kind[1:] if kind.startswith("=") else objects[kind] for key, kind in entry.path.items()}
    query = dict(getattr(entry, "fixed_query", {}))
    query.update({key: objects[kind] for key, kind in getattr(entry, "query", {}).items()})
    url = reverse(name, kwargs=kwargs)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _client(built, name: str, caller: str):
    user = built.users[caller]
    if name.startswith("api:"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client
    client = Client()
    client.force_login(user)
    return client


def _request(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    return [q["sql"] for q in captured.captured_queries]


PGHISTORY_CONTEXT = "SELECT set_config('pghistory.context_id'"


def _selects(statements):
    """The reads among the statements; django-pghistory prefixes a statement in a history context with its
    `SELECT set_config(…);`, which is cut off."""
    reads = []
    for sql in statements:
        if sql.startswith(PGHISTORY_CONTEXT):
            sql = sql.split("; ", 1)[1]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            reads.append(sql)
    return reads


# Django's own tables: the caller's session, permissions and groups (a handful of rows per user, never the region's).
# Lists whose plan holds or not by the planner's statistics: name → the reason. Non-strict xfails (reported, not
# claimed): each is a list still to page.
PLAN_DEPENDENT: dict[str, str] = {
    "users": (
        "the accounts page is keyset-paged and its scope is an EXISTS per user, but PostgreSQL pulls the EXISTS up "
        "into a semi-join and may, by the statistics, make the region's grant holders unique first (a HashAggregate "
        "over the region's grants: seen in CI on 2026-12-06 for the county officer); a kept scope per account, or a "
        "subquery the planner cannot pull up, is the fix"
    ),
}
FRAMEWORK_TABLES = ("auth_", "django_")


def _reads_only_the_framework(sql: str) -> bool:
    tables = re.findall(r'(?:FROM|JOIN) "(\w+)"', sql)
    return bool(tables) and all(table.startswith(FRAMEWORK_TABLES) for table in tables)


def _params():
    for name in inventory():
        for caller in CALLERS:
            reason = KNOWN_UNBOUNDED.get(name)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            if name in PLAN_DEPENDENT:
                marks = [pytest.mark.xfail(strict=False, reason=PLAN_DEPENDENT[name])]
            yield pytest.param(name, caller, id=f"{name}-{caller}", marks=marks)


@pytest.mark.parametrize(("name", "caller"), list(_params()))
def test_a_list_costs_one_page(grown, name, caller):
    """Given the world and then the world grown by thousands of households and copies of every list's rows, the
    list answers with the same number of queries, and no SELECT of it aggregates over the region."""
    client = _client(grown, name, caller)
    url = _url(grown, name)
    _request(client, url)  # warms what a first request reads once (the caller's grants in the cache …)
    small = _request(client, url)
    grow(grown)
    large = _request(client, url)

    problems = []
    for sql in _selects(large):
        if _reads_only_the_framework(sql):
            continue
        bad = unbounded_aggregates(explain(sql))
        if bad:
            strategies = [f"{n['Node Type']}/{n.get('Strategy', '')}" for n in bad]
            problems.append(f"{strategies}: {sql[:300]}")
    assert problems == [], json.dumps(problems, ensure_ascii=False, indent=1)
    assert len(large) == len(small), (small, large)


def test_the_walk_catches_a_count_and_spares_a_per_row_subquery_and_a_bounded_count(grown):
    """The walk is not vacuous: a COUNT(*) over the households is unbounded; a count per row under a Limit (a
    correlated subplan) and a count of at most 51 rows (a Limit below the aggregate) are not."""
    with transaction.atomic():
        assert [n["Node Type"] for n in unbounded_aggregates(explain("SELECT COUNT(*) FROM households_household"))] == [
            "Aggregate"
        ]
        per_row = (
            "SELECT h.id, (SELECT COUNT(*) FROM households_member m WHERE m.household_id = h.id) "
            "FROM households_household h ORDER BY h.number LIMIT 50"
        )
        assert unbounded_aggregates(explain(per_row)) == []
        bounded = "SELECT COUNT(*) FROM (SELECT 1 FROM households_household LIMIT 51) page"
        assert unbounded_aggregates(explain(bounded)) == []
