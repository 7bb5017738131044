"""Reads for reports: the rows the pure report functions need, for a region's subtree, in few queries."""

import datetime
import json
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

from cadres import selectors as cadre_selectors
from core import regions as region_rules
from core import series as core_series
from core.roles import Capability
from core.scope import restrict_to_scope
from households.choices import HouseholdAttribute, MonitoringStatus, PovertyCause
from households.models import Member
from lifecycle.models import PublishedYear, StatusChange
from lifecycle.selectors import MONITORING_CHANGES, latest_change_sql
from programs import rules as program_rules
from programs import selectors as program_selectors
from reports import ledger, rules
from reports import summary as rules_summary
from reports.models import ChangeEvent
from villages.models import Region
from villages.selectors import LATEST_RURAL_POPULATION_SQL


# Plan years (计划年度, docs/workflows.md): an exit counts in the plan year the county named at its approval, which may
# be the year before the approval (a January approval closing the previous year's plan). The report reads such an
# exit as on the last day of its plan year, so start + changes = end still holds in both years.
def _last_plan_day(end_day: datetime.date) -> datetime.date:
    """The last approval day that may still count in the year ending on end_day (an approval of the next year)."""
    return end_day.replace(year=end_day.year + 1)


def _counted_on(effective_on: datetime.date, plan_year: int | None) -> datetime.date:
    if plan_year is not None and plan_year < effective_on.year:
        return datetime.date(plan_year, 12, 31)
    return effective_on


def _change_rows(*, prefix: str, last_year: int) -> list[tuple[str, datetime.date, rules.Change]]:
    """The status changes of the subtree that may count in the years up to last_year, oldest first, each with its
    household's village and the day it took effect (one query)."""
    return [
        (village, effective_on, rules.Change(household_id, _counted_on(effective_on, plan_year), status, returned))
        for village, household_id, effective_on, status, returned, plan_year in StatusChange.objects.filter(
            household__village__code__startswith=prefix,
            effective_on__lte=_last_plan_day(datetime.date(last_year, 12, 31)),
        )
        .order_by("effective_on", "id")
        .values_list(
            "household__village_id", "household_id", "effective_on", "status", "returned", "procedure__plan_year"
        )
    ]


def _member_rows(*, prefix: str, last_year: int) -> list[tuple[str, rules.Membership]]:
    """The members of the subtree's households who joined by the end of last_year, with the village (one query)."""
    return [
        (village, rules.Membership(*row))
        for village, *row in Member.objects.filter(household__village__code__startswith=prefix)
        .exclude(joined_on__gt=datetime.date(last_year, 12, 31))
        .values_list("household__village_id", "household_id", "joined_on", "join_reason", "left_on", "left_reason")
    ]


def _report(*, region, year: int, changes: list, members: list) -> dict:
    """One year's report from the rows of the years up to it or later (those after the year are left out here)."""
    end_day = datetime.date(year, 12, 31)
    last_plan_day = _last_plan_day(end_day)
    report = rules.annual_adjustment(
        year=year,
        changes=[change for _village, effective_on, change in changes if effective_on <= last_plan_day],
        members=[m for _village, m in members if m.joined_on is None or m.joined_on <= end_day],
    )
    report["region"] = {"code": region.code, "name": region.name, "level": region.level}
    return report


def annual_adjustments(*, region, years: list[int]) -> list[dict]:
    """The year-end adjustment reports of a region for several years (two queries whatever the number of years)."""
    if not years:
        return []
    prefix = region_rules.significant_prefix(region.code)
    changes = _change_rows(prefix=prefix, last_year=max(years))
    members = _member_rows(prefix=prefix, last_year=max(years))
    return [_report(region=region, year=year, changes=changes, members=members) for year in years]


def annual_adjustment(*, region, year: int) -> dict:
    """The year-end adjustment report of a region (two queries, then reports.rules)."""
    return annual_adjustments(region=region, years=[year])[0]


