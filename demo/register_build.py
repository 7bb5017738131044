"""Writing the demo county's planned register (demo.register's CountyPlan) in bulk, and deleting it.

Households, members, annual records and the lifecycle go in by COPY (demo.copy); the procedures, steps, notices and
status changes have the shapes lifecycle.services writes, and the stored exit evaluations are the real engine's.
"""

from collections import Counter, defaultdict
from datetime import date, timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import translation

from core import regions as region_rules
from core.models import RoleGrant
from core.regions import RegionLevel
from demo.copy import copy_into
from demo.regions import DEMO_COUNTY
from demo.register import DEMO_USERS, NOTICE_DAYS, CountyPlan, PlannedHousehold, PlannedProcedure
from households.choices import RegistryStatus
from households.models import AnnualRecord, Household, HouseholdNumberSequence, Member
from households.selectors import standard_for
from lifecycle import eligibility, workflow
from lifecycle import services as lifecycle_services
from lifecycle.choices import Decision, ProcedureState
from lifecycle.models import MonitoringChange, Notice, Objection, Procedure, ProcedureStep, StatusChange, VillageExit
from villages.models import Region, VillageProfile, VillagerGroup, VillageYear


def build_demo_register(*, plan: CountyPlan, command: str = "seed_demo") -> dict:
    """Write a planned register (建档立卡) in bulk into the demo regions and return how many rows of each kind."""
    # Households, members and annual records go in by COPY; the history triggers still record every row, all under
    # one history context that names the command. The regions must exist and the register must not.
    codes = [village.code for village in plan.villages]
    with transaction.atomic(), pghistory.context(command=command), connection.cursor() as cursor:
        found = Region.objects.filter(code__in=codes, level=RegionLevel.VILLAGE).count()
        if found != len(codes):
            raise ValueError(f"the demo county's villages are missing ({found} of {len(codes)} loaded)")
        VillageProfile.objects.bulk_create(
            [
                # An exited village starts as a poverty village: its exit is recorded by the procedure below.
                VillageProfile(
                    village_id=village.code,
                    poverty_status=village.poverty_status,
                    identified_year=village.identified_year,
                )
                for village in plan.villages
            ]
        )
        village_years = VillageYear.objects.bulk_create(
            [
                VillageYear(village_id=village.code, **_values(item))
                for village in plan.villages
                for item in village.years
            ]
        )
        groups = VillagerGroup.objects.bulk_create(
            [
                VillagerGroup(village_id=village.code, name=name)
                for village in plan.villages
                for name in village.villager_groups
            ]
        )
        group_ids = {(group.village_id, group.name): group.pk for group in groups}
        copy_into(
            cursor,
            model=Household,
            rows=(
                {
                    "number": household.number,
                    "village_id": household.village_code,
                    "villager_group_id": group_ids[(household.village_code, household.villager_group)],
                    "address": household.address,
                    "identification_standard": household.identification_standard,
                    "attribute": household.attribute,
                    "main_cause": household.main_cause,
                    "other_causes": household.other_causes,
                    "stars": household.stars,
                    "relocated": household.relocated,
                    "relocation_mode": household.relocation_mode,
                    "relocation_placement": household.relocation_placement,
                    "relocation_site": household.relocation_site,
                    # The current-status copy the lifecycle services keep: the latest status change written below.
                    "status": household.status_changes()[-1].status,
                    "returned": household.status_changes()[-1].returned,
                }
                for household in plan.households
            ),
        )
        ids = dict(Household.objects.filter(village_id__in=codes).values_list("number", "pk"))
        if len(ids) != len(plan.households):
            raise ValueError("the demo county already had households; delete its register first")
        members = copy_into(
            cursor,
            model=Member,
            rows=(
                {"household_id": ids[household.number], "person_number": member.id_number, **_values(member)}
                for household in plan.households
                for member in household.members
            ),
        )
        records = copy_into(
            cursor,
            model=AnnualRecord,
            rows=(
                {"household_id": ids[household.number], **_values(record)}
                for household in plan.households
                for record in household.records
            ),
        )
        lifecycle = _write_lifecycle(cursor, plan=plan, ids=ids)
        lifecycle["village_exits"] = _record_village_exits(plan)
        last = Counter()
        for household in plan.households:
            last[household.village_code] = max(last[household.village_code], household.sequence)
        # Later entries draw the next number after the demo's.
        HouseholdNumberSequence.objects.bulk_create(
            [HouseholdNumberSequence(village_id=code, last=last[code]) for code in codes],
            update_conflicts=True,
            unique_fields=["village"],
            update_fields=["last"],
        )
    registered = plan.registered_households()
    return {
        "villages": len(plan.villages),
        "village_years": len(village_years),
        "villager_groups": len(groups),
        "households": len(ids),
        "registered_households": len(registered),
        "removed_households": len(ids) - len(registered),
        "members": members,
        "people": plan.people(),
        "annual_records": records,
        **lifecycle,
    }


