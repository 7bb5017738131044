"""The ledger's SQL (台账, docs/reports.md, The ledger): how a household's steps are computed, how a transaction's
writes move the ledger at commit, and the triggers that mark what a statement touched.

- `reports_ledger_household_steps(ids)`: the steps of these households computed from the register: every day one
  of their rows names (a status or monitoring change, a member joining or leaving, a pairing starting or ending, a
  benefit and the 1 January after it, a cooperative membership's start, end and the end of the year it covers),
  with the figures the summary counts as of that day (the same conditions as reports.selectors' register SQL),
  keeping only the days where the figures change.
- `reports_ledger_changes(news, olds)`: what replacing the old steps by the new moves in the ledger, per key
  (prefix at each depth, status, cause, attribute) and day.
- `reports_ledger_refresh(ids)`: recompute these households' steps, keep them, and add the changes to the running
  totals (a row is added on a changed day, carrying the total before it; every row from that day on moves).
- Statement triggers on the register tables (`reports_ledger_mark`) note the households a statement touched in
  `reports_ledgerdirty` (UNLOGGED: a note lives only as long as its transaction); the first note of a transaction
  also queues a deferred constraint trigger that calls `reports_ledger_flush()` at commit. The flush takes one
  advisory lock, so ledger writers follow each other and each computes steps from a snapshot taken after the
  previous one committed (READ COMMITTED: every statement of the function takes a new snapshot). A read of the
  ledger calls the flush first, so a transaction reads its own writes.
- Rows written with triggers off (session_replication_role = replica: bulk loads) are not in the ledger until
  `manage.py rebuild_ledger`.

The industry categories (产业类, programs.rules.INDUSTRY_CATEGORIES) are written into the steps function: a change of
that rule needs a migration that replaces the function, then rebuild_ledger.
"""

from django.db import migrations

INDUSTRY = "ARRAY['industry', 'asset_income']::varchar[]"
FIGURES = "people, paired, covered, cooperative, cooperative_people, monitored, monitored_people, benefited, amount"
FIGURE_NAMES = FIGURES.split(", ")
STEP_COLUMNS = f"household, day, village, status, cause, attribute, {FIGURES}"
DEPTHS = "ARRAY[4, 6, 9, 12]"  # reports.models.LEDGER_DEPTHS
CADRE_DEPTHS = "ARRAY[2, 4, 6, 9, 12]"  # reports.models.CADRE_DEPTHS
LOCK = 72018210  # the ledger writers' advisory lock


def _sums(expression: str) -> str:
    return ", ".join(expression.format(name=name) for name in FIGURE_NAMES)


TYPES = f"""
CREATE TYPE reports_ledger_step AS (
    household bigint, day date, village varchar(12), status varchar(16), cause varchar(20), attribute varchar(16),
    people bigint, paired bigint, covered bigint, cooperative bigint, cooperative_people bigint, monitored bigint,
    monitored_people bigint, benefited bigint, amount numeric(18, 2)
);
CREATE TYPE reports_ledger_change AS (
    region varchar(12) COLLATE "C", depth smallint, status varchar(16), cause varchar(20), attribute varchar(16),
    day date, households bigint,
    people bigint, paired bigint, covered bigint, cooperative bigint, cooperative_people bigint, monitored bigint,
    monitored_people bigint, benefited bigint, amount numeric(18, 2)
);
CREATE TYPE reports_ledger_cadre_step AS (cadre bigint, region varchar(12) COLLATE "C", day date, active boolean);
CREATE TYPE reports_ledger_cadre_change AS (region varchar(12) COLLATE "C", day date, cadres bigint);
-- kind 'h': a household's steps to compute again; 'c': a cadre's
CREATE UNLOGGED TABLE reports_ledgerdirty (txid bigint NOT NULL, kind "char" NOT NULL, entity bigint NOT NULL,
                                           PRIMARY KEY (txid, kind, entity));
CREATE UNLOGGED TABLE reports_ledgerpending (txid bigint PRIMARY KEY);
"""
DROP_TYPES = """
DROP TABLE IF EXISTS reports_ledgerpending; DROP TABLE IF EXISTS reports_ledgerdirty;
DROP TYPE IF EXISTS reports_ledger_change; DROP TYPE IF EXISTS reports_ledger_step;
DROP TYPE IF EXISTS reports_ledger_cadre_change; DROP TYPE IF EXISTS reports_ledger_cadre_step;
"""

