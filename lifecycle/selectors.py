"""Reads of the lifecycle: statuses as of a day, procedures and notices in scope, evaluations, timeline entries."""

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from core import regions as region_rules
from core.roles import Capability
from core.scope import restrict_to_scope
from households.choices import MonitoringStatus, RegistryStatus
from households.models import Household, Member
from households.selectors import households_in_scope, standard_for
from lifecycle import eligibility
from lifecycle.models import (
    MonitoringChange,
    Notice,
    Procedure,
    ProcedureStep,
    StatusChange,
    VillageExit,
    VillageExitObjection,
    VillageExitStep,
)
from villages.models import Region, VillageYear

# Status as of a day (登记状态, docs/workflows.md): a household's latest status change effective by the day; of two
# on one day, the later recorded (higher id) wins. Monitoring changes read the same way. Defined once, in two forms:
# `status_as_of` for ORM readers, `latest_change_sql` for the set-based SQL of summaries, figures and rules; the
# index status_change_as_of (household, effective_on, id) serves both.
LATEST_FIRST = ("-effective_on", "-id")
STATUS_CHANGES = StatusChange._meta.db_table
MONITORING_CHANGES = MonitoringChange._meta.db_table


def status_as_of(day: datetime.date, household_ref: str = "pk") -> Subquery:
    """The registry status of the outer query's household (`household_ref`) as of a day."""
    return Subquery(
        StatusChange.objects.filter(household=OuterRef(household_ref), effective_on__lte=day)
        .order_by(*LATEST_FIRST)
        .values("status")[:1]
    )


def latest_change_sql(*, households: str, day: str = "%(day)s", table: str = STATUS_CHANGES) -> str:
    """SQL giving (household_id, status) of each household's latest change effective by `day`.

    `households` restricts the household ids, e.g. "IN (SELECT id FROM households_household WHERE …)" or
    "IS NOT NULL"; `day` is the placeholder of the day (bound by the caller, never formatted in); `table` is
    STATUS_CHANGES or MONITORING_CHANGES. Every piece is our own constant text, never input.
    """
    return (
        f"SELECT DISTINCT ON (c.household_id) c.household_id, c.status FROM {table} c "  # noqa: S608 - see above
        f"WHERE c.effective_on <= {day} AND c.household_id {households} "
        "ORDER BY c.household_id, c.effective_on DESC, c.id DESC"
    )


def statuses_as_of(*, households, day) -> dict[int, tuple[str, bool]]:
    """Registry status and returned flag of these households as of a day, in one query.

    `households` is a queryset or a list of ids; households with no decision by that day are absent.
    Reads the episodes (status changes), so the answer for a past day never changes.
    """
    changes = (
        StatusChange.objects.filter(household__in=households, effective_on__lte=day)
        .order_by("household_id", *LATEST_FIRST)
        .distinct("household_id")
        .values_list("household_id", "status", "returned")
    )
    return {household_id: (status, returned) for household_id, status, returned in changes}


def status_on_expression(day):
    """The registry status of the outer household on the day (its latest change effective by then, ties by recording
    order: statuses_as_of), as a correlated subquery; None before its first decision."""
    return Subquery(
        StatusChange.objects.filter(household=OuterRef("pk"), effective_on__lte=day)
        .order_by(*LATEST_FIRST)
        .values("status")[:1]
    )


def procedures_in_scope(*, user):
    return restrict_to_scope(
        Procedure.objects.select_related("household").prefetch_related("steps__acted_by"),  # for steps
        user,
        Capability.READ_REGISTER,
    )


def notices_in_scope(*, user):
    return restrict_to_scope(
        Notice.objects.select_related("procedure__household", "village").prefetch_related("objections"),  # for objections
        user,
        Capability.READ_REGISTER,
    )


def _year_facts(*, household: Household, year: int) -> dict:
    """The year's record and the standard row the household is measured against (its village's, of its
    identification standard 识别标准) as the eligibility engine's facts (2 queries)."""
    record = household.annual_records.filter(year=year).first()
    standard = standard_for(year=year, region_code=household.village_id, kind=household.identification_standard)
    return {
        "year": year,
        "record": None if record is None else eligibility.record_facts_of(record=record),
        "standard": None if standard is None else eligibility.standard_facts_of(standard=standard),
    }


def entry_evaluation(*, household: Household, year: int, kind: str):
    """Identification or return: the year's income against the poverty line, from what the register holds (2 queries)."""
    return eligibility.evaluate_entry(kind=kind, **_year_facts(household=household, year=year))


def exit_evaluation(*, household: Household, year: int, line: str = "poverty"):
    """Evaluate a household's exit (or risk elimination) for a year from what the register holds (3 queries)."""
    return eligibility.evaluate_exit(
        line=line,
        members=eligibility.members_at_year_end(members=household.members.order_by("id"), year=year),
        **_year_facts(household=household, year=year),
    )


