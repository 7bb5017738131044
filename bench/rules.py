"""P7 of quality.md: all register rules over the demo county (checks.register_rules.run_rules, set-based SQL, the
findings synced), beside one plain pass over the same households and members (the least any rule must read); and a
100,000-row department list matched against it (bench/comparisons.py, rolled back), beside reading the list."""

from bench.report import Row
from bench.timing import p50

SCAN_ONCE = """
SELECT count(*), count(DISTINCT h.id), max(m.birth_date), max(h.updated_at)
FROM households_household h JOIN households_member m ON m.household_id = h.id
WHERE h.village_id LIKE %(prefix)s
"""


def p7(code: str, *, runs: int) -> list[Row]:
    from django.db import connection

    from checks.register_rules import RULES, run_rules
    from core.regions import significant_prefix

    def one_pass():
        with connection.cursor() as cursor:
            cursor.execute(SCAN_ONCE, {"prefix": significant_prefix(code) + "%"})
            cursor.fetchall()

    value = p50(lambda: run_rules(region_code=code, trigger="command"), times=runs) / 1000
    base = p50(one_pass, times=runs) / 1000
    return [
        Row(f"P7 all {len(RULES)} register rules over {code}", value, base, unit="s", target="≤ 10 s", limit=10,
            note="baseline: one pass joining the county's households and members"),
    ]  # fmt: skip


def p7_comparison(*, rows: int) -> tuple[list[Row], dict]:
    """The department comparison's stages; the row: storing and matching the list (the comparison's own SQL) beside
    reading it (parse and validate the CSV)."""
    from bench import comparisons

    stages = comparisons.compare(rows=rows)
    read = stages["read CSV (parse + validate)"]
    stored, matched = stages["store (Comparison + COPY rows)"], stages["match (one statement)"]
    proposals = next(value for key, value in stages.items() if key.startswith("removal"))
    note = (f"read {read:.1f} s, store (COPY) {stored:.1f} s, match {matched:.1f} s, removal proposals "
            f"{proposals:.1f} s; baseline column: reading the CSV")  # fmt: skip
    return [
        Row(f"P7 a {rows:,}-row department list stored and matched", stored + matched, read, unit="s",
            target="≤ 10 s", limit=10, note=note),
    ], stages  # fmt: skip