STEPS = f"""
CREATE OR REPLACE FUNCTION reports_ledger_household_steps(ids bigint[]) RETURNS SETOF reports_ledger_step
LANGUAGE sql STABLE AS $$
WITH days AS (
    SELECT household_id AS id, effective_on AS day FROM households_statuschange WHERE household_id = ANY(ids)
    UNION SELECT household_id, effective_on FROM households_monitoringchange WHERE household_id = ANY(ids)
    UNION SELECT household_id, coalesce(joined_on, DATE '0001-01-01') FROM households_member
          WHERE household_id = ANY(ids)
    UNION SELECT household_id, left_on FROM households_member WHERE household_id = ANY(ids) AND left_on IS NOT NULL
    UNION SELECT household_id, starts_on FROM cadres_pairing WHERE household_id = ANY(ids)
    UNION SELECT household_id, ends_on FROM cadres_pairing WHERE household_id = ANY(ids) AND ends_on IS NOT NULL
    UNION SELECT household_id, date FROM programs_benefit WHERE household_id = ANY(ids)
    UNION SELECT household_id, (date_trunc('year', date::timestamp) + interval '1 year')::date FROM programs_benefit
          WHERE household_id = ANY(ids)
    UNION SELECT household_id, joined FROM programs_cooperativemembership WHERE household_id = ANY(ids)
    UNION SELECT household_id, "left" FROM programs_cooperativemembership
          WHERE household_id = ANY(ids) AND "left" IS NOT NULL
    -- a membership covers the year (产业覆盖) while it has not ended before the year began
    UNION SELECT household_id, (date_trunc('year', ("left" - 1)::timestamp) + interval '1 year')::date
          FROM programs_cooperativemembership WHERE household_id = ANY(ids) AND "left" IS NOT NULL
), state AS (
    SELECT d.id, d.day, h.village_id AS village, h.main_cause AS cause, h.attribute,
           coalesce((SELECT c.status FROM households_statuschange c
                     WHERE c.household_id = d.id AND c.effective_on <= d.day
                     ORDER BY c.effective_on DESC, c.id DESC LIMIT 1), '') AS status,
           (SELECT count(*) FROM households_member m
            WHERE m.household_id = d.id AND (m.joined_on IS NULL OR m.joined_on <= d.day)
              AND (m.left_on IS NULL OR m.left_on > d.day)) AS people,
           EXISTS (SELECT 1 FROM cadres_pairing p WHERE p.household_id = d.id AND p.starts_on <= d.day
                   AND (p.ends_on IS NULL OR p.ends_on > d.day)) AS paired,
           EXISTS (SELECT 1 FROM programs_benefit b JOIN programs_program pr ON pr.id = b.program_id
                   WHERE b.household_id = d.id AND pr.category = ANY({INDUSTRY})
                     AND b.date >= date_trunc('year', d.day::timestamp)::date AND b.date <= d.day) AS industry,
           EXISTS (SELECT 1 FROM programs_cooperativemembership m WHERE m.household_id = d.id AND m.joined <= d.day
                   AND (m."left" IS NULL OR m."left" > date_trunc('year', d.day::timestamp)::date)) AS cooperative_year,
           EXISTS (SELECT 1 FROM programs_cooperativemembership m WHERE m.household_id = d.id AND m.joined <= d.day
                   AND (m."left" IS NULL OR m."left" > d.day)) AS cooperative,
           coalesce((SELECT c.status FROM households_monitoringchange c
                     WHERE c.household_id = d.id AND c.effective_on <= d.day
                     ORDER BY c.effective_on DESC, c.id DESC LIMIT 1), '') = 'monitored' AS monitored,
           benefits.n AS benefits, benefits.amount
    FROM days d JOIN households_household h ON h.id = d.id
    CROSS JOIN LATERAL (
        SELECT count(*) AS n, coalesce(sum(b.amount), 0) AS amount FROM programs_benefit b
        WHERE b.household_id = d.id AND b.date >= date_trunc('year', d.day::timestamp)::date AND b.date <= d.day
    ) benefits
), figures AS (
    SELECT id, day, village, status, cause, attribute, people,
           paired::int::bigint AS paired,
           (industry OR cooperative_year)::int::bigint AS covered,
           cooperative::int::bigint AS cooperative,
           CASE WHEN cooperative THEN people ELSE 0 END AS cooperative_people,
           monitored::int::bigint AS monitored,
           CASE WHEN monitored THEN people ELSE 0 END AS monitored_people,
           (benefits > 0)::int::bigint AS benefited,
           amount::numeric(18, 2) AS amount
    FROM state
), changed AS (
    SELECT f.*, ROW(village, status, cause, attribute, {FIGURES})
                IS DISTINCT FROM lag(ROW(village, status, cause, attribute, {FIGURES}))
                                 OVER (PARTITION BY id ORDER BY day) AS moved
    FROM figures f
)
SELECT id::bigint, day, village::varchar(12), status::varchar(16), cause::varchar(20), attribute::varchar(16),
       {FIGURES}
FROM changed WHERE moved
$$;
"""

