"""The review queues (审核队列, /reviews/): what waits for a township reviewer or the county office, decided one by one
or as a selected batch.

A township reviewer sees every open procedure whose next step is the township review 乡镇审核 or the township notice
乡镇公示 in its township; the county office every one awaiting county approval 县级审定 in its county. Each row shows
the household, the step, the stored eligibility verdict (lifecycle.eligibility) and the open findings (through
lifecycle.hooks, filled by the checks). A batch calls the same service as the API (lifecycle.services.procedure_step)
once per household: each household's step is its own transaction, so a refusal of one (maker-checker, eligibility,
an open finding…) leaves the others applied and that one untouched — never a half-applied household.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.roles import Capability
from core.scope import has_capability, restrict_to_scope
from households.selectors import head_name
from lifecycle import hooks, services, workflow
from lifecycle.choices import Decision, ProcedureState, Step
from lifecycle.models import Notice, Procedure
from lifecycle.review_forms import ReviewBatchForm
from lifecycle.selectors import procedures_in_scope

TOWNSHIP_STEPS = frozenset({Step.TOWNSHIP_REVIEW, Step.SECOND_NOTICE})
COUNTY_STEPS = frozenset({Step.COUNTY_APPROVAL})

# What to do next after each refusal of the lifecycle, said to the reviewer beside the service's own sentence.
NEXT = {
    "finding_open": gettext_lazy("请村工作队先整改这些问题，整改后再审核。"),
    "eligibility_failed": gettext_lazy("请村工作队核实该户年度信息；确不达标的，以“不通过”办理并说明原因。"),
    "same_user_not_allowed": gettext_lazy("请由没有提出或核实本程序的另一位审核人员办理。"),
    "notice_not_ended": gettext_lazy("请在公示期结束后再办理。"),
    "objection_open": gettext_lazy("请先处理公示期间的异议。"),
    "year_published": gettext_lazy("请联系县扶贫办办理更正。"),
    "transition_not_allowed": gettext_lazy("请刷新页面，查看该程序的最新进度。"),
    "permission_denied": gettext_lazy("请由有权办理这一步的人员办理。"),
}


def _awaiting(steps) -> Q:
    """Open procedures whose next step is one of `steps` (the step at index `position` of their kind)."""
    condition = Q(pk__in=[])
    for kind, kind_steps in workflow.STEPS.items():
        for position, step in enumerate(kind_steps):
            if step in steps:
                condition |= Q(kind=kind, position=position)
    return Q(state=ProcedureState.OPEN) & condition


def review_queue(*, user):
    """The procedures waiting for this user's decision, grouped by kind and village; one query (+1 for the steps).

    Township steps in the villages where the user holds township_review, county approval where it holds
    county_administration; each narrowed by core.scope (so a reviewer of another township sees nothing of it).
    """
    base = Procedure.objects.select_related("household__village__parent")  # the village's and township's names
    township = restrict_to_scope(base.filter(_awaiting(TOWNSHIP_STEPS)), user, Capability.TOWNSHIP_REVIEW)
    county = restrict_to_scope(base.filter(_awaiting(COUNTY_STEPS)), user, Capability.COUNTY_ADMINISTRATION)
    last_notice = Notice.objects.filter(procedure=OuterRef("pk")).order_by("-id")
    return (
        (township | county)
        .annotate(
            head_name=head_name("household"),
            notice_end=Subquery(last_notice.values("end")[:1]),
        )
        .prefetch_related("steps")  # for who proposed and verified (maker-checker) and the last step's date
        .order_by("kind", "household__village__code", "household__number", "id")
    )


def may_review(user) -> bool:
    return has_capability(user, Capability.TOWNSHIP_REVIEW) or has_capability(user, Capability.COUNTY_ADMINISTRATION)


def verdict(evaluation: dict | None) -> dict:
    """The stored eligibility evaluation as a reviewer reads it: passed or not, and the sentences of what did not."""
    if not evaluation:
        return {"state": "none", "title": _("本程序不需要资格评估"), "lines": []}
    checks = evaluation.get("checks") or []
    failing = [check["sentence"] for check in checks if check.get("result") != "pass"]
    year = evaluation.get("year")
    if evaluation.get("passed") or not failing:
        return {"state": "pass", "title": _("%(year)s 年度评估：全部达标") % {"year": year}, "lines": []}
    return {"state": "fail", "title": _("%(year)s 年度评估：有未达标项") % {"year": year}, "lines": failing}


@dataclass
class Row:
    procedure: Procedure
    step: str
    verdict: dict
    findings: list = field(default_factory=list)
    you_made_it: bool = False

    @property
    def household(self):
        return self.procedure.household

    @property
    def step_label(self) -> str:
        return Step(self.step).label

    @property
    def blocked(self) -> bool:
        return any(finding["blocks"] for finding in self.findings)

    @property
    def is_notice(self) -> bool:
        return self.step in workflow.NOTICE_STEPS


@dataclass
class Group:
    kind_label: str
    village: object
    rows: list


def _rows(procedures, *, user) -> list[Row]:
    procedures = list(procedures)
    findings = hooks.open_findings(kinds={p.household_id: p.kind for p in procedures}, user=user)
    rows = []
    for procedure in procedures:
        makers = {s.acted_by_id for s in procedure.steps.all() if s.step in workflow.MAKER_STEPS}
        rows.append(
            Row(
                procedure=procedure,
                step=workflow.next_step(procedure.kind, procedure.position),
                verdict=verdict(procedure.evaluation),
                findings=findings.get(procedure.household_id, []),
                you_made_it=user.pk in makers,
            )
        )
    return rows


def _groups(rows: list[Row]) -> list[Group]:
    groups: list[Group] = []
    for row in rows:
        procedure = row.procedure
        if not groups or (groups[-1].kind_label, groups[-1].village.pk) != (
            procedure.get_kind_display(), procedure.household.village_id
        ):
            groups.append(Group(procedure.get_kind_display(), procedure.household.village, []))
        groups[-1].rows.append(row)
    return groups


@dataclass
class Outcome:
    row: Row
    applied: bool
    sentence: str


def _refusal(exc) -> str:
    """The service's sentence, then what to do next."""
    if isinstance(exc, DomainError):
        return f"{str(exc).rstrip('。；')}。{NEXT.get(exc.code, '')}"
    return "；".join(str(m) for m in exc.messages).rstrip("。；") + "。"


