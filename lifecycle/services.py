"""Services of the lifecycle (动态管理): procedures, their steps, notices and objections, status changes.

The same rules as the register's services (households.services) hold: every write here, atomic, the
procedure row locked while a step is taken (two reviewers approving at once: one approval, one
409), stable error codes (transition_not_allowed, notice_not_ended, objection_open,
eligibility_failed, same_user_not_allowed).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import regions as region_rules
from core.errors import DomainError
from core.roles import Capability
from core.scope import has_capability
from households.choices import REGISTERED_STATUSES, RegistryStatus
from households.models import Household, Member
from households.selectors import standard_for
from lifecycle import hooks, workflow
from lifecycle.choices import (
    AlertSource,
    Decision,
    MonitoringType,
    ProcedureKind,
    ProcedureState,
    RemovalReason,
    Step,
    VillageStep,
)
from lifecycle.models import (
    MonitoringChange,
    Notice,
    Objection,
    Procedure,
    ProcedureStep,
    PublishedYear,
    StatusChange,
    VillageExit,
    VillageExitObjection,
    VillageExitStep,
)
from lifecycle.selectors import (
    entry_evaluation,
    exit_evaluation,
    monitoring_inclusion_evaluation,
    village_exit_check,
)
from villages.choices import PovertyVillageStatus
from villages.models import Region, VillageProfile


def _today() -> datetime.date:
    return timezone.localdate()


def _invalid(field: str, message) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code="invalid")]})


def _require(user, step: str, household: Household) -> None:
    capabilities = workflow.step_capabilities(step)
    if not any(has_capability(user, capability, household.village_id) for capability in capabilities):
        raise DomainError(
            "permission_denied",
            _("您的角色不能办理“%(step)s”这一步") % {"step": Step(step).label},
            status=403,
        )


def _check_date(on: datetime.date, *, after: datetime.date | None = None) -> None:
    if on > _today():
        raise _invalid("date", _("日期不能晚于今天"))
    if after is not None and on < after:
        raise _invalid("date", _("日期不能早于上一步（%(date)s）") % {"date": after.isoformat()})


def _refuse_published(household: Household, *years: int) -> None:
    """A step dated into a year whose report the county has published is refused (workflows.md): the published
    figures stay put. A wrong status is put right by a correction (status_correct), which this does not refuse."""
    published = (
        PublishedYear.objects.filter(region_id__in=region_rules.region_and_ancestor_codes(household.village_id))
        .filter(year__in=set(years))
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )
    if published is not None:
        raise DomainError(
            "year_published",
            _("%(year)s 年度报告已发布，不能再办理该年度的程序步骤；状态有误须由县级更正") % {"year": published},
        )


def _refuse_members_remaining(household: Household, on: datetime.date) -> None:
    """自然销户 only for a household none of whose members is left on the day."""
    remaining = Member.objects.active_on(on).filter(household=household).count()
    if remaining:
        raise DomainError(
            "members_remaining",
            _("该户在 %(date)s 仍有 %(count)s 名在册成员，不能自然销户") % {"date": on.isoformat(), "count": remaining},
        )


def _plan_year(value, on: datetime.date) -> int:
    """The plan year an exit's county approval counts in: the approval's year, or the year before (a January
    approval closing the previous year's plan)."""
    if value is None or value == "":
        return on.year
    if not isinstance(value, int) or isinstance(value, bool) or value not in (on.year - 1, on.year):
        raise _invalid("plan_year", _("计划年度须为审定日期所在年度或上一年度（%(years)s）") % {
            "years": f"{on.year - 1}、{on.year}"})  # fmt: skip
    return value


def _a_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _step_data(step: str, data: dict, *, household: Household, on: datetime.date) -> dict:
    """Validate and keep the data a step needs (appraisal votes, notice dates, consent, alert source)."""
    data = dict(data or {})
    if step == Step.APPRAISAL:
        _appraisal_data(data)
    if step in workflow.NOTICE_STEPS:
        start, end = data.get("start"), data.get("end")
        if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
            raise _invalid("start", _("公示须填写开始和结束日期"))
        standard = _standard(household=household, year=start.year)
        days = standard.notice_days if standard else 7
        if start < on:
            raise _invalid("start", _("公示开始不能早于本步日期"))
        if start > _a_year_after(on):
            # A notice is posted for the villagers now, not a year ahead (and a day near 9999 would overflow).
            raise ValidationError({"start": [ValidationError(
                _("公示开始不能晚于本步日期后一年（%(date)s）") % {"date": _a_year_after(on).isoformat()},
                code="notice_too_late",
            )]})  # fmt: skip
        if (end - start).days < days:
            raise _invalid(
                "end", _("公示期不少于 %(days)s 天：结束日期最早为 %(date)s") % {
                    "days": days, "date": (start + datetime.timedelta(days=days)).isoformat()}
            )
        data["start"], data["end"] = start.isoformat(), end.isoformat()
    return data


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _appraisal_data(data: dict) -> None:
    """An approving appraisal (民主评议): the votes, how many took part, and a majority of the votes cast.

    `participants` defaults to the votes cast (everyone who took part voted); votes cannot exceed it.
    """
    for field in ("votes_for", "votes_against"):
        if not _count(data.get(field)):
            raise _invalid(field, _("民主评议须填写赞成票和反对票（非负整数）"))
    cast = data["votes_for"] + data["votes_against"]
    data.setdefault("participants", cast)
    if not _count(data["participants"]):
        raise _invalid("participants", _("参加评议人数须为非负整数"))
    if cast > data["participants"]:
        raise _invalid("participants", _("赞成票与反对票之和不能多于参加评议人数"))
    if not workflow.appraisal_approves(**{k: data[k] for k in ("votes_for", "votes_against", "participants")}):
        raise _invalid("votes_for", _("赞成票未过半数，民主评议不能通过（应以不通过记录）"))


def _standard(*, household: Household, year: int):
    """The policy standard row the household is measured against in a year (its identification standard's)."""
    return standard_for(year=year, region_code=household.village_id, kind=household.identification_standard)


def _evaluate(*, household: Household, kind: str, year: int, reason: str, evaluation=None) -> dict | None:
    """The eligibility evaluation a decision is taken on, stored with it; eligibility_failed when it fails.

    Exit and risk elimination: every check must pass. Identification and return: the year's income at or below
    the poverty line; a household above it needs a recorded reason (a missing record is left to the reviewers).
    """
    line = workflow.needs_eligibility(kind)
    if line is not None:
        evaluation = evaluation or household_evaluation(household=household, year=year, line=line)
        refused = not evaluation.passed
    elif kind in workflow.ENTRY_KINDS:
        evaluation = entry_evaluation(household=household, year=year, kind=kind)
        refused = evaluation.check("income").result == "fail" and not (reason or "").strip()
    else:
        return None
    stored = evaluation.as_dict()
    if refused:
        message = _("退出评估未通过：%(checks)s") if line else _("收入高于贫困线，须说明原因（reason）：%(checks)s")
        raise DomainError(
            "eligibility_failed", message % {"checks": "、".join(evaluation.failing)}, errors={"eligibility": stored["checks"]}
        )
    return stored


# Opening a procedure -------------------------------------------------------------------------


def procedure_open(*, user, household: Household, kind: str, **kwargs) -> Procedure:
    """Start a procedure with its first step (application, alert or proposal) taken by the caller.

    The caller's role is checked first: the step guards (lifecycle.hooks; the checks' finding gate) run the
    register rules, which write runs and findings, and a refused request writes nothing. Then the guards run:
    the finding gate refuses while an error-level finding is open.
    """
    _require(user, workflow.next_step(kind, 0), household)
    hooks.run_step_guards(household=household, kind=kind, user=user)
    return _procedure_open(user=user, household=household, kind=kind, **kwargs)


@transaction.atomic
def _procedure_open(
    *,
    user,
    household: Household,
    kind: str,
    on: datetime.date,
    note: str = "",
    reason: str = "",
    monitoring_type: str = "",
    data: dict | None = None,
    year: int | None = None,
    evaluation=None,
) -> Procedure:
    household = Household.objects.select_for_update().get(pk=household.pk)
    first = workflow.next_step(kind, 0)
    _require(user, first, household)
    if not workflow.may_start(kind=kind, status=household.status, monitoring_status=household.monitoring_status):
        raise DomainError(
            "transition_not_allowed",
            _("该户当前状态（%(status)s）不能发起“%(kind)s”程序") % {
                "status": household.get_status_display() or _("未识别"), "kind": ProcedureKind(kind).label},
        )
    if Procedure.objects.filter(household=household, state=ProcedureState.OPEN).exists():
        raise DomainError("transition_not_allowed", _("该户已有办理中的程序，须先办结"))
    if not workflow.open_in_year(kind, max(on.year, year or on.year)):
        raise DomainError(
            "transition_not_allowed",
            _("%(year)s 年以后不再办理识别和返贫，请纳入防返贫监测") % {"year": workflow.LAST_ENTRY_YEAR},
        )
    latest = StatusChange.objects.filter(household=household).order_by("-effective_on", "-id").first()
    _check_date(on, after=latest.effective_on if latest else None)
    _refuse_published(household, on.year)
    if workflow.proposal_needs_no_members(kind):
        _refuse_members_remaining(household, on)
    if kind == ProcedureKind.REMOVAL and reason not in RemovalReason.values:
        raise _invalid("reason", _("清退须选择原因：%(choices)s") % {"choices": "、".join(RemovalReason.values)})
    if kind == ProcedureKind.MONITORING:
        if monitoring_type not in MonitoringType.values:
            raise _invalid("monitoring_type", _("纳入监测须选择监测对象类型"))
        if not workflow.monitoring_type_allowed(monitoring_type=monitoring_type, status=household.status):
            raise DomainError(
                "monitoring_type_not_allowed",
                _("“%(type)s”不适用于当前状态为“%(status)s”的户：脱贫不稳定户须为已脱贫户，边缘易致贫户须为未建档或已清退的户")
                % {"type": MonitoringType(monitoring_type).label, "status": household.get_status_display() or _("未识别")},
            )
        if (data or {}).get("source") not in AlertSource.values:
            raise _invalid("source", _("预警须注明来源：%(choices)s") % {"choices": "、".join(AlertSource.values)})
    if kind == ProcedureKind.RETURN and not (note or reason):
        raise _invalid("reason", _("返贫须说明原因"))
    if workflow.reidentifies(kind, household.status) and not (reason or "").strip():
        raise _invalid("reason", _("清退户再次识别须说明情况变化的原因"))
    stored = _evaluate(household=household, kind=kind, year=year or on.year, reason=reason, evaluation=evaluation)
    if kind == ProcedureKind.MONITORING:
        # The inclusion test (income or rigid expenses against the monitoring line) is stored for the reviewers,
        # not enforced at the alert: a sudden hardship is often alerted before the year's record exists.
        stored = monitoring_inclusion_evaluation(household=household, year=year or on.year).as_dict()
    procedure = Procedure(
        household=household, kind=kind, opened_on=on, reason=reason, monitoring_type=monitoring_type, evaluation=stored,
        position=1,
    )  # fmt: skip
    try:
        with transaction.atomic():
            procedure.save()
    except IntegrityError as exc:  # another procedure opened a moment ago
        raise DomainError("transition_not_allowed", _("该户已有办理中的程序，须先办结")) from exc
    ProcedureStep.objects.create(
        procedure=procedure, step=first, decision=Decision.APPROVE, date=on, note=note, data=dict(data or {}),
        acted_by=user,
    )  # fmt: skip
    if kind == ProcedureKind.IDENTIFICATION:
        household.status = RegistryStatus.CANDIDATE
        household.save(update_fields=["status", "updated_at", "version"])
    return procedure


def household_evaluation(*, household: Household, year: int, line: str = "poverty"):
    """The exit (or risk-elimination) evaluation of a household for a year, from its stored facts."""
    return exit_evaluation(household=household, year=year, line=line)


# Steps -----------------------------------------------------------------------------------------


def procedure_step(*, user, procedure: Procedure, **kwargs) -> ProcedureStep:
    """Take the next step of a procedure (办理程序步骤); a county approval writes the status change.

    The caller's role for the step is checked first (a refused request writes no rule run); then the step
    guards run (lifecycle.hooks): the checks' finding gate refuses while an error-level finding is open.
    """
    current = Procedure.objects.select_related("household").get(pk=procedure.pk)
    step = kwargs.get("step")
    if step in Step.values:  # an unknown step is refused below, after the lock (transition_not_allowed)
        _require(user, step, current.household)
    if current.state == ProcedureState.OPEN:
        hooks.run_step_guards(household=current.household, kind=current.kind, user=user)
    return _procedure_step(user=user, procedure=procedure, **kwargs)


@transaction.atomic
def _procedure_step(
    *, user, procedure: Procedure, step: str, decision: str, on: datetime.date, note: str = "", data: dict | None = None
) -> ProcedureStep:
    procedure = Procedure.objects.select_for_update().select_related("household").get(pk=procedure.pk)
    household = procedure.household
    if procedure.state != ProcedureState.OPEN:
        raise DomainError("transition_not_allowed", _("程序已办结（%(state)s）") % {"state": procedure.get_state_display()})
    expected = workflow.next_step(procedure.kind, procedure.position)
    if step != expected:
        raise DomainError(
            "transition_not_allowed",
            _("下一步应为“%(expected)s”，不是“%(step)s”") % {
                "expected": Step(expected).label if expected else "—", "step": Step(step).label if step in Step.values else step},
        )
    if decision not in Decision.values:
        raise _invalid("decision", _("决定须为 approve 或 reject"))
    _require(user, step, household)
    steps = list(procedure.steps.order_by("id"))
    if step in workflow.CHECKER_STEPS:
        makers = {s.acted_by_id for s in steps if s.step in workflow.MAKER_STEPS}
        if user.pk in makers:
            raise DomainError("same_user_not_allowed", _("提出或核实本程序的人员不能审核或审定本程序"))
    _check_date(on, after=steps[-1].date if steps else procedure.opened_on)
    last_notice = procedure.notices.order_by("-id").first()
    if last_notice is not None and steps and steps[-1].step in workflow.NOTICE_STEPS:
        if on < last_notice.end:
            raise DomainError(
                "notice_not_ended", _("公示至 %(end)s 结束，结束前不能办理下一步") % {"end": last_notice.end.isoformat()}
            )
        open_objections = list(last_notice.objections.filter(outcome=""))
        # An objection left past its handling deadline lets the procedure be ended (rejected), nothing else.
        if open_objections and not (
            decision == Decision.REJECT and all(on > _objection_deadline(item, household) for item in open_objections)
        ):
            raise DomainError("objection_open", _("公示期间的异议尚未处理完毕"))
    if decision == Decision.APPROVE and _reevaluates(procedure, step):
        evaluated = (procedure.evaluation or {}).get("year") or on.year
        stored = _evaluate(household=household, kind=procedure.kind, year=evaluated, reason=procedure.reason)
        if stored is not None:
            procedure.evaluation = stored
    data = _step_data(step, data or {}, household=household, on=on) if decision == Decision.APPROVE else dict(data or {})
    years = [on.year]
    if step == Step.COUNTY_APPROVAL and decision == Decision.APPROVE and workflow.names_plan_year(procedure.kind):
        data["plan_year"] = procedure.plan_year = _plan_year(data.get("plan_year"), on)
        years.append(procedure.plan_year)
    elif "plan_year" in data:
        raise _invalid("plan_year", _("只有脱贫退出的县级审定可以指定计划年度"))
    _refuse_published(household, *years)
    if step == Step.COUNTY_APPROVAL and decision == Decision.APPROVE and workflow.proposal_needs_no_members(procedure.kind):
        _refuse_members_remaining(household, on)  # a member may have been entered since the proposal
    taken = ProcedureStep.objects.create(
        procedure=procedure, step=step, decision=decision, date=on, note=note, data=data, acted_by=user
    )
    if decision == Decision.REJECT:
        procedure.state = ProcedureState.REJECTED
        procedure.decided_on = on
        procedure.rejection = note
        procedure.save()
        if procedure.kind == ProcedureKind.IDENTIFICATION:
            status_record(user=user, household=household, status=RegistryStatus.REJECTED, on=on, procedure=procedure)
        return taken
    procedure.position += 1
    if step in workflow.NOTICE_STEPS:
        Notice.objects.create(
            procedure=procedure,
            step=step,
            village_id=household.village_id,
            start=datetime.date.fromisoformat(data["start"]),
            end=datetime.date.fromisoformat(data["end"]),
        )
    if step == Step.COUNTY_APPROVAL:
        procedure.state = ProcedureState.APPROVED
        procedure.decided_on = on
        track, status, returned = workflow.outcome(procedure.kind)
        if track == "registry":
            status_record(user=user, household=household, status=status, on=on, procedure=procedure, returned=returned)
        else:
            monitoring_record(household=household, status=status, on=on, procedure=procedure)
    procedure.save()
    return taken


def _reevaluates(procedure: Procedure, step: str) -> bool:
    """Eligibility is checked when it is decided: at township review and county approval, and at the verification
    that follows an upheld objection."""
    if step in workflow.DECISION_STEPS:
        return True
    return step == Step.VERIFICATION and Objection.objects.filter(notice__procedure=procedure, outcome="upheld").exists()


# Notices and objections ------------------------------------------------------------------------


@transaction.atomic
def objection_lodge(*, user, notice: Notice, lodged_on: datetime.date, lodged_by: str, content: str) -> Objection:
    """Record an objection (异议) raised during a notice."""
    notice = Notice.objects.select_for_update().select_related("procedure__household").get(pk=notice.pk)
    # Recorded by whoever runs the notice: the township for its second notice 乡镇公示, the village for the others.
    _require(user, notice.step, notice.procedure.household)
    if notice.procedure.state != ProcedureState.OPEN:
        raise DomainError("transition_not_allowed", _("程序已办结，不能再提出异议"))
    if not notice.start <= lodged_on <= notice.end:
        raise _invalid("lodged_on", _("异议须在公示期内（%(start)s 至 %(end)s）提出") % {
            "start": notice.start.isoformat(), "end": notice.end.isoformat()})
    if not (lodged_by or "").strip() or not (content or "").strip():
        raise _invalid("content", _("须填写提出人和异议内容"))
    objection = Objection(
        notice=notice, lodged_on=lodged_on, lodged_by=lodged_by.strip(), content=content.strip(), recorded_by=user
    )
    objection.full_clean(exclude=["notice", "recorded_by"])  # free text (core.validators); the rows are known
    objection.save()
    return objection


def _objection_deadline(objection: Objection, household: Household) -> datetime.date:
    """The last day to resolve an objection: its lodging day plus the standard's objection days (异议处理天数)."""
    standard = _standard(household=household, year=objection.lodged_on.year)
    days = standard.objection_days if standard else 7
    return objection.lodged_on + datetime.timedelta(days=days)


@transaction.atomic
def objection_resolve(*, user, objection: Objection, outcome: str, on: datetime.date, resolution: str) -> Objection:
    """Resolve an objection: upheld sends the procedure back to verification, dismissed lets it go on."""
    objection = Objection.objects.select_for_update().select_related("notice__procedure__household").get(pk=objection.pk)
    procedure = Procedure.objects.select_for_update().get(pk=objection.notice.procedure_id)
    _require(user, objection.notice.step, procedure.household)
    if objection.outcome:
        raise DomainError("transition_not_allowed", _("该异议已处理"))
    if outcome not in ("upheld", "dismissed"):
        raise _invalid("outcome", _("处理结果须为 upheld 或 dismissed"))
    _check_date(on, after=objection.lodged_on)
    deadline = _objection_deadline(objection, procedure.household)
    if on > deadline:
        raise DomainError(
            "objection_overdue",
            _("异议须在 %(date)s 前处理完毕；逾期的程序只能不通过") % {"date": deadline.isoformat()},
        )
    if not (resolution or "").strip():
        raise _invalid("resolution", _("须填写处理说明"))
    objection.outcome, objection.resolved_on, objection.resolution, objection.resolved_by = outcome, on, resolution, user
    objection.full_clean(exclude=["notice", "recorded_by", "resolved_by"])
    objection.save()
    if outcome == "upheld" and procedure.state == ProcedureState.OPEN:
        procedure.position = workflow.STEPS[procedure.kind].index(Step.VERIFICATION)
        procedure.save(update_fields=["position", "updated_at", "version"])
    return objection


# Status changes --------------------------------------------------------------------------------


def _refresh_current(household: Household) -> None:
    latest = StatusChange.objects.filter(household=household).order_by("-effective_on", "-id").first()
    household.status = latest.status if latest else ""
    household.returned = bool(latest and latest.returned)
    household.save(update_fields=["status", "returned", "updated_at", "version"])


def status_record(
    *, user, household: Household, status: str, on: datetime.date, procedure=None, returned=False, corrects=None,
    reason: str = "",
) -> StatusChange:
    """Write a dated status change (an episode) and bring the household's current status up to date."""
    if status in REGISTERED_STATUSES and not (household.attribute and household.main_cause):
        # household_registered_has_attribute_and_cause: say which facts are missing instead of a database error.
        raise ValidationError({"attribute": [ValidationError(
            _("建档立卡须先填写贫困户属性和主要致贫原因"), code="attribute_required")]})  # fmt: skip
    change = StatusChange.objects.create(
        household=household, status=status, returned=returned, effective_on=on, procedure=procedure, corrects=corrects,
        recorded_by=user if getattr(user, "pk", None) else None, reason=reason,
    )  # fmt: skip
    _refresh_current(household)
    return change


def monitoring_record(*, household: Household, status: str, on: datetime.date, procedure) -> MonitoringChange:
    monitoring_type = procedure.monitoring_type or (
        MonitoringChange.objects.filter(household=household).order_by("-effective_on", "-id").values_list(
            "monitoring_type", flat=True).first() or MonitoringType.MARGINAL
    )  # fmt: skip
    change = MonitoringChange.objects.create(
        household=household, monitoring_type=monitoring_type, status=status, effective_on=on, procedure=procedure
    )
    household.monitoring_status = status
    household.save(update_fields=["monitoring_status", "updated_at", "version"])
    return change


# The statuses a correction may set: every decided one (`candidate` is only the cache of an open identification).
CORRECTABLE = frozenset(RegistryStatus.values) - {RegistryStatus.CANDIDATE}


@transaction.atomic
def status_correct(*, user, change: StatusChange, status: str, reason: str, returned: bool = False) -> StatusChange:
    """Correct a wrongly recorded status change (更正) by a county officer: a new row naming the wrong one.

    The correction takes the wrong row's effective date, so the register as of any day reads it in the wrong
    row's place (of two changes on a day the later recorded wins); the wrong row stays, and the history keeps
    who corrected it and why. Not refused in a published year: a correction is how a published year is put right.
    """
    household = Household.objects.select_for_update().get(pk=change.household_id)
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION, household.village_id):
        raise DomainError("permission_denied", _("只有县扶贫办可以更正状态"), status=403)
    change = StatusChange.objects.get(pk=change.pk)
    if change.corrections.exists():
        raise DomainError("already_corrected", _("该状态变更已更正过，请更正最新的更正记录"))
    if Procedure.objects.filter(household=household, state=ProcedureState.OPEN).exists():
        raise DomainError("transition_not_allowed", _("该户已有办理中的程序，须先办结"))
    if status not in CORRECTABLE:
        raise _invalid("status", _("状态无效：%(choices)s") % {"choices": "、".join(sorted(CORRECTABLE))})
    if returned and status != RegistryStatus.POOR:
        raise _invalid("returned", _("只有未脱贫户可以标记返贫"))
    if (status, bool(returned)) == (change.status, change.returned):
        raise _invalid("status", _("更正后的状态与原记录相同"))
    if not (reason or "").strip():
        raise _invalid("reason", _("须填写更正原因"))
    return status_record(
        user=user, household=household, status=status, returned=bool(returned), on=change.effective_on,
        procedure=change.procedure, corrects=change, reason=reason.strip(),
    )  # fmt: skip