def annual_adjustment_with_children(*, region, year: int) -> tuple[dict, list[dict]]:
    """The year-end report of a region and that of each child region (three queries whatever the number of children):
    each child's is the report annual_adjustment gives for it, computed from the same rows."""
    prefix = region_rules.significant_prefix(region.code)
    changes = _change_rows(prefix=prefix, last_year=year)
    members = _member_rows(prefix=prefix, last_year=year)
    report = _report(region=region, year=year, changes=changes, members=members)
    child_level = region_rules.child_level(region.level)
    if child_level is None:
        return report, []
    length = region_rules.PREFIX_LENGTH[child_level]
    changes_of, members_of = defaultdict(list), defaultdict(list)
    for row in changes:
        changes_of[row[0][:length]].append(row)
    for row in members:
        members_of[row[0][:length]].append(row)
    children = [
        _report(region=child, year=year, changes=changes_of[child.code[:length]], members=members_of[child.code[:length]])
        for child in Region.objects.filter(parent_id=region.code).order_by("code")
    ]
    return report, children


def annual_households(*, region_code: str | None, year: int, stock: str, key: str) -> set[int]:
    """The households behind one household figure of a region's year-end report (one query): the ones
    annual_adjustment counts there (reports.rules.households_counted); every region's when region_code is None."""
    prefix = region_rules.significant_prefix(region_code) if region_code else ""
    changes = _change_rows(prefix=prefix, last_year=year)
    return rules.households_counted(year=year, changes=[row[2] for row in changes], stock=stock, key=key)


def year_published(*, region, year: int) -> bool:
    """Whether the year-end report of this year is published for the region (its county, or a region above that
    published it): steps dated into the year are refused, so its figures stay put (lifecycle.services)."""
    return PublishedYear.objects.filter(
        region_id__in=region_rules.region_and_ancestor_codes(region.code), year=year
    ).exists()


# Summaries (docs/reports.md, Summaries) --------------------------------------------------------------------------------------

# Every household of the subtree with its registry status as of the day (the latest status change effective by then,
# ties by recording order: lifecycle.selectors.statuses_as_of), its members on the day, whether a pairing covers
# the day (cadres), whether an industry or asset-income benefit of the year or a cooperative membership covers it
# (programs, 产业覆盖) and whether a membership is active on the day: one pass over the households, counted per
# group of village codes, status, main cause and attribute. The cadres and programs figures that count households
# (cadres.selectors._HOUSEHOLD_COUNTS, programs.selectors._HOUSEHOLD_FIGURES_SQL) come from the same pass here;
# tests hold them equal. The parameters are bound, never formatted into the text. When every household of the
# database lies in the subtree (a county's own server, a province's), the inner reads skip the subtree filter: a
# semi-join against every household costs more than the reads themselves.
_HOUSEHOLD_GROUPS = """
SELECT substr(h.village_id, 1, %(length)s), latest.status, h.main_cause, h.attribute,
       count(*), coalesce(sum(people.n), 0)::bigint,
       count(paired.household_id),
       count(*) FILTER (WHERE industry.household_id IS NOT NULL OR cooperative.household_id IS NOT NULL),
       count(*) FILTER (WHERE cooperative.active),
       coalesce(sum(people.n) FILTER (WHERE cooperative.active), 0)::bigint
FROM households_household h
LEFT JOIN ({latest_status}) latest ON latest.household_id = h.id
LEFT JOIN (
    SELECT m.household_id, count(*) AS n
    FROM households_member m
    WHERE m.household_id {subtree}
      AND (m.joined_on IS NULL OR m.joined_on <= %(day)s) AND (m.left_on IS NULL OR m.left_on > %(day)s)
    GROUP BY m.household_id
) people ON people.household_id = h.id
LEFT JOIN (
    SELECT DISTINCT p.household_id FROM cadres_pairing p
    WHERE p.starts_on <= %(day)s AND (p.ends_on IS NULL OR p.ends_on > %(day)s) AND p.household_id {subtree}
) paired ON paired.household_id = h.id
LEFT JOIN (
    SELECT DISTINCT b.household_id FROM programs_benefit b JOIN programs_program pr ON pr.id = b.program_id
    WHERE pr.category = ANY(%(industry)s) AND b.date >= %(since)s AND b.date <= %(day)s AND b.household_id {subtree}
) industry ON industry.household_id = h.id
LEFT JOIN (
    -- memberships of the year (joined by the day, not left before the year began) and those active on the day
    SELECT m.household_id, bool_or(m."left" IS NULL OR m."left" > %(day)s) AS active
    FROM programs_cooperativemembership m
    WHERE m.joined <= %(day)s AND (m."left" IS NULL OR m."left" > %(since)s) AND m.household_id {subtree}
    GROUP BY m.household_id
) cooperative ON cooperative.household_id = h.id
WHERE h.village_id LIKE %(pattern)s
GROUP BY 1, 2, 3, 4
"""
_IN_SUBTREE = "IN (SELECT id FROM households_household WHERE village_id LIKE %(pattern)s)"
_HOUSEHOLD_GROUPS_IN_SUBTREE = _HOUSEHOLD_GROUPS.format(
    subtree=_IN_SUBTREE, latest_status=latest_change_sql(households=_IN_SUBTREE)
)
_HOUSEHOLD_GROUPS_EVERYWHERE = _HOUSEHOLD_GROUPS.format(
    subtree="IS NOT NULL", latest_status=latest_change_sql(households="IS NOT NULL")
)
_OUTSIDE = "SELECT EXISTS (SELECT 1 FROM households_household WHERE village_id NOT LIKE %(pattern)s)"

