"""The village page (/villages/<code>/, issue 16 point 2): the village's profile by year, its households by status,
the exit evaluation of a year in words, and the village exit procedure 贫困村出列 with the form of the next step.

Scope as the API's village-exit actions: a village whose register the user may not read, or a code that is not an
administrative village, does not exist (404). Writes go through lifecycle.services exactly as the API's
(village_exit_propose, village_exit_step, village_exit_objection_lodge / _resolve): they decide rights, order,
dates, maker-checker and the evaluation; a refusal is shown beside the form as a sentence with what to do next, and
what was typed stays in the form.
"""

import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.api.params import YEAR_MAX, YEAR_MIN
from core.errors import DomainError
from core.scope import has_capability
from core.templatetags.jz import count, money
from households.badges import MONITORING_BADGES, STATUS_BADGES
from households.choices import MonitoringStatus, RegistryStatus
from households.selectors import standard_for
from lifecycle import pages, services, workflow
from lifecycle.choices import ProcedureState, VillageStep
from lifecycle.forms import ObjectionForm
from lifecycle.selectors import village_exit_check, village_exits_of, village_household_counts, villages_in_scope
from lifecycle.village_forms import VillageExitProposalForm, VillageExitStepForm, VillageObjectionResolveForm
from villages.choices import PovertyVillageStatus
from villages.models import VillageYear

# What to do next after each refusal of a village exit (the service's sentence says what is wrong).
ADVICE = {
    "eligibility_failed": gettext_lazy(
        "请先补录或更正该村该年度的村年度数据（户籍农业人口、基础设施、村集体经济收入）和贫困户的脱贫程序，"
        "待各项达标后再提交；确不达标的，以“不通过”办结。"
    ),
    "same_user_not_allowed": gettext_lazy("请由未提出或审核本出列程序的另一位县扶贫办人员办理。"),
    "notice_not_ended": gettext_lazy("请在公示期结束后再办理县级公告，日期不早于公示结束日。"),
    "objection_open": gettext_lazy("请先在下方处理每一条异议（成立或不成立），再办理县级公告。"),
    "transition_not_allowed": gettext_lazy("请刷新页面，查看该村出列程序的最新进度。"),
    "year_published": gettext_lazy("该年度报告已发布；请联系县扶贫办。"),
}
# The village's figures of a year, in the order of the 贫困村 form: population, infrastructure, collective income.
YEAR_FLAGS = ("hardened_road", "safe_water", "power_grid", "broadband", "clinic", "culture_room")
POVERTY_BADGES = {
    PovertyVillageStatus.POVERTY: "text-bg-danger",
    PovertyVillageStatus.EXITED: "text-bg-success",
    PovertyVillageStatus.NON_POVERTY: "text-bg-secondary",
}
STATE_BADGES = {
    ProcedureState.OPEN: "text-bg-primary",
    ProcedureState.APPROVED: "text-bg-success",
    ProcedureState.REJECTED: "text-bg-secondary",
}
FORMS = ("proposal", "step", "objection", "resolve")
# Statuses counted on the page even when none: the poor and the exited are what a village exit is about; the others
# show only when the village has such households (a phone screen is short).
ALWAYS_SHOWN = frozenset({RegistryStatus.POOR, RegistryStatus.EXITED})
_YEAR = re.compile(r"[0-9]{4}")


def may_take(user, step: str | None, village_code: str) -> bool:
    """Whether the user's roles allow this village exit step here (the service's first check; maker-checker is the
    service's, shown when it refuses)."""
    if step is None:
        return False
    return any(has_capability(user, c, village_code) for c in workflow.village_step_capabilities(step))


def refusal(error: DomainError) -> str:
    """The service's refusal as one sentence: what is wrong, then what to do next."""
    detail = str(error.detail).rstrip()
    if error.code == "eligibility_failed" and error.errors:
        failing = [
            f"{pages.VILLAGE_CHECK_LABELS.get(check.get('name'), check.get('name'))}（{check.get('sentence', '')}）"
            for check in error.errors.get("eligibility", ())
            if check.get("result") != "pass"
        ]
        detail = _("贫困村出列评估未通过：%(checks)s") % {"checks": "；".join(failing)}
    advice = ADVICE.get(error.code) or pages.ADVICE.get(error.code)
    if not advice:
        return detail
    return f"{detail}{'' if detail.endswith(('。', '！', '.')) else '。'}{advice}"