# Published years (年度报告发布) -------------------------------------------------------------------


@transaction.atomic
def year_publish(*, user, region: Region, year: int) -> PublishedYear:
    """The county publishes its year-end report (发布年度报告): from then on steps dated into the year are refused."""
    if region.level != region_rules.RegionLevel.COUNTY:
        raise _invalid("region", _("年度报告由县发布"))
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION, region.code):
        raise DomainError("permission_denied", _("只有县扶贫办可以发布年度报告"), status=403)
    today = _today()
    if year >= today.year:
        raise DomainError("year_not_ended", _("%(year)s 年度尚未结束，不能发布") % {"year": year})
    if PublishedYear.objects.filter(region=region, year=year).exists():
        raise DomainError("year_published", _("%(year)s 年度报告已发布") % {"year": year})
    return PublishedYear.objects.create(region=region, year=year, published_on=today, published_by=user)


# Village exit (贫困村出列) ------------------------------------------------------------------------
# A procedure of its own (workflows.md, Village exit): the township proposes with the evaluation, the county reviews,
# the village gives notice with objections, the county announces. The evaluation must pass at the proposal, the
# review and the announcement, and the one the latest decision was taken on is stored with the procedure.


def _require_village(user, step: str, village: Region) -> None:
    if not any(has_capability(user, capability, village.code) for capability in workflow.village_step_capabilities(step)):
        raise DomainError(
            "permission_denied",
            _("您的角色不能办理贫困村出列的“%(step)s”这一步") % {"step": VillageStep(step).label},
            status=403,
        )