def _decide(*, user, row: Row, data: dict) -> Outcome:
    decision = data["decision"]
    step_data = {}
    if row.is_notice and decision == Decision.APPROVE:
        if not data.get("notice_start") or not data.get("notice_end"):
            return Outcome(row, False, _("乡镇公示须填写开始和结束日期：请在下方填写后再提交。"))
        step_data = {"start": data["notice_start"], "end": data["notice_end"]}
    try:
        services.procedure_step(
            user=user, procedure=row.procedure, step=row.step, decision=decision, on=data["date"],
            note=(data.get("note") or "").strip(), data=step_data,
        )  # fmt: skip
    except (DomainError, ValidationError) as exc:
        return Outcome(row, False, _refusal(exc))
    if decision == Decision.APPROVE:
        return Outcome(row, True, _("“%(step)s”已通过。") % {"step": row.step_label})
    return Outcome(row, True, _("“%(step)s”不通过，程序已办结。") % {"step": row.step_label})


def _posted_ids(request) -> list[int]:
    single = request.POST.get("single", "")
    values = [single.partition(":")[2]] if single else request.POST.getlist("procedures")
    try:
        return sorted({int(value) for value in values})
    except ValueError as exc:
        raise Http404 from exc


@login_required
def reviews(request):
    """The review queue of the signed-in reviewer; POST decides the selected procedures (one or a batch)."""
    user = request.user
    if not may_review(user):
        raise PermissionDenied
    outcomes: list[Outcome] = []
    form = ReviewBatchForm(initial=ReviewBatchForm.initial_for())
    if request.method == "POST":
        ids = _posted_ids(request)
        # Anything outside the user's scope does not exist for them (404), even in a batch.
        if len(procedures_in_scope(user=user).filter(pk__in=ids).values_list("pk", flat=True)) != len(ids):
            raise Http404
        post = request.POST.copy()
        if post.get("single"):
            decision, _sep, pk = post["single"].partition(":")
            post.setlist("procedures", [pk])
            post["decision"] = decision
        form = ReviewBatchForm(post, choices=ids)
        if form.is_valid():
            data = form.cleaned_data
            queued = {row.procedure.pk: row for row in _rows(review_queue(user=user).filter(pk__in=ids), user=user)}
            for pk in data["procedures"]:
                row = queued.get(pk)
                if row is None:
                    procedure = Procedure.objects.select_related("household").get(pk=pk)
                    outcomes.append(Outcome(
                        Row(procedure, workflow.next_step(procedure.kind, procedure.position) or "", verdict(None)),
                        False, _("不在您的待审队列中（可能已由他人办理）。"),
                    ))  # fmt: skip
                    continue
                outcomes.append(_decide(user=user, row=row, data=data))
            form = ReviewBatchForm(initial={**ReviewBatchForm.initial_for(), "date": data["date"]})
    rows = _rows(review_queue(user=user), user=user)
    context = {
        "groups": _groups(rows),
        "count": len(rows),
        "form": form,
        "outcomes": outcomes,
        "applied": sum(1 for o in outcomes if o.applied),
        "refused": sum(1 for o in outcomes if not o.applied),
    }
    return render(request, "lifecycle/reviews/queue.html", context)
