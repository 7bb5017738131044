"""P5 of quality.md: the spreadsheet import (导入), validate + commit, as XLSX and as CSV, beside PostgreSQL COPY.

A national-layout file of N synthetic households (head, spouse, one child; valid ID numbers that no one in the
register holds) spread over ten villages of the county 220821 (镇赉县): read + validate (`import_create`), then the
commit (`import_commit`: lock, validate again, write; the register rules left out, timed apart as P7). The
baseline is a COPY of the same households and members into the register's tables (the same triggers fire). Every
step runs in a transaction that is rolled back, so the database is left as it was. Peak memory (tracemalloc's,
Python objects only) is measured only when asked (BENCH_P5_MEMORY=1), apart from the timing it slows.

Needs a migrated database; makes the county's ten villages and a county officer when missing.
"""

import datetime
import io
import time
import tracemalloc

from bench.report import Row

COUNTY = "220821000000"


class Rollback(Exception):
    pass


def ensure_world(villages: int):
    """The county's villages and a county officer (made when missing): (user, county, village codes)."""
    from django.contrib.auth import get_user_model

    from core.models import RoleGrant
    from tests.factories import make_region
    from villages.models import Region

    codes = [f"220821100{200 + n:03d}" for n in range(1, villages + 1)]
    for code in codes:
        make_region(code)
    user, _created = get_user_model().objects.get_or_create(username="bench_imports")
    RoleGrant.objects.get_or_create(user=user, role="county_officer", region_id=COUNTY)
    return user, Region.objects.get(pk=COUNTY), codes


def national_file(households: int, villages: list[str], *, as_csv: bool, start: int) -> tuple[bytes, list[list]]:
    """The file's content and its rows (header first)."""
    from households import layouts
    from households.models import Member
    from households.rules import make_resident_id
    from reports import exports

    taken = set(Member.objects.values_list("person_number", flat=True))
    rows = [list(layouts.NATIONAL_HEADER)]
    names = list(layouts.NATIONAL_HEADERS)
    sequence = start
    people = (("王建国", "male", datetime.date(1962, 3, 8), "户主"), ("李秀兰", "female", datetime.date(1964, 5, 20), "配偶"),
              ("王小军", "male", datetime.date(1990, 9, 1), "之子"))  # fmt: skip
    for n in range(households):
        village = villages[n % len(villages)]
        for name, sex, birth, relation in people:
            while True:
                sequence += 1
                number = make_resident_id(
                    area=f"22{sequence // 500 % 10000:04d}", birth_date=birth, sequence=sequence % 500, sex=sex
                )
                if number not in taken:
                    taken.add(number)
                    break
            cells = {
                "village": village, "address": f"{n % 9 + 1}组{n % 97 + 1}号", "identification_standard": "国家标准",
                "attribute": "一般贫困户", "main_cause": "因病", "other_causes": "缺资金", "name": name,
                "id_type": "居民身份证", "id_number": number, "sex": "男" if sex == "male" else "女",
                "birth_date": birth.isoformat(), "relation": relation, "ethnicity": "汉族", "education": "小学",
                "school_status": "非在校生", "health": "健康", "labour": "普通劳动力", "medical_insurance": "是",
            }  # fmt: skip
            rows.append([cells.get(column, "") for column in names])
    if as_csv:
        import csv

        text = io.StringIO()
        csv.writer(text).writerows(rows)
        return text.getvalue().encode("utf-8-sig"), rows
    out = io.BytesIO()
    exports.write_xlsx(iter(rows[1:]), out, header=rows[0])
    return out.getvalue(), rows


