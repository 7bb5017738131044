"""The ledger of dated aggregates (台账, docs/reports.md, The ledger): reading a region's groups as of days, and
rebuilding the ledger from the register.

The tables are reports.models.LedgerKey, LedgerRow and HouseholdStep; the SQL that keeps them in the transaction of
every register write is migration 0004_ledger_sql. A read costs one row per key under the region at the depth read
(the latest row on or before the day, by the primary key), whatever the number of households.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, transaction

from core import series as core_series
from reports import summary as rules_summary

LOCK = 72018210  # the ledger writers' advisory lock (migration 0004_ledger_sql)
FIGURES = (
    "people", "paired", "covered", "cooperative", "cooperative_people", "monitored", "monitored_people", "benefited",
    "amount",
)  # fmt: skip
_COLUMNS = ", ".join(f"r.{name}" for name in ("households", *FIGURES))

_GROUPS = f"""
SELECT k.region, k.status, k.cause, k.attribute, {_COLUMNS}
FROM reports_ledgerkey k
CROSS JOIN LATERAL (
    SELECT * FROM reports_ledgerrow r WHERE r.key_id = k.id AND r.day <= %(day)s ORDER BY r.day DESC LIMIT 1
) r
WHERE k.depth = %(depth)s AND k.region LIKE %(pattern)s
"""  # noqa: S608 - our own constant SQL pieces; values are bound parameters


def flush(cursor) -> None:
    """Move the ledger by this transaction's writes so far (they move it at commit anyway): a read sees its own
    transaction's writes. Nothing to do, and nothing written, in a transaction that has written no register row."""
    cursor.execute("SELECT reports_ledger_flush()")


def groups_by_day(
    *, prefix: str, key_length: int, days: list[datetime.date]
) -> dict[datetime.date, dict[str, rules_summary.Counts]]:
    """The counts of the households under `prefix` grouped by the first `key_length` digits of the village code, as
    of each day: registry status, cause and attribute with people, help, monitoring and the year's benefits (two
    queries: the flush and one read of every day's rows)."""
    groups = {day: defaultdict(rules_summary.Counts) for day in days}
    with connection.cursor() as cursor:
        flush(cursor)
        cursor.execute(
            core_series.lateral_sql(_GROUPS), {"days": list(days), "depth": key_length, "pattern": f"{prefix}%"}
        )
        for day, key, status, cause, attribute, households, people, *figures in cursor.fetchall():
            paired, covered, cooperative, cooperative_people, monitored, monitored_people, benefited, amount = figures
            counts = groups[day][key]
            counts.add_households(
                status=status or None, cause=cause, attribute=attribute, households=households, people=people,
                paired=paired, covered=covered, in_cooperative=cooperative, cooperative_people=cooperative_people,
            )  # fmt: skip
            counts.add_monitored(households=monitored, people=monitored_people)
            counts.add_benefits(households=benefited, amount=amount)
    return groups


_PAIRING_CADRES = """
SELECT coalesce((SELECT r.cadres FROM reports_cadrerow r WHERE r.region = %(region)s AND r.day <= %(day)s
                 ORDER BY r.day DESC LIMIT 1), 0)
"""


def pairing_cadres_by_day(*, prefix: str, days: list[datetime.date], flushed: bool = False) -> dict[datetime.date, int]:
    """Cadres pairing with households under the prefix on each day, each counted once (one query, after the flush
    unless `flushed`)."""
    with connection.cursor() as cursor:
        if not flushed:
            flush(cursor)
        cursor.execute(core_series.lateral_sql(_PAIRING_CADRES), {"days": list(days), "region": prefix})
        return dict(cursor.fetchall())


_REBUILD_CHUNK = """
WITH news AS (
    SELECT ARRAY(
        SELECT s FROM reports_ledger_household_steps(
            ARRAY(SELECT id FROM households_household WHERE id >= %(first)s AND id < %(after)s)) s
    ) AS steps
), kept AS (
    INSERT INTO reports_householdstep (household, day, village, status, cause, attribute, {figures})
    SELECT household, day, village, status, cause, attribute, {figures} FROM news, unnest(news.steps)
)
INSERT INTO reports_ledger_rebuild SELECT c.* FROM news, reports_ledger_changes(news.steps, '{{}}') c
"""
_KEYS = ("region", "depth", "status", "cause", "attribute")
_REBUILD_TOTALS = """
INSERT INTO reports_ledgerrow (key_id, day, households, {figures})
SELECT k.id, g.day, {running}
FROM (SELECT {keys}, day, {sums} FROM reports_ledger_rebuild GROUP BY {keys}, day) g
JOIN reports_ledgerkey k USING ({keys})
WINDOW w AS (PARTITION BY k.id ORDER BY g.day)
"""


