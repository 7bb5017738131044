"""Reads for reports: the rows the pure report functions need, for a region's subtree, in few queries."""

import datetime
from collections import defaultdict

from django.db import connection

from households.choices import HouseholdAttribute, MonitoringStatus, PovertyCause
from households.models import Member, StatusChange
from reports import rules
from reports import summary as rules_summary
from villages import rules as region_rules
from villages.models import Region


def annual_adjustment(*, region, year: int) -> dict:
    """The year-end adjustment report of a region (two queries, then reports.rules)."""
    prefix = region_rules.significant_prefix(region.code)
    end_day = datetime.date(year, 12, 31)
    changes = [
        rules.Change(*row)
        for row in StatusChange.objects.filter(household__village__code__startswith=prefix, effective_on__lte=end_day)
        .order_by("effective_on", "id")
        .values_list("household_id", "effective_on", "status", "returned")
    ]
    members = [
        rules.Membership(*row)
        for row in Member.objects.filter(household__village__code__startswith=prefix)
        .exclude(joined_on__gt=end_day)
        .values_list("household_id", "joined_on", "join_reason", "left_on", "left_reason")
    ]
    report = rules.annual_adjustment(year=year, changes=changes, members=members)
    report["region"] = {"code": region.code, "name": region.name, "level": region.level}
    return report


# Summaries (api.md, Summaries) --------------------------------------------------------------------------------------

# Households of the subtree with their registry status as of the day (the latest status change effective by then,
# ties by recording order: households.selectors.statuses_as_of) and their members on the day, counted per group of
# village codes, registry status, main cause and attribute: one statement whatever the number of groups. Hash joins
# over the day's statuses and member counts; the parameters are bound, never formatted into the text.
_HOUSEHOLD_GROUPS = """
SELECT substr(h.village_id, 1, %(length)s), latest.status, h.main_cause, h.attribute,
       count(*), coalesce(sum(people.n), 0)::bigint
FROM households_household h
JOIN (
    SELECT DISTINCT ON (sc.household_id) sc.household_id, sc.status
    FROM households_statuschange sc
    WHERE sc.effective_on <= %(day)s
      AND sc.household_id IN (SELECT id FROM households_household WHERE village_id LIKE %(pattern)s)
    ORDER BY sc.household_id, sc.effective_on DESC, sc.id DESC
) latest ON latest.household_id = h.id
LEFT JOIN (
    SELECT m.household_id, count(*) AS n
    FROM households_member m
    WHERE m.household_id IN (SELECT id FROM households_household WHERE village_id LIKE %(pattern)s)
      AND (m.joined_on IS NULL OR m.joined_on <= %(day)s) AND (m.left_on IS NULL OR m.left_on > %(day)s)
    GROUP BY m.household_id
) people ON people.household_id = h.id
WHERE h.village_id LIKE %(pattern)s AND latest.status = ANY(%(statuses)s)
GROUP BY 1, 2, 3, 4
"""

# Households under monitoring (监测对象) on the day: the latest monitoring change effective by then says so.
_MONITORED = """
SELECT substr(h.village_id, 1, %(length)s), count(*),
       coalesce(sum((SELECT count(*) FROM households_member m WHERE m.household_id = latest.household_id
                       AND (m.joined_on IS NULL OR m.joined_on <= %(day)s)
                       AND (m.left_on IS NULL OR m.left_on > %(day)s))), 0)::bigint
FROM (
    SELECT DISTINCT ON (mc.household_id) mc.household_id, mc.status
    FROM households_monitoringchange mc
    JOIN households_household h ON h.id = mc.household_id
    WHERE h.village_id LIKE %(pattern)s AND mc.effective_on <= %(day)s
    ORDER BY mc.household_id, mc.effective_on DESC, mc.id DESC
) latest
JOIN households_household h ON h.id = latest.household_id
WHERE latest.status = %(monitored)s
GROUP BY 1
"""

