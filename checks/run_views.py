"""The rule-run page (规则校验, /checks/): past runs of the register rules with their counts by rule, a form to run
them over a region now, and what a run changed — the findings it opened and closed, in words.

Scope as the API (checks.api.findings): runs are read through checks.selectors.rule_runs_in_scope (READ_REGISTER);
running needs EDIT_REGISTER over the region (a region the user cannot read does not exist: 404). The run itself is
checks.register_rules.run_rules, the service the API and `manage.py run_checks` call.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from checks import catalog, register_rules
from checks.findings import finding_message
from checks.forms import RuleRunForm
from checks.models import Finding
from checks.pages import rule_title
from checks.selectors import rule_runs_in_scope
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import has_capability, restrict_to_scope
from core.ui import ordered_page
from households.selectors import head_name
from villages.models import Region

PER_PAGE = 20
SHOWN_CHANGES = 50  # findings listed per side of a run's changes; the counts say how many in all
TRIGGERS = {
    "page": gettext_lazy("页面运行"),
    "api": gettext_lazy("接口运行"),
    "command": gettext_lazy("命令运行"),
    "import": gettext_lazy("导入后运行"),
    "demo": gettext_lazy("演示数据"),
    "step": gettext_lazy("程序步骤前"),
}


def _runnable_regions(user) -> list[tuple[str, str]]:
    """(code, name) of the regions where the user may run the rules: county, townships and villages it edits."""
    regions = restrict_to_scope(
        Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]),
        user, Capability.EDIT_REGISTER,
    ).order_by("code").values_list("code", "name", "level")  # fmt: skip
    indent = {RegionLevel.COUNTY: "", RegionLevel.TOWNSHIP: "　", RegionLevel.VILLAGE: "　　"}
    return [(code, f"{indent.get(level, '')}{name}") for code, name, level in regions]


def _rows(counts: dict) -> list[dict]:
    """A run's counts by rule, in the catalogue's order, with the rule's title."""
    return [
        {
            "code": code, "title": rule_title(code), "opened": c.get("opened", 0), "closed": c.get("closed", 0),
            "found": c.get("found", 0), "severity": catalog.CODES[code].severity if code in catalog.CODES else "",
        }
        for code, c in sorted(counts.items(), key=lambda item: list(register_rules.RULES).index(item[0])
                              if item[0] in register_rules.RULES else 99)
    ]  # fmt: skip


def _totals(counts: dict) -> dict:
    return {key: sum(c.get(key, 0) for c in counts.values()) for key in ("opened", "closed", "found")}


def _changes(run, *, user) -> dict:
    """The findings the run opened and those it closed, each in words (at most SHOWN_CHANGES of each)."""

    def lines(queryset):
        findings = (
            queryset.select_related("village", "household", "member")  # village name, household number, member
            .annotate(head_name=head_name("household_id"))
            .order_by("rule", "village_id", "id")[:SHOWN_CHANGES]
        )
        return [{"finding": f, "title": rule_title(f.rule), "message": finding_message(f, user=user)} for f in findings]

    totals = _totals(run.counts or {})
    return {
        "run": run,
        "opened": lines(Finding.objects.filter(run=run)),
        "closed": lines(Finding.objects.filter(closed_by_run=run)),
        "opened_total": totals["opened"],
        "closed_total": totals["closed"],
        "shown": SHOWN_CHANGES,
    }


def _page(request, *, form, status=200):
    user = request.user
    runs = rule_runs_in_scope(user=user).filter(household__isnull=True).select_related("region")  # region's name
    page = ordered_page(request, runs.order_by("-started_at", "-id"), size=PER_PAGE)
    items = [
        {"run": run, "rows": _rows(run.counts or {}), "totals": _totals(run.counts or {}),
         "trigger": TRIGGERS.get(run.trigger, run.trigger)}
        for run in page
    ]  # fmt: skip
    changes = None
    chosen = request.GET.get("run")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        run = rule_runs_in_scope(user=user).select_related("region").filter(pk=int(chosen)).first()
        if run is None:
            raise Http404  # another region's run does not exist for the user
        changes = _changes(run, user=user)
    context = {"form": form, "page": page, "items": items, "changes": changes}
    return render(request, "checks/runs.html", context, status=status)


def _readable(user) -> None:
    if not has_capability(user, Capability.READ_REGISTER):
        raise Http404


@login_required
def checks(request):
    """Runs of the register rules in my regions; the form to run them (for those who may edit the register)."""
    _readable(request.user)
    form = None
    if has_capability(request.user, Capability.EDIT_REGISTER):
        form = RuleRunForm(regions=_runnable_regions(request.user))
    return _page(request, form=form)


@login_required
@require_POST
def checks_run(request):
    """Run the register rules over a region now, then show what the run changed."""
    user = request.user
    _readable(user)
    if not has_capability(user, Capability.EDIT_REGISTER):
        raise PermissionDenied
    regions = _runnable_regions(user)
    form = RuleRunForm(request.POST, regions=regions)
    code = request.POST.get("region", "")
    foreign = bool(code) and code not in dict(regions)
    # A region the user cannot read does not exist; one it reads but may not edit is refused beside the field.
    if foreign and not (
        has_capability(user, Capability.READ_REGISTER, code) and Region.objects.filter(pk=code).exists()
    ):
        raise Http404
    if not form.is_valid():
        if foreign:
            form.errors["region"] = form.error_class([_("您的角色不能在该区划运行规则校验：请选择您负责的区划。")])
        return _page(request, form=form)
    run = register_rules.run_rules(
        region_code=form.cleaned_data["region"], rules=form.cleaned_data["rules"] or None, user=user, trigger="page"
    )
    return redirect(f"{reverse('checks')}?run={run.pk}#run-changes")
