"""P1 and P2 of quality.md: summaries computed (never a kept copy), beside hand-written SQL over the same rows.

- P1: `summaries/{county}/` as the selector (reports.selectors.region_summary) and through the API (a token,
  scope, serialization; the kept copy deleted before each request, untimed, so every answer is computed);
- P2: the summaries of several regions (the top one, a county, a township, a village) as of several days, the
  selector each time: the slowest and the median of the medians;
- baseline: hand-written SQL computing the figures that count households, per child region, from the register
  itself (registry status as of the day from every status change, people on the day, paired, industry coverage,
  cooperatives: the bulk of the work; the few small counts of teams, cadres and villages are left out), through
  psycopg2 on the same connection. `baseline_figures` reads its rows as the summary's counts (the bench's test
  holds them equal to the selector's on a constructed county).
"""

import datetime

from bench.report import Row
from bench.timing import median, p50

AS_OF = datetime.date(2017, 12, 31)
DAYS = (datetime.date(2014, 12, 31), datetime.date(2015, 12, 31), datetime.date(2016, 6, 30), AS_OF)

BASELINE = """
WITH status AS (
    SELECT DISTINCT ON (household_id) household_id, status FROM households_statuschange
    WHERE effective_on <= %(day)s ORDER BY household_id, effective_on DESC, id DESC
), people AS (
    SELECT household_id, count(*) AS n FROM households_member
    WHERE (joined_on IS NULL OR joined_on <= %(day)s) AND (left_on IS NULL OR left_on > %(day)s)
    GROUP BY household_id
), paired AS (
    SELECT DISTINCT household_id FROM cadres_pairing
    WHERE starts_on <= %(day)s AND (ends_on IS NULL OR ends_on > %(day)s)
), covered AS (
    SELECT b.household_id FROM programs_benefit b JOIN programs_program p ON p.id = b.program_id
    WHERE p.category IN ('industry', 'asset_income') AND b.date BETWEEN %(since)s AND %(day)s
    UNION
    SELECT household_id FROM programs_cooperativemembership
    WHERE joined <= %(day)s AND ("left" IS NULL OR "left" > %(since)s)
), member AS (
    SELECT DISTINCT household_id FROM programs_cooperativemembership
    WHERE joined <= %(day)s AND ("left" IS NULL OR "left" > %(day)s)
)
SELECT substr(h.village_id, 1, %(length)s) AS child, s.status, h.main_cause, h.attribute,
       count(*) AS households, coalesce(sum(p.n), 0) AS people, count(pa.household_id) AS paired,
       count(c.household_id) AS covered, count(m.household_id) AS cooperative,
       coalesce(sum(p.n) FILTER (WHERE m.household_id IS NOT NULL), 0) AS cooperative_people
FROM households_household h
LEFT JOIN status s ON s.household_id = h.id
LEFT JOIN people p ON p.household_id = h.id
LEFT JOIN paired pa ON pa.household_id = h.id
LEFT JOIN covered c ON c.household_id = h.id
LEFT JOIN member m ON m.household_id = h.id
WHERE h.village_id LIKE %(pattern)s
GROUP BY 1, 2, 3, 4
"""


def baseline_params(code: str, day: datetime.date) -> dict:
    """The baseline's parameters for a region and a day: its prefix and the length of its children's codes."""
    from core import regions

    prefix = regions.significant_prefix(code)
    child = regions.child_level(regions.level_of(code))
    return {
        "length": regions.PREFIX_LENGTH[child] if child else len(prefix),
        "pattern": f"{prefix}%",
        "day": day,
        "since": day.replace(month=1, day=1),
    }


