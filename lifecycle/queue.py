"""The lifecycle's part of the work queue 待办 (`/`, core): what waits for this user, in a fixed number of queries.

Registered in LifecycleConfig.ready() as a `work_queue` panel (core.panels): steps due by me (by procedure kind
and step, the oldest first), notices ending and objections to resolve, monitored households due for a risk
review, and the current year's annual records still missing. Each count is one query whatever the rows
(window functions give the total and the first few lines together).
"""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, minimal_prefixes
from core.scope import is_unrestricted, user_grants
from households.choices import MonitoringStatus, RegistryStatus
from households.models import AnnualRecord, Household
from households.selectors import head_name
from lifecycle import pages, workflow
from lifecycle.choices import ProcedureKind, ProcedureState, Step, VillageStep
from lifecycle.models import MonitoringChange, Notice, Objection, Procedure, ProcedureStep, VillageExit

SHOWN = 5  # lines shown under each count; the rest through the link
NOTICE_ENDING_DAYS = 3
# A monitoring object is reviewed for risk elimination after half a year of monitoring (监测满半年).
REVIEW_AFTER = datetime.timedelta(days=182)


# Whose work a step is (the county office may take a village step too, but it does not wait for it).
STEP_ROLES = {
    Step.TOWNSHIP_REVIEW: Role.TOWNSHIP_REVIEWER,
    Step.SECOND_NOTICE: Role.TOWNSHIP_REVIEWER,
    Step.COUNTY_APPROVAL: Role.COUNTY_OFFICER,
}


# Whose work each village exit step is (贫困村出列): the township proposes, the county reviews and announces, the village
# team gives notice (the county office may, but does not wait for it).
VILLAGE_STEP_ROLES = {
    VillageStep.PROPOSAL: Role.TOWNSHIP_REVIEWER,
    VillageStep.COUNTY_REVIEW: Role.COUNTY_OFFICER,
    VillageStep.NOTICE: Role.VILLAGE_TEAM,
    VillageStep.ANNOUNCEMENT: Role.COUNTY_OFFICER,
}


def step_role(step: str) -> str:
    return STEP_ROLES.get(step, Role.VILLAGE_TEAM)


def _role_q(user, role: str, field: str) -> Q | None:
    """Rows in the regions where the user holds this role (a superuser: everywhere); None when nowhere."""
    if is_unrestricted(user):
        return Q()
    prefixes = minimal_prefixes(prefix for held, prefix in user_grants(user) if held == role)
    if not prefixes:
        return None
    return reduce(or_, (Q(**{f"{field}__startswith": prefix}) for prefix in prefixes))


def _due_q(user) -> Q | None:
    """Open procedures whose next step is this user's work, where they hold the role for it."""
    parts = []
    for kind, steps in workflow.STEPS.items():
        for position, step in enumerate(steps):
            region = _role_q(user, step_role(step), "household__village__code")
            if region is not None:
                parts.append(Q(kind=kind, position=position) & region)
    return reduce(or_, parts) if parts else None


def steps_due(user, today: datetime.date) -> list[dict]:
    """Lines "民主评议 · 贫困识别: 3", each with its oldest procedures (one query)."""
    due = _due_q(user)
    if due is None:
        return []
    made_by_me = ProcedureStep.objects.filter(
        procedure=OuterRef("pk"), acted_by=user, step__in=workflow.MAKER_STEPS
    )
    checker = reduce(or_, (
        Q(kind=kind, position=steps.index(step)) for kind, steps in workflow.STEPS.items()
        for step in workflow.CHECKER_STEPS if step in steps
    ))  # fmt: skip
    notice_running = Notice.objects.filter(procedure=OuterRef("pk"), end__gt=today)
    partition = [F("kind"), F("position")]
    rows = (
        Procedure.objects.filter(state=ProcedureState.OPEN)
        .filter(due)
        .exclude(Exists(notice_running))
        .exclude(checker & Q(Exists(made_by_me)))  # maker-checker: not theirs to approve
        .annotate(
            rank=Window(RowNumber(), partition_by=partition, order_by=[F("opened_on").asc(), F("id").asc()]),
            total=Window(Count("id"), partition_by=partition),
            head_name=head_name("household_id"),
        )
        .filter(rank__lte=SHOWN)
        .select_related("household__village")
        .order_by("kind", "position", "rank")
    )
    lines: dict[tuple, dict] = {}
    for procedure in rows:
        step = workflow.next_step(procedure.kind, procedure.position)
        line = lines.setdefault((procedure.kind, procedure.position), {
            "label": _("%(step)s · %(kind)s") % {"step": pages.step_label(step), "kind": ProcedureKind(procedure.kind).label},
            "count": procedure.total,
            "since": procedure.opened_on,
            "url": "/reviews/" if step in workflow.CHECKER_STEPS else None,
            "entries": [],
            "step": step,
        })  # fmt: skip
        line["entries"].append({
            "url": reverse("procedure", args=[procedure.pk]),
            "text": f"{procedure.household.village.name} {procedure.head_name or '—'}（{procedure.household.number}）",
            "since": procedure.opened_on,
        })  # fmt: skip
    return list(lines.values())


def _notice_q(user, field: str, step_field: str) -> Q | None:
    """Notices (or their objections) this user runs: the village's notices, or the township's 乡镇公示."""
    parts = []
    for step in sorted(workflow.NOTICE_STEPS):
        region = _role_q(user, step_role(step), field)
        if region is not None:
            parts.append(Q(**{step_field: step}) & region)
    return reduce(or_, parts) if parts else None


