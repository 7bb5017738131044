"""What the checks add to the pages below them (core.panels, households.hooks): open findings of a household."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from checks import catalog
from checks.choices import FindingStatus, Severity
from checks.findings import finding_message
from checks.models import Finding
from checks.selectors import findings_in_scope
from lifecycle.choices import ProcedureKind


def open_findings_count():
    """The number of open findings of the outer household (a correlated subquery: one page of rows, not the region)."""
    counted = (
        Finding.objects.filter(household=OuterRef("pk"), status=FindingStatus.OPEN)
        .order_by()
        .values("household")
        .annotate(n=Count("*"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def what_to_do(finding: Finding) -> str:
    """The sentence that says what puts the finding right: correct the record, or the procedures it leaves open."""
    entry = catalog.CODES.get(finding.rule)
    if finding.severity != Severity.ERROR:
        return _("核实后修改户或成员信息；信息无误的，由县级确认“经核实无误”。")
    kinds = sorted(entry.remedies if entry else {ProcedureKind.REMOVAL}, key=ProcedureKind.values.index)
    labels = _("、").join(str(ProcedureKind(kind).label) for kind in kinds)
    return _("修改有误的户或成员信息后重新核查；若情况属实，可办理：%(kinds)s。在整改前，其他程序的步骤会被拒绝。") % {
        "kinds": labels
    }


def household_findings_panel(request, *, household, **context):
    """疑点: the household's open findings, each with the rule in words and what puts it right (one query)."""
    findings = list(
        findings_in_scope(user=request.user)
        .filter(household=household, status=FindingStatus.OPEN)
        .order_by("-severity", "found_at", "id")
    )
    rows = [
        {
            "finding": finding,
            "title": catalog.CODES[finding.rule].title if finding.rule in catalog.CODES else finding.rule,
            "message": finding_message(finding, user=request.user),
            "what_to_do": what_to_do(finding),
        }
        for finding in findings
    ]
    return {"template": "checks/panels/household_findings.html", "order": 80, "rows": rows, "household": household}