def rebuild(*, chunk: int = 5000, progress: Callable[[int, int], None] | None = None) -> dict:
    """Rebuild the ledger from the register (manage.py rebuild_ledger): after rows were written with triggers off (a
    bulk load), or to check it. One transaction holding the writers' lock: writes that commit meanwhile wait, then
    move the rebuilt ledger. Returns how many households, steps, keys and rows it holds."""
    figures = ", ".join(FIGURES)
    every = ("households", *FIGURES)
    # TRUNCATE is refused in a transaction with trigger events pending on the tables (a caller's, a test's)
    empty = "DELETE FROM {}" if connection.in_atomic_block else "TRUNCATE {}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        flush(cursor)  # this transaction's own writes first: the rebuild reads them anyway
        for table in ("reports_householdstep", "reports_ledgerrow", "reports_ledgerkey"):
            cursor.execute(empty.format(table))
        cursor.execute("CREATE TEMPORARY TABLE reports_ledger_rebuild OF reports_ledger_change ON COMMIT DROP")
        cursor.execute("SELECT min(id), max(id) FROM households_household")
        low, high = cursor.fetchone()
        if low is not None:
            for first in range(low, high + 1, chunk):
                cursor.execute(_REBUILD_CHUNK.format(figures=figures), {"first": first, "after": first + chunk})
                if progress:
                    progress(min(first + chunk, high + 1) - low, high + 1 - low)
        keys = ", ".join(_KEYS)
        cursor.execute(
            f"INSERT INTO reports_ledgerkey ({keys}) SELECT DISTINCT {keys} FROM reports_ledger_rebuild"  # noqa: S608 - constants
        )
        cursor.execute(
            _REBUILD_TOTALS.format(
                figures=figures,
                keys=keys,
                sums=", ".join(f"sum({name}) AS {name}" for name in every),
                running=", ".join(f"sum(g.{name}) OVER w" for name in every),
            )
        )
        cursor.execute("DROP TABLE reports_ledger_rebuild")
        _rebuild_cadres(cursor, chunk=chunk, empty=empty)
        counts = {}
        for name, table in (
            ("households", "households_household"),
            ("steps", "reports_householdstep"),
            ("keys", "reports_ledgerkey"),
            ("rows", "reports_ledgerrow"),
            ("cadre_steps", "reports_cadrestep"),
            ("cadre_rows", "reports_cadrerow"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant table names
            counts[name] = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_householdstep, reports_ledgerrow, reports_ledgerkey, reports_cadrestep, reports_cadrerow")
    return counts


_REBUILD_CADRES_CHUNK = """
WITH news AS (
    SELECT ARRAY(
        SELECT s FROM reports_ledger_cadre_steps(
            ARRAY(SELECT DISTINCT cadre_id FROM cadres_pairing WHERE cadre_id >= %(first)s AND cadre_id < %(after)s)) s
    ) AS steps
), kept AS (
    INSERT INTO reports_cadrestep (cadre, region, day, active)
    SELECT cadre, region, day, active FROM news, unnest(news.steps)
)
INSERT INTO reports_ledger_cadre_rebuild SELECT c.* FROM news, reports_ledger_cadre_changes(news.steps, '{}') c
"""


def _rebuild_cadres(cursor, *, chunk: int, empty: str) -> None:
    """The pairing cadres' part of rebuild(): steps per cadre, then running totals per region."""
    for table in ("reports_cadrestep", "reports_cadrerow"):
        cursor.execute(empty.format(table))
    cursor.execute("CREATE TEMPORARY TABLE reports_ledger_cadre_rebuild OF reports_ledger_cadre_change ON COMMIT DROP")
    cursor.execute("SELECT min(cadre_id), max(cadre_id) FROM cadres_pairing")
    low, high = cursor.fetchone()
    if low is not None:
        for first in range(low, high + 1, chunk):
            cursor.execute(_REBUILD_CADRES_CHUNK, {"first": first, "after": first + chunk})
    cursor.execute(
        "INSERT INTO reports_cadrerow (region, day, cadres) "
        "SELECT region, day, sum(sum(cadres)) OVER (PARTITION BY region ORDER BY day) "
        "FROM reports_ledger_cadre_rebuild GROUP BY region, day"
    )
    cursor.execute("DROP TABLE reports_ledger_cadre_rebuild")