# Households under monitoring (监测对象) on the day: the latest monitoring change effective by then says so.
_MONITORED = f"""
SELECT substr(h.village_id, 1, %(length)s), count(*),
       coalesce(sum((SELECT count(*) FROM households_member m WHERE m.household_id = latest.household_id
                       AND (m.joined_on IS NULL OR m.joined_on <= %(day)s)
                       AND (m.left_on IS NULL OR m.left_on > %(day)s))), 0)::bigint
FROM ({latest_change_sql(households=_IN_SUBTREE, table=MONITORING_CHANGES)}) latest
JOIN households_household h ON h.id = latest.household_id
WHERE latest.status = %(monitored)s
GROUP BY 1
"""  # noqa: S608 - our own constant SQL pieces; values are bound parameters

# Administrative villages per group: how many, poverty villages identified by the day's year, those exited by the
# day (rules.village_exited_by), and the rural registered population of each village's latest year up to the day's.
_VILLAGES = f"""
SELECT substr(r.code, 1, %(length)s),
       count(*),
       count(*) FILTER (WHERE p.poverty_status IN ('poverty', 'exited') AND p.identified_year <= %(year)s),
       count(*) FILTER (WHERE p.poverty_status = 'exited'
                          AND (p.exit_year < %(year)s OR (p.exit_year = %(year)s AND %(year_end)s))),
       coalesce(sum(y.rural_population), 0)::bigint,
       count(y.rural_population)
FROM villages_region r
LEFT JOIN villages_villageprofile p ON p.village_id = r.code
{LATEST_RURAL_POPULATION_SQL}
WHERE r.level = 'village' AND r.code LIKE %(pattern)s
GROUP BY 1
"""  # noqa: S608 - our own constant SQL pieces; values are bound parameters


LEDGER, REGISTER = "ledger", "register"  # where a summary's household figures come from


def _summary_groups_by_day(
    *, prefix: str, key_length: int, days: list[datetime.date], series: bool = True, source: str = LEDGER
) -> dict[datetime.date, dict[str, rules_summary.Counts]]:
    """The raw counts under a prefix by the first `key_length` digits of the village code, for every day.

    From the ledger (reports.ledger: two queries) with the villages (one); from the register (the oracle: the
    ledger must give the same), four queries: the single day's statements as they are, or, for a series, each run
    over the list of days (core.series.lateral_sql), its rows led by their day."""
    if source == LEDGER:
        groups = ledger.groups_by_day(prefix=prefix, key_length=key_length, days=days)
    else:
        groups = {day: defaultdict(rules_summary.Counts) for day in days}
    params = {"length": key_length, "pattern": f"{prefix}%", "industry": sorted(program_rules.INDUSTRY_CATEGORIES)}
    if series:
        params["days"] = list(days)
    else:
        (day,) = days
        params.update(
            day=day, since=datetime.date(day.year, 1, 1), year=day.year, year_end=(day.month, day.day) == (12, 31)
        )

    def rows(cursor, statement: str, **extra):
        cursor.execute(core_series.lateral_sql(statement) if series else statement, {**params, **extra})
        return cursor.fetchall() if series else [(days[0], *row) for row in cursor.fetchall()]

    with connection.cursor() as cursor:
        if source == REGISTER:
            cursor.execute(_OUTSIDE, params)
            statement = _HOUSEHOLD_GROUPS_IN_SUBTREE if cursor.fetchone()[0] else _HOUSEHOLD_GROUPS_EVERYWHERE
            for day, key, status, cause, attribute, households, people, *helped in rows(cursor, statement):
                paired, covered, in_cooperative, cooperative_people = helped
                groups[day][key].add_households(
                    status=status, cause=cause, attribute=attribute, households=households, people=people,
                    paired=paired, covered=covered, in_cooperative=in_cooperative,
                    cooperative_people=cooperative_people,
                )  # fmt: skip
            for day, key, households, people in rows(cursor, _MONITORED, monitored=MonitoringStatus.MONITORED.value):
                groups[day][key].add_monitored(households=households, people=people)
        for day, key, total, poverty, exited, population, known in rows(cursor, _VILLAGES):
            groups[day][key].add_villages(
                total=total, poverty=poverty, exited=exited, population=population, known=known
            )
    return groups


