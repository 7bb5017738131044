"""A household's steps (reports_ledger_household_steps) in one pass over its rows, not a probe per day.

0004's function took the days the household's rows name, then for each day looked up every figure (the last status
change, the members present, a pairing, a benefit this year, a membership …): about ten index probes a day, which
made a flush or a rebuild of many households cost a millisecond each (1,000,000 households: 18 minutes).

Here every figure but the two statuses is a running sum over the household's days, in one window:

- people: +1 on a member's joining day (0001-01-01 when unknown), -1 on the day they left;
- pairings: +1 on a pairing's first day, -1 on its end; cooperative: +1 on joining, -1 on leaving;
- a membership covers a year (产业覆盖) it has not ended before: +1 on joining, -1 on the 1 January after the day
  before it left;
- benefits this year (count, amount, industry ones): +1 on the benefit's date, -1 on the next 1 January;
- an interval that ends on or before it starts never counts (0004 counted it on no day either): its days are kept
  with nothing added;
- status and monitoring: the last change of each day (by id) carried forward to the days after it.

The same days, the same figures, the same steps as 0004 (tests/reports/test_ledger.py compares both functions on
random histories); the industry categories are still written in (programs.rules.INDUSTRY_CATEGORIES).
"""

from importlib import import_module

from django.db import migrations

ledger_sql = import_module("reports.migrations.0004_ledger_sql")
FIGURES, INDUSTRY = ledger_sql.FIGURES, ledger_sql.INDUSTRY
NEXT_YEAR = "(date_trunc('year', ({day})::timestamp) + interval '1 year')::date"

STEPS = f"""
CREATE OR REPLACE FUNCTION reports_ledger_household_steps(ids bigint[]) RETURNS SETOF reports_ledger_step
LANGUAGE sql STABLE AS $$
WITH statuses AS (
    SELECT DISTINCT ON (household_id, effective_on) household_id AS id, effective_on AS day, status
    FROM households_statuschange WHERE household_id = ANY(ids)
    ORDER BY household_id, effective_on, id DESC
), monitorings AS (
    SELECT DISTINCT ON (household_id, effective_on) household_id AS id, effective_on AS day, status
    FROM households_monitoringchange WHERE household_id = ANY(ids)
    ORDER BY household_id, effective_on, id DESC
), moves (id, day, people, pairings, cooperative, cooperative_year, benefits, industry, amount) AS (
    SELECT id, day, 0, 0, 0, 0, 0, 0, 0::numeric FROM statuses
    UNION ALL SELECT id, day, 0, 0, 0, 0, 0, 0, 0 FROM monitorings
    UNION ALL
    SELECT m.household_id, e.day, e.n * (m.left_on IS NULL OR m.left_on > coalesce(m.joined_on, DATE '0001-01-01'))::int,
           0, 0, 0, 0, 0, 0
    FROM households_member m
    CROSS JOIN LATERAL (VALUES (coalesce(m.joined_on, DATE '0001-01-01'), 1), (m.left_on, -1)) AS e(day, n)
    WHERE m.household_id = ANY(ids) AND e.day IS NOT NULL
    UNION ALL
    SELECT p.household_id, e.day, 0, e.n * (p.ends_on IS NULL OR p.ends_on > p.starts_on)::int, 0, 0, 0, 0, 0
    FROM cadres_pairing p CROSS JOIN LATERAL (VALUES (p.starts_on, 1), (p.ends_on, -1)) AS e(day, n)
    WHERE p.household_id = ANY(ids) AND e.day IS NOT NULL
    UNION ALL
    SELECT c.household_id, e.day, 0, 0, e.n * e.counts::int, e.n * e.covers::int, 0, 0, 0
    FROM programs_cooperativemembership c
    CROSS JOIN LATERAL (
        VALUES (c.joined, 1, c."left" IS NULL OR c."left" > c.joined,
                c."left" IS NULL OR {NEXT_YEAR.format(day='c."left" - 1')} > c.joined),
               (c."left", -1, c."left" > c.joined, false),
               ({NEXT_YEAR.format(day='c."left" - 1')}, -1, false, {NEXT_YEAR.format(day='c."left" - 1')} > c.joined)
    ) AS e(day, n, counts, covers)
    WHERE c.household_id = ANY(ids) AND e.day IS NOT NULL
    UNION ALL
    SELECT b.household_id, e.day, 0, 0, 0, 0, e.n, e.n * (pr.category = ANY({INDUSTRY}))::int, e.n * b.amount
    FROM programs_benefit b JOIN programs_program pr ON pr.id = b.program_id
    CROSS JOIN LATERAL (VALUES (b.date, 1), ({NEXT_YEAR.format(day="b.date")}, -1)) AS e(day, n)
    WHERE b.household_id = ANY(ids)
), days AS (
    SELECT id, day, sum(people) AS people, sum(pairings) AS pairings, sum(cooperative) AS cooperative,
           sum(cooperative_year) AS cooperative_year, sum(benefits) AS benefits, sum(industry) AS industry,
           sum(amount) AS amount
    FROM moves GROUP BY id, day
), running AS (
    SELECT d.id, d.day, s.status, m.status AS monitoring,
           count(s.status) OVER w AS status_run, count(m.status) OVER w AS monitoring_run,
           sum(d.people) OVER w AS people, sum(d.pairings) OVER w AS pairings,
           sum(d.cooperative) OVER w AS cooperative, sum(d.cooperative_year) OVER w AS cooperative_year,
           sum(d.benefits) OVER w AS benefits, sum(d.industry) OVER w AS industry, sum(d.amount) OVER w AS amount
    FROM days d
    LEFT JOIN statuses s ON s.id = d.id AND s.day = d.day
    LEFT JOIN monitorings m ON m.id = d.id AND m.day = d.day
    WINDOW w AS (PARTITION BY d.id ORDER BY d.day)
), state AS (
    -- a run starts on a change's day: its status holds until the next change
    SELECT r.*, coalesce(max(status) OVER (PARTITION BY id, status_run), '') AS status_then,
           coalesce(max(monitoring) OVER (PARTITION BY id, monitoring_run), '') = 'monitored' AS monitored
    FROM running r
), figures AS (
    SELECT s.id, s.day, h.village_id AS village, s.status_then AS status, h.main_cause AS cause, h.attribute,
           s.people::bigint AS people,
           (s.pairings > 0)::int::bigint AS paired,
           (s.industry > 0 OR s.cooperative_year > 0)::int::bigint AS covered,
           (s.cooperative > 0)::int::bigint AS cooperative,
           CASE WHEN s.cooperative > 0 THEN s.people ELSE 0 END::bigint AS cooperative_people,
           s.monitored::int::bigint AS monitored,
           CASE WHEN s.monitored THEN s.people ELSE 0 END::bigint AS monitored_people,
           (s.benefits > 0)::int::bigint AS benefited,
           s.amount::numeric(18, 2) AS amount
    FROM state s JOIN households_household h ON h.id = s.id
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


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_region_marks_sql")]

    operations = [migrations.RunSQL(STEPS, ledger_sql.STEPS)]