def _refuse(form, error) -> None:
    """Put a service's refusal on the form: beside the field it names, otherwise at the top; 403 stays 403."""
    if isinstance(error, DomainError):
        if error.status == 403:
            raise PermissionDenied(str(error.detail))
        form.add_error(None, refusal(error))
        return
    for field, field_messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def _village(request, code: str):
    village = villages_in_scope(user=request.user).filter(code=code).first()
    if village is None:
        raise Http404
    return village


def _profile(village):
    return getattr(village, "profile", None)  # a village never described has no profile row (非贫困村)


def _chosen_year(request, years: list[int], open_exit) -> tuple[int, str]:
    """?year= when it is a year; otherwise the open exit's year, the latest year with figures, or this year. A bad
    value is said, not a 404: the page shows the default year beside the message."""
    default = open_exit.year if open_exit else (years[-1] if years else timezone.localdate().year)
    value = request.GET.get("year", "")
    if not value:
        return default, ""
    if _YEAR.fullmatch(value) and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value), ""
    message = _("年度须为 %(low)s 至 %(high)s 之间的四位数字；下面显示的是 %(year)s 年度。") % {
        "low": YEAR_MIN, "high": YEAR_MAX, "year": default}  # fmt: skip
    return default, message


def _yes_no(value) -> str:
    if value is None:
        return _("未登记")
    return _("是") if value else _("否")


def _profile_rows(village, village_year) -> list[tuple[str, str]]:
    """The village's profile as label/value pairs in words (村情): its poverty-village status and years, then the
    chosen year's figures (村年度数据)."""
    profile = _profile(village)
    status = profile.poverty_status if profile else PovertyVillageStatus.NON_POVERTY
    rows = [
        (_("乡镇"), village.parent.name if village.parent else "—"),
        (_("贫困村状态"), PovertyVillageStatus(status).label),
    ]
    if profile and profile.identified_year:
        rows.append((_("识别为贫困村"), _("%(year)s 年") % {"year": profile.identified_year}))
    if profile and profile.exit_year:
        rows.append((_("出列年度"), _("%(year)s 年") % {"year": profile.exit_year}))
    if village_year is None:
        return rows
    fields = VillageYear._meta
    population = village_year.rural_population
    rows.append((
        str(fields.get_field("rural_population").verbose_name),
        _("未登记") if population is None else _("%(count)s 人") % {"count": count(population)},
    ))  # fmt: skip
    rows += [(str(fields.get_field(name).verbose_name), _yes_no(getattr(village_year, name))) for name in YEAR_FLAGS]
    income = village_year.collective_income
    rows.append((_("村集体经济收入"), _("未登记") if income is None else _("%(amount)s 元") % {"amount": money(income)}))
    return rows


def _household_rows(village, counts: dict) -> list[dict]:
    """Households by status in words and colour, each count opening the register filtered to it (the household list
    page's FilterSet: `region` and `status`; the never-registered have no status to filter by). A status none of the
    village's households has is left out, but for the poor and the exited."""
    base = reverse("households:list")
    rows = []
    for status in ["", *RegistryStatus.values]:
        label, css = STATUS_BADGES[status]
        url = f"{base}?{urlencode({'region': village.code, 'status': status})}" if status else None
        rows.append({
            "status": status or "none", "label": label, "css": css, "count": counts["by_status"][status], "url": url,
            "always": status in ALWAYS_SHOWN,
        })  # fmt: skip
    label, css = MONITORING_BADGES[MonitoringStatus.MONITORED]
    rows.append({"status": "monitored", "label": label, "css": css, "count": counts["monitored"], "url": None, "always": False})
    return rows


def _incidence(evaluation: dict) -> dict | None:
    """The incidence check's figures (贫困发生率) for the headline: rate, threshold, poor people, population."""
    check = next((c for c in evaluation.get("checks", ()) if c.get("name") == "incidence"), None)
    return None if check is None else {"result": check.get("result"), **check.get("detail", {})}


@dataclass
class ExitView:
    """A village exit procedure as the page shows it: its steps in order, then those still to come."""

    exit: object
    steps: list
    objections: list
    next_step: str | None

    @property
    def next_label(self) -> str:
        return VillageStep(self.next_step).label if self.next_step else ""

    @property
    def state_css(self) -> str:
        return STATE_BADGES.get(self.exit.state, "text-bg-secondary")

    @property
    def notice_held(self) -> bool:
        """The village notice has been given and the announcement comes next: objections may be lodged."""
        return self.next_step == VillageStep.ANNOUNCEMENT