def _cadres_block(*, raw: dict, total: rules_summary.Counts) -> dict:
    """cadres.selectors.cadre_figures, with the households counted in the summary's own pass."""
    raw = {**raw, "paired_households": total.helped["paired"], "poor": total.households["poor"],
           "paired_poor": total.helped["paired_poor"]}  # fmt: skip
    return cadre_selectors.figures_of(raw)


def _programs_block(*, grouped: dict, prefix: str, total: rules_summary.Counts, source: str) -> dict:
    """programs.selectors.program_figures, with the households counted in the summary's own pass (and, from the
    ledger, the year's benefits)."""
    raw = {"benefit_amount": None, "benefited_households": 0, "cooperatives": 0, **grouped.get(prefix, {})}
    if source == LEDGER:
        raw.update(benefit_amount=total.helped["benefit_amount"], benefited_households=total.helped["benefited"])
    raw.update(
        poor=total.households["poor"],
        covered=total.helped["covered_poor"],
        cooperative_households=total.helped["cooperative_households"],
        cooperative_people=total.helped["cooperative_people"],
    )
    return program_selectors.shown(raw)


def _summary_of(*, region, as_of, groups, key_length, cadres_raw, programs_grouped, prefix, children, source) -> dict:
    """The summary dict of one day from its grouped counts (docs/reports.md, Summaries); `children` None leaves
    the key out (a series without children=1)."""
    total = rules_summary.Counts.total(groups.values())
    summary = {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "as_of": as_of,
        **total.figures(),
        "by_cause": total.by("cause", PovertyCause.values),
        "by_attribute": total.by("attribute", HouseholdAttribute.values),
        "cadres": _cadres_block(raw=cadres_raw, total=total),
        "programs": _programs_block(grouped=programs_grouped, prefix=prefix, total=total, source=source),
    }
    if children is not None:
        summary["children"] = [
            {
                "region": {"code": code, "name": name, "level": level},
                **groups.get(code[:key_length], rules_summary.Counts()).figures(),
            }
            for code, name, level in children
        ]
    return summary


def _children_of(region) -> list[tuple[str, str, str]]:
    if not region_rules.child_level(region.level):
        return []
    return list(Region.objects.filter(parent_id=region.code).order_by("code").values_list("code", "name", "level"))


def region_summary(*, region, as_of: datetime.date, source: str = LEDGER) -> dict:
    """The summary of a region as of a day (docs/reports.md, Summaries): the region's figures, its cadres and programs
    figures, and the figures of each child region. Whatever the size of the region, eight queries from the ledger:
    the household groups (reports.ledger: flush and read), villages, the children, and the cadres' and programs' own
    counts (teams, resident and pairing cadres; cooperatives); from the register (`source=REGISTER`, the oracle),
    ten: whether households lie outside the region, one pass over its households (register, pairings, industry
    coverage, cooperatives), monitoring, villages, the children, teams, resident and pairing cadres, benefits,
    cooperatives."""
    prefix = region_rules.significant_prefix(region.code)
    child_level = region_rules.child_level(region.level)
    key_length = region_rules.PREFIX_LENGTH[child_level] if child_level else len(prefix)
    groups = _summary_groups_by_day(prefix=prefix, key_length=key_length, days=[as_of], series=False, source=source)
    children = _children_of(region)
    cadres_raw = cadre_selectors.grouped_counts(
        prefix=prefix, as_of=as_of, key_length=len(prefix), households=False, pairings=source == REGISTER
    )
    if source == LEDGER:  # flushed by the household groups' read above
        cadres_raw[prefix]["pairing_cadres"] = ledger.pairing_cadres_by_day(prefix=prefix, days=[as_of], flushed=True)[as_of]
    programs_grouped = program_selectors.grouped_program_figures(
        prefix=prefix, key_length=len(prefix), as_of=as_of, since=datetime.date(as_of.year, 1, 1), households=False,
        benefits=source == REGISTER,
    )  # fmt: skip
    return _summary_of(
        region=region, as_of=as_of, groups=groups[as_of], key_length=key_length, cadres_raw=cadres_raw[prefix],
        programs_grouped=programs_grouped, prefix=prefix, children=children, source=source,
    )  # fmt: skip


