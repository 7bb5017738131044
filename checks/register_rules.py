"""The register rules ID-1 … HH-10 (crosscheck.md §1) as set-based SQL, and the engine that runs them.

Each rule is one SELECT over a region that returns the targets it finds, one row each:
`key` (text, "member:<id>" or "household:<id>"), `village_id`, `household_id`, `member_id` and
`detail` (jsonb: the facts the message shows, see checks.catalog). Households are aliased `h`
and the rule puts the literal text `{scope}` in its WHERE clause; the engine replaces it with the
region and, for a one-household run, the household. Values are bound as %(name)s parameters, so a
literal percent sign in a rule is written %%.

The engine syncs each rule's hits with the findings in three statements: the hits into a
temporary table, new hits inserted as open findings (never a second open one for the same rule
and target, never one a user confirmed correct), and open findings of the rule in the region
that are no longer hit closed as fixed by this run.
"""

import time

import pghistory
from django.db import connection, transaction
from django.utils import timezone

from checks import catalog
from checks.models import RuleRun
from villages.models import Region
from villages.rules import significant_prefix

# Households the rules look at (`{in_register}` in a rule): in the register or on their way into it
# (not removed, closed or rejected).
IN_REGISTER = "h.status IN ('', 'candidate', 'poor', 'exited')"

RULES: dict[str, str] = {
    "HH-10": """
        SELECT 'household:' || h.id AS key, h.village_id, h.id AS household_id, NULL::bigint AS member_id,
               '{}'::jsonb AS detail
        FROM households_household h
        WHERE {scope} AND {in_register}
          AND NOT EXISTS (SELECT 1 FROM households_member m WHERE m.household_id = h.id AND m.left_on IS NULL)
    """,
}

_SCOPE = "h.village_id LIKE %(prefix)s AND (%(all)s OR h.id = ANY(%(ids)s))"

_INSERT = """
    INSERT INTO checks_finding (rule, severity, source, key, village_id, household_id, member_id, detail, found_at,
                                status, resolution, run_id, created_at, updated_at, version)
    SELECT DISTINCT ON (hit.key) %(rule)s, %(severity)s, 'rule', hit.key, hit.village_id, hit.household_id,
           hit.member_id, hit.detail, %(now)s, 'open', '', %(run)s, %(now)s, %(now)s, 1
    FROM checks_hits hit
    WHERE NOT EXISTS (SELECT 1 FROM checks_finding f
                      WHERE f.rule = %(rule)s AND f.key = hit.key AND f.status = 'confirmed_correct')
    ORDER BY hit.key
    ON CONFLICT (rule, key) WHERE status = 'open'
    DO UPDATE SET detail = EXCLUDED.detail WHERE checks_finding.detail IS DISTINCT FROM EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
"""

_CLOSE = """
    UPDATE checks_finding f
    SET status = 'fixed', resolved_at = %(now)s, closed_by_run_id = %(run)s, updated_at = %(now)s
    WHERE f.rule = %(rule)s AND f.source = 'rule' AND f.status = 'open'
      AND f.village_id LIKE %(prefix)s AND (%(all)s OR f.household_id = ANY(%(ids)s))
      AND NOT EXISTS (SELECT 1 FROM checks_hits hit WHERE hit.key = f.key)
"""


def _sync(cursor, *, rule: str, params: dict) -> dict:
    sql = RULES[rule].replace("{scope}", _SCOPE).replace("{in_register}", IN_REGISTER)
    cursor.execute("DROP TABLE IF EXISTS pg_temp.checks_hits")
    cursor.execute(f"CREATE TEMP TABLE checks_hits AS {sql}", params)
    found = cursor.rowcount
    cursor.execute(_INSERT, {**params, "rule": rule, "severity": catalog.CODES[rule].severity})
    opened = sum(1 for (inserted,) in cursor.fetchall() if inserted)
    cursor.execute(_CLOSE, {**params, "rule": rule})
    closed = cursor.rowcount
    cursor.execute("DROP TABLE pg_temp.checks_hits")
    return {"found": found, "opened": opened, "closed": closed}


def run_rules(
    *, region_code: str, household_ids=None, rules=None, user=None, trigger: str = "command"
) -> RuleRun:
    """Run the register rules over a region (or some of its households) and sync the findings (规则校验)."""
    rules = list(rules or RULES)
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise ValueError(f"unknown rules: {', '.join(unknown)}")
    region = Region.objects.get(pk=region_code)
    ids = [int(i) for i in household_ids] if household_ids is not None else []
    started = timezone.now()
    with transaction.atomic(), pghistory.context(rule_run=trigger), connection.cursor() as cursor:
        run = RuleRun.objects.create(
            region=region, household_id=ids[0] if len(ids) == 1 else None, rules=rules, trigger=trigger,
            started_at=started, started_by=user if getattr(user, "pk", None) else None,
        )  # fmt: skip
        params = {
            "prefix": significant_prefix(region.code) + "%",
            "all": household_ids is None,
            "ids": ids,
            "now": started,
            "run": run.pk,
        }
        counts = {}
        for rule in rules:
            began = time.perf_counter()
            counts[rule] = {**_sync(cursor, rule=rule, params=params), "ms": round((time.perf_counter() - began) * 1000)}
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    return run