def notices_ending(user, today: datetime.date) -> dict | None:
    scope = _notice_q(user, "village__code", "step")
    if scope is None:
        return None
    count = (
        Notice.objects.filter(scope, procedure__state=ProcedureState.OPEN, start__lte=today)
        .filter(end__gte=today, end__lte=today + datetime.timedelta(days=NOTICE_ENDING_DAYS))
        .count()
    )
    return {"label": _("%(days)s 天内结束的公示") % {"days": NOTICE_ENDING_DAYS}, "count": count, "url": reverse("notices")}


def objections_open(user) -> dict | None:
    scope = _notice_q(user, "notice__village__code", "notice__step")
    if scope is None:
        return None
    rows = list(
        Objection.objects.filter(scope, outcome="", notice__procedure__state=ProcedureState.OPEN)
        .annotate(total=Window(Count("id")))
        .select_related("notice")
        .order_by("lodged_on", "id")[:SHOWN]
    )
    return {
        "label": _("待处理的异议"),
        "count": rows[0].total if rows else 0,
        "url": reverse("notices"),
        "entries": [
            {"url": reverse("procedure", args=[o.notice.procedure_id]), "text": f"{o.lodged_by}：{o.content[:30]}", "since": o.lodged_on}
            for o in rows
        ],
    }


def risk_reviews(user, today: datetime.date) -> dict | None:
    """Monitored households for half a year or more, with no procedure open: review them for risk elimination."""
    scope = _role_q(user, Role.VILLAGE_TEAM, "village__code")
    if scope is None:
        return None
    included = MonitoringChange.objects.filter(
        household=OuterRef("pk"), status=MonitoringStatus.MONITORED, effective_on__gt=today - REVIEW_AFTER
    )
    open_procedures = Procedure.objects.filter(household=OuterRef("pk"), state=ProcedureState.OPEN)
    rows = list(
        Household.objects.filter(scope, monitoring_status=MonitoringStatus.MONITORED)
        .exclude(Exists(included))
        .exclude(Exists(open_procedures))
        .annotate(total=Window(Count("id")), head_name=head_name())
        .select_related("village")
        .order_by("village_id", "number")[:SHOWN]
    )
    new = reverse("procedure-new", args=[0]).replace("/0/", "/%s/")
    return {
        "label": _("监测满半年、待风险评估的监测对象"),
        "count": rows[0].total if rows else 0,
        "url": None,
        "entries": [
            {"url": (new % h.pk) + f"?kind={ProcedureKind.RISK_ELIMINATION}",
             "text": f"{h.village.name} {h.head_name or '—'}（{h.number}）", "since": None}
            for h in rows
        ],  # fmt: skip
    }


def missing_records(user, today: datetime.date) -> dict | None:
    """Registered (未脱贫、已脱贫) and monitored households without this year's annual record 年度信息."""
    scope = _role_q(user, Role.VILLAGE_TEAM, "village__code")
    if scope is None:
        return None
    year = today.year
    recorded = AnnualRecord.objects.filter(household=OuterRef("pk"), year=year)
    rows = list(
        Household.objects.filter(scope)
        .filter(Q(status__in=(RegistryStatus.POOR, RegistryStatus.EXITED)) | Q(monitoring_status=MonitoringStatus.MONITORED))
        .exclude(Exists(recorded))
        .annotate(total=Window(Count("id")), head_name=head_name())
        .select_related("village")
        .order_by("village_id", "number")[:SHOWN]
    )
    return {
        "label": _("%(year)s 年度信息未录入的户") % {"year": year},
        "count": rows[0].total if rows else 0,
        "url": None,
        "entries": [
            {"url": f"/households/{h.pk}/records/{year}/", "text": f"{h.village.name} {h.head_name or '—'}（{h.number}）",
             "since": None}
            for h in rows
        ],  # fmt: skip
    }


def village_exits_due(user, today: datetime.date) -> dict | None:
    """Open village exits whose next step is this user's work, the announcement once the notice has ended; each line
    opens the village page at its procedure (one query). None when there is none."""
    parts = []
    for position, step in enumerate(workflow.VILLAGE_EXIT_STEPS):
        region = _role_q(user, VILLAGE_STEP_ROLES[step], "village__code")
        if region is not None:
            parts.append(Q(position=position) & region)
    if not parts:
        return None
    announcement = workflow.VILLAGE_EXIT_STEPS.index(VillageStep.ANNOUNCEMENT)
    rows = list(
        VillageExit.objects.filter(reduce(or_, parts), state=ProcedureState.OPEN)
        .exclude(position=announcement, notice_end__gt=today)  # still in its village notice
        .annotate(total=Window(Count("id")))
        .select_related("village")
        .order_by("opened_on", "id")[:SHOWN]
    )
    if not rows:
        return None
    return {
        "label": _("贫困村出列待办"),
        "count": rows[0].total,
        "url": None,
        "entries": [
            {"url": reverse("village", args=[e.village_id]) + "#village-exit",
             "text": f"{e.village.name} · {VillageStep(workflow.next_village_step(e.position)).label}", "since": e.opened_on}
            for e in rows
        ],  # fmt: skip
    }


def work_queue_panel(request, **context):
    """The lifecycle's lines of the work queue; None for a user with no part in procedures."""
    user, today = request.user, timezone.localdate()
    steps = steps_due(user, today)
    others = [line for line in (
        village_exits_due(user, today), notices_ending(user, today), objections_open(user), risk_reviews(user, today),
        missing_records(user, today),
    ) if line is not None]  # fmt: skip
    if not steps and not others and _due_q(user) is None:
        return None
    return {"template": "lifecycle/queue_panel.html", "title": _("程序与公示"), "steps": steps, "lines": others}
