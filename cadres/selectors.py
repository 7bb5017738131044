"""Reads of the help side (帮扶力量): scoped querysets, portfolios and the figures the summaries use.

Every queryset here is narrowed by core.scope: a unit or cadre by its region, a work team by its
village, a pairing or visit by its household's village. The figures are functions of (region
code, as-of date) that cost a fixed number of grouped queries, never one per region or household.
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from cadres.models import Cadre, Pairing, TeamMembership, Unit, Visit, WorkTeam
from core import regions as region_rules
from core import series
from core.figures import rate
from core.roles import Capability
from core.scope import restrict_to_scope
from households.selectors import head_name
from lifecycle.selectors import latest_change_sql
from villages.models import Region

FIGURE_KEYS = ("work_teams", "resident_cadres", "pairing_cadres", "paired_households", "pairing_coverage")


# Scoped querysets -------------------------------------------------------------------------------


def units_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(Unit.objects.select_related("region"), user, capability)


def cadres_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(Cadre.objects.select_related("unit", "region", "user"), user, capability)


def work_teams_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    """Teams with their unit and members (each with the cadre) for the nested `members`."""
    memberships = TeamMembership.objects.select_related("cadre").order_by("ends_on", "role", "starts_on", "id")
    return restrict_to_scope(
        WorkTeam.objects.select_related("unit", "village").prefetch_related(
            Prefetch("memberships", queryset=memberships)  # for `members`
        ),
        user,
        capability,
    )


def memberships_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(TeamMembership.objects.select_related("cadre", "team"), user, capability)


def pairings_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(Pairing.objects.select_related("cadre", "household"), user, capability)


def visits_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(Visit.objects.select_related("cadre", "household", "recorded_by"), user, capability)


def active_q(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose period [starts_on, ends_on) covers the day; `prefix` for a related row's period ("team__")."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gt": day})
    )


# Portfolios -------------------------------------------------------------------------------------


def portfolio(*, user, cadre: Cadre, as_of: datetime.date | None = None):
    """A cadre's portfolio (包保户): the pairings active on the day with households in the caller's scope, each
    with the household's head and the cadre's last visit to it up to that day (one query)."""
    day = as_of or timezone.localdate()
    last_visit = (
        Visit.objects.filter(cadre_id=OuterRef("cadre_id"), household_id=OuterRef("household_id"), date__lte=day)
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        pairings_in_scope(user=user)
        .filter(active_q(day), cadre=cadre)
        .annotate(head_name=head_name("household_id"), last_visit_on=Subquery(last_visit))
        .order_by("household__number", "id")
    )


def cadre_of_user(user) -> Cadre | None:
    """The cadre a login is linked to (干部账号), if any."""
    if user is None or not user.is_authenticated:
        return None
    return Cadre.objects.filter(user=user).first()


# Figures ----------------------------------------------------------------------------------------


def _empty() -> dict:
    return {"work_teams": 0, "resident_cadres": 0, "pairing_cadres": 0, "paired_households": 0, "poor": 0, "paired_poor": 0}


# Households of the region with their status as of the day (the latest status change effective on or before it,
# as lifecycle.selectors.statuses_as_of reads it) and whether a pairing covers the day, counted per key. Hash joins
# over the day's statuses and pairings: a correlated subquery per household costs ten times as much on a county.
_IN_SUBTREE = "IN (SELECT id FROM households_household WHERE village_id LIKE %(pattern)s)"
_HOUSEHOLD_COUNTS = f"""
SELECT hh.key,
       count(pa.household_id) AS paired_households,
       count(*) FILTER (WHERE st.status = 'poor') AS poor,
       count(pa.household_id) FILTER (WHERE st.status = 'poor') AS paired_poor
FROM (SELECT id, substr(village_id, 1, %(length)s) AS key
      FROM households_household WHERE village_id LIKE %(pattern)s) hh
