"""Measure the spreadsheet import (导入) by hand: validate and commit a file, with wall time and peak resident memory.

`make bench` times P5 through bench/imports.py; this script looks closer: the demo county read back, a file in a
child process (its own peak RSS), a cProfile of either phase, a raw COPY of the same CSV rows into a scratch table.

Not a test: a measuring script. It builds a national-layout file of `--households` (or `--members`, 3 a household)
synthetic new households (head, spouse, one child; valid ID numbers that no one in the register holds) spread over
the villages of a county, times reading + validating (`import_create`) and the commit (`import_commit`, the
register rules excluded, timed by their own benchmark). Peak memory is the process's VmHWM (not tracemalloc's).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jz_himports_bench .venv/bin/python bench/import_profile.py --demo --rollback
        the demo county (seed_demo) exported as one XLSX and imported back (households the validation refuses,
        the demo's deliberate register problems, are left out of the file)
    … bench/import_profile.py --members 37100 --csv --rollback    the same rows as CSV, and a raw COPY of them into a scratch
                                                           table: the CSV path's throughput as a share of COPY's
    … bench/import_profile.py --members 100000 --child            the import in a child process: its own peak RSS
    … bench/import_profile.py --households 5000 --profile validate (or commit)   cProfile, the 30 costliest functions
    … --round-trip                                         also validate the county's export read back
    … --readers                                            also time the XLSX reader alone, beside python-calamine

Needs a migrated database; makes the county 220821 (镇赉县) with 10 villages and a county officer when missing.
The database keeps what was committed unless --rollback.
"""

import argparse
import cProfile
import csv
import datetime
import io
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.imports import COUNTY, Rollback, ensure_world, national_file  # noqa: E402
from core.models import RoleGrant  # noqa: E402
from households import hooks  # noqa: E402
from households.imports import services  # noqa: E402
from households.imports.reading import read_table  # noqa: E402
from households.imports.validation import validate_file  # noqa: E402
from households.models import Member  # noqa: E402
from reports import exports  # noqa: E402
from villages.models import Region  # noqa: E402


def ensure_user():
    user, _created = get_user_model().objects.get_or_create(username="bench_imports")
    RoleGrant.objects.get_or_create(user=user, role="county_officer", region_id=COUNTY)
    return user, Region.objects.get(pk=COUNTY)


def timed(label: str, function):
    began = time.perf_counter()
    result = function()
    took = time.perf_counter() - began
    print(f"{label:<44} {took:8.1f} s   max RSS so far {max_rss_mb():7.1f} MB", flush=True)
    return result, took


def max_rss_mb() -> float:
    """The process's peak resident memory: VmHWM (its own address space's high-water mark; ru_maxrss would carry
    the parent's peak over fork and exec), else ru_maxrss (KB on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_and_commit(*, user, region, content: bytes, filename: str, commit: bool = True):
    """Validate (import_create), then commit; returns (import, validate seconds, commit seconds)."""
    imported, validate_took = timed(f"validate (import_create) {filename}", lambda: services.import_create(
        user=user, region=region, filename=filename, content=content))  # fmt: skip
    print("  report:", imported.state, "households", imported.report["households"], "members", imported.report["members"],
          imported.report["error_count"], "errors", imported.report["errors"][:3])  # fmt: skip
    commit_took = 0.0
    if commit and imported.state == "validated":
        imported, commit_took = timed("commit (import_commit)", lambda: services.import_commit(user=user, import_=imported))
        print("  state:", imported.state, imported.report.get("errors", [])[:3])
    return imported, validate_took, commit_took


def county_export(user, *, leave_out: frozenset = frozenset()) -> bytes:
    """The county's export (XLSX), without the households numbered in `leave_out`."""
    raw = exports.household_export_rows(user=user, region_code=COUNTY, day=datetime.date.today())
    number = exports.HEADER.index("household_number")
    rows = (row for row in exports.export_rows(raw.iterator(), may_see=lambda code: True) if row[number] not in leave_out)
    out = io.BytesIO()
    exports.write_xlsx(rows, out)
    return out.getvalue()


def refused_households(user, county, content: bytes) -> frozenset:
    """The numbers of the households the validation refuses (the demo keeps register problems on purpose: a
    household without a head, for the rules to find), so that the rest can be committed."""
    rows = {error["row"] for error in validate_file(content, filename="demo.xlsx", user=user, region=county).report["errors"]}
    table = read_table(content)
    number = [str(cell) for cell in table.header].index("household_number")
    return frozenset(cells[number] for row, cells in table.rows if row in rows)