SERIES_MAX_POINTS = 400


def region_summary_series(
    *, region, days: list[datetime.date], children: bool, source: str = LEDGER
) -> list[dict]:
    """The summary of a region for each of these days (GET summaries/{code}/series/), each equal to region_summary of
    that day (without `children` unless asked): the same number of queries whatever the number of days, each
    single-day read run over the list of days (core.series)."""
    prefix = region_rules.significant_prefix(region.code)
    child_level = region_rules.child_level(region.level)
    key_length = region_rules.PREFIX_LENGTH[child_level] if child_level else len(prefix)
    by_day = _summary_groups_by_day(prefix=prefix, key_length=key_length, days=days, source=source)
    child_rows = _children_of(region) if children else None
    cadres_by_day = cadre_selectors.grouped_counts_by_day(
        prefix=prefix, days=days, key_length=len(prefix), pairings=source == REGISTER
    )
    if source == LEDGER:  # flushed by the household groups' read above
        for day, cadres in ledger.pairing_cadres_by_day(prefix=prefix, days=days, flushed=True).items():
            cadres_by_day[day][prefix]["pairing_cadres"] = cadres
    programs_by_day = program_selectors.grouped_program_figures_by_day(
        prefix=prefix, key_length=len(prefix), days=days, benefits=source == REGISTER
    )
    return [
        _summary_of(
            region=region, as_of=day, groups=by_day[day], key_length=key_length, cadres_raw=cadres_by_day[day][prefix],
            programs_grouped=programs_by_day[day], prefix=prefix, children=child_rows, source=source,
        )  # fmt: skip
        for day in days
    ]


# Kept summaries (reports.models): exact reuse ---------------------------------------------------------------------

_KEPT = """
SELECT k.payload
FROM reports_keptsummary k
WHERE k.code = %(code)s AND k.as_of = %(as_of)s
  AND pg_snapshot_xmin(k.snapshot::pg_snapshot)::text::bigint
      >= coalesce((SELECT pruned_below FROM reports_markhorizon WHERE id = 1), 0)
  AND NOT EXISTS (
      SELECT 1 FROM reports_writemark w
      WHERE w.txid >= pg_snapshot_xmin(k.snapshot::pg_snapshot)::text::bigint
        AND NOT pg_visible_in_snapshot(w.txid::text::xid8, k.snapshot::pg_snapshot)
  )
  AND NOT EXISTS (
      SELECT 1 FROM reports_regionmark m
      WHERE starts_with(m.region, %(prefix)s)
        AND m.txid >= pg_snapshot_xmin(k.snapshot::pg_snapshot)::text::bigint
        AND NOT pg_visible_in_snapshot(m.txid::text::xid8, k.snapshot::pg_snapshot)
  )
"""
_KEEP = """
INSERT INTO reports_keptsummary (code, as_of, payload, snapshot, computed_at)
VALUES (%(code)s, %(as_of)s, %(payload)s, pg_current_snapshot()::text, now())
ON CONFLICT (code, as_of) DO UPDATE
SET payload = excluded.payload, snapshot = excluded.snapshot, computed_at = excluded.computed_at
"""
# Marks older than every kept summary's snapshot, and summaries not asked for in a day, go now and then.
_PRUNE = """
WITH horizon AS (
    SELECT least(
        pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
        coalesce((SELECT min(pg_snapshot_xmin(snapshot::pg_snapshot)::text::bigint) FROM reports_keptsummary
                  WHERE computed_at >= now() - interval '1 day'), pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
    ) AS below
), moved AS (
    INSERT INTO reports_markhorizon (id, pruned_below) SELECT 1, below FROM horizon
    ON CONFLICT (id) DO UPDATE SET pruned_below = greatest(reports_markhorizon.pruned_below, excluded.pruned_below)
    RETURNING pruned_below
), old_summaries AS (
    DELETE FROM reports_keptsummary WHERE computed_at < now() - interval '1 day'
), old_region_marks AS (
    DELETE FROM reports_regionmark WHERE txid < (SELECT pruned_below FROM moved)
)
DELETE FROM reports_writemark WHERE txid < (SELECT pruned_below FROM moved)
"""
_MARKS = "SELECT (SELECT count(*) FROM reports_writemark) + (SELECT count(*) FROM reports_regionmark) >= %s"
PRUNE_EVERY = 1000  # marks


