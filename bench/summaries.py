"""Measure the summaries (docs/operations.md, Measuring: P1, P2): the county summary on the demo county, the province summary at scale.

Not a test: a measuring script. Each figure is a median (p50) of repeated runs in this process:

- `direct`: reports.selectors.region_summary, the summary computed from the register (ten queries);
- `kept`: summaries/{code}/ through the API (token, scope, serialization) when its kept copy is valid
  (reports.models: no write since it was computed);
- `cold API`: summaries/{code}/ right after a write, so the summary is computed again and kept;
- `baseline`: hand-written SQL computing the figures that count households, per child region (registry status as
  of the day, people on the day, paired, industry coverage, cooperatives: the bulk of the work; the few small
  counts of teams, cadres, benefits and villages are left out), through the same connection.

    # P1: the demo county (manage.py seed_demo first)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz_demo .venv/bin/python bench/summaries.py p1
    # P2: a synthetic province of N households (Heilongjiang codes, 23…), built once into the database given
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz_bench .venv/bin/python bench/summaries.py p2 --households 1000000

The P2 province has 10 cities × 10 counties × 10 townships × 10 villages and N ÷ 10000 households per village, one
to three members each, an identification in 2014 and for three in four an exit in 2016 or 2017, a pairing each,
cooperative memberships and industry benefits for most. It is written with COPY with triggers off
(session_replication_role = replica: no history rows), then analyzed.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from cadres.models import Cadre, Pairing, Unit, WorkTeam  # noqa: E402
from demo.copy import copy_into  # noqa: E402
from households.models import Household, Member  # noqa: E402
from households.rules import make_resident_id  # noqa: E402
from lifecycle.models import StatusChange  # noqa: E402
from programs.models import Benefit, Cooperative, CooperativeMembership, Program  # noqa: E402
from reports import selectors  # noqa: E402
from villages.models import Region, VillageProfile, VillageYear  # noqa: E402

AS_OF = datetime.date(2017, 12, 31)
PROVINCE = "230000000000"
CAUSES = ("illness", "disability", "lack_labour", "lack_funds", "lack_skills", "schooling")
ATTRIBUTES = ("general", "general", "general", "dibao", "tekun")

BASELINE = """
WITH status AS (
    SELECT DISTINCT ON (household_id) household_id, status FROM households_statuschange
    WHERE effective_on <= %(day)s ORDER BY household_id, effective_on DESC, id DESC
), people AS (
    SELECT household_id, count(*) AS n FROM households_member
    WHERE (joined_on IS NULL OR joined_on <= %(day)s) AND (left_on IS NULL OR left_on > %(day)s)
    GROUP BY household_id
), paired AS (
    SELECT DISTINCT household_id FROM cadres_pairing
    WHERE starts_on <= %(day)s AND (ends_on IS NULL OR ends_on > %(day)s)
), covered AS (
    SELECT b.household_id FROM programs_benefit b JOIN programs_program p ON p.id = b.program_id
    WHERE p.category IN ('industry', 'asset_income') AND b.date BETWEEN %(since)s AND %(day)s
    UNION
    SELECT household_id FROM programs_cooperativemembership
    WHERE joined <= %(day)s AND ("left" IS NULL OR "left" > %(since)s)
), member AS (
    SELECT DISTINCT household_id FROM programs_cooperativemembership
    WHERE joined <= %(day)s AND ("left" IS NULL OR "left" > %(day)s)
)
SELECT substr(h.village_id, 1, %(length)s) AS child, s.status, h.main_cause, h.attribute,
       count(*) AS households, coalesce(sum(p.n), 0) AS people, count(pa.household_id) AS paired,
       count(c.household_id) AS covered, count(m.household_id) AS cooperative,
       coalesce(sum(p.n) FILTER (WHERE m.household_id IS NOT NULL), 0) AS cooperative_people