CHANGES = f"""
CREATE OR REPLACE FUNCTION reports_ledger_changes(news reports_ledger_step[], olds reports_ledger_step[])
RETURNS SETOF reports_ledger_change LANGUAGE sql IMMUTABLE AS $$
WITH signed AS (
    SELECT 1 AS sign, s.* FROM unnest(news) s
    UNION ALL
    SELECT -1, s.* FROM unnest(olds) s
), contributions AS (
    -- from its day a step counts in its group, and from the next step's day it no longer does
    SELECT sign, day, village, status, cause, attribute, {FIGURES} FROM signed
    UNION ALL
    SELECT -sign, next_day, village, status, cause, attribute, {FIGURES}
    FROM (SELECT *, lead(day) OVER (PARTITION BY sign, household ORDER BY day) AS next_day FROM signed) s
    WHERE next_day IS NOT NULL
)
SELECT substr(c.village, 1, d.depth)::varchar(12) COLLATE "C", d.depth::smallint, c.status, c.cause, c.attribute, c.day,
       sum(c.sign)::bigint, {_sums("sum(c.sign * c.{name})::bigint")}
FROM contributions c CROSS JOIN unnest({DEPTHS}) AS d(depth)
GROUP BY 1, 2, 3, 4, 5, 6
HAVING sum(c.sign) <> 0 OR {" OR ".join(f"sum(c.sign * c.{name}) <> 0" for name in FIGURE_NAMES)}
$$;
""".replace("sum(c.sign * c.amount)::bigint", "sum(c.sign * c.amount)::numeric(18, 2)")