def kept_region_summary(*, region, as_of: datetime.date) -> dict:
    """region_summary, served from a kept copy when no write has committed since its snapshot (reports.models).

    The summary is read in one REPEATABLE READ transaction, so its queries see one snapshot, and kept with
    that snapshot; a kept copy is served only while every transaction that wrote a source table since is visible
    in it: for any day, past or present, it is the summary computed now. Inside an outer transaction (tests, a
    caller's atomic block) the isolation level cannot be set: the summary is computed and not kept.
    """
    summary, text = _kept_or_computed(region=region, as_of=as_of)
    return summary if summary is not None else json.loads(text)


def kept_region_summary_text(*, region, as_of: datetime.date) -> str:
    """kept_region_summary as its JSON text: the same figures, and the identity of the answer (the API's ETag is
    a digest of it, so a client polling an unchanged summary is answered 304 from the kept copy, nothing parsed or
    rendered)."""
    summary, text = _kept_or_computed(region=region, as_of=as_of)
    return text if text is not None else _summary_text(summary)


def _summary_text(summary: dict) -> str:
    return json.dumps(summary, cls=DjangoJSONEncoder, ensure_ascii=False)


def _kept_or_computed(*, region, as_of: datetime.date) -> tuple[dict | None, str | None]:
    """(summary, None) when computed without keeping; (summary, text) when computed and kept; (None, text) when
    served from a kept copy."""
    if connection.in_atomic_block:
        return region_summary(region=region, as_of=as_of), None
    key = {"code": region.code, "as_of": as_of}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute(_KEPT, {**key, "prefix": region_rules.significant_prefix(region.code)})
        found = cursor.fetchone()
        if found is not None:
            return None, found[0]
        # The region itself is read again in the snapshot: its name is part of what is kept.
        summary = region_summary(region=Region.objects.get(pk=region.pk), as_of=as_of)
        text = _summary_text(summary)
        try:
            with transaction.atomic():  # a savepoint: a concurrent keeper wins, this answer is still right
                cursor.execute(_KEEP, {**key, "payload": text})
                cursor.execute(_MARKS, [PRUNE_EVERY])
                if cursor.fetchone()[0]:
                    cursor.execute(_PRUNE)
        except DatabaseError:
            pass
    return summary, text


# The change feed (docs/api.md, Change feed) --------------------------------------------------------------------------

FEED_PAGE_MAX = 1000
# The settled horizon: every transaction below it has ended, so its events are final and no event can ever appear at
# a position below it; later events wait until every older transaction ends. It is the oldest transaction still
# running in the reading statement's snapshot (pg_snapshot_xip), or the snapshot's xmax when none is; transactions
# that pg_stat_activity shows running in another database of the cluster are passed over (they cannot write our
# events, and a long one there must not stall the feed here). Every other transaction of the snapshot counts, even
# one that has ended since (its database unknown): a conservative horizon only delays, never skips.
_SETTLED = RawSQL(
    """(SELECT least(
            pg_snapshot_xmax(s)::text::bigint,
            (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
             WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                               WHERE a.datname <> current_database() AND a.backend_xid = x::xid)))
        FROM pg_current_snapshot() AS s)""",
    [],
)


def changes_after(*, user, position: tuple[int, int], prefix: str | None, limit: int) -> list[ChangeEvent]:
    """Up to `limit` events after the position, in the caller's scope (READ_FIGURES) and under the region prefix, of
    settled transactions only, in feed order (one query)."""
    txid, event = position
    events = restrict_to_scope(ChangeEvent.objects.all(), user, Capability.READ_FIGURES).filter(
        Q(txid__gt=txid) | Q(txid=txid, id__gt=event), txid__lt=_SETTLED
    )
    if prefix:
        events = events.filter(village__startswith=prefix)
    return list(events.order_by("txid", "id")[:limit])


def settled_position() -> tuple[int, int]:
    """The position after every event of a settled transaction: where a client that has just read everything it
    needs (a series) starts following the feed (?after=now)."""
    last = ChangeEvent.objects.filter(txid__lt=_SETTLED).order_by("-txid", "-id").values_list("txid", "id").first()
    return last or rules.START
