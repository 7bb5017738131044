"""The data a benchmark run measures (quality.md; `make bench`): the demo county, or a synthetic province of N households.

`BENCH_HOUSEHOLDS` picks the scale: unset (or `demo`) is the demo county built by `manage.py seed_demo`; a number
(1000000, 10000000) is a province of that many households. Each scale has its own database beside the one
`DATABASE_URL` names: `<name>_bench_demo`, `<name>_bench_1m`, `<name>_bench_10m`. A build is recorded in the
table `bench_build` of that database, so the next run finds it and reuses it (nothing is rebuilt unless the table
says it is absent).

The province (Heilongjiang codes, 23…) has 10 cities × 10 counties × 10 townships × 10 villages and N ÷ 10000
households per village (at most 9999), one to three members each, an identification in 2014 and for three in four
an exit in 2016 or 2017, a pairing each, cooperative memberships and industry benefits for most. It is written with
COPY with triggers off (session_replication_role = replica: no history rows, no ledger moves), then the ledger of
dated aggregates is rebuilt (`manage.py rebuild_ledger`) and the database analyzed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz_hbench BENCH_HOUSEHOLDS=1000000 .venv/bin/python -m bench.data
"""

import datetime
import json
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

DEMO = "demo"
PROVINCE = "230000000000"
CAUSES = ("illness", "disability", "lack_labour", "lack_funds", "lack_skills", "schooling")
ATTRIBUTES = ("general", "general", "general", "dibao", "tekun")
RECORD = """
CREATE TABLE IF NOT EXISTS bench_build (
    scale text PRIMARY KEY, households bigint NOT NULL, members bigint NOT NULL, seconds jsonb NOT NULL,
    built_at timestamptz NOT NULL DEFAULT now()
)
"""


def scale_from(value: str | None) -> str:
    """`BENCH_HOUSEHOLDS` as a scale: "demo", or a number of households as digits ("1000000")."""
    value = (value or "").strip().replace("_", "")
    if value in ("", DEMO):
        return DEMO
    if not value.isdigit() or int(value) < 10000:
        raise SystemExit(f"BENCH_HOUSEHOLDS={value!r}: `demo` or a number of households (at least 10000)")
    return str(int(value))


def suffix(scale: str) -> str:
    """The database suffix of a scale: demo, 1m, 10m, 250k, 12345."""
    if scale == DEMO:
        return DEMO
    number = int(scale)
    for unit, size in (("m", 1_000_000), ("k", 1000)):
        if number % size == 0:
            return f"{number // size}{unit}"
    return scale


def database_url(base: str, scale: str, *, tag: str | None = None) -> str:
    """The URL of the scale's database (or of `tag`'s) beside the one `base` names: its name + `_bench_<suffix>`."""
    parts = urlsplit(base)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path=f"/{name}_bench_{tag or suffix(scale)}"))


def ensure_database(url: str, *, fresh: bool = False, template: str | None = None, drop: bool = False) -> None:
    """Create the database `url` names when absent (dropped first when `fresh`; a copy of `template` when given;
    only dropped when `drop`), from a connection to the base one (or to `postgres` when that one does not exist
    yet). Only names of the form <base>_bench_<suffix> are created or dropped."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    base = name.split("_bench_")[0]
    if base == name:
        raise ValueError(f"{name}: the bench only makes databases named <name>_bench_<suffix>")
    for maintenance in (base, "postgres"):
        try:
            connection = psycopg2.connect(urlunsplit(parts._replace(path=f"/{maintenance}")))
            break
        except psycopg2.OperationalError:
            continue
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh or drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if drop:
            connection.close()
            return
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        if base != name and maintenance == "postgres":
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{base}"')
    connection.close()


def use(scale: str) -> str:
    """Point this process at the scale's database (before django.setup()): created when absent. Its URL."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        raise SystemExit("DATABASE_URL must name a PostgreSQL database; the bench builds its own beside it")
    url = database_url(base, scale)
    ensure_database(url)
    os.environ.setdefault("BENCH_BASE_URL", base)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return url


