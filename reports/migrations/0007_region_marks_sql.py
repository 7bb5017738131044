"""The ledger's flush marks the villages it moved (reports.models.RegionMark) and moves the running totals in one
ordered pass.

- Kept summaries were set aside by any write to the ledger's tables. Now the flush writes one mark per village whose
  figures it moved (households: the village-level keys of its changes; cadres: the village-level regions), and the
  ledger's tables keep the whole-table mark only for DELETE and TRUNCATE (`rebuild_ledger`), which may move any
  region. A kept summary of a region is then set aside only by a change inside it (reports.selectors._KEPT).
- The totals: every row from a change's day on moves by the changes up to its day. 0004 inserted a row on each
  changed day, then updated each row joined to each change of its key before its day (rows × changes: a seed or an
  import with thousands of days per key took minutes at commit). Now each moved row is computed once, in one pass in
  day order over the key's rows and changes (the last row's totals carried forward, plus the running sum of the
  changes), and written once (INSERT … ON CONFLICT DO UPDATE): rows + changes.
"""

from importlib import import_module

from django.db import migrations

ledger_sql = import_module("reports.migrations.0004_ledger_sql")
FIGURES, STEP_COLUMNS, _sums = ledger_sql.FIGURES, ledger_sql.STEP_COLUMNS, ledger_sql._sums

MARK_VILLAGES = """
    INSERT INTO reports_regionmark (txid, region, marked_at)
    SELECT DISTINCT pg_current_xact_id()::text::bigint, region, clock_timestamp() FROM unnest(changes)
    WHERE {village}
    ON CONFLICT DO NOTHING;
"""


# A ledger row's totals as one array (households first, then FIGURES), to carry forward in one window.
BASE = "ARRAY[{row}.households, " + _sums("{{row}}.{name}") + "]::numeric[]"
ZEROS = "0 AS households, " + _sums("0 AS {name}")
NO_BASE = "array_fill(0::numeric, ARRAY[" + str(len(ledger_sql.FIGURE_NAMES) + 1) + "])"
TOTALS = ", ".join(f"t.base[{i}] + t.{name}" for i, name in enumerate(ledger_sql.FIGURE_NAMES, start=2))


def refresh(*, marks: bool) -> str:
    """reports_ledger_refresh: 0004's, with the village marks (marks=True) and each moved row written once."""
    mark = MARK_VILLAGES.format(village="depth = 12") if marks else ""
    return f"""
CREATE OR REPLACE FUNCTION reports_ledger_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    olds reports_ledger_step[];
    news reports_ledger_step[];
    changes reports_ledger_change[];
BEGIN
    olds := ARRAY(SELECT ROW({STEP_COLUMNS})::reports_ledger_step FROM reports_householdstep
                  WHERE household = ANY(ids));
    news := ARRAY(SELECT s FROM reports_ledger_household_steps(ids) s);
    changes := ARRAY(SELECT c FROM reports_ledger_changes(news, olds) c);
    DELETE FROM reports_householdstep WHERE household = ANY(ids);
    INSERT INTO reports_householdstep ({STEP_COLUMNS}) SELECT {STEP_COLUMNS} FROM unnest(news);
    IF cardinality(changes) = 0 THEN
        RETURN;
    END IF;
    {mark}
    INSERT INTO reports_ledgerkey (region, depth, status, cause, attribute)
    SELECT DISTINCT region, depth, status, cause, attribute FROM unnest(changes)
    ON CONFLICT DO NOTHING;
    -- every row of a changed key from its first changed day on, and a row on each changed day, written once: the
    -- total of the row on or before the day (carried forward from the last one) plus the changes up to the day
    WITH deltas AS (
        SELECT k.id AS key_id, c.day, sum(c.households) AS households,
               {_sums("sum(c.{name}) AS {name}")}
        FROM unnest(changes) c JOIN reports_ledgerkey k USING (depth, region, status, cause, attribute)
        GROUP BY k.id, c.day
    ), firsts AS (
        SELECT key_id, min(day) AS first FROM deltas GROUP BY key_id
    ), events AS (
        SELECT f.key_id, p.day, {BASE.format(row="p")} AS base, {ZEROS}
        FROM firsts f CROSS JOIN LATERAL (SELECT * FROM reports_ledgerrow r WHERE r.key_id = f.key_id AND r.day < f.first
                                          ORDER BY r.day DESC LIMIT 1) p
        UNION ALL
        SELECT r.key_id, r.day, {BASE.format(row="r")}, {ZEROS}
        FROM firsts f JOIN reports_ledgerrow r ON r.key_id = f.key_id AND r.day >= f.first
        UNION ALL
        SELECT key_id, day, NULL, households, {FIGURES} FROM deltas
    ), days AS (
        SELECT key_id, day, max(base) AS base, sum(households) AS households, {_sums("sum({name}) AS {name}")}
        FROM events GROUP BY key_id, day
    ), running AS (
        SELECT key_id, day, base, count(base) OVER w AS run, sum(households) OVER w AS households,
               {_sums("sum({name}) OVER w AS {name}")}
        FROM days WINDOW w AS (PARTITION BY key_id ORDER BY day)
    ), totals AS (
        -- a run of days starts at a row: its totals hold until the next row
        SELECT key_id, day, coalesce(max(base) OVER (PARTITION BY key_id, run), {NO_BASE}) AS base,
               households, {FIGURES}
        FROM running
    )
    INSERT INTO reports_ledgerrow (key_id, day, households, {FIGURES})
    SELECT t.key_id, t.day, t.base[1] + t.households, {TOTALS}
    FROM totals t JOIN firsts f ON f.key_id = t.key_id AND t.day >= f.first
    ON CONFLICT (key_id, day) DO UPDATE SET households = excluded.households, {_sums("{name} = excluded.{name}")};
END $$;
"""