REFRESH = f"""
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
    INSERT INTO reports_ledgerkey (region, depth, status, cause, attribute)
    SELECT DISTINCT region, depth, status, cause, attribute FROM unnest(changes)
    ON CONFLICT DO NOTHING;
    -- a row on each changed day, carrying the total before it; then every row from a change's day on moves by it
    INSERT INTO reports_ledgerrow (key_id, day, households, {FIGURES})
    SELECT DISTINCT ON (k.id, c.day) k.id, c.day, coalesce(p.households, 0),
           {_sums("coalesce(p.{name}, 0)")}
    FROM unnest(changes) c
    JOIN reports_ledgerkey k USING (depth, region, status, cause, attribute)
    LEFT JOIN LATERAL (SELECT * FROM reports_ledgerrow r WHERE r.key_id = k.id AND r.day < c.day
                       ORDER BY r.day DESC LIMIT 1) p ON true
    ON CONFLICT (key_id, day) DO NOTHING;
    UPDATE reports_ledgerrow r
    SET households = r.households + x.households, {_sums("{name} = r.{name} + x.{name}")}
    FROM (
        SELECT r.key_id, r.day, sum(c.households) AS households, {_sums("sum(c.{name}) AS {name}")}
        FROM unnest(changes) c
        JOIN reports_ledgerkey k USING (depth, region, status, cause, attribute)
        JOIN reports_ledgerrow r ON r.key_id = k.id AND r.day >= c.day
        GROUP BY r.key_id, r.day
    ) x
    WHERE r.key_id = x.key_id AND r.day = x.day;
END $$;
"""


CADRE_STEPS = f"""
CREATE OR REPLACE FUNCTION reports_ledger_cadre_steps(ids bigint[]) RETURNS SETOF reports_ledger_cadre_step
LANGUAGE sql STABLE AS $$
WITH moves AS (
    SELECT p.cadre_id AS cadre, substr(h.village_id, 1, d.depth) AS region, e.day, e.delta
    FROM cadres_pairing p
    JOIN households_household h ON h.id = p.household_id
    CROSS JOIN unnest({CADRE_DEPTHS}) AS d(depth)
    CROSS JOIN LATERAL (VALUES (p.starts_on, 1), (p.ends_on, -1)) AS e(day, delta)
    WHERE p.cadre_id = ANY(ids) AND e.day IS NOT NULL
), running AS (
    SELECT cadre, region, day, sum(sum(delta)) OVER (PARTITION BY cadre, region ORDER BY day) > 0 AS active
    FROM moves GROUP BY cadre, region, day
), changed AS (
    SELECT *, active IS DISTINCT FROM coalesce(lag(active) OVER (PARTITION BY cadre, region ORDER BY day), false)
              AS moved
    FROM running
)
SELECT cadre::bigint, region::varchar(12) COLLATE "C", day, active FROM changed WHERE moved
$$;

-- A cadre's step into pairing adds one cadre to its region from its day, a step out takes one away.
CREATE OR REPLACE FUNCTION reports_ledger_cadre_changes(
    news reports_ledger_cadre_step[], olds reports_ledger_cadre_step[]
) RETURNS SETOF reports_ledger_cadre_change LANGUAGE sql IMMUTABLE AS $$
SELECT region, day, sum(n)::bigint
FROM (SELECT region, day, CASE WHEN active THEN 1 ELSE -1 END AS n FROM unnest(news)
      UNION ALL
      SELECT region, day, CASE WHEN active THEN -1 ELSE 1 END FROM unnest(olds)) s
GROUP BY region, day
HAVING sum(n) <> 0
$$;

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
    INSERT INTO reports_cadrerow (region, day, cadres)
    SELECT c.region, c.day, coalesce(p.cadres, 0)
    FROM unnest(changes) c
    LEFT JOIN LATERAL (SELECT r.cadres FROM reports_cadrerow r WHERE r.region = c.region AND r.day < c.day
                       ORDER BY r.day DESC LIMIT 1) p ON true
    ON CONFLICT (region, day) DO NOTHING;
    UPDATE reports_cadrerow r SET cadres = r.cadres + x.cadres
    FROM (
        SELECT r.region, r.day, sum(c.cadres) AS cadres
        FROM unnest(changes) c JOIN reports_cadrerow r ON r.region = c.region AND r.day >= c.day
        GROUP BY r.region, r.day
    ) x
    WHERE r.region = x.region AND r.day = x.day;
END $$;
"""