def _exit_view(village_exit) -> ExitView:
    taken = list(village_exit.steps.all())
    is_open = village_exit.state == ProcedureState.OPEN
    next_step = workflow.next_village_step(village_exit.position) if is_open else None
    rows = [
        {"name": s.step, "label": s.get_step_display(), "taken": s, "data": pages.step_data_words(s)} for s in taken
    ]
    if is_open:
        for index, name in enumerate(workflow.VILLAGE_EXIT_STEPS[village_exit.position :]):
            rows.append({"name": name, "label": VillageStep(name).label, "taken": None, "next": index == 0, "data": ""})
    return ExitView(exit=village_exit, steps=rows, objections=list(village_exit.objections.all()), next_step=next_step)


def _notice_days(village) -> int:
    standard = standard_for(year=timezone.localdate().year, region_code=village.code)
    return standard.notice_days if standard else 7


def _context(request, village, *, year=None, year_message="", bound=None) -> dict:
    """Everything the page shows; `bound` holds the form that was posted and refused, to show again as typed."""
    user, bound = request.user, bound or {}
    exits = [_exit_view(e) for e in village_exits_of(village=village)]
    latest = exits[0] if exits else None
    open_exit = latest if latest and latest.exit.state == ProcedureState.OPEN else None
    village_years = list(VillageYear.objects.filter(village=village).order_by("year"))
    if year is None:
        year, year_message = _chosen_year(request, [y.year for y in village_years], open_exit and open_exit.exit)
    village_year = next((y for y in village_years if y.year == year), None)
    profile = _profile(village)
    evaluation = village_exit_check(village=village, year=year)
    counts = village_household_counts(user=user, village=village)

    forms: dict = {}
    poverty = profile is not None and profile.poverty_status == PovertyVillageStatus.POVERTY
    if open_exit is None and poverty and may_take(user, VillageStep.PROPOSAL, village.code):
        forms["proposal"] = bound.get("proposal") or VillageExitProposalForm(initial={"year": year, "date": timezone.localdate()})
    if open_exit is not None and may_take(user, open_exit.next_step, village.code):
        forms["step"] = bound.get("step") or VillageExitStepForm(
            step=open_exit.next_step,
            notice_days=_notice_days(village) if open_exit.next_step == VillageStep.NOTICE else 7,
        )
    may_object = open_exit is not None and open_exit.notice_held and may_take(user, VillageStep.NOTICE, village.code)
    if may_object:
        forms["objection"] = bound.get("objection") or ObjectionForm()
    resolve = {}
    if may_object:
        for objection in open_exit.objections:
            if not objection.outcome:
                resolve[objection.pk] = bound.get(("resolve", objection.pk)) or VillageObjectionResolveForm(objection_id=objection.pk)
    objections = [{"objection": o, "form": resolve.get(o.pk)} for o in (latest.objections if latest else [])]
    status = profile.poverty_status if profile else PovertyVillageStatus.NON_POVERTY
    return {
        "village": village,
        "year": year,
        "year_message": year_message,
        "years": [y.year for y in village_years],
        "poverty_status": PovertyVillageStatus(status),
        "poverty_css": POVERTY_BADGES[status],
        "profile_rows": _profile_rows(village, village_year),
        "has_year": village_year is not None,
        "households": _household_rows(village, counts),
        "households_total": counts["total"],
        "evaluation": pages.evaluation_view(evaluation),
        "incidence": _incidence(evaluation),
        "latest": latest,
        "open_exit": open_exit,
        "earlier": exits[1:],
        # The evaluation the latest decision was taken on, when it says something the year's evaluation above does not.
        "stored_evaluation": (
            pages.evaluation_view(latest.exit.evaluation) if latest and latest.exit.evaluation != evaluation else None
        ),
        "forms": forms,
        "objections": objections,
        "waiting_for_proposal": open_exit is None and poverty and not forms.get("proposal"),
        "today": timezone.localdate(),
    }


def _redirect(village, year):
    return redirect(f"{reverse('village', args=[village.code])}?{urlencode({'year': year})}#village-exit")