def cadre_refresh(*, marks: bool) -> str:
    """reports_ledger_cadre_refresh: 0004's, with the village marks (marks=True) and the running sum in one pass."""
    mark = MARK_VILLAGES.format(village="length(region) = 12") if marks else ""
    return f"""
CREATE OR REPLACE FUNCTION reports_ledger_cadre_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    olds reports_ledger_cadre_step[];
    news reports_ledger_cadre_step[];
    changes reports_ledger_cadre_change[];
BEGIN
    olds := ARRAY(SELECT ROW(cadre, region, day, active)::reports_ledger_cadre_step FROM reports_cadrestep
                  WHERE cadre = ANY(ids));
    news := ARRAY(SELECT s FROM reports_ledger_cadre_steps(ids) s);
    changes := ARRAY(SELECT c FROM reports_ledger_cadre_changes(news, olds) c);
    DELETE FROM reports_cadrestep WHERE cadre = ANY(ids);
    INSERT INTO reports_cadrestep (cadre, region, day, active) SELECT cadre, region, day, active FROM unnest(news);
    IF cardinality(changes) = 0 THEN
        RETURN;
    END IF;
    {mark}
    INSERT INTO reports_cadrerow (region, day, cadres)
    SELECT c.region, c.day, coalesce(p.cadres, 0)
    FROM unnest(changes) c
    LEFT JOIN LATERAL (SELECT r.cadres FROM reports_cadrerow r WHERE r.region = c.region AND r.day < c.day
                       ORDER BY r.day DESC LIMIT 1) p ON true
    ON CONFLICT (region, day) DO NOTHING;
    WITH deltas AS (
        SELECT region, day, sum(cadres) AS cadres FROM unnest(changes) GROUP BY region, day
    ), events AS (
        SELECT region, day, 0 AS is_row, cadres FROM deltas
        UNION ALL
        SELECT r.region, r.day, 1, 0
        FROM (SELECT region, min(day) AS first FROM deltas GROUP BY region) f
        JOIN reports_cadrerow r ON r.region = f.region AND r.day >= f.first
    ), running AS (
        SELECT region, day, is_row,
               sum(cadres) OVER (PARTITION BY region ORDER BY day, is_row ROWS UNBOUNDED PRECEDING) AS cadres
        FROM events
    )
    UPDATE reports_cadrerow r SET cadres = r.cadres + x.cadres
    FROM running x
    WHERE x.is_row = 1 AND r.region = x.region AND r.day = x.day;
END $$;
"""


LEDGER_TABLES = ("reports_ledgerkey", "reports_ledgerrow", "reports_cadrerow")
MARK_TRIGGER = (
    "DROP TRIGGER IF EXISTS reports_mark_write ON {table}; "
    "CREATE TRIGGER reports_mark_write AFTER {events} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reports_mark_write();"
)


def mark_triggers(events: str) -> str:
    return "\n".join(MARK_TRIGGER.format(table=table, events=events) for table in LEDGER_TABLES)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_region_marks")]

    operations = [
        migrations.RunSQL(
            refresh(marks=True) + cadre_refresh(marks=True) + mark_triggers("DELETE OR TRUNCATE"),
            refresh(marks=False) + cadre_refresh(marks=False) + mark_triggers("INSERT OR UPDATE OR DELETE OR TRUNCATE"),
        )
    ]