def _traced(function, *, memory: bool = False):
    """(seconds, peak MB or None, result) of one run of `function`; tracemalloc (which slows the run) only when
    `memory`."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        result = function()
        seconds = time.perf_counter() - started
        return seconds, tracemalloc.get_traced_memory()[1] / 1024 / 1024 if memory else None, result
    finally:
        if memory:
            tracemalloc.stop()


def import_once(content: bytes, *, csv: bool, user, county, memory: bool = False) -> dict:
    """Seconds of read + validate and of the commit of one file, and the peak memory; rolled back."""
    from django.db import transaction

    from households.imports import services

    figures = {}
    try:
        with transaction.atomic():
            name = "bench.csv" if csv else "bench.xlsx"
            seconds, peak, imported = _traced(
                lambda: services.import_create(user=user, region=county, filename=name, content=content), memory=memory
            )
            assert imported.report["error_count"] == 0, imported.report
            figures.update(validate=seconds, validate_mb=peak)
            seconds, peak, imported = _traced(lambda: services.import_commit(user=user, import_=imported), memory=memory)
            assert imported.state == "committed", imported.state
            figures.update(commit=seconds, commit_mb=peak, total=figures["validate"] + seconds)
            raise Rollback
    except Rollback:
        pass
    return figures


def copy_once(rows: list[list], *, villages: list[str]) -> float:
    """Seconds of a COPY of the file's households and members into the register's tables; rolled back."""
    from django.db import connection, transaction

    from demo.copy import copy_into
    from households import layouts
    from households.models import Household, Member

    names = list(layouts.NATIONAL_HEADERS)
    people = [dict(zip(names, row, strict=False)) for row in rows[1:]]
    per_household = 3  # head, spouse, child: national_file's families
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            count = len(people) // per_household
            copy_into(cursor, model=Household, rows=(
                {"number": f"{villages[n % len(villages)]}{9999 - n // len(villages):04d}",
                 "village_id": villages[n % len(villages)], "address": people[n * per_household]["address"],
                 "attribute": "general", "main_cause": "illness", "status": "candidate"}
                for n in range(count)
            ))  # fmt: skip
            cursor.execute(
                # a join on the unique index (`number = ANY(array)` would compare every row with every number)
                "SELECT h.number, h.id FROM unnest(%s::text[]) AS n(number) "
                "JOIN households_household h ON h.number = n.number",
                [[f"{villages[n % len(villages)]}{9999 - n // len(villages):04d}" for n in range(count)]],
            )
            ids = dict(cursor.fetchall())
            relation = {"户主": "01", "配偶": "02", "之子": "21"}
            copy_into(cursor, model=Member, rows=(
                {"household_id": ids[f"{villages[n // per_household % len(villages)]}"
                                     f"{9999 - n // per_household // len(villages):04d}"],
                 "name": person["name"], "id_number": person["id_number"], "person_number": person["id_number"],
                 "sex": "male" if person["sex"] == "男" else "female",
                 "birth_date": datetime.date.fromisoformat(person["birth_date"]),
                 "relation": relation[person["relation"]], "education": "primary", "labour": "normal"}
                for n, person in enumerate(people)
            ))  # fmt: skip
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed


def p5(*, households: int, county_size: int, memory: bool = False) -> tuple[list[Row], dict]:
    """P5 rows: XLSX validate + commit against ≤ 60 s, CSV beside COPY of the same rows (≥ 25 % of its throughput:
    a ratio ≤ 4)."""
    from households import hooks
    from households.models import Member

    user, county, villages = ensure_world(10)
    providers = list(hooks._after_import_providers)
    hooks._after_import_providers.clear()  # timed apart: the register rules are P7
    try:
        start = Member.objects.count() * 3
        xlsx, _rows = national_file(households, villages, as_csv=False, start=start)
        csv, rows = national_file(households, villages, as_csv=True, start=start)
        copied = copy_once(rows, villages=villages)
        by_xlsx = import_once(xlsx, csv=False, user=user, county=county, memory=memory)
        by_csv = import_once(csv, csv=True, user=user, county=county, memory=memory)
    finally:
        hooks._after_import_providers.extend(providers)
    size = f"{households:,} households / {households * 3:,} members"
    full = households >= county_size
    note = f"validate {by_xlsx['validate']:.1f} s + commit {by_xlsx['commit']:.1f} s"
    if memory:
        note += f", peak {max(by_xlsx['validate_mb'], by_xlsx['commit_mb']):.0f} MB"
    if not full:
        note += f"; the target is for the county's {county_size:,} (BENCH_P5_HOUSEHOLDS={county_size})"
    rows_out = [
        Row(f"P5 import XLSX ({size})", by_xlsx["total"], copied, unit="s", target="≤ 60 s (county)",
            limit=60 if full else None, note=note),
    ]  # fmt: skip
    rows_out.append(
        Row(f"P5 import CSV ({size})", by_csv["total"], copied, unit="s", target="≤ 4 × COPY (≥ 25 %)", limit=4,
                on="ratio", note=f"baseline: COPY of the same households and members ({copied:.2f} s); "
                f"validate {by_csv['validate']:.1f} s + commit {by_csv['commit']:.1f} s")
    )  # fmt: skip
    return rows_out, {"xlsx": by_xlsx, "csv": by_csv, "copy_s": copied, "households": households}