def ensure_demo_users() -> dict[str, int]:
    """The demo's users (village team, township reviewer, two county officers over the county), made when missing.

    They cannot sign in (unusable passwords); they are the actors of the demo's procedure steps. Returns their ids
    by actor ("village", "township", "county").
    """
    user_model = get_user_model()
    ids = {}
    for actor, (username, role) in DEMO_USERS.items():
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username)
            user.set_unusable_password()
            user.save()
        RoleGrant.objects.get_or_create(user=user, role=role, region_id=DEMO_COUNTY)
        ids[actor] = user.pk
    return ids


# The village exit procedure's days in January after the exit year (贫困村出列): the township's proposal, the county's
# review, the village notice (its first day), the county's announcement after the notice has ended.
_VILLAGE_EXIT_DAYS = {"proposal": 6, "county_review": 13, "notice": 15, "announcement": 27}


def _record_village_exits(plan: CountyPlan) -> int:
    """Each planned village exit through the village exit procedure (lifecycle.services, after the register's history
    is written): the township proposes early in January after the exit year, the county reviews, the village gives
    notice for the standard's days, a second county officer announces. The services evaluate the exit year from the
    register as written and refuse a failing evaluation, so a plan that breaks the rule does not build."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[u for u, _r in DEMO_USERS.values()])}
    township, county, head, village_team = (
        users[DEMO_USERS[actor][0]] for actor in ("township", "county", "county_head", "village")
    )
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for village in plan.villages:
            if not village.exit_year:
                continue
            region = Region.objects.get(code=village.code)
            days = {step: date(village.exit_year + 1, 1, day) for step, day in _VILLAGE_EXIT_DAYS.items()}
            village_exit = lifecycle_services.village_exit_propose(
                user=township, village=region, year=village.exit_year, on=days["proposal"]
            )
            standard = standard_for(year=days["notice"].year, region_code=village.code)
            notice_end = days["notice"] + timedelta(days=max(NOTICE_DAYS, standard.notice_days if standard else 0))
            for step, user, data in (
                ("county_review", county, {}),
                ("notice", village_team, {"start": days["notice"], "end": notice_end}),
                ("announcement", head, {}),
            ):
                on = max(days[step], notice_end) if step == "announcement" else days[step]
                lifecycle_services.village_exit_step(
                    user=user, village_exit=village_exit, step=step, decision=Decision.APPROVE, on=on, data=data
                )
            count += 1
    return count


class _Standards:
    """The policy standard that applies to a village in a year (selectors.standard_for), looked up once each."""

    def __init__(self):
        self.found = {}

    def __call__(self, *, year: int, village: str):
        key = (year, village)
        if key not in self.found:
            self.found[key] = standard_for(year=year, region_code=village)
        return self.found[key]


def exit_evaluation_of(household: PlannedHousehold, *, year: int, standard) -> eligibility.Evaluation:
    """The real engine's exit evaluation (eligibility.evaluate_exit) of a planned household for a year."""
    record = household.record(year)
    return eligibility.evaluate_exit(
        year=year,
        line="poverty",
        record=None if record is None else eligibility.record_facts_of(record=record),
        members=eligibility.members_at_year_end(members=household.members, year=year),
        standard=None if standard is None else eligibility.standard_facts_of(standard=standard),
    )


