"""`make loadtest`: a bounded mixed load on gunicorn over loopback, then a check that every write is stored.

    python bench/loadtest.py [--duration 60] [--users 32] [--workers 2]

Needs the demo county in the database in use (`make run` once, or `manage.py seed_demo`). Starts
gunicorn on a free loopback port, runs locust headless (bench/locustfile.py) for the duration,
prints requests/s, p50/p99 and errors per request kind, then compares every write the load made
with the database. Exits 1 on any error or lost write. The rows it wrote (annual records of
a year that had none, made by the user `loadtest_writer`) are deleted at the end, so the demo county's figures
stay as they were. Results: bench/results/loadtest-<time>.json.
"""

import argparse
import csv
import datetime
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

COUNTY = "220821000000"
AS_OF = "2017-12-31"
WRITER = "loadtest_writer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(users: int) -> dict:
    import django

    django.setup()
    from core.services import api_token_create, api_tokens_rate_limit_set, user_create_or_update
    from households.models import Household
    from villages.models import Region

    if not Region.objects.filter(code=COUNTY).exists() or not Household.objects.exists():
        sys.exit("the demo county is not in this database: run `make run` once, or `python manage.py seed_demo`")
    county = Region.objects.get(code=COUNTY)
    user, _, _ = user_create_or_update(
        username=WRITER, password=secrets.token_urlsafe(24) + "-Lt9", grants=[("county_officer", county)]
    )
    _, token = api_token_create(user=user, name="loadtest")
    # Every simulated user shares this token: raise its rate limit (docs/api.md, Rate limits) far above the load, so
    # the test measures the server, not the per-client limit.
    api_tokens_rate_limit_set(username=WRITER, limit=10_000_000, name="loadtest")
    year = load_year()
    households = list(Household.objects.filter(village__code__startswith=COUNTY[:6]).order_by("id").values_list("id", "village__code"))
    villages = sorted({code for _, code in households})
    ids = [pk for pk, _ in households]
    return {
        "token": token,
        "users": users,
        "county": COUNTY,
        "as_of": AS_OF,
        "year": year,
        "villages": villages[:50],
        "read_households": ids[::37][:2000],
        "write_households": ids[1::7][: users * 400],
    }


def _wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer {url} within {seconds} s")


def _stats(path: Path) -> list[dict]:
    rows = []
    with path.open() as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"] if row["Type"] else "all",
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "req_s": round(float(row["Requests/s"]), 1),
                    "p50_ms": float(row["50%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                }
            )
    return rows


def load_year() -> int:
    """A year of the monitoring period that has no annual record yet: what the load writes there is
    found and removed afterwards without touching the county's own records."""
    from households.models import AnnualRecord

    used = set(AnnualRecord.objects.values_list("year", flat=True).distinct())
    for year in range(datetime.date.today().year, 2020, -1):
        if year not in used:
            return year
    sys.exit("every year since 2021 has annual records: no year is free for the load's writes")


def verify(log: dict, year: int) -> dict:
    from households.models import AnnualRecord

    stored = dict(AnnualRecord.objects.filter(year=year).values_list("id", "wages"))
    written, pending = log["written"], log["pending"]
    # A PATCH cut off by the end of the run may or may not have committed: either value is stored.
    lost = [
        int(pk) for pk, wages in written.items()
        if stored.get(int(pk)) not in {Decimal(wages), Decimal(pending[pk]) if pk in pending else None}
    ]
    return {"writes_checked": len(written), "records_stored": len(stored), "lost": lost}


def cleanup(year: int) -> None:
    from households.models import AnnualRecord

    AnnualRecord.objects.filter(year=year).delete()


def run_load(*, duration: int, users: int, workers: int) -> tuple[list[dict], dict]:
    """Gunicorn with `workers` on a free loopback port under locust's `users` for `duration` seconds: the stats per
    request kind (and "Aggregated") and the check of every write (the rows written are deleted after)."""
    config = prepare(users)
    bin_dir = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="jingzhun-load-"))
    (work / "config.json").write_text(json.dumps(config))
    port = _free_port()
    env = {**os.environ, "LOADTEST_CONFIG": str(work / "config.json"), "LOADTEST_WRITTEN": str(work / "written.json")}
    server = subprocess.Popen(  # noqa: S603
        [str(bin_dir / "gunicorn"), "config.wsgi", "-c", "config/gunicorn_conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        subprocess.run(  # noqa: S603
            [str(bin_dir / "locust"), "-f", "bench/locustfile.py", "--headless", "-u", str(users), "-r",
             str(users), "-t", f"{duration}s", "--host", f"http://127.0.0.1:{port}", "--csv",
             str(work / "stats"), "--only-summary", "--stop-timeout", "20", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            cwd=ROOT, env=env, check=True, timeout=duration + 120,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    stats = _stats(work / "stats_stats.csv")
    written = json.loads((work / "written.json").read_text())
    check = verify(written, config["year"])
    cleanup(config["year"])
    shutil.rmtree(work, ignore_errors=True)
    return stats, check


def total_of(stats: list[dict]) -> dict:
    return next(row for row in stats if row["name"] == "Aggregated" or row["name"] == "all")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    stats, check = run_load(duration=args.duration, users=args.users, workers=args.workers)

    total = total_of(stats)
    print(f"\n{'request':42} {'n':>7} {'err':>5} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for row in stats:
        print(f"{row['name']:42} {row['requests']:7} {row['errors']:5} {row['req_s']:7} {row['p50_ms']:8.0f} {row['p99_ms']:8.0f}")
    print(f"\nwrites checked: {check['writes_checked']}, lost: {len(check['lost'])}; "
          f"{args.users} users, {args.duration} s, {args.workers} gunicorn workers")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"loadtest-{stamp}.json").write_text(
        json.dumps({"args": vars(args), "stats": stats, "check": check}, indent=2)
    )
    failed = total["errors"] > 0 or check["lost"] or check["writes_checked"] == 0
    if failed:
        print("FAILED: errors or lost writes (or no write at all)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
