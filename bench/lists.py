"""Measure the household list (quality.md P3, issue 18 "Lists cost one page"): the first page and a page far down
the cursor, beside a hand-written keyset SQL baseline over the same rows in the same run.

Not a test: a measuring script. Each figure is a median (p50) of repeated runs in this process, after a warm-up:

- `api first` / `api deep`: GET households/?region=<code>&page_size=50 through the API (a superuser, forced
  authentication: the list's own work, not the token look-up), the first page and the page after `--depth` rows
  (its cursor made from the number at that depth, as the `next` links make it);
- `sql first` / `sql deep`: the list's own SQL (captured from the request) run again through the same connection;
- `baseline first` / `baseline deep`: hand-written keyset SQL: the same columns, the head's name and the active
  member count as correlated subqueries, `number` in the region's range and after the cursor, ORDER BY number
  LIMIT 51;
- `old first` (with --old): the list's SQL as it was before issue 18 (COUNT … GROUP BY over the region's members).

    # the demo county (manage.py seed_demo first); its deepest useful page is a few thousand rows down
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz_demo .venv/bin/python bench/lists.py county --depth 15000 --old
    # a synthetic province of N households (code 45…), built once into the database given (households and members
    # only, by INSERT … SELECT generate_series with triggers off, then analyzed), reused when present
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz_bench_lists .venv/bin/python bench/lists.py province \\
        --households 1000000 --depth 100000 --old

The province has 10 counties × 10 townships × 10 villages and N ÷ 1000 households per village (at most 9999),
one to three active members each and a former member in every third household.
"""

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from core.regions import significant_prefix  # noqa: E402
from households.models import Household, Member  # noqa: E402
from households.rules import number_bounds  # noqa: E402
from villages.models import Region  # noqa: E402

COUNTY = "220821000000"
PROVINCE = "450000000000"
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


def p50(run, times: int) -> float:
    """The median of `times` runs of `run` after one warm-up, in milliseconds."""
    run()
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def cursor_at(number: str) -> str:
    """The `cursor` parameter DRF's CursorPagination writes for "after this number" (its `next` links)."""
    return base64.b64encode(urlencode({"p": number}).encode()).decode()