@login_required
def village(request, code):
    """The village (村): profile by year, households by status, exit evaluation, and the village exit procedure; POST
    takes the procedure's next step (`form`: proposal, step, objection or resolve)."""
    village = _village(request, code)
    if request.method != "POST":
        return render(request, "lifecycle/village/page.html", _context(request, village))
    which = request.POST.get("form", "")
    if which not in FORMS:
        raise BadRequest(_("无法识别提交的表单"))
    context = _context(request, village)
    form = context["forms"].get(which)
    open_exit = context["open_exit"]
    if _moved_on(request, which, context):
        # Posted from a page someone else has moved on since: nothing written, the page as it is now.
        messages.warning(request, _("该村出列程序已有新进展（可能已由他人办理），没有保存。请查看下面的最新进度。"))
        return _redirect(village, context["year"])
    if which == "resolve":
        objection = _objection(request, open_exit)
        if "objection" not in context["forms"]:
            raise PermissionDenied
        form = VillageObjectionResolveForm(request.POST, objection_id=objection.pk)
    elif form is None:
        raise PermissionDenied  # another role's step
    elif which == "proposal":
        form = VillageExitProposalForm(request.POST)
    elif which == "step":
        form = VillageExitStepForm(request.POST, step=open_exit.next_step, notice_days=_notice_days(village))
    else:
        form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            done, year = _apply(request, village, which, form, open_exit)
        except (DomainError, ValidationError) as error:
            _refuse(form, error)
        else:
            messages.success(request, done)
            return _redirect(village, year or context["year"])
    key = ("resolve", objection.pk) if which == "resolve" else which
    return render(
        request, "lifecycle/village/page.html", _context(request, village, year=context["year"], bound={key: form})
    )


def _moved_on(request, which: str, context: dict) -> bool:
    """Whether the form was posted for a state of the procedure that is no more: a proposal once one is open or the
    village exited, a step other than the one now due, an objection after the notice, an objection resolved."""
    open_exit = context["open_exit"]
    if which == "proposal":
        return open_exit is not None or context["poverty_status"] != PovertyVillageStatus.POVERTY
    if which == "step":
        return open_exit is None or request.POST.get("step-step") != open_exit.next_step
    if open_exit is None or not open_exit.notice_held:
        return True
    if which == "resolve":
        value = request.POST.get("objection", "")
        resolved = {str(o.pk) for o in open_exit.objections if o.outcome}
        return value in resolved
    return False


def _objection(request, open_exit):
    """The objection a resolve form names: one of the open exit's (anything else does not exist here: 404)."""
    value = request.POST.get("objection", "")
    if open_exit is None or not value.isascii() or not value.isdigit():
        raise Http404
    objection = next((o for o in open_exit.objections if o.pk == int(value)), None)
    if objection is None:
        raise Http404
    return objection


def _apply(request, village, which: str, form, open_exit) -> tuple[str, int | None]:
    """Call the service the form is for; the sentence said after it and the year to show."""
    user, data = request.user, form.cleaned_data
    if which == "proposal":
        kwargs = form.service_kwargs()
        services.village_exit_propose(user=user, village=village, **kwargs)
        return _("已提出 %(year)s 年度贫困村出列") % {"year": kwargs["year"]}, kwargs["year"]
    village_exit = open_exit.exit
    if which == "step":
        kwargs = form.service_kwargs()
        services.village_exit_step(user=user, village_exit=village_exit, **kwargs)
        label = VillageStep(kwargs["step"]).label
        if kwargs["decision"] == "reject":
            return _("“%(step)s”不通过，出列程序已办结") % {"step": label}, village_exit.year
        if kwargs["step"] == VillageStep.ANNOUNCEMENT:
            return _("县级公告已办理：本村为 %(year)s 年度出列的贫困村") % {"year": village_exit.year}, village_exit.year
        return _("已办理“%(step)s”") % {"step": label}, village_exit.year
    if which == "objection":
        services.village_exit_objection_lodge(user=user, village_exit=village_exit, **data)
        return _("已登记异议"), village_exit.year
    objection = next(o for o in open_exit.objections if o.pk == int(request.POST["objection"]))
    services.village_exit_objection_resolve(
        user=user, objection=objection, outcome=data["outcome"], on=data["date"], resolution=data["resolution"]
    )
    return _("已处理异议"), village_exit.year