def village_exit_evaluations(plan: CountyPlan, *, standards=None) -> dict[str, eligibility.Evaluation]:
    """The village exit evaluation (贫困村出列) of every exited village for its exit year, by village code.

    Poor people are counted from the planned status changes (status poor on Dec 31 of the year, members on that
    day), as the register reads them; the figures are the village's year. Reads the policy standards.
    """
    standards = standards or _Standards()
    households = defaultdict(list)
    for household in plan.households:
        households[household.village_code].append(household)
    evaluations = {}
    for village in plan.villages:
        if not village.exit_year:
            continue
        year = village.exit_year
        year_end = date(year, 12, 31)
        poor = sum(
            len(household.active_members(year_end))
            for household in households[village.code]
            if (change := household.status_on(year_end)) is not None and change.status == RegistryStatus.POOR
        )
        standard = standards(year=year, village=village.code)
        evaluations[village.code] = eligibility.evaluate_village_exit(
            year=year,
            village=eligibility.village_year_facts_of(village_year=village.year(year)),
            poor_people=poor,
            standard=None if standard is None else eligibility.standard_facts_of(standard=standard),
        )
    return evaluations


def _write_lifecycle(cursor, *, plan: CountyPlan, ids: dict[str, int]) -> dict:
    """Procedures, their steps and notices, and the status changes of a planned register, by COPY.

    The same shapes as lifecycle.services writes: steps approved in workflow order by the demo users, notices
    of the standard's days, exit evaluations stored as the engine made them (and passing), a status change per
    county approval and per closure. Raises ValueError when the plan breaks a rule the services would enforce.
    """
    users = ensure_demo_users()
    standards = _Standards()
    for household in plan.households:
        for procedure in household.procedures:
            # Looked up here, in this thread and transaction: the evaluations below only read them.
            standards(year=procedure.year, village=household.village_code)
            for step in procedure.steps:
                standard = standards(year=step.on.year, village=household.village_code) if step.is_notice else None
                if standard is not None and (step.notice_end - step.notice_start).days < standard.notice_days:
                    raise ValueError(f"{household.number}: a notice shorter than {standard.notice_days} days")
    with translation.override(settings.LANGUAGE_CODE):
        for code, evaluation in village_exit_evaluations(plan, standards=standards).items():
            if not evaluation.passed:
                failing = "; ".join(check.sentence for check in evaluation.checks if check.name in evaluation.failing)
                raise ValueError(f"village {code}: the exit evaluation fails: {failing}")

    def stored_evaluation(household: PlannedHousehold, procedure: PlannedProcedure) -> dict | None:
        """The exit evaluation as the engine makes it, in the site's language (whatever the caller's); it must pass."""
        if workflow.needs_eligibility(procedure.kind) is None:
            return None
        standard = standards.found[procedure.year, household.village_code]
        with translation.override(settings.LANGUAGE_CODE):
            evaluation = exit_evaluation_of(household, year=procedure.year, standard=standard)
            if not evaluation.passed:
                raise ValueError(f"{household.number}: the {procedure.year} exit fails {evaluation.failing}")
            return evaluation.as_dict()

    procedures = copy_into(
        cursor,
        model=Procedure,
        rows=(
            {
                "household_id": ids[household.number],
                "kind": procedure.kind,
                "state": ProcedureState.APPROVED.value,
                "position": len(procedure.steps),
                "opened_on": procedure.opened_on,
                "decided_on": procedure.decided_on,
                "reason": procedure.reason,
                "evaluation": stored_evaluation(household, procedure),
                # The demo's exits count in the year of their approval (the plan year a county names by default).
                "plan_year": procedure.decided_on.year if workflow.names_plan_year(procedure.kind) else None,
            }
            for household in plan.households
            for procedure in household.procedures
        ),
    )
    # A household has at most one procedure of each kind.
    procedure_ids = {
        (household_id, kind): pk
        for household_id, kind, pk in Procedure.objects.filter(
            household__village_id__in=[village.code for village in plan.villages]
        ).values_list("household_id", "kind", "pk")
    }
    if len(procedure_ids) != procedures:
        raise ValueError("the demo county's households already had procedures")
    steps = copy_into(
        cursor,
        model=ProcedureStep,
        rows=(
            {
                "procedure_id": procedure_ids[ids[household.number], procedure.kind],
                "step": step.step,
                "decision": Decision.APPROVE.value,
                "date": step.on,
                "note": step.note,
                "data": step.data,
                "acted_by_id": users[step.actor],
            }
            for household in plan.households
            for procedure in household.procedures
            for step in procedure.steps
        ),
    )
    notices = copy_into(
        cursor,
        model=Notice,
        rows=(
            {
                "procedure_id": procedure_ids[ids[household.number], procedure.kind],
                "step": step.step,
                "village_id": household.village_code,
                "start": step.notice_start,
                "end": step.notice_end,
            }
            for household in plan.households
            for procedure in household.procedures
            for step in procedure.steps
            if step.is_notice
        ),
    )
    status_changes = copy_into(
        cursor,
        model=StatusChange,
        rows=(
            {
                "household_id": ids[household.number],
                "status": change.status,
                "returned": change.returned,
                "effective_on": change.effective_on,
                "procedure_id": procedure_ids[ids[household.number], change.procedure_kind]
                if change.procedure_kind
                else None,
                "recorded_by_id": users["county"],
            }
            for household in plan.households
            for change in household.status_changes()
        ),
    )
    return {"procedures": procedures, "procedure_steps": steps, "notices": notices, "status_changes": status_changes}