def measure(code: str, *, depth: int, runs: int, old: bool) -> dict:
    user, _created = get_user_model().objects.get_or_create(username="bench_lists", defaults={"is_superuser": True})
    client = APIClient()
    client.force_authenticate(user)
    prefix = significant_prefix(code)
    low, high = number_bounds(prefix)
    region = Household.objects.filter(number__gte=low, number__lt=high).order_by("number")
    deep_after = region.values_list("number", flat=True)[depth - 1]
    first_url = f"/api/v1/households/?region={code}&page_size={PAGE}"
    deep_url = f"{first_url}&cursor={cursor_at(deep_after)}"

    def get(url):
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.content[:500]
        return response

    def captured_sql(url):
        with CaptureQueriesContext(connection) as captured:
            get(url)
        (sql,) = [q["sql"] for q in captured.captured_queries if 'FROM "households_household"' in q["sql"]]
        return sql

    deep_rows = get(deep_url).json()["results"]
    assert deep_rows[0]["number"] > deep_after and len(deep_rows) == PAGE, "the deep page is not where it should be"

    def run_sql(sql, params=None):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    figures = {
        "api first": p50(lambda: get(first_url), runs),
        "api deep": p50(lambda: get(deep_url), runs),
        "sql first": p50(run_sql(captured_sql(first_url)), runs),
        "sql deep": p50(run_sql(captured_sql(deep_url)), runs),
        "baseline first": p50(run_sql(BASELINE, {"low": low, "high": high, "after": ""}), runs),
        "baseline deep": p50(run_sql(BASELINE, {"low": low, "high": high, "after": deep_after}), runs),
    }
    if old:
        grouped = (
            Household.objects.select_related("village")
            .filter(village__code__startswith=prefix)
            .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
            .order_by("number")[:51]
        )
        figures["old first"] = p50(lambda: list(grouped.all()), max(1, runs // 3))
    return figures


def report(label: str, figures: dict) -> None:
    print(label)
    print(f"  {'metric':16s} {'p50 ms':>9s}  ratio to its baseline")
    for name, value in figures.items():
        part = name.split()[-1]
        base = figures.get(f"baseline {part}")
        ratio = f"{value / base:.2f} ×" if base and not name.startswith("baseline") else ""
        print(f"  {name:16s} {value:9.1f}  {ratio}")


# The synthetic province ---------------------------------------------------------------------------------------------


def _insert_select(table_model, columns: dict[str, str], source: str, params: dict) -> str:
    """INSERT … SELECT filling every concrete column: `columns` give SQL expressions, the others their default."""
    names, values = [], []
    for field in table_model._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(f'"{field.column}"')
        if field.column in columns:
            values.append(columns[field.column])
        elif field.column in ("created_at", "updated_at"):
            values.append("now()")
        elif field.null:
            values.append("NULL")
        else:
            default = field.get_default()
            key = f"default_{field.column}"
            params[key] = default if not isinstance(default, list) else "{}"
            values.append(f"%({key})s")
    return f'INSERT INTO "{table_model._meta.db_table}" ({", ".join(names)}) SELECT {", ".join(values)} {source}'


def build_province(households: int) -> None:
    per_village = min(9999, max(1, households // 1000))
    started = time.perf_counter()
    regions = [Region(code=PROVINCE, name="广西（基准）", level="province", parent_id=None)]
    villages = []
    city = "450100000000"
    regions.append(Region(code=city, name="市", level="city", parent_id=PROVINCE))
    for county in range(1, 11):
        county_code = f"4501{county:02d}000000"
        regions.append(Region(code=county_code, name=f"县{county}", level="county", parent_id=city))
        for town in range(101, 111):
            town_code = f"{county_code[:6]}{town}000"
            regions.append(Region(code=town_code, name=f"乡{town}", level="township", parent_id=county_code))
            for village in range(201, 211):
                villages.append(f"{county_code[:6]}{town}{village}")
                regions.append(Region(code=villages[-1], name=f"村{village}", level="village", parent_id=town_code))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no history rows, no FK checks
        Region.objects.bulk_create(regions, batch_size=5000)
        params = {"villages": villages, "per_village": per_village}
        cursor.execute(
            _insert_select(
                Household,
                {
                    "number": "v.code || lpad(s::text, 4, '0')",
                    "village_id": "v.code",
                    "attribute": "(ARRAY['general','general','general','dibao','tekun'])[1 + s %% 5]",
                    "main_cause": "(ARRAY['illness','disability','lack_labour','lack_funds','lack_skills'])[1 + s %% 5]",
                    "status": "CASE WHEN s %% 4 = 0 THEN 'poor' ELSE 'exited' END",
                },
                "FROM unnest(%(villages)s::text[]) AS v(code), generate_series(1, %(per_village)s) AS s",
                params,
            ),
            params,
        )
        print(f"households in {time.perf_counter() - started:.0f} s")
        params = {"prefix": PROVINCE[:2] + "%"}
        cursor.execute(
            _insert_select(
                Member,
                {
                    "household_id": "h.id",
                    "name": "CASE WHEN p = 0 THEN '户主' || h.id ELSE '成员' END",
                    "id_number": "lpad((h.id * 4 + p)::text, 18, '0')",
                    "person_number": "lpad((h.id * 4 + p)::text, 18, '0')",
                    "sex": "CASE WHEN p = 1 THEN 'female' ELSE 'male' END",
                    "birth_date": "date '1950-01-01' + (h.id %% 20000)::int",
                    "relation": "(ARRAY['01','02','20','20'])[1 + p]",
                    "labour": "'normal'",
                    "left_on": "CASE WHEN p = 3 THEN date '2017-01-01' END",
                    "left_reason": "CASE WHEN p = 3 THEN 'death' ELSE '' END",
                },
                "FROM households_household h, generate_series(0, 3) AS p "
                "WHERE h.village_id LIKE %(prefix)s AND (p <= h.id %% 3 OR (p = 3 AND h.id %% 3 = 0))",
                params,
            ),
            params,
        )
        print(f"members in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE households_household")
        cursor.execute("ANALYZE households_member")
        cursor.execute("ANALYZE villages_region")
    print(f"province built and analyzed in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=["county", "province"])
    parser.add_argument("--households", type=int, default=1_000_000, help="province: households to build")
    parser.add_argument("--depth", type=int, default=100_000, help="rows before the deep page")
    parser.add_argument("--region", help="the region to list (default the county, or the province)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--old", action="store_true", help="also time the list's SQL as it was (slow at scale)")
    args = parser.parse_args()
    if args.target == "province":
        call_command("migrate", verbosity=0)
        if not Region.objects.filter(code=PROVINCE).exists():
            build_province(args.households)
    code = args.region or (COUNTY if args.target == "county" else PROVINCE)
    low, high = number_bounds(significant_prefix(code))
    total = Household.objects.filter(number__gte=low, number__lt=high).count()
    everything = Household.objects.count()
    report(
        f"P3 households/?region={code}: {total} households in the region, {everything} in the table; "
        f"pages of {PAGE}, the deep one after {args.depth} rows (target: p50 ≤ 40 ms at any depth)",
        measure(code, depth=args.depth, runs=args.runs, old=args.old),
    )


if __name__ == "__main__":
    main()
