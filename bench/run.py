"""`make bench`: P1–P8 of quality.md, each beside a baseline measured in the same run, as one table and its JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz make bench                          # the demo county
    DATABASE_URL=… make bench BENCH_HOUSEHOLDS=1000000                                     # a 1M province
    DATABASE_URL=… make bench BENCH_ONLY=P1,P3       (or BENCH_SKIP=P5,P6)

The data lives in its own database beside DATABASE_URL's (bench/data.py: `<name>_bench_demo`, `<name>_bench_1m`,
…), built on the first run and reused after. Environment (or Make variables):

| variable | default | what |
|---|---|---|
| BENCH_HOUSEHOLDS | demo | `demo` (the demo county by seed_demo) or a number of households of a synthetic province |
| BENCH_ONLY / BENCH_SKIP | all / none | comma-separated metrics (P1,P2,…) to run / to leave out |
| BENCH_RUNS | 15 | timed runs per figure (after a warm-up); P2 and P7 use fewer |
| BENCH_P5_HOUSEHOLDS | 2000 | households of the import file (19402: the county's size, some 5 minutes more here) |
| BENCH_P5_MEMORY | unset | 1: peak memory of the import too (tracemalloc, which slows it) |
| BENCH_P6 | unset | 1: seed_demo into a fresh database even when the demo database is reused (1–5 min) |
| BENCH_P7_ROWS | 100000 | rows of P7's department list |
| BENCH_LOAD_SECONDS / BENCH_LOAD_USERS | 20 / 32 | P8's load on gunicorn with 2 workers |

At the demo scale all eight run (P6 only when this run seeds the demo database, or when asked); at a province scale P1 (one of its counties), P2, P3, P4
and the build time (P6) run, and P5, P7, P8, which are about the demo county, say "not run". The table is printed
and written to bench/results/bench-<scale>-<UTC time>.json.
"""

import datetime
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import data  # noqa: E402
from bench.report import Row, not_run, table, write  # noqa: E402

METRICS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8")
DEMO_COUNTY = "220821000000"
DEMO_PROVINCE = "220000000000"
PROVINCE_COUNTY = "230101000000"
DEMO_ONLY = "a demo-county measure: run with BENCH_HOUSEHOLDS unset"


def chosen(only: str | None, skip: str | None) -> list[str]:
    """The metrics to run from BENCH_ONLY and BENCH_SKIP (comma-separated, any case)."""

    def parse(text):
        names = [name.strip().upper() for name in (text or "").split(",") if name.strip()]
        unknown = [name for name in names if name not in METRICS]
        if unknown:
            raise SystemExit(f"unknown metrics {', '.join(unknown)}: choose from {', '.join(METRICS)}")
        return names

    picked = parse(only) or list(METRICS)
    left_out = set(parse(skip))
    return [name for name in METRICS if name in picked and name not in left_out]


def p2_limit(scale: str) -> float | None:
    """P2's target: 500 ms at 1,000,000 households, 200 ms at 10,000,000; none for the demo county."""
    if scale == data.DEMO:
        return None
    return 200 if int(scale) >= 10_000_000 else 500


def _load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('shared_buffers')")
        version, buffers = cursor.fetchone()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    return {
        "cores": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "postgresql": version,
        "shared_buffers": buffers,
        "commit": commit.stdout.strip(),
    }


