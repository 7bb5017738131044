"""Measure a department comparison (数据比对) of 100,000 rows against the demo county.

Not a test: a measuring script. It makes a department list of synthetic but valid ID numbers, a few
thousand of them the numbers of active demo members (some written in their 15-digit legacy form),
and times each stage separately: reading the file, storing the upload (the Comparison row and a
COPY of its rows), matching (the one SQL statement that opens the findings) and the removal
proposals opened for veto matches. Everything runs in one transaction that is rolled back, so the
database is left as it was (pass --keep to commit).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz_h2 .venv/bin/python bench/comparisons.py
    … bench/comparisons.py --rows 100000 --members 3000 --xlsx --veto public_employee

Needs the demo county (`manage.py migrate && manage.py seed_demo`).
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from checks import comparisons, uploads  # noqa: E402
from checks.models import CategorySetting, Comparison, Finding  # noqa: E402
from core.models import RoleGrant  # noqa: E402
from households.models import Member  # noqa: E402
from households.rules import make_resident_id  # noqa: E402
from villages.models import Region  # noqa: E402

COUNTY = "220821000000"
# Share of each category among the matched members (most department hits are vehicles and property).
WEIGHTS = {"vehicle": 40, "property": 20, "business": 15, "deceased": 10, "public_employee": 5, "other": 10}
DETAILS = {
    "vehicle": "小型轿车 吉G·{n:05d}",
    "property": "镇赉镇商品房 {n} 号",
    "business": "个体工商户 注册号 2208{n:08d}",
    "deceased": "死亡日期 2016-{m:02d}-{d:02d}",
    "public_employee": "县财政供养 编号 {n}",
    "other": "其他部门数据 {n}",
}


class Rollback(Exception):
    pass


def synthetic_ids(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Valid resident IDs of other areas, none of them a demo member's."""
    numbers: list[str] = []
    seen = set(taken)
    while len(numbers) < count:
        area = f"22{rng.randint(1, 8):02d}{rng.randint(1, 30):02d}"
        birth = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 80))
        number = make_resident_id(area=area, birth_date=birth, sequence=rng.randint(0, 499), sex=rng.choice(["male", "female"]))
        if number not in seen:
            seen.add(number)
            numbers.append(number)
    return numbers


def legacy_form(number: str) -> str:
    """The 15-digit form of an 18-digit number born in the 1900s."""
    return number[:6] + number[8:17]


def department_list(*, rows: int, members: int, seed: int) -> tuple[list[tuple[str, str, str]], int]:
    """(id number, category, detail) rows, `members` of them demo members; returns the rows and the legacy count."""
    rng = random.Random(seed)
    active = list(
        Member.objects.filter(left_on__isnull=True, household__village__code__startswith=COUNTY[:6], id_type="resident_id")
        .order_by("id")
        .values_list("person_number", flat=True)
    )
    chosen = rng.sample(active, min(members, len(active)))
    categories = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=rows)
    numbers = chosen + synthetic_ids(rng, rows - len(chosen), set(active))
    rng.shuffle(numbers)
    chosen_set = set(chosen)
    out, legacy = [], 0
    for index, (number, category) in enumerate(zip(numbers, categories, strict=True)):
        if number in chosen_set and number[6:8] == "19" and rng.random() < 0.05:
            number, legacy = legacy_form(number), legacy + 1
        detail = DETAILS[category].format(n=index, m=rng.randint(1, 12), d=rng.randint(1, 28))
        out.append((number, category, detail))
    return out, legacy


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["证件号码", "类别", "说明"])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["id_number", "category", "detail"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(label: str, results: dict, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    results[label] = time.perf_counter() - started
    print(f"  {label:<34} {results[label]:7.2f} s", flush=True)
    return value


def compare(
    *, rows: int = 100_000, members: int = 3_000, seed: int = 2017, xlsx: bool = False, veto: str = "public_employee",
    keep: bool = False,
) -> dict[str, float]:
    """Seconds of each stage of one comparison (rolled back unless `keep`), printed as they come."""
    options = argparse.Namespace(rows=rows, members=members, seed=seed, xlsx=xlsx, veto=veto, keep=keep)
    county = Region.objects.get(pk=COUNTY)
    print(f"demo county {county.code} {county.name}: {Member.objects.filter(left_on__isnull=True).count()} active members")
    results: dict[str, float] = {}
    rows, legacy = timed("generate the list", results, department_list, rows=options.rows, members=options.members, seed=options.seed)
    content = timed("write CSV", results, as_csv, rows)
    print(f"  list: {len(rows)} rows, {options.members} demo members ({legacy} as 15-digit numbers), CSV {len(content) / 1e6:.1f} MB")
    today = datetime.date.today()
    parsed = timed("read CSV (parse + validate)", results, uploads.read_upload, name="list.csv", content=content, today=today)
    if options.xlsx:
        workbook = timed("write XLSX", results, as_xlsx, rows)
        print(f"  XLSX {len(workbook) / 1e6:.1f} MB")
        timed("read XLSX (parse + validate)", results, uploads.read_upload, name="list.xlsx", content=workbook, today=today)

    try:
        with transaction.atomic():
            user, _created = get_user_model().objects.get_or_create(username="bench-comparisons")
            RoleGrant.objects.get_or_create(user=user, role="county_officer", region=county)
            if options.veto:
                CategorySetting.objects.update_or_create(region=county, category=options.veto, defaults={"veto": True})

            def store():
                comparison = Comparison.objects.create(
                    region=county, department="公安局", file_name="list.csv", digest=f"bench-{time.time()}",
                    rows=len(parsed), uploaded_by=user,
                )  # fmt: skip
                comparisons.comparison_rows_store(comparison=comparison, rows=parsed)
                return comparison

            comparison = timed("store (Comparison + COPY rows)", results, store)
            match = timed("match (one statement)", results, comparisons.comparison_match, comparison=comparison)
            removals, refused = timed(
                f"removal proposals ({len(match.vetoed)})", results, comparisons._propose_removals,
                user=user, comparison=comparison, vetoed=match.vetoed, on=today,
            )  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute("SELECT severity, count(*) FROM checks_finding WHERE comparison_id = %s GROUP BY 1", [comparison.pk])
                by_severity = dict(cursor.fetchall())
            print(
                f"  matched {match.matched} people, opened {match.opened} findings {by_severity}, "
                f"{len(removals)} removal proposals ({len(refused)} refused), "
                f"{Finding.objects.filter(comparison=comparison, member__isnull=True).count()} without member"
            )
            if not options.keep:
                raise Rollback
    except Rollback:
        print("  (rolled back)")
    read = results["read CSV (parse + validate)"]
    print(
        f"parse+store {read + results['store (Comparison + COPY rows)']:.2f} s, "
        f"matching {results['match (one statement)']:.2f} s (target ≤ 10 s), "
        f"proposals {results[next(k for k in results if k.startswith('removal'))]:.2f} s"
    )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=3_000, help="rows that are demo members' numbers")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--xlsx", action="store_true", help="also time reading the list as XLSX")
    parser.add_argument("--veto", default="public_employee", help="category the county marks veto ('' for none)")
    parser.add_argument("--keep", action="store_true", help="commit the comparison instead of rolling back")
    compare(**vars(parser.parse_args()))


if __name__ == "__main__":
    main()