def _village_evaluation(*, village: Region, year: int) -> dict:
    """The village exit evaluation of the year, stored with the decision; eligibility_failed when it fails."""
    stored = village_exit_check(village=village, year=year)
    if not stored["passed"]:
        raise DomainError(
            "eligibility_failed",
            _("贫困村出列评估未通过：%(checks)s") % {"checks": "、".join(stored["failing"])},
            errors={"eligibility": stored["checks"]},
        )
    return stored


def _poverty_profile(village: Region) -> VillageProfile:
    profile = VillageProfile.objects.select_for_update().filter(village=village).first()
    if profile is None or profile.poverty_status != PovertyVillageStatus.POVERTY:
        raise DomainError("transition_not_allowed", _("只有未出列的贫困村可以出列"))
    return profile


@transaction.atomic
def village_exit_propose(*, user, village: Region, year: int, on: datetime.date, note: str = "") -> VillageExit:
    """The township proposes a poverty village's exit for a year (乡镇提出), with the year's evaluation, which must pass."""
    _require_village(user, VillageStep.PROPOSAL, village)
    _poverty_profile(village)
    if VillageExit.objects.filter(village=village, state=ProcedureState.OPEN).exists():
        raise DomainError("transition_not_allowed", _("该村已有办理中的出列程序，须先办结"))
    _check_date(on)
    if on.year < year:
        raise _invalid("year", _("出列年度不能晚于提出日期所在年度（%(year)s）") % {"year": on.year})
    evaluation = _village_evaluation(village=village, year=year)
    village_exit = VillageExit(village=village, year=year, opened_on=on, evaluation=evaluation, position=1)
    try:
        with transaction.atomic():
            village_exit.save()
    except IntegrityError as exc:  # another proposal a moment ago
        raise DomainError("transition_not_allowed", _("该村已有办理中的出列程序，须先办结")) from exc
    VillageExitStep.objects.create(
        village_exit=village_exit, step=VillageStep.PROPOSAL, decision=Decision.APPROVE, date=on, note=note,
        acted_by=user,
    )  # fmt: skip
    return village_exit