# Administrative villages per group: how many, poverty villages identified by the day's year, those exited by the
# day (rules.village_exited_by), and the rural registered population of each village's latest year up to the day's.
_VILLAGES = """
SELECT substr(r.code, 1, %(length)s),
       count(*),
       count(*) FILTER (WHERE p.poverty_status IN ('poverty', 'exited') AND p.identified_year <= %(year)s),
       count(*) FILTER (WHERE p.poverty_status = 'exited'
                          AND (p.exit_year < %(year)s OR (p.exit_year = %(year)s AND %(year_end)s))),
       coalesce(sum(y.rural_population), 0)::bigint,
       count(y.rural_population)
FROM villages_region r
LEFT JOIN villages_villageprofile p ON p.village_id = r.code
LEFT JOIN LATERAL (
    SELECT vy.rural_population FROM villages_villageyear vy
    WHERE vy.village_id = r.code AND vy.year <= %(year)s AND vy.rural_population IS NOT NULL
    ORDER BY vy.year DESC LIMIT 1
) y ON true
WHERE r.level = 'village' AND r.code LIKE %(pattern)s
GROUP BY 1
"""


def _summary_groups(*, prefix: str, key_length: int, as_of: datetime.date) -> dict[str, rules_summary.Counts]:
    """The raw counts under a prefix by the first `key_length` digits of the village code (three queries)."""
    groups: dict[str, rules_summary.Counts] = defaultdict(rules_summary.Counts)
    params = {"length": key_length, "pattern": f"{prefix}%", "day": as_of}
    with connection.cursor() as cursor:
        cursor.execute(_HOUSEHOLD_GROUPS, {**params, "statuses": sorted(rules_summary.COUNTED_STATUSES)})
        for key, status, cause, attribute, households, people in cursor.fetchall():
            groups[key].add_households(
                status=status, cause=cause, attribute=attribute, households=households, people=people
            )
        cursor.execute(_MONITORED, {**params, "monitored": MonitoringStatus.MONITORED.value})
        for key, households, people in cursor.fetchall():
            groups[key].add_monitored(households=households, people=people)
        cursor.execute(_VILLAGES, {**params, "year": as_of.year, "year_end": (as_of.month, as_of.day) == (12, 31)})
        for key, total, poverty, exited, population, known in cursor.fetchall():
            groups[key].add_villages(total=total, poverty=poverty, exited=exited, population=population, known=known)
    return groups


def region_summary(*, region, as_of: datetime.date) -> dict:
    """The summary of a region as of a day (api.md, Summaries): the region's figures, its cadres and programs
    figures, and the figures of each child region. Eleven queries whatever the size of the region: three for the
    register and villages, one for the children, four for cadres (cadres.selectors.cadre_figures), three for
    programs (programs.selectors.program_figures)."""
    from cadres.selectors import cadre_figures
    from programs.selectors import program_figures

    prefix = region_rules.significant_prefix(region.code)
    child_level = region_rules.child_level(region.level)
    key_length = region_rules.PREFIX_LENGTH[child_level] if child_level else len(prefix)
    groups = _summary_groups(prefix=prefix, key_length=key_length, as_of=as_of)
    total = rules_summary.Counts.total(groups.values())
    children = (
        list(Region.objects.filter(parent_id=region.code).order_by("code").values_list("code", "name", "level"))
        if child_level
        else []
    )
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "as_of": as_of,
        **total.figures(),
        "by_cause": total.by("cause", PovertyCause.values),
        "by_attribute": total.by("attribute", HouseholdAttribute.values),
        "cadres": cadre_figures(region_code=region.code, as_of=as_of),
        "programs": program_figures(region_code=region.code, as_of=as_of),
        "children": [
            {
                "region": {"code": code, "name": name, "level": level},
                **groups.get(code[:key_length], rules_summary.Counts()).figures(),
            }
            for code, name, level in children
        ],
    }