def _values(item) -> dict:
    """A planned row's fields by name (they are named as the model's)."""
    return {name: getattr(item, name) for name in item.__slots__}


def delete_demo_register(*, command: str = "seed_demo") -> dict:
    """Delete the demo county's register, children first (lifecycle, records, members, households, village data).

    Status and monitoring changes are append-only (a trigger refuses deletes); here, and only here, the whole
    county's episodes go with it. The demo users lose their grants over the county, and go when nothing else
    refers to them.
    """
    prefix = region_rules.significant_prefix(DEMO_COUNTY)
    in_county = {"household__village__code__startswith": prefix}
    of_procedures = {"procedure__household__village__code__startswith": prefix}
    deleted = {}
    with transaction.atomic(), pghistory.context(command=command):
        for label, queryset in (
            ("objections", Objection.objects.filter(notice__procedure__household__village__code__startswith=prefix)),
            ("notices", Notice.objects.filter(**of_procedures)),
            ("procedure_steps", ProcedureStep.objects.filter(**of_procedures)),
        ):
            # Only the keys: the deletion collects the rows it deletes, and none of their fields is needed.
            deleted[label] = queryset.only("pk").delete()[0]
        with pgtrigger.ignore("lifecycle.StatusChange:append_only", "lifecycle.MonitoringChange:append_only"):
            deleted["monitoring_changes"] = MonitoringChange.objects.filter(**in_county).delete()[0]
            deleted["status_changes"] = _delete_corrections_first(StatusChange.objects.filter(**in_county))
        for label, queryset in (
            ("procedures", Procedure.objects.filter(**in_county)),
            ("annual_records", AnnualRecord.objects.filter(**in_county)),
            ("members", Member.objects.filter(**in_county)),
            ("households", Household.objects.filter(village__code__startswith=prefix)),
            ("number_sequences", HouseholdNumberSequence.objects.filter(village__code__startswith=prefix)),
            ("villager_groups", VillagerGroup.objects.filter(village__code__startswith=prefix)),
            ("village_exits", VillageExit.objects.filter(village__code__startswith=prefix)),
            ("village_years", VillageYear.objects.filter(village__code__startswith=prefix)),
            ("village_profiles", VillageProfile.objects.filter(village__code__startswith=prefix)),
        ):
            deleted[label] = queryset.only("pk").delete()[0]
        deleted["demo_users"] = _delete_demo_users(prefix=prefix)
    return deleted


def _delete_corrections_first(queryset) -> int:
    """Delete status changes, those no other row corrects first (a correction PROTECTs the row it corrects)."""
    count = 0
    while queryset.exists():
        removed = queryset.filter(corrections__isnull=True).only("pk").delete()[0]
        if not removed:
            raise ValueError("status changes correct one another in a cycle")
        count += removed
    return count


def _delete_demo_users(*, prefix: str) -> int:
    """Remove the demo users' grants over the county (they protect its regions), then the users as the builder made
    them (no other grant, no password) if nothing refers to them any more; returns how many users went."""
    usernames = [username for username, _role in DEMO_USERS.values()]
    RoleGrant.objects.filter(user__username__in=usernames, region__code__startswith=prefix).delete()
    users = get_user_model().objects.filter(username__in=usernames).exclude(role_grants__isnull=False)
    count = 0
    for user in users:
        if user.has_usable_password():
            continue  # someone gave it a password to sign in with: keep it (the next build grants it again)
        try:
            with transaction.atomic():
                user.delete()
            count += 1
        except ProtectedError:
            pass  # it acted or read data elsewhere: keep the user, without the grants
    return count