def baseline_rows(code: str, day: datetime.date) -> list[tuple]:
    """The baseline's rows for a region as of a day: (child, status, cause, attribute, households, people, paired,
    covered, cooperative, cooperative people)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BASELINE, baseline_params(code, day))
        return cursor.fetchall()


def baseline_figures(rows: list[tuple]) -> dict:
    """The baseline's rows as the summary's figures: households and people by registry status (poor, exited, closed,
    removed) and paired households."""
    households, people, paired = {}, {}, 0
    for _child, status, _cause, _attribute, count, persons, pairs, *_rest in rows:
        paired += pairs
        if status in ("poor", "exited", "closed", "removed"):
            households[status] = households.get(status, 0) + count
            people[status] = people.get(status, 0) + persons
    return {"households": households, "people": people, "paired": paired}


def _bench_client():
    """An API client with the token of a bench superuser."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from tests.factories import token_for

    user, _created = get_user_model().objects.get_or_create(username="bench_root", defaults={"is_superuser": True})
    if not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def _forget_kept(code: str) -> None:
    """Delete the kept copies of a region's summary, so that the next request computes it."""
    from reports.models import KeptSummary

    KeptSummary.objects.filter(code=code).delete()


def p1(code: str, *, runs: int, label: str, limit: float | None = 50) -> list[Row]:
    """P1: the region's summary as of AS_OF computed, as the selector and through the API, each beside the
    hand-written SQL."""
    from reports import selectors
    from villages.models import Region

    region = Region.objects.get(code=code)
    client = _bench_client()
    url = f"/api/v1/summaries/{code}/?as_of={AS_OF}"

    def api():
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.content[:300]

    baseline = p50(lambda: baseline_rows(code, AS_OF), times=runs)
    selector = p50(lambda: selectors.region_summary(region=region, as_of=AS_OF), times=runs)
    through_api = p50(api, times=runs, before=lambda: _forget_kept(code))
    target = f"p50 ≤ {limit:g} ms" if limit else ""
    return [
        Row(f"P1 {label} summary, selector (computed)", selector, baseline, target=target, limit=limit,
            note="baseline: hand-written SQL of the household figures (from every status change) via psycopg2"),
        Row(f"P1 {label} summary, API (computed, kept copy deleted)", through_api, baseline, target=target,
            limit=limit),
    ]  # fmt: skip


def p2_regions(top: str) -> list[tuple[str, str]]:
    """(label, code) of the regions P2 reads under `top`: itself, its first county, township and village that hold
    households."""
    from households.models import Household

    first = Household.objects.filter(number__startswith=top[:2]).order_by("number").values_list(
        "village_id", flat=True
    )[:1]
    village = first[0] if first else top
    chosen = [(f"top {top}", top)]
    for label, length in (("county", 6), ("township", 9), ("village", 12)):
        code = village[:length].ljust(12, "0")
        if code not in dict(chosen).values():
            chosen.append((f"{label} {code}", code))
    return chosen


def p2(top: str, *, runs: int, limit: float | None, label: str) -> tuple[list[Row], list[dict]]:
    """P2: the summary of each region as of each day, computed by the selector, beside the baseline of the same
    region and day; rows for the slowest and the median, and every pair's figures."""
    from reports import selectors
    from villages.models import Region

    measured = []
    for name, code in p2_regions(top):
        region = Region.objects.get(code=code)
        for day in DAYS:
            value = p50(lambda region=region, day=day: selectors.region_summary(region=region, as_of=day), times=runs)
            base = p50(lambda code=code, day=day: baseline_rows(code, day), times=max(1, runs // 2))
            measured.append({"region": name, "as_of": day.isoformat(), "p50_ms": value, "baseline_ms": base})
    slowest = max(measured, key=lambda m: m["p50_ms"])
    target = f"p50 ≤ {limit:g} ms" if limit else "(≤ 500 ms at 1M)"
    regions = len({m["region"] for m in measured})
    return [
        Row(f"P2 {label}: slowest of {regions} regions × {len(DAYS)} days", slowest["p50_ms"], slowest["baseline_ms"],
            target=target, limit=limit, note=f"slowest: {slowest['region']} as of {slowest['as_of']}"),
        Row(f"P2 {label}: median of {regions} regions × {len(DAYS)} days", median([m["p50_ms"] for m in measured]),
            median([m["baseline_ms"] for m in measured]), target=target, limit=limit),
    ], measured  # fmt: skip