LEFT JOIN ({latest_change_sql(households=_IN_SUBTREE)}) st ON st.household_id = hh.id
LEFT JOIN (
    SELECT DISTINCT p.household_id
    FROM cadres_pairing p
    WHERE p.starts_on <= %(day)s AND (p.ends_on IS NULL OR p.ends_on > %(day)s)
      AND p.household_id IN (SELECT id FROM households_household WHERE village_id LIKE %(pattern)s)
) pa ON pa.household_id = hh.id
GROUP BY hh.key
"""  # noqa: S608 - our own constant SQL pieces; values are bound parameters


def _grouped_querysets(*, prefix: str, as_of: datetime.date, key_length: int, pairings: bool = True) -> list:
    """Teams, resident cadres and (with `pairings`) pairing cadres active on the day, counted by the first
    `key_length` digits of the village code: one queryset each, rows (key, count)."""

    def grouped(queryset, village_field: str, **aggregates):
        return queryset.annotate(key=Substr(village_field, 1, key_length)).values("key").annotate(**aggregates).order_by()

    teams = WorkTeam.objects.filter(active_q(as_of), village__code__startswith=prefix)
    resident = TeamMembership.objects.filter(
        active_q(as_of), active_q(as_of, "team__"), resident=True, team__village__code__startswith=prefix
    )
    querysets = [
        grouped(teams, "village_id", work_teams=Count("id")),
        grouped(resident, "team__village_id", resident_cadres=Count("cadre_id", distinct=True)),
    ]
    if pairings:
        paired = Pairing.objects.filter(active_q(as_of), household__village__code__startswith=prefix)
        querysets.append(grouped(paired, "household__village_id", pairing_cadres=Count("cadre_id", distinct=True)))
    return querysets


def grouped_counts(
    *, prefix: str, as_of: datetime.date, key_length: int, households: bool = True, pairings: bool = True
) -> dict[str, dict]:
    """The raw counts under a prefix, by the first `key_length` digits of the village code.

    Four queries: teams, resident cadres, pairing cadres, households (paired, poor, paired and poor). Without
    `households` the last is left to the caller (reports.selectors counts them with the register, in its own pass
    over the households; `paired_households`, `poor`, `paired_poor` then stay 0 here); without `pairings` the pairing
    cadres too (the summary reads them from the ledger).
    """
    out: dict[str, dict] = defaultdict(_empty)
    for queryset in _grouped_querysets(prefix=prefix, as_of=as_of, key_length=key_length, pairings=pairings):
        for row in queryset:
            out[row.pop("key")].update(row)
    if not households:
        return out
    with connection.cursor() as cursor:
        cursor.execute(_HOUSEHOLD_COUNTS, {"length": key_length, "pattern": f"{prefix}%", "day": as_of})
        for key, paired, poor, paired_poor in cursor.fetchall():
            out[key].update(paired_households=paired, poor=poor, paired_poor=paired_poor)
    return out


def grouped_counts_by_day(
    *, prefix: str, days, key_length: int, pairings: bool = True
) -> dict[datetime.date, dict[str, dict]]:
    """grouped_counts without households for many days in three queries (core.series), two without `pairings`:
    {day: {key: counts}}."""
    out: dict[datetime.date, dict[str, dict]] = {day: defaultdict(_empty) for day in days}
    with connection.cursor() as cursor:
        querysets = _grouped_querysets(prefix=prefix, as_of=series.DAY, key_length=key_length, pairings=pairings)
        for queryset in querysets:
            name = next(iter(queryset.query.annotations.keys() - {"key"}))
            for day, key, value in series.rows_by_day(cursor, queryset, days):
                out[day][key][name] = value
    return out


def figures_of(raw: dict) -> dict:
    """The summary's `cadres` figures from the raw counts of grouped_counts."""
    return {
        "work_teams": raw["work_teams"] or 0,
        "resident_cadres": raw["resident_cadres"] or 0,
        "pairing_cadres": raw["pairing_cadres"] or 0,
        "paired_households": raw["paired_households"] or 0,
        "pairing_coverage": rate(raw["paired_poor"] or 0, raw["poor"] or 0),
    }


def cadre_figures(*, region_code: str, as_of: datetime.date) -> dict:
    """The cadres figures of a region on a day (docs/reports.md, Summaries `cadres`), in four queries.

    work_teams: teams in the region's villages whose term covers the day; resident_cadres: cadres resident (驻村)
    in such a team on the day; pairing_cadres: cadres with a pairing active on the day with a household of the
    region; paired_households: households of the region with an active pairing on the day, whatever their status;
    pairing_coverage: poor households (status as of the day) with an active pairing ÷ poor households, 4 places,
    None when there are no poor households.
    """
    prefix = region_rules.significant_prefix(region_code)
    return figures_of(grouped_counts(prefix=prefix, as_of=as_of, key_length=len(prefix))[prefix])