def _village_notice_data(data: dict, *, village: Region, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The village notice's start and end: from the step's day, at least the standard's notice days."""
    start, end = data.get("start"), data.get("end")
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise _invalid("start", _("公示须填写开始和结束日期"))
    if start < on:
        raise _invalid("start", _("公示开始不能早于本步日期"))
    if start > _a_year_after(on):
        raise _invalid("start", _("公示开始不能晚于本步日期后一年（%(date)s）") % {"date": _a_year_after(on).isoformat()})
    standard = standard_for(year=start.year, region_code=village.code)
    days = standard.notice_days if standard else 7
    if (end - start).days < days:
        raise _invalid(
            "end", _("公示期不少于 %(days)s 天：结束日期最早为 %(date)s") % {
                "days": days, "date": (start + datetime.timedelta(days=days)).isoformat()}
        )  # fmt: skip
    return start, end


def village_exit_step(
    *, user, village_exit: VillageExit, step: str, decision: str, on: datetime.date, note: str = "", data=None
) -> VillageExitStep:
    """Take the next step of a village exit: county review, village notice, county announcement (公告).

    The announcement approves the exit: the village's profile becomes `exited` with the procedure's year. Refused:
    another role (403), the proposer reviewing or announcing, or the reviewer announcing (same_user_not_allowed),
    an announcement before the notice has ended (notice_not_ended) or with an objection open (objection_open), a
    failing evaluation at review or announcement (eligibility_failed).
    """
    if step in VillageStep.values:  # an unknown step is refused below, after the lock (transition_not_allowed)
        _require_village(user, step, village_exit.village)
    return _village_exit_step(
        user=user, village_exit=village_exit, step=step, decision=decision, on=on, note=note, data=data or {}
    )


@transaction.atomic
def _village_exit_step(
    *, user, village_exit: VillageExit, step: str, decision: str, on: datetime.date, note: str, data: dict
) -> VillageExitStep:
    village_exit = VillageExit.objects.select_for_update().select_related("village").get(pk=village_exit.pk)
    village = village_exit.village
    if village_exit.state != ProcedureState.OPEN:
        raise DomainError(
            "transition_not_allowed", _("出列程序已办结（%(state)s）") % {"state": village_exit.get_state_display()}
        )
    expected = workflow.next_village_step(village_exit.position)
    if step != expected:
        raise DomainError(
            "transition_not_allowed",
            _("下一步应为“%(expected)s”，不是“%(step)s”") % {
                "expected": VillageStep(expected).label if expected else "—",
                "step": VillageStep(step).label if step in VillageStep.values else step},
        )  # fmt: skip
    if decision not in Decision.values:
        raise _invalid("decision", _("决定须为 approve 或 reject"))
    if step == VillageStep.NOTICE and decision != Decision.APPROVE:
        raise _invalid("decision", _("公示只能以通过（发布）记录；不同意出列由县级审核或公告决定"))
    _require_village(user, step, village)
    steps = list(village_exit.steps.order_by("id"))
    if step in (VillageStep.COUNTY_REVIEW, VillageStep.ANNOUNCEMENT):
        makers = {s.acted_by_id for s in steps if s.step == VillageStep.PROPOSAL}
        if step == VillageStep.ANNOUNCEMENT:
            makers |= {s.acted_by_id for s in steps if s.step == VillageStep.COUNTY_REVIEW}
        if user.pk in makers:
            raise DomainError("same_user_not_allowed", _("提出或审核本出列程序的人员不能再审核或公告本程序"))
    _check_date(on, after=steps[-1].date if steps else village_exit.opened_on)
    if step == VillageStep.ANNOUNCEMENT:
        if village_exit.notice_end is not None and on < village_exit.notice_end:
            raise DomainError(
                "notice_not_ended",
                _("公示至 %(end)s 结束，结束前不能办理下一步") % {"end": village_exit.notice_end.isoformat()},
            )
        if decision == Decision.APPROVE and village_exit.objections.filter(outcome="").exists():
            raise DomainError("objection_open", _("公示期间的异议尚未处理完毕"))
    if decision == Decision.APPROVE and step in workflow.VILLAGE_DECISION_STEPS:
        village_exit.evaluation = _village_evaluation(village=village, year=village_exit.year)
    stored = {}
    if step == VillageStep.NOTICE:
        village_exit.notice_start, village_exit.notice_end = _village_notice_data(data, village=village, on=on)
        stored = {"start": village_exit.notice_start.isoformat(), "end": village_exit.notice_end.isoformat()}
    taken = VillageExitStep.objects.create(
        village_exit=village_exit, step=step, decision=decision, date=on, note=note, data=stored, acted_by=user
    )
    if decision == Decision.REJECT:
        village_exit.state, village_exit.decided_on, village_exit.rejection = ProcedureState.REJECTED, on, note
    else:
        village_exit.position += 1
        if step == VillageStep.ANNOUNCEMENT:
            profile = _poverty_profile(village)
            profile.poverty_status = PovertyVillageStatus.EXITED
            profile.exit_year = village_exit.year
            profile.save()
            village_exit.state, village_exit.decided_on = ProcedureState.APPROVED, on
    village_exit.save()
    return taken


@transaction.atomic
def village_exit_objection_lodge(
    *, user, village_exit: VillageExit, lodged_on: datetime.date, lodged_by: str, content: str
) -> VillageExitObjection:
    """Record an objection (异议) raised during the village notice 村内公示 of a village exit."""
    village_exit = VillageExit.objects.select_for_update().select_related("village").get(pk=village_exit.pk)
    _require_village(user, VillageStep.NOTICE, village_exit.village)
    if village_exit.state != ProcedureState.OPEN:
        raise DomainError("transition_not_allowed", _("程序已办结，不能再提出异议"))
    if workflow.next_village_step(village_exit.position) != VillageStep.ANNOUNCEMENT:
        raise DomainError("transition_not_allowed", _("村内公示尚未发布，不能提出异议"))
    if not village_exit.notice_start <= lodged_on <= village_exit.notice_end:
        raise _invalid("lodged_on", _("异议须在公示期内（%(start)s 至 %(end)s）提出") % {
            "start": village_exit.notice_start.isoformat(), "end": village_exit.notice_end.isoformat()})  # fmt: skip
    if not (lodged_by or "").strip() or not (content or "").strip():
        raise _invalid("content", _("须填写提出人和异议内容"))
    objection = VillageExitObjection(
        village_exit=village_exit, lodged_on=lodged_on, lodged_by=lodged_by.strip(), content=content.strip(),
        recorded_by=user,
    )  # fmt: skip
    objection.full_clean(exclude=["village_exit", "recorded_by"])
    objection.save()
    return objection


@transaction.atomic
def village_exit_objection_resolve(
    *, user, objection: VillageExitObjection, outcome: str, on: datetime.date, resolution: str
) -> VillageExitObjection:
    """Resolve an objection: upheld sends the exit back to the county review (evaluated again, a new notice follows),
    dismissed lets the announcement go on."""
    objection = VillageExitObjection.objects.select_for_update().get(pk=objection.pk)
    village_exit = VillageExit.objects.select_for_update().select_related("village").get(pk=objection.village_exit_id)
    _require_village(user, VillageStep.NOTICE, village_exit.village)
    if objection.outcome:
        raise DomainError("transition_not_allowed", _("该异议已处理"))
    if outcome not in ("upheld", "dismissed"):
        raise _invalid("outcome", _("处理结果须为 upheld 或 dismissed"))
    _check_date(on, after=objection.lodged_on)
    if not (resolution or "").strip():
        raise _invalid("resolution", _("须填写处理说明"))
    objection.outcome, objection.resolved_on, objection.resolution, objection.resolved_by = outcome, on, resolution, user
    objection.full_clean(exclude=["village_exit", "recorded_by", "resolved_by"])
    objection.save()
    if outcome == "upheld" and village_exit.state == ProcedureState.OPEN:
        village_exit.position = workflow.VILLAGE_EXIT_STEPS.index(VillageStep.COUNTY_REVIEW)
        village_exit.save(update_fields=["position", "updated_at", "version"])
    return objection