def copy_seconds(content: bytes) -> float:
    """Raw COPY of the same CSV rows into a scratch table of text columns (the ceiling the CSV path is held to)."""
    text = content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    columns = ", ".join(f'c{n} text' for n in range(len(header)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_copy_scratch ({columns})")
        began = time.perf_counter()
        cursor.copy_expert("COPY bench_copy_scratch FROM STDIN (FORMAT csv, HEADER true)", io.StringIO(text))
        took = time.perf_counter() - began
        cursor.execute("DROP TABLE bench_copy_scratch")
    return took


def compare_readers(content: bytes, *, runs: int = 2):
    """The file read alone (every row taken, nothing validated) by the streaming reader and by python-calamine (the
    reader before it, a test dependency now), in turns, `runs` times each."""
    import python_calamine

    def calamine_rows():
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_name(next(name for name in workbook.sheet_names if name != "可选值"))
        return sum(1 for cells in sheet.iter_rows() if any(cell not in ("", None) for cell in cells))

    for _run in range(runs):
        timed("read alone: streaming reader", lambda: sum(1 for _row in read_table(content).rows))
        timed("read alone: python-calamine", calamine_rows)


def profile(function, *, top: int = 30):
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--members", type=int, help="a file of this many members (3 a household) instead of --households")
    parser.add_argument("--villages", type=int, default=10)
    parser.add_argument("--csv", action="store_true", help="the same rows as CSV; also times a raw COPY of them")
    parser.add_argument("--demo", action="store_true", help="export the demo county (seed_demo) and import it back")
    parser.add_argument("--profile", choices=["validate", "commit"], help="cProfile the validation or the commit")
    parser.add_argument("--round-trip", action="store_true", help="also validate the county's export read back")
    parser.add_argument("--rollback", action="store_true")
    parser.add_argument("--rules", action="store_true", help="also run the register rules after the commit")
    parser.add_argument("--child", action="store_true", help="import the file in a child process (its peak RSS alone)")
    parser.add_argument("--file", help="import this file (the child's side of --child)")
    parser.add_argument("--readers", action="store_true", help="also time the XLSX reader alone, beside python-calamine")
    args = parser.parse_args()
    if args.members:
        args.households = args.members // 3
    if not args.rules:
        hooks._after_import_providers.clear()  # timed apart: the rules have their own benchmark
    if args.demo or args.file:
        user, county = ensure_user()
    else:
        user, county, villages = ensure_world(args.villages)
    if args.child:
        content, _rows = national_file(args.households, villages, as_csv=args.csv, start=Member.objects.count() * 3)
        suffix = ".csv" if args.csv else ".xlsx"
        with tempfile.NamedTemporaryFile(suffix=suffix) as file:
            file.write(content)
            file.flush()
            print(f"file: {args.households} households, {args.households * 3} members, {len(content) / 1024 / 1024:.1f} MB;"
                  " imported in a child process (rolled back)", flush=True)  # fmt: skip
            subprocess.run([sys.executable, __file__, "--file", file.name, "--rollback"], check=True)  # noqa: S603
        return
    try:
        with transaction.atomic():
            if args.file:
                content = Path(args.file).read_bytes()
                filename = Path(args.file).name
            elif args.demo:
                content, _took = timed("export the demo county (XLSX)", lambda: county_export(user))
                leave_out = refused_households(user, county, content)
                if leave_out:
                    print(f"  {len(leave_out)} households the validation refuses (the demo's register problems) left out")
                    content = county_export(user, leave_out=leave_out)
                print(f"file: the demo county's export, {len(content) / 1024 / 1024:.1f} MB")
                filename = "demo.xlsx"
            else:
                content, _rows = national_file(args.households, villages, as_csv=args.csv, start=Member.objects.count() * 3)
                print(f"file: {args.households} households, {args.households * 3} members, "
                      f"{len(content) / 1024 / 1024:.1f} MB ({'CSV' if args.csv else 'XLSX'})")  # fmt: skip
                filename = "bench.csv" if args.csv else "bench.xlsx"
            print(f"max RSS after building the file: {max_rss_mb():.1f} MB")
            if args.readers:
                compare_readers(content)
            if args.profile == "validate":
                profile(lambda: validate_file(content, filename=filename, user=user, region=county))
                raise Rollback
            if args.profile == "commit":
                imported = services.import_create(user=user, region=county, filename=filename, content=content)
                profile(lambda: services.import_commit(user=user, import_=imported))
                raise Rollback
            _imported, validate_took, commit_took = import_and_commit(user=user, region=county, content=content, filename=filename)
            print(f"validate + commit: {validate_took + commit_took:.1f} s; peak RSS of the process {max_rss_mb():.1f} MB")
            if args.csv:
                took = copy_seconds(content)
                print(f"raw COPY of the same rows: {took:.2f} s; the CSV path's throughput is "
                      f"{100 * took / (validate_took + commit_took):.1f} % of COPY's (validate + commit)")  # fmt: skip
            if args.round_trip:
                report, _took = timed("round trip: validate the county export", lambda: validate_file(
                    county_export(user), filename="export.xlsx", user=user, region=county).report)  # fmt: skip
                print("  report:", report["households"], report["error_count"], "errors")
            if args.rollback:
                raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