FLUSH = f"""
CREATE OR REPLACE FUNCTION reports_ledger_flush() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    tx bigint := pg_current_xact_id_if_assigned()::text::bigint;
    households bigint[];
    cadres bigint[];
BEGIN
    IF tx IS NULL OR NOT EXISTS (SELECT 1 FROM reports_ledgerdirty WHERE txid = tx) THEN
        RETURN;
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'the ledger (reports_ledger) is kept by READ COMMITTED transactions only, not %',
            current_setting('transaction_isolation');
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK});
    WITH taken AS (DELETE FROM reports_ledgerdirty WHERE txid = tx RETURNING kind, entity)
    SELECT array_agg(entity) FILTER (WHERE kind = 'h'), array_agg(entity) FILTER (WHERE kind = 'c')
    INTO households, cadres FROM taken;
    IF households IS NOT NULL THEN
        PERFORM reports_ledger_refresh(households);
    END IF;
    IF cadres IS NOT NULL THEN
        PERFORM reports_ledger_cadre_refresh(cadres);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION reports_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_ledger_flush();
    DELETE FROM reports_ledgerpending WHERE txid = NEW.txid;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER reports_ledger_apply AFTER INSERT ON reports_ledgerpending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reports_ledger_apply();
"""

# TG_ARGV[0]: what the row marks ('h' a household, 'c' a cadre); [1]: the column naming it; the others: the columns
# whose change moves a figure (an UPDATE that changes none of them marks nothing). An UPDATE marks the entity before
# and after (a row moved to another).
MARK = """
CREATE OR REPLACE FUNCTION reports_ledger_mark() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind "char" := TG_ARGV[0];
    entity text := quote_ident(TG_ARGV[1]);
    tx bigint := pg_current_xact_id()::text::bigint;
    compared text;
    marked integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO reports_ledgerdirty (txid, kind, entity) SELECT DISTINCT $1, $2, %s FROM new_rows '
                       'WHERE %s IS NOT NULL ON CONFLICT DO NOTHING', entity, entity) USING tx, kind;
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('INSERT INTO reports_ledgerdirty (txid, kind, entity) SELECT DISTINCT $1, $2, %s FROM old_rows '
                       'WHERE %s IS NOT NULL ON CONFLICT DO NOTHING', entity, entity) USING tx, kind;
    ELSE
        SELECT string_agg(format('(o.%1$I IS DISTINCT FROM n.%1$I)', column_name), ' OR ')
        INTO compared FROM unnest(TG_ARGV[1:]) AS column_name;
        EXECUTE format('INSERT INTO reports_ledgerdirty (txid, kind, entity) '
                       'SELECT DISTINCT $1, $2, x.entity FROM old_rows o JOIN new_rows n ON n.id = o.id '
                       'CROSS JOIN LATERAL (VALUES (o.%1$s), (n.%1$s)) AS x(entity) '
                       'WHERE (%2$s) AND x.entity IS NOT NULL ON CONFLICT DO NOTHING', entity, compared)
        USING tx, kind;
    END IF;
    GET DIAGNOSTICS marked = ROW_COUNT;
    IF marked > 0 THEN
        INSERT INTO reports_ledgerpending (txid) VALUES (tx) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

-- A program's category decides whether its benefits cover (产业覆盖): a change marks the households it reached.
CREATE OR REPLACE FUNCTION reports_ledger_mark_program() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx bigint := pg_current_xact_id()::text::bigint;
    marked integer;
BEGIN
    INSERT INTO reports_ledgerdirty (txid, kind, entity)
    SELECT DISTINCT tx, 'h', b.household_id FROM programs_benefit b
    WHERE b.program_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                           WHERE n.category IS DISTINCT FROM o.category)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS marked = ROW_COUNT;
    IF marked > 0 THEN
        INSERT INTO reports_ledgerpending (txid) VALUES (tx) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

-- A household moving village moves its cadres' pairings to another region.
CREATE OR REPLACE FUNCTION reports_ledger_mark_moved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx bigint := pg_current_xact_id()::text::bigint;
    marked integer;
BEGIN
    INSERT INTO reports_ledgerdirty (txid, kind, entity)
    SELECT DISTINCT tx, 'c', p.cadre_id FROM cadres_pairing p
    WHERE p.household_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                             WHERE n.village_id IS DISTINCT FROM o.village_id)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS marked = ROW_COUNT;
    IF marked > 0 THEN
        INSERT INTO reports_ledgerpending (txid) VALUES (tx) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
"""