def cadre_figures_by_child(*, region_code: str, as_of: datetime.date) -> dict[str, dict]:
    """The same figures for every child region of a region in one pass (five queries): {child code: figures}.

    Every child region in the register is present (zeros and a None coverage where nothing is there); a village
    has no children and gives {}. A cadre resident or paired in two children counts in each, so children need not
    add up to the parent for the cadre counts.
    """
    level = region_rules.level_of(region_code)
    child = region_rules.child_level(level)
    if child is None:
        return {}
    prefix = region_rules.significant_prefix(region_code)
    length = region_rules.PREFIX_LENGTH[child]
    raw = grouped_counts(prefix=prefix, as_of=as_of, key_length=length)
    children = Region.objects.filter(parent_id=region_code).values_list("code", flat=True)
    return {code: figures_of(raw[code[:length]]) for code in children}


def _visit_counts(*, prefix: str, starts_on, ends_on, key_length: int) -> dict[str, dict]:
    def grouped(queryset, village_field: str, **aggregates):
        rows = queryset.annotate(key=Substr(village_field, 1, key_length)).values("key").annotate(**aggregates).order_by()
        return {row.pop("key"): row for row in rows}

    out: dict[str, dict] = defaultdict(lambda: {"visits": 0, "visited_households": 0, "paired_households": 0})
    visits = Visit.objects.filter(date__gte=starts_on, date__lte=ends_on, household__village__code__startswith=prefix)
    aggregates = {"visits": Count("id"), "visited_households": Count("household_id", distinct=True)}
    for key, row in grouped(visits, "household__village_id", **aggregates).items():
        out[key].update(row)
    # Paired at some time in the period: began on or before its last day, not ended by its first.
    pairings = Pairing.objects.filter(starts_on__lte=ends_on, household__village__code__startswith=prefix).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    )
    for key, row in grouped(pairings, "household__village_id", paired_households=Count("household_id", distinct=True)).items():
        out[key].update(row)
    return out


def _visit_figures(raw: dict) -> dict:
    return {
        "visits": raw["visits"] or 0,
        "visited_households": raw["visited_households"] or 0,
        "paired_households": raw["paired_households"] or 0,
        "visits_per_household": rate(raw["visits"] or 0, raw["paired_households"] or 0),
    }


def visits_per_household(*, region_code: str, starts_on: datetime.date, ends_on: datetime.date) -> dict:
    """Visits (走访) in a period, both days included, in a region: two queries.

    {"visits", "visited_households", "paired_households", "visits_per_household"}: paired households are those
    with a pairing active at some time in the period; the rate is visits ÷ paired households (4 places, None for
    none).
    """
    prefix = region_rules.significant_prefix(region_code)
    raw = _visit_counts(prefix=prefix, starts_on=starts_on, ends_on=ends_on, key_length=len(prefix))
    return _visit_figures(raw[prefix])


def visits_per_household_by_child(*, region_code: str, starts_on: datetime.date, ends_on: datetime.date) -> dict:
    """The same per child region, in three queries: {child code: figures}; {} for a village."""
    child = region_rules.child_level(region_rules.level_of(region_code))
    if child is None:
        return {}
    length = region_rules.PREFIX_LENGTH[child]
    raw = _visit_counts(
        prefix=region_rules.significant_prefix(region_code), starts_on=starts_on, ends_on=ends_on, key_length=length
    )
    children = Region.objects.filter(parent_id=region_code).values_list("code", flat=True)
    return {code: _visit_figures(raw[code[:length]]) for code in children}


# The household's timeline ----------------------------------------------------------------------


def last_visits(*, household_ids) -> dict[int, datetime.date]:
    """The last visit date of each household (any cadre): one grouped query."""
    rows = Visit.objects.filter(household_id__in=household_ids).values("household_id").annotate(last=Max("date"))
    return {row["household_id"]: row["last"] for row in rows}


# Pages ------------------------------------------------------------------------------------------


def pairings_to_visit(*, user, cadre: Cadre | None = None, as_of: datetime.date | None = None):
    """My paired households (走访): pairings active on the day where the user records activity — the cadre's own
    (its portfolio) or, for a login that is no cadre, every active pairing of the user's villages — each with the
    head's name and the paired cadre's last visit (one query)."""
    day = as_of or timezone.localdate()
    last_visit = (
        Visit.objects.filter(cadre_id=OuterRef("cadre_id"), household_id=OuterRef("household_id"), date__lte=day)
        .order_by("-date")
        .values("date")[:1]
    )
    pairings = pairings_in_scope(user=user, capability=Capability.RECORD_ACTIVITY).filter(active_q(day))
    if cadre is not None:
        pairings = pairings.filter(cadre=cadre)
    return (
        pairings.select_related("cadre", "household__village")  # the cadre's name, the household's number and village
        .annotate(head_name=head_name("household_id"), last_visit_on=Subquery(last_visit))
        .order_by("household__number", "cadre__name", "id")
    )
