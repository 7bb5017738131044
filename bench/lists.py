"""P3 and P4 of quality.md: the household list costs one page at any depth; list and detail endpoints make a
number of queries that does not grow with the rows they return.

P3: `households/?region=<code>&page_size=50`, the first page and the page after `depth` rows (its cursor made from
the number at that depth, as the `next` links make it), through the API (a superuser, forced authentication: the
list's own work, not the token look-up) and as the SQL the request ran, each beside hand-written keyset SQL (the
same columns, the head's name and the active member count as correlated subqueries, `number` in the region's
range and after the cursor, ORDER BY number LIMIT 51); the list's SQL is explained, and an aggregate over the
region (outside the per-row subplans: tests/plans.py) fails the plan row.

P4: every list endpoint read with page_size=5 and page_size=50, and every detail endpoint for two objects: the
query counts must be equal (the pinned tests hold them; this reads them on the bench's own data).
"""

import base64
from urllib.parse import urlencode

from bench.report import Row
from bench.timing import p50

PAGE = 50

BASELINE = """
SELECT h.*,
       (SELECT m.name FROM households_member m
        WHERE m.household_id = h.id AND m.relation = '01' AND m.left_on IS NULL LIMIT 1) AS head_name,
       (SELECT count(*) FROM households_member m WHERE m.household_id = h.id AND m.left_on IS NULL) AS member_count,
       r.name
FROM households_household h JOIN villages_region r ON r.code = h.village_id
WHERE h.number >= %(low)s AND h.number < %(high)s AND h.number > %(after)s
ORDER BY h.number
LIMIT 51
"""

# The endpoints P4 reads: lists under /api/v1/ (a detail is <list>/<id>/).
ENDPOINTS = (
    "households", "members", "annual-records", "procedures", "notices", "objections", "units", "cadres",
    "work-teams", "pairings", "visits", "programs", "benefits", "cooperatives", "cooperative-memberships",
    "dividends", "projects", "regions", "standards",
)  # fmt: skip


def cursor_at(number: str) -> str:
    """The `cursor` parameter DRF's CursorPagination writes for "after this number" (its `next` links)."""
    return base64.b64encode(urlencode({"p": number}).encode()).decode()


def _superuser_client(username: str):
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    user, _created = get_user_model().objects.get_or_create(username=username, defaults={"is_superuser": True})
    client = APIClient()
    client.force_authenticate(user)
    return client


def _get(client, url):
    response = client.get(url, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (url, response.content[:500])
    return response


def _run_sql(sql, params=None):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def region_aggregates(sql: str) -> list[str]:
    """The aggregate nodes over the region's rows in the plan of a list's SQL (none when the list costs a page)."""
    from django.db import transaction

    from tests.plans import aggregates_over_rows, explain

    with transaction.atomic():
        return [node["Node Type"] for node in aggregates_over_rows(explain(sql))]


def p3(code: str, *, depth: int, runs: int, label: str) -> list[Row]:
    """P3 rows: API and SQL first and deep pages beside the keyset baseline, and the plan check."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.regions import significant_prefix
    from households.models import Household
    from households.rules import number_bounds
    from tests.plans import list_query

    client = _superuser_client("bench_lists")
    low, high = number_bounds(significant_prefix(code))
    region = Household.objects.filter(number__gte=low, number__lt=high).order_by("number")
    deep_after = region.values_list("number", flat=True)[depth - 1]
    first_url = f"/api/v1/households/?region={code}&page_size={PAGE}"
    deep_url = f"{first_url}&cursor={cursor_at(deep_after)}"
    deep_rows = _get(client, deep_url).json()["results"]
    assert deep_rows[0]["number"] > deep_after and len(deep_rows) == PAGE, "the deep page is not where it should be"

    def captured(url):
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        return list_query(queries.captured_queries, "households_household"), len(queries.captured_queries)

    (first_sql, first_count), (deep_sql, deep_count) = captured(first_url), captured(deep_url)
    base_first = p50(_run_sql(BASELINE, {"low": low, "high": high, "after": ""}), times=runs)
    base_deep = p50(_run_sql(BASELINE, {"low": low, "high": high, "after": deep_after}), times=runs)
    aggregates = region_aggregates(first_sql) + region_aggregates(deep_sql)
    target = "p50 ≤ 40 ms"
    return [
        Row(f"P3 {label} API, first page", p50(lambda: _get(client, first_url), times=runs), base_first,
            target=target, limit=40, note="baseline: hand-written keyset SQL of the same page via psycopg2"),
        Row(f"P3 {label} API, page {depth:,} rows deep", p50(lambda: _get(client, deep_url), times=runs), base_deep,
            target=target, limit=40),
        Row(f"P3 {label} list SQL, first page", p50(_run_sql(first_sql), times=runs), base_first, target=target,
            limit=40),
        Row(f"P3 {label} list SQL, page {depth:,} deep", p50(_run_sql(deep_sql), times=runs), base_deep,
            target=target, limit=40),
        Row(f"P3 {label} aggregates over the region in the plans", len(aggregates), None, unit="nodes",
            target="0", limit=0, note=", ".join(aggregates) or "EXPLAIN of both pages: no aggregate below the Limit"),
        Row(f"P3 {label} queries, deep page", deep_count, first_count, unit="queries", target="= first page",
            limit=1, on="ratio"),
    ]  # fmt: skip


def query_counts(prefix: str = "/api/v1/") -> dict[str, dict]:
    """For every endpoint of ENDPOINTS: queries of its list at page_size 5 and 50 and of two objects' details."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _superuser_client("bench_lists")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HOST="127.0.0.1")
        return response, len(queries.captured_queries)

    counts = {}
    for name in ENDPOINTS:
        small, few = count(f"{prefix}{name}/?page_size=5")
        large, many = count(f"{prefix}{name}/?page_size=50")
        if small.status_code != 200 or large.status_code != 200:
            counts[name] = {"error": f"HTTP {small.status_code}/{large.status_code}"}
            continue
        body = large.json()
        results = body.get("results", []) if isinstance(body, dict) else body
        entry = {"rows": len(results), "list_5": few, "list_50": many}
        keys = [row.get("id") or row.get("code") for row in results if isinstance(row, dict)]
        keys = [key for key in keys if key is not None]
        if len(keys) >= 2:
            entry["detail_first"] = count(f"{prefix}{name}/{keys[0]}/")[1]
            entry["detail_last"] = count(f"{prefix}{name}/{keys[-1]}/")[1]
        counts[name] = entry
    return counts


def p4() -> tuple[list[Row], dict]:
    """P4 row: how many endpoints make as many queries for 50 rows as for 5 (and for any object's detail)."""
    counts = query_counts()
    constant, varying = [], []
    for name, entry in counts.items():
        if "error" in entry or entry["rows"] < 6:
            continue  # nothing to compare: too few rows to tell
        same = entry["list_5"] == entry["list_50"] and entry.get("detail_first") == entry.get("detail_last")
        (constant if same else varying).append(name)
    checked = len(constant) + len(varying)
    note = (
        f"{checked} endpoints with more than 5 rows, list at 5 vs 50 rows and two details; "
        + (f"varying: {', '.join(varying)}" if varying else "all constant")
        + "; pinned in the tests (make test)"
    )
    return [
        Row("P4 list/detail endpoints with a constant query count", len(constant), checked, unit="endpoints",
            target="all", limit=1, on="ratio", at_least=True, note=note),
    ], counts  # fmt: skip
