"""What the findings page shows about each finding: the rule in words and what puts it right.

Pure presentation: which edits or procedures resolve a finding of a code (the catalogue, checks.catalog, holds
the codes, titles and messages; the lifecycle's workflow says which procedures the household may start).
"""

from django.utils.translation import gettext_lazy as _

from checks import catalog
from lifecycle import workflow
from lifecycle.choices import ProcedureKind

K = ProcedureKind
# The procedures that put a finding of a code right (a procedure the household may not start is left out).
REMEDY_KINDS = {
    "HH-9": (K.RETURN, K.MONITORING, K.REMOVAL),
    "HH-10": (K.CLOSING, K.REMOVAL),
    "EXT-VEHICLE": (K.REMOVAL,),
    "EXT-PROPERTY": (K.REMOVAL,),
    "EXT-BUSINESS": (K.REMOVAL,),
    "EXT-EMPLOYEE": (K.REMOVAL,),
    "VER-WRONGLY-EXITED": (K.RETURN, K.MONITORING, K.REMOVAL),
    "VER-WRONGLY-INCLUDED": (K.REMOVAL,),
    "VER-SHOULD-EXIT": (K.EXIT,),
    "VER-MISSED": (K.IDENTIFICATION, K.MONITORING),
}
# Findings put right by editing the household or its members (户信息、成员) — the register rules and ID errors.
EDIT_CODES = frozenset({"ID-1", "ID-2", "ID-3", "HH-1", "HH-2", "HH-3", "HH-4", "HH-7", "EXT-DEATH", "VER-ID-ERROR",
                        "VER-MEMBER-MISMATCH"})  # fmt: skip
# Findings of a year's record (年度信息): put right on the annual record page of that year.
RECORD_CODES = frozenset({"HH-5", "HH-6", "VER-INCOME-MISREPORTED"})
ADVICE = {
    "HH-8": _("请为该户安排结对帮扶干部（户卡“帮扶责任人”）。"),
    "HH-10": _("请办理自然销户；登记状态有误的，由县扶贫办更正。"),
}


def rule_title(code: str) -> str:
    entry = catalog.CODES.get(code)
    return entry.title if entry else code


def remedies(finding) -> list[dict]:
    """Links that put the finding right: the household's edit page, its annual record, or a procedure."""
    household = finding.household
    if household is None:
        return []
    links = []
    if finding.rule in EDIT_CODES:
        links.append({"url": f"/households/{household.pk}/edit/", "label": _("修改户和成员信息")})
    if finding.rule in RECORD_CODES and str((finding.detail or {}).get("year", "")).isdigit():
        year = finding.detail["year"]
        links.append({"url": f"/households/{household.pk}/records/{year}/", "label": _("修改 %(year)s 年度信息") % {"year": year}})
    for kind in REMEDY_KINDS.get(finding.rule, ()):
        if workflow.may_start(kind=kind, status=household.status, monitoring_status=household.monitoring_status):
            links.append({
                "url": f"/households/{household.pk}/procedures/new/?kind={kind}",
                "label": _("办理%(kind)s") % {"kind": ProcedureKind(kind).label},
            })  # fmt: skip
    if not links:
        links.append({"url": f"/households/{household.pk}/edit/", "label": _("修改户和成员信息")})
    return links


def advice(finding) -> str:
    return ADVICE.get(finding.rule, "")