def monitoring_inclusion_evaluation(*, household: Household, year: int):
    """The monitoring inclusion test (纳入监测) of a household for a year from its record and the monitoring line."""
    record = household.annual_records.filter(year=year).first()
    standard = standard_for(year=year, region_code=household.village_id)
    return eligibility.evaluate_monitoring_inclusion(
        year=year,
        record=None if record is None else eligibility.record_facts_of(record=record),
        standard=None if standard is None else eligibility.standard_facts_of(standard=standard),
    )


def poor_people_at(*, region_code: str, day) -> int:
    """People in households that are poor (未脱贫, returned ones included) on a day, in a region's subtree: one query."""
    prefix = region_rules.significant_prefix(region_code)
    return (
        Member.objects.active_on(day)
        .filter(household__village__code__startswith=prefix)
        .annotate(household_status=status_as_of(day, "household_id"))
        .filter(household_status="poor")
        .count()
    )


def village_exit_evaluation(*, village, year: int):
    """贫困村出列 evaluation of a village for a year: incidence at the year's end and the village's figures."""
    village_year = VillageYear.objects.filter(village=village, year=year).first()
    standard = standard_for(year=year, region_code=village.code)
    return eligibility.evaluate_village_exit(
        year=year,
        village=None if village_year is None else eligibility.village_year_facts_of(village_year=village_year),
        poor_people=poor_people_at(region_code=village.code, day=datetime.date(year, 12, 31)),
        standard=None if standard is None else eligibility.standard_facts_of(standard=standard),
        collective_income_min=eligibility.collective_income_min_of(standard=standard),
    )


def villages_in_scope(*, user):
    """Administrative villages (行政村) whose register the user may read, with their township and profile (村情).

    The village page's scope: the API's village-exit actions ask READ_REGISTER of the same region."""
    return restrict_to_scope(
        Region.objects.filter(level=region_rules.RegionLevel.VILLAGE).select_related("parent", "profile"),
        user,
        Capability.READ_REGISTER,
    )


def village_household_counts(*, user, village) -> dict:
    """Households of a village in the user's scope by registry status (登记状态, "" = 一般农户), monitored ones and the
    total, in one query whatever the number of households."""
    statuses = ["", *RegistryStatus.values]
    counts = households_in_scope(user=user).filter(village=village).aggregate(
        total=Count("id"),
        monitored=Count("id", filter=Q(monitoring_status=MonitoringStatus.MONITORED)),
        **{f"status_{status or 'none'}": Count("id", filter=Q(status=status)) for status in statuses},
    )
    return {
        "total": counts["total"],
        "monitored": counts["monitored"],
        "by_status": {status: counts[f"status_{status or 'none'}"] for status in statuses},
    }


def village_exit_check(*, village, year: int) -> dict:
    """The village exit evaluation of a year as stored with a decision (贫困村出列评估, JSON-able), whether it passes or
    not: what lifecycle.services evaluates at the proposal, the review and the announcement, for a page to show."""
    return village_exit_evaluation(village=village, year=year).as_dict()


def village_exits_of(*, village):
    """A village's exit procedures (贫困村出列程序), newest first, with their steps and objections (three queries)."""
    return (
        VillageExit.objects.filter(village=village)
        .order_by("-opened_on", "-id")
        .prefetch_related(
            Prefetch("steps", queryset=VillageExitStep.objects.select_related("acted_by").order_by("id")),
            Prefetch("objections", queryset=VillageExitObjection.objects.order_by("id")),
        )
    )


def lifecycle_timeline_entries(*, household: Household, names: dict) -> list[dict]:
    """Procedure steps and status changes of the household as timeline entries (two queries, three with names)."""
    steps = list(
        ProcedureStep.objects.filter(procedure__household=household).select_related("procedure", "acted_by").order_by("id")
    )
    changes = list(StatusChange.objects.filter(household=household).select_related("recorded_by").order_by("id"))
    entries = [
        {
            "at": step.created_at,
            "kind": "procedure_step",
            "action": step.decision,
            "object_type": "procedure",
            "object_id": str(step.procedure_id),
            "user": step.acted_by.username,
            "request_id": None,
            "changes": {"kind": [None, step.procedure.kind], "step": [None, step.step], "date": [None, step.date.isoformat()]},
        }
        for step in steps
    ]
    entries += [
        {
            "at": change.recorded_at,
            "kind": "status_change",
            "action": "insert",
            "object_type": "status_change",
            "object_id": str(change.pk),
            "user": change.recorded_by.username if change.recorded_by else None,
            "request_id": None,
            "changes": {
                "status": [None, change.status],
                "effective_on": [None, change.effective_on.isoformat()],
                "returned": [None, change.returned],
            },
        }
        for change in changes
    ]
    return entries