def measure(name: str, scale: str, built: dict, settings: dict, extra: dict, log) -> list[Row]:
    """The rows of one metric at a scale (extra: details kept in the JSON beside the rows)."""
    from bench import imports, lists, loadtest, rules, summaries

    runs = settings["runs"]
    demo = scale == data.DEMO
    if name == "P1":
        if demo:
            return summaries.p1(DEMO_COUNTY, runs=runs, label="demo county")
        return summaries.p1(PROVINCE_COUNTY, runs=runs, label=f"county {PROVINCE_COUNTY[:6]} of the province")
    if name == "P2":
        from villages.models import Region

        top = data.PROVINCE if not demo else (DEMO_PROVINCE if Region.objects.filter(code=DEMO_PROVINCE).exists()
                                             else DEMO_COUNTY)  # fmt: skip
        label = "demo county" if demo else f"{int(scale):,}-household province"
        rows, extra["P2"] = summaries.p2(top, runs=max(3, runs // 3), limit=p2_limit(scale), label=label)
        return rows
    if name == "P3":
        from households.models import Household

        code = DEMO_COUNTY if demo else data.PROVINCE
        total = Household.objects.filter(number__startswith=code[: 6 if demo else 2]).count()
        depth = min(100_000, total - 2 * lists.PAGE)
        label = f"households/?region={code} ({total:,})"
        return lists.p3(code, depth=depth, runs=runs, label=label)
    if name == "P4":
        rows, extra["P4"] = lists.p4()
        return rows
    if name == "P5":
        if not demo:
            return [not_run("P5 import", reason=DEMO_ONLY, target="≤ 60 s; CSV ≥ 25 % of COPY")]
        rows, extra["P5"] = imports.p5(
            households=settings["p5_households"], county_size=19402, memory=settings["p5_memory"]
        )
        return rows
    if name == "P6":
        if not demo:
            seconds = built["seconds"]
            note = (f"COPY of the register {seconds.get('register', 0):.0f} s, ledger rebuild "
                    f"{seconds.get('ledger', 0):.0f} s, ANALYZE {seconds.get('analyze', 0):.0f} s; built "
                    f"{built['built_at']:%Y-%m-%d %H:%M} UTC" + (" (reused)" if built.get("reused") else ""))  # fmt: skip
            return [Row(f"P6 build of {int(scale):,} households (COPY + ledger)", seconds["total"], None, unit="s",
                        target="≤ 15 min (1M)", limit=900 if int(scale) <= 1_000_000 else None, note=note)]  # fmt: skip
        target = "≤ 60 s"
        if not built.get("reused"):  # this run seeded the bench's own database: that was the measure
            return [Row("P6 seed_demo (county), this run's build", built["seconds"]["seed_demo"], None, unit="s",
                        target=target, limit=60, note="the demo county seeded into its new database by this run")]  # fmt: skip
        if not settings["p6_fresh"]:
            return [not_run("P6 seed_demo (county)", target=target, reason="the demo database was reused; seed_demo "
                            "takes 1–5 min here, over the 5-minute budget: BENCH_ONLY=P6 (or BENCH_P6=1) seeds a "
                            "fresh database")]  # fmt: skip
        seeded = data.time_seed_demo(log=log)
        extra["P6"] = seeded
        return [Row("P6 seed_demo (county) into a fresh database", seeded["seed_s"], None, unit="s", target=target,
                    limit=60, note=f"the whole command {seeded['command_s']:.0f} s (migrations not timed: "
                    "the database is a copy of a migrated empty one)")]  # fmt: skip
    if name == "P7":
        if not demo:
            return [not_run("P7 register rules", reason=DEMO_ONLY, target="≤ 10 s")]
        rows = rules.p7(DEMO_COUNTY, runs=2)
        compared, extra["P7"] = rules.p7_comparison(rows=settings["p7_rows"])
        return rows + compared
    if name == "P8":
        if not demo:
            return [not_run("P8 load", reason=DEMO_ONLY, target="req/s, p99; 0 errors")]
        seconds, users = settings["load_seconds"], settings["load_users"]
        stats, check = loadtest.run_load(duration=seconds, users=users, workers=2)
        total = loadtest.total_of(stats)
        extra["P8"] = {"stats": stats, "check": check}
        shape = f"gunicorn 2 workers, {users} users, {seconds} s, loopback"
        return [
            Row(f"P8 load: requests per second ({shape})", total["req_s"], None, unit="req/s", target="report"),
            Row("P8 load: p99 (all requests)", total["p99_ms"], total["p50_ms"], target="report",
                note="baseline column: the same run's p50"),
            Row("P8 load: errors and lost writes", total["errors"] + len(check["lost"]), None, unit="errors",
                target="0", limit=0, note=f"{check['writes_checked']} writes checked"),
        ]  # fmt: skip
    raise ValueError(name)


def main() -> int:
    scale = data.scale_from(os.environ.get("BENCH_HOUSEHOLDS"))
    names = chosen(os.environ.get("BENCH_ONLY"), os.environ.get("BENCH_SKIP"))
    settings = {
        "runs": int(os.environ.get("BENCH_RUNS") or 15),
        "p5_households": int(os.environ.get("BENCH_P5_HOUSEHOLDS") or 2000),
        "p5_memory": os.environ.get("BENCH_P5_MEMORY") == "1",
        # P6 seeds a fresh database when asked by name (BENCH_ONLY=P6) or by BENCH_P6=1
        "p6_fresh": os.environ.get("BENCH_P6") == "1" or "P6" in [n.strip().upper() for n in
                                                                  (os.environ.get("BENCH_ONLY") or "").split(",")],
        "p7_rows": int(os.environ.get("BENCH_P7_ROWS") or 100_000),
        "load_seconds": int(os.environ.get("BENCH_LOAD_SECONDS") or 20),
        "load_users": int(os.environ.get("BENCH_LOAD_USERS") or 32),
    }
    started_at = datetime.datetime.now(datetime.UTC)
    load_before = _load_average()
    url = data.use(scale)

    def log(text):
        print(text, file=sys.stderr, flush=True)

    import django

    django.setup()
    built = data.prepare(scale, log=log)
    rows, extra, seconds = [], {}, {}
    for name in METRICS:
        if name not in names:
            rows.append(not_run(name, reason="left out (BENCH_ONLY / BENCH_SKIP)"))
            continue
        log(f"{name} …")
        began = time.perf_counter()
        try:
            rows.extend(measure(name, scale, built, settings, extra, log))
        except Exception as error:  # noqa: BLE001 - one metric failing still leaves the others' rows
            traceback.print_exc()
            rows.append(not_run(name, reason=f"failed: {type(error).__name__}: {str(error)[:200]}"))
        seconds[name] = round(time.perf_counter() - began, 1)
    meta = {
        "scale": data.suffix(scale),
        "households": built["households"],
        "members": built["members"],
        "database": url.rsplit("/", 1)[-1],
        "data": {key: value for key, value in built.items() if key != "scale"},
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average": {"before": load_before, "after": _load_average()},
        "machine": machine(),
        "settings": settings,
        "seconds_per_metric": seconds,
        "details": extra,
    }
    print(
        f"\nmake bench: {meta['scale']} ({built['households']:,} households, database {meta['database']}), "
        f"{meta['started_at']} → {meta['finished_at']}, load average {load_before} → {meta['load_average']['after']}, "
        f"{meta['machine']['cores']} cores, PostgreSQL {meta['machine']['postgresql']}\n"
    )
    print(table(rows))
    path = write(rows, meta=meta, directory=ROOT / "bench" / "results")
    print(f"\nwritten: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
