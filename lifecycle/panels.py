"""What the lifecycle adds to the household card (core.panels): status episodes, the checklist, procedures."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Capability
from core.scope import has_capability
from households.choices import MonitoringStatus
from lifecycle import selectors, workflow
from lifecycle.choices import ProcedureKind, ProcedureState, Step
from lifecycle.models import MonitoringChange, StatusChange
from villages.models import Region

CHECK_LABELS = {
    "income": _("收入"),
    "food": _("不愁吃"),
    "clothing": _("不愁穿"),
    "education": _("义务教育有保障"),
    "medical": _("基本医疗有保障"),
    "housing": _("住房安全有保障"),
    "water": _("饮水安全有保障"),
}
RESULT_MARKS = {"pass": ("✔", "text-success", _("达标")), "fail": ("✘", "text-danger", _("未达标")), "missing": ("？", "text-secondary", _("未填"))}


def status_panel(request, *, household, **context):
    """登记状态: the status episodes (dated decisions, corrections marked) and the monitoring episodes (two queries)."""
    changes = list(StatusChange.objects.filter(household=household).order_by("effective_on", "id"))
    monitoring = list(MonitoringChange.objects.filter(household=household).order_by("effective_on", "id"))
    return {
        "template": "lifecycle/panels/status.html",
        "order": 10,
        "changes": changes,
        "monitoring": monitoring,
        "household": household,
    }


def checklist_panel(request, *, household, year, **context):
    """两不愁三保障: the exit checklist of the chosen year, a line per check, and the standard used (four queries)."""
    line = "monitoring" if household.monitoring_status == MonitoringStatus.MONITORED else "poverty"
    evaluation = selectors.exit_evaluation(household=household, year=year, line=line)
    standard = evaluation.standard
    # The standard's region by name (always one query, so the card's count stays pinned).
    code = standard.region if standard is not None else None
    region = Region.objects.filter(code=code or "").values_list("name", flat=True).first()
    rows = []
    for check in evaluation.checks:
        mark, css, words = RESULT_MARKS[check.result]
        rows.append({"label": CHECK_LABELS.get(check.name, check.name), "mark": mark, "css": css, "words": words,
                     "sentence": check.sentence})  # fmt: skip
    return {
        "template": "lifecycle/panels/checklist.html",
        "order": 30,
        "household": household,
        "year": year,
        "years": sorted({record.year for record in context.get("records", ())} | {year}),
        "rows": rows,
        "passed": evaluation.passed,
        "standard": standard,
        "standard_region": region,
        "line": line,
    }


def procedures_panel(request, *, household, **context):
    """程序与公示: the household's procedures with their steps (who, when, decision, note), the next step, and the
    procedures that may be started (three queries: procedures, steps, the users who took them)."""
    procedures = list(
        selectors.procedures_in_scope(user=request.user).filter(household=household).order_by("-opened_on", "-id")
    )
    rows = []
    for procedure in procedures:
        steps = sorted(procedure.steps.all(), key=lambda step: (step.date, step.id))
        next_step = workflow.next_step(procedure.kind, procedure.position) if procedure.state == ProcedureState.OPEN else None
        rows.append({"procedure": procedure, "steps": steps, "next_step": Step(next_step).label if next_step else None})
    may_start = has_capability(request.user, Capability.VILLAGE_STEPS, household.village_id)
    year = timezone.localdate().year
    startable = []
    if may_start and not any(row["procedure"].state == ProcedureState.OPEN for row in rows):
        startable = [
            {"kind": kind, "label": ProcedureKind(kind).label}
            for kind in ProcedureKind.values
            if workflow.may_start(kind=kind, status=household.status, monitoring_status=household.monitoring_status)
            and workflow.open_in_year(kind, year)
        ]
    return {
        "template": "lifecycle/panels/procedures.html",
        "order": 60,
        "household": household,
        "rows": rows,
        "startable": startable,
    }
