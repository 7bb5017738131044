"""What the lifecycle's pages show in words: status badges, evaluation lines, refusals that say what to do.

Pure presentation (no database): the views (lifecycle.views) read through the selectors, write through the
services, and turn their answers into what a village cadre reads here.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.templatetags.jz import day, money, percent
from households.badges import MONITORING_BADGES, STATUS_BADGES
from households.choices import MonitoringStatus
from lifecycle import workflow
from lifecycle.choices import AlertSource, ProcedureKind, Step

CHECK_LABELS = {
    "income": gettext_lazy("收入"),
    "food": gettext_lazy("不愁吃"),
    "clothing": gettext_lazy("不愁穿"),
    "education": gettext_lazy("义务教育有保障"),
    "medical": gettext_lazy("基本医疗有保障"),
    "housing": gettext_lazy("住房安全有保障"),
    "water": gettext_lazy("饮水安全有保障"),
    "inclusion": gettext_lazy("纳入监测条件"),
}
# The village exit's checks (贫困村出列, eligibility.VILLAGE_CHECKS): "water" there is the village's 安全饮水.
VILLAGE_CHECK_LABELS = {
    "incidence": gettext_lazy("贫困发生率"),
    "road": gettext_lazy("通硬化路"),
    "water": gettext_lazy("安全饮水"),
    "power": gettext_lazy("通动力电"),
    "broadband": gettext_lazy("通宽带"),
    "clinic": gettext_lazy("标准化卫生室"),
    "collective_income": gettext_lazy("村集体经济收入"),
}
RESULT_LABELS = {
    "pass": (gettext_lazy("达标"), "text-success", "✔"),
    "fail": (gettext_lazy("未达标"), "text-danger", "✘"),
    "missing": (gettext_lazy("未填"), "text-warning-emphasis", "？"),
}
STANDARD_KINDS = {
    "national": gettext_lazy("国家标准"),
    "provincial": gettext_lazy("省定标准"),
    "municipal": gettext_lazy("市定标准"),
}
EVALUATION_TITLES = {
    "exit": gettext_lazy("脱贫退出评估（两不愁三保障及收入）"),
    "risk_elimination": gettext_lazy("风险消除评估（两不愁三保障及收入，按监测线）"),
    "identification": gettext_lazy("识别收入核对"),
    "return": gettext_lazy("返贫收入核对"),
    "monitoring_inclusion": gettext_lazy("纳入监测条件核对"),
    "village_exit": gettext_lazy("贫困村出列评估（贫困发生率、基础设施、集体经济收入）"),
}

# What to do when the lifecycle refuses (core/errors.py codes; the detail says what is wrong, this what to do next).
ADVICE = {
    "finding_open": gettext_lazy("请先在“问题”页整改这些错误（修改户信息或办理相应程序），再办理本步骤。"),
    "notice_not_ended": gettext_lazy("请在公示期结束后再办理下一步，日期不早于公示结束日。"),
    "objection_open": gettext_lazy("请先在公示下方处理每一条异议（成立或不成立），再办理下一步。"),
    "objection_overdue": gettext_lazy("异议已逾期未处理，本程序只能以“不通过”办结。"),
    "eligibility_failed": gettext_lazy("请补录或更正该户的年度信息，待各项达标后再提交；未达标的项目见下方清单。"),
    "same_user_not_allowed": gettext_lazy("请由未参与提出或核实本程序的另一位人员审核或审定。"),
    "year_published": gettext_lazy("该年度报告已发布；状态有误的，请联系县扶贫办更正。"),
    "members_remaining": gettext_lazy("请先办理成员减少，户内无在册成员后再自然销户。"),
    "monitoring_type_not_allowed": gettext_lazy("请选择适用于该户当前状态的监测对象类型。"),
    "permission_denied": gettext_lazy("这一步须由有相应职责的人员办理。"),
    "attribute_required": gettext_lazy("请先在户信息中填写贫困户属性和主要致贫原因。"),
}


def status_badge(status: str) -> dict:
    label, css = STATUS_BADGES.get(status or "", STATUS_BADGES[""])
    return {"label": label, "css": css}


def monitoring_badge(status: str) -> dict | None:
    if not status:
        return None
    label, css = MONITORING_BADGES[status]
    return {"label": label, "css": css}


def refusal(error: DomainError) -> str:
    """The refusal as one sentence that says what is wrong and what to do next."""
    detail = str(error.detail).rstrip()
    advice = ADVICE.get(error.code)
    if not advice:
        return detail
    return f"{detail}{'' if detail.endswith(('。', '！', '.')) else '。'}{advice}"


def _money(value) -> str:
    return money(value)


def standard_line(evaluation: dict) -> str:
    """The standard row an evaluation used, in words: "2019 年国家标准：贫困线 3,218.00 元"."""
    standard = evaluation.get("standard")
    if not standard:
        return _("%(year)s 年度没有政策标准") % {"year": evaluation.get("year")}
    kind = STANDARD_KINDS.get(standard.get("kind") or "national", standard.get("kind"))
    parts = []
    if standard.get("poverty_line"):
        parts.append(_("贫困线 %(amount)s 元") % {"amount": _money(standard["poverty_line"])})
    if standard.get("monitoring_line"):
        parts.append(_("监测线 %(amount)s 元") % {"amount": _money(standard["monitoring_line"])})
    if evaluation.get("kind") == "village_exit" and standard.get("village_exit_threshold"):
        parts = [_("贫困村出列须贫困发生率低于 %(rate)s") % {"rate": percent(standard["village_exit_threshold"])}]
    return _("%(year)s 年%(kind)s：%(lines)s") % {"year": standard.get("year"), "kind": kind, "lines": "，".join(parts)}


def evaluation_view(evaluation: dict | None) -> dict | None:
    """A stored (or fresh) evaluation as readable lines with the standard used — never raw JSON."""
    if not evaluation:
        return None
    lines = []
    labels = VILLAGE_CHECK_LABELS if evaluation.get("kind") == "village_exit" else CHECK_LABELS
    for check in evaluation.get("checks", ()):
        label, css, mark = RESULT_LABELS.get(check.get("result"), RESULT_LABELS["missing"])
        lines.append({
            "name": check.get("name"),
            "label": labels.get(check.get("name"), check.get("name")),
            "result": check.get("result"),
            "result_label": label,
            "css": css,
            "mark": mark,
            "sentence": check.get("sentence", ""),
        })  # fmt: skip
    passed = all(line["result"] == "pass" for line in lines)
    return {
        "title": EVALUATION_TITLES.get(evaluation.get("kind"), ""),
        "year": evaluation.get("year"),
        "passed": passed,
        "lines": lines,
        "standard": standard_line(evaluation),
    }


def step_label(step: str | None) -> str:
    return Step(step).label if step in Step.values else ""


def kind_refusal(*, kind: str, status: str, monitoring_status: str, has_open: bool) -> str | None:
    """Why a household may not start a procedure of this kind today (None: it may), as a sentence."""
    label = ProcedureKind(kind).label
    if has_open:
        return _("该户已有办理中的程序，须先办结")
    if not workflow.may_start(kind=kind, status=status, monitoring_status=monitoring_status):
        if kind == ProcedureKind.RISK_ELIMINATION:
            return _("只有监测中的户可以办理风险消除")
        if kind == ProcedureKind.MONITORING and monitoring_status == MonitoringStatus.MONITORED:
            return _("该户已是监测对象")
        return _("该户当前状态（%(status)s）不能发起“%(kind)s”程序") % {
            "status": status_badge(status)["label"], "kind": label}
    return None


def kind_hint(kind: str, year: int) -> str:
    """What to know before starting: identification and return are only recorded with dates up to 2020."""
    if not workflow.open_in_year(kind, year):
        return _("识别和返贫办理至 %(year)s 年：只能补录 %(year)s 年及以前日期的程序；此后请纳入防返贫监测") % {
            "year": workflow.LAST_ENTRY_YEAR}
    return ""


def steps_view(procedure, steps) -> list[dict]:
    """The steps taken, in order (who, when, decision, note, data in words), then the steps still to come.

    After an upheld objection the procedure went back to verification: the steps taken again show twice.
    """
    rows = [{"name": s.step, "label": step_label(s.step), "taken": s, "data": step_data_words(s)} for s in steps]
    if procedure.state == "open":
        for index, name in enumerate(workflow.STEPS[procedure.kind][procedure.position :]):
            rows.append({"name": name, "label": step_label(name), "taken": None, "next": index == 0, "data": ""})
    return rows


def step_data_words(step) -> str:
    """A step's data in words: votes, notice dates, plan year, alert source."""

    data = step.data or {}
    parts = []
    if "votes_for" in data:
        parts.append(_("赞成 %(for)s 票，反对 %(against)s 票，参加 %(participants)s 人") % {
            "for": data.get("votes_for"), "against": data.get("votes_against"), "participants": data.get("participants")})
    if "start" in data and "end" in data:
        parts.append(_("公示 %(start)s 至 %(end)s") % {"start": day(data["start"]), "end": day(data["end"])})
    if data.get("plan_year"):
        parts.append(_("计入 %(year)s 年度脱贫计划") % {"year": data["plan_year"]})
    if data.get("source") in AlertSource.values:
        parts.append(_("预警来源：%(source)s") % {"source": AlertSource(data["source"]).label})
    return "；".join(str(part) for part in parts)