# (trigger name, table, kind, the column naming the entity, columns that move a figure)
MARKED = (
    ("reports_ledger", "households_household", "h", "id", "village_id", "main_cause", "attribute"),
    ("reports_ledger", "households_member", "h", "household_id", "joined_on", "left_on"),
    ("reports_ledger", "households_statuschange", "h", "household_id", "effective_on", "status"),
    ("reports_ledger", "households_monitoringchange", "h", "household_id", "effective_on", "status"),
    ("reports_ledger", "cadres_pairing", "h", "household_id", "starts_on", "ends_on"),
    ("reports_ledger_cadre", "cadres_pairing", "c", "cadre_id", "household_id", "starts_on", "ends_on"),
    ("reports_ledger", "programs_benefit", "h", "household_id", "date", "amount", "program_id"),
    ("reports_ledger", "programs_cooperativemembership", "h", "household_id", "joined", "left"),
)
# (trigger name, table, function): a program changing category; a household moving village moves its cadres
MARKED_BY_FUNCTION = (
    ("reports_ledger_update", "programs_program", "reports_ledger_mark_program"),
    ("reports_ledger_moved_update", "households_household", "reports_ledger_mark_moved"),
)


def _triggers() -> str:
    statements = []
    for name, table, *arguments in MARKED:
        quoted = ", ".join(f"'{argument}'" for argument in arguments)
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} REFERENCING {tables} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION reports_ledger_mark({quoted});"
            )
    for name, table, function in MARKED_BY_FUNCTION:
        statements.append(
            f"CREATE TRIGGER {name} AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        )
    return "\n".join(statements)


def _drop_triggers() -> str:
    statements = [
        f"DROP TRIGGER IF EXISTS {name}_{event} ON {table};"
        for name, table, *_arguments in MARKED
        for event in ("insert", "update", "delete")
    ]
    statements += [f"DROP TRIGGER IF EXISTS {name} ON {table};" for name, table, _function in MARKED_BY_FUNCTION]
    return "\n".join(statements)


FUNCTIONS = (
    "reports_ledger_mark_moved()", "reports_ledger_cadre_refresh(bigint[])",
    "reports_ledger_cadre_changes(reports_ledger_cadre_step[], reports_ledger_cadre_step[])",
    "reports_ledger_cadre_steps(bigint[])", "reports_ledger_mark_program()", "reports_ledger_mark()", "reports_ledger_apply()", "reports_ledger_flush()",
    "reports_ledger_refresh(bigint[])", "reports_ledger_changes(reports_ledger_step[], reports_ledger_step[])",
    "reports_ledger_household_steps(bigint[])",
)  # fmt: skip
DROP_FUNCTIONS = "DROP TRIGGER IF EXISTS reports_ledger_apply ON reports_ledgerpending;\n" + "\n".join(f"DROP FUNCTION IF EXISTS {function};" for function in FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_ledger"),
        ("cadres", "0001_initial"),
        ("households", "0014_import_pending"),
        ("lifecycle", "0003_village_exit_procedure"),
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(TYPES, DROP_TYPES),
        migrations.RunSQL(STEPS + CHANGES + REFRESH + CADRE_STEPS + FLUSH + MARK, DROP_FUNCTIONS),
        migrations.RunSQL(_triggers(), _drop_triggers()),
    ]