def recorded(scale: str) -> dict | None:
    """The build recorded for `scale` in this database, or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RECORD)
        cursor.execute("SELECT households, members, seconds, built_at FROM bench_build WHERE scale = %s", [scale])
        row = cursor.fetchone()
    if row is None:
        return None
    households, members, seconds, built_at = row
    if isinstance(seconds, str):  # Django's cursor leaves jsonb as text
        seconds = json.loads(seconds)
    return {"scale": scale, "households": households, "members": members, "seconds": seconds, "built_at": built_at}


def _record(scale: str, *, households: int, members: int, seconds: dict) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RECORD)
        cursor.execute(
            "INSERT INTO bench_build (scale, households, members, seconds) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (scale) DO UPDATE SET households = EXCLUDED.households, members = EXCLUDED.members, "
            "seconds = EXCLUDED.seconds, built_at = now()",
            [scale, households, members, json.dumps(seconds)],
        )
    return recorded(scale)


def prepare(scale: str, *, log=print) -> dict:
    """Migrate, then reuse the scale's recorded build or make it (timed: `reused` says which)."""
    from django.core.management import call_command

    from households.models import Household, Member

    call_command("migrate", verbosity=0)
    found = recorded(scale)
    if found is not None:
        log(f"data: reusing the {scale} build of {found['built_at']:%Y-%m-%d %H:%M} ({found['households']} households)")
        return {**found, "reused": True}
    seconds = {}
    started = time.perf_counter()
    if scale == DEMO:
        from demo.regions import demo_present

        log("data: seed_demo …")
        call_command("seed_demo", reset=demo_present(), stdout=open(os.devnull, "w"))  # noqa: SIM115
        seconds["seed_demo"] = time.perf_counter() - started
    else:
        from villages.models import Region

        if Region.objects.filter(code=PROVINCE).exists():
            # The register is written in one transaction: present means whole; the ledger or the record was not.
            log("data: the province's register is present without a record: the ledger is rebuilt")
        else:
            log(f"data: building a province of {int(scale):,} households …")
            build_province(int(scale), log=log)
        seconds["register"] = time.perf_counter() - started
        log(f"data: register in {seconds['register']:.0f} s; rebuilding the ledger …")
        call_command("rebuild_ledger")
        seconds["ledger"] = time.perf_counter() - started - seconds["register"]
    analyzed = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds["analyze"] = time.perf_counter() - analyzed
    seconds["total"] = time.perf_counter() - started
    log(f"data: built in {seconds['total']:.0f} s")
    return {
        **_record(scale, households=Household.objects.count(), members=Member.objects.count(), seconds=seconds),
        "reused": False,
    }


def build_province(households: int, *, log=print) -> None:
    """Regions, profiles and years by bulk_create; households, members, status changes, cadres, pairings, benefits
    and memberships by COPY with triggers off."""
    from django.db import connection, transaction

    from cadres.models import Cadre, Pairing, Unit, WorkTeam
    from demo.copy import copy_into
    from households.models import Household, Member
    from households.rules import make_resident_id
    from lifecycle.models import StatusChange
    from programs.models import Benefit, Cooperative, CooperativeMembership, Program
    from villages.models import Region, VillageProfile, VillageYear

    per_village = min(9999, max(1, households // 10000))
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
        log(f"households {last - first + 1} in {time.perf_counter() - started:.0f} s")

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
        log(f"members in {time.perf_counter() - started:.0f} s")

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
    log(f"province built in {time.perf_counter() - started:.0f} s; analyzing")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main():
    scale = scale_from(os.environ.get("BENCH_HOUSEHOLDS"))
    use(scale)
    import django

    django.setup()
    prepare(scale)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()


def time_seed_demo(*, log=print) -> dict:
    """P6: seconds of `manage.py seed_demo` into a fresh database (`<name>_bench_p6`), cloned from a migrated empty
    one (`<name>_bench_empty`, migrated each run: nothing to do unless a migration is new) so that the migrations
    are not timed; the clone is dropped after. Its own "done in" figure and the whole command's."""
    import re
    import subprocess

    base = os.environ["BENCH_BASE_URL"]
    empty = database_url(base, DEMO, tag="empty")
    fresh = database_url(base, DEMO, tag="p6")
    ensure_database(empty)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    manage = [sys.executable, os.path.join(root, "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env={**os.environ, "DATABASE_URL": empty},  # noqa: S603
                   check=True, cwd=root)  # fmt: skip
    empty_name = urlsplit(empty).path.lstrip("/")
    fresh_name = urlsplit(fresh).path.lstrip("/")
    ensure_database(fresh, fresh=True, template=empty_name)
    log("P6: seed_demo into a fresh database …")
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [*manage, "seed_demo"], env={**os.environ, "DATABASE_URL": fresh}, check=True, cwd=root, capture_output=True,
        text=True,
    )
    command = time.perf_counter() - started
    ensure_database(fresh, drop=True)
    inside = re.search(r"done in ([0-9.]+) s", done.stdout)
    return {"seed_s": float(inside.group(1)) if inside else command, "command_s": command, "database": fresh_name}
