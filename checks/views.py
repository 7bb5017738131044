"""Pages of cross-checking: the open findings of my villages 疑点, each with the rule in words and its remedies."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from checks import pages
from checks.choices import FindingStatus, Severity
from checks.filtersets import FindingFilterSet
from checks.findings import finding_message
from checks.forms import FindingFilterForm
from checks.selectors import findings_in_scope
from core.roles import Capability
from core.scope import has_capability
from core.ui import ordered_page
from households.selectors import head_name
from villages.selectors import regions_in_scope

PER_PAGE = 30


@login_required
def findings(request):
    """Open findings of my villages, errors first; filters by rule, severity and village."""
    if not has_capability(request.user, Capability.READ_REGISTER):
        raise Http404
    villages = list(regions_in_scope(user=request.user).filter(level="village").order_by("code").values_list("code", "name"))
    form = FindingFilterForm(request.GET or None, villages=villages)
    if form.is_bound and not form.is_valid():
        if "village" in form.errors:
            raise Http404  # a village outside my scope does not exist for me
        rows = findings_in_scope(user=request.user).none()
    else:
        chosen = form.cleaned_data if form.is_bound else {}
        data = {"status": FindingStatus.OPEN, "rule": [chosen["rule"]] if chosen.get("rule") else [],
                "severity": chosen.get("severity", ""), "region": chosen.get("village", "")}  # fmt: skip
        rows = FindingFilterSet(data, queryset=findings_in_scope(user=request.user)).qs
    rows = rows.annotate(head_name=head_name("household_id")).select_related("village").order_by(
        "severity", "village_id", "found_at", "id"
    )  # "error" sorts before "warning"
    page = ordered_page(request, rows, size=PER_PAGE)
    items = [
        {
            "finding": finding,
            "title": pages.rule_title(finding.rule),
            "message": finding_message(finding, user=request.user),
            "remedies": pages.remedies(finding),
            "advice": pages.advice(finding),
            "blocks": finding.severity == Severity.ERROR,
        }
        for finding in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "checks/findings.html", {"form": form, "page": page, "items": items, "query": query.urlencode()})