FROM households_household h
LEFT JOIN status s ON s.household_id = h.id
LEFT JOIN people p ON p.household_id = h.id
LEFT JOIN paired pa ON pa.household_id = h.id
LEFT JOIN covered c ON c.household_id = h.id
LEFT JOIN member m ON m.household_id = h.id
WHERE h.village_id LIKE %(pattern)s
GROUP BY 1, 2, 3, 4
"""


def p50(run, times: int) -> float:
    """The median of `times` runs of `run`, in milliseconds."""
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def touch(code: str) -> None:
    """A write to a source table that changes no figure, so that the next summary is computed again."""
    with transaction.atomic():
        Region.objects.filter(code=code).update(name=Region.objects.get(code=code).name)


def measure(code: str, *, runs: int) -> dict:
    region = Region.objects.get(code=code)
    user, _created = get_user_model().objects.get_or_create(username="bench_root", defaults={"is_superuser": True})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    url = f"/api/v1/summaries/{code}/?as_of={AS_OF}"
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200

    def cold_api():
        touch(code)
        client.get(url, HTTP_HOST="127.0.0.1")

    prefix = code[: {"province": 2, "city": 4, "county": 6}[region.level]]
    params = {
        "length": len(prefix) + 2 if region.level != "county" else 9,
        "pattern": f"{prefix}%",
        "day": AS_OF,
        "since": AS_OF.replace(month=1, day=1),
    }

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE, params)
            cursor.fetchall()

    return {
        "direct": p50(lambda: selectors.region_summary(region=region, as_of=AS_OF), runs),
        "kept": p50(lambda: client.get(url, HTTP_HOST="127.0.0.1"), runs * 4),
        "cold API": p50(cold_api, runs),
        "baseline": p50(baseline, runs),
    }


def report(label: str, figures: dict) -> None:
    base = figures["baseline"]
    print(f"{label}: p50 in ms (ratio to the hand-written baseline)")
    for name, value in figures.items():
        print(f"  {name:10s} {value:10.1f}  ({value / base:.2f} ×)")


# The synthetic province ---------------------------------------------------------------------------------------------


def build_province(households: int) -> None:
    """Regions, profiles and years by bulk_create; households, members, status changes, cadres, pairings, benefits
    and memberships by COPY with triggers off."""
    per_village = max(1, households // 10000)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        regions = [Region(code=PROVINCE, name="黑龙江省", level="province", parent_id=None)]
        villages = []
        for city in range(1, 11):
            city_code = f"23{city:02d}00000000"
            regions.append(Region(code=city_code, name=f"市{city}", level="city", parent_id=PROVINCE))
            for county in range(1, 11):
                county_code = f"23{city:02d}{county:02d}000000"
                regions.append(Region(code=county_code, name=f"县{city}-{county}", level="county", parent_id=city_code))
                for town in range(101, 111):
                    town_code = f"{county_code[:6]}{town}000"
                    regions.append(Region(code=town_code, name=f"乡{town}", level="township", parent_id=county_code))
                    for village in range(201, 211):
                        villages.append(f"{county_code[:6]}{town}{village}")
                        regions.append(
                            Region(code=villages[-1], name=f"村{village}", level="village", parent_id=town_code)
                        )
        Region.objects.bulk_create(regions, batch_size=5000)
        VillageProfile.objects.bulk_create(
            [
                VillageProfile(
                    village_id=code,
                    poverty_status=("exited", "poverty", "non_poverty")[index % 3],
                    identified_year=None if index % 3 == 2 else 2014,
                    exit_year=2016 + index % 2 if index % 3 == 0 else None,
                )
                for index, code in enumerate(villages)
            ],
            batch_size=5000,
        )
        VillageYear.objects.bulk_create(
            [VillageYear(village_id=code, year=2017, rural_population=per_village * 8) for code in villages],
            batch_size=5000,
        )
        copy_into(
            cursor,
            model=Household,
            rows=(
                {
                    "number": f"{code}{sequence:04d}",
                    "village_id": code,
                    "address": "",
                    "attribute": ATTRIBUTES[(index + sequence) % len(ATTRIBUTES)],
                    "main_cause": CAUSES[(index * 7 + sequence) % len(CAUSES)],
                    "status": "exited" if sequence % 4 else "poor",
                }
                for index, code in enumerate(villages)
                for sequence in range(per_village)
            ),
        )
        cursor.execute("SELECT min(id), max(id) FROM households_household WHERE village_id LIKE '23%%'")
        first, last = cursor.fetchone()
        print(f"households {last - first + 1} in {time.perf_counter() - started:.0f} s")

        def members():
            count = {}
            for offset in range(last - first + 1):
                county = villages[offset // per_village][:6]
                for place in range(1 + offset % 3):
                    k = count[county] = count.get(county, -1) + 1
                    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=(k * 37) % 25000)
                    sex = "male" if place != 1 else "female"
                    number = make_resident_id(area=county, birth_date=birth, sequence=k // 25000, sex=sex)
                    yield {
                        "household_id": first + offset,
                        "name": "成员",
                        "id_number": number,
                        "person_number": number,
                        "sex": sex,
                        "birth_date": birth,
                        "relation": ("01", "02", "03")[place],
                        "education": "primary",
                        "labour": "normal",
                    }

        copy_into(cursor, model=Member, rows=members())
        print(f"members in {time.perf_counter() - started:.0f} s")

        def changes():
            for offset in range(last - first + 1):
                household = first + offset
                yield {"household_id": household, "status": "poor", "effective_on": datetime.date(2014, 5, 10)}
                if offset % 4:
                    yield {
                        "household_id": household,
                        "status": "exited",
                        "effective_on": datetime.date(2016 + offset % 2, 11, 20),
                    }

        copy_into(cursor, model=StatusChange, rows=changes())
        units = Unit.objects.bulk_create(
            [Unit(name=f"帮扶单位{code}", level="county", region_id=code) for code in (r.code for r in regions)
             if code.endswith("000000") and not code.endswith("00000000")]
        )  # fmt: skip
        unit_of = {unit.region_id[:6]: unit.pk for unit in units}
        WorkTeam.objects.bulk_create(
            [
                WorkTeam(village_id=code, unit_id=unit_of[code[:6]], starts_on=datetime.date(2016, 1, 1))
                for code in villages
            ],
            batch_size=5000,
        )
        cadres_needed = (last - first) // 30 + 1
        copy_into(
            cursor,
            model=Cadre,
            rows=(
                {
                    "name": "干部",
                    "sex": "male",
                    "id_number": f"C{n:017d}",
                    "unit_id": unit_of[villages[min(n * 30 // per_village, len(villages) - 1)][:6]],
                    "region_id": villages[min(n * 30 // per_village, len(villages) - 1)],
                }
                for n in range(cadres_needed)
            ),
        )
        cursor.execute("SELECT min(id) FROM cadres_cadre WHERE id_number LIKE 'C%%'")
        first_cadre = cursor.fetchone()[0]
        copy_into(
            cursor,
            model=Pairing,
            rows=(
                {
                    "cadre_id": first_cadre + offset // 30,
                    "household_id": first + offset,
                    "starts_on": datetime.date(2014, 6, 1),
                }
                for offset in range(last - first + 1)
            ),
        )
        program = Program.objects.create(
            name="产业扶贫", category="industry", start_year=2017, end_year=2017, region_id=PROVINCE,
            funding_source="provincial",
        )  # fmt: skip
        copy_into(
            cursor,
            model=Benefit,
            rows=(
                {
                    "program_id": program.pk,
                    "household_id": first + offset,
                    "date": datetime.date(2017, 6, 1),
                    "amount": "500.00",
                }
                for offset in range(last - first + 1)
                if offset % 2
            ),
        )
        cooperatives = Cooperative.objects.bulk_create(
            [
                Cooperative(name="合作社", village_id=code, kind="planting", founded=datetime.date(2015, 1, 1))
                for code in villages
            ],
            batch_size=5000,
        )
        copy_into(
            cursor,
            model=CooperativeMembership,
            rows=(
                {
                    "cooperative_id": cooperatives[offset // per_village].pk,
                    "household_id": first + offset,
                    "joined": datetime.date(2016, 3, 1),
                }
                for offset in range(last - first + 1)
                if offset % 5
            ),
        )
    print(f"province built in {time.perf_counter() - started:.0f} s; analyzing")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=["p1", "p2"])
    parser.add_argument("--households", type=int, default=1_000_000, help="P2: households of the province")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.target == "p1":
        report("P1 county 220821000000 (target: p50 ≤ 100 ms)", measure("220821000000", runs=args.runs * 4))
        return
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=PROVINCE).exists():
        build_province(args.households)
    households = Household.objects.filter(village__code__startswith="23").count()
    report(
        f"P2 province {PROVINCE}, {households} households (target: ≤ 2 × baseline and ≤ 500 ms)",
        measure(PROVINCE, runs=args.runs),
    )


if __name__ == "__main__":
    main()
