"""The catalogue of finding codes (crosscheck.md): severity, title, the message a village team reads, what it blocks.

Pure data: the register rules (checks.register_rules), department comparisons and field verifications
all raise findings under these codes. A message is rendered from the finding's `detail` in the
reader's language, so the same finding reads in Chinese or English.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from checks.choices import DepartmentCategory, Discrepancy, FindingSource, Severity
from households.choices import ProcedureKind

ALL_KINDS = frozenset(ProcedureKind.values)


@dataclass(frozen=True)
class Code:
    """A finding code: what it means and, for errors, the procedures it leaves open (its remedies)."""

    code: str
    severity: str
    source: str
    title: str
    message: str  # %-format over the finding's detail
    # Procedure kinds an open error of this code does NOT block: the procedures that put it right.
    remedies: frozenset = frozenset({ProcedureKind.REMOVAL})

    @property
    def blocks(self) -> frozenset:
        return frozenset() if self.severity != Severity.ERROR else ALL_KINDS - self.remedies


def _rule(code, severity, title, message, **kw) -> Code:
    return Code(code, severity, FindingSource.RULE, title, message, **kw)


E, W = Severity.ERROR, Severity.WARNING
K = ProcedureKind

REGISTER_RULES: tuple[Code, ...] = (
    _rule("ID-1", E, _("证件号码校验"), _("%(name)s 的证件号码有误：%(problem)s")),
    _rule("ID-2", E, _("一人多户"), _("%(name)s 同时是另一户的在册成员（%(level_label)s：%(other_number)s）")),
    _rule("ID-3", W, _("帮扶干部为建档立卡户成员"), _("结对干部 %(cadre)s 是建档立卡户 %(other_number)s 的成员")),
    _rule("HH-1", E, _("户主与家庭关系"), _("家庭关系不一致：%(problem)s")),
    _rule("HH-2", W, _("致贫原因与成员状况"), _("主要致贫原因为“%(cause)s”，但没有相应的家庭成员（%(needs)s）")),
    _rule("HH-3", W, _("贫困户属性与保障"), _("贫困户属性为“%(attribute)s”，但%(problem)s")),
    _rule("HH-4", W, _("劳动能力"), _("%(name)s 健康且年龄 %(age)s 岁，却记为丧失劳动能力")),
    _rule("HH-5", W, _("务工收入与务工状况"), _("%(year)s 年：%(problem)s")),
    _rule("HH-6", W, _("经营收支与人均收入"), _("%(year)s 年：%(problem)s")),
    _rule("HH-7", W, _("在校生状况与年龄"), _("%(name)s %(age)s 岁，在校生状况为“%(school_status)s”")),
    _rule("HH-8", W, _("贫困户无结对干部"), _("未脱贫户没有在岗的结对帮扶干部")),
    _rule(
        "HH-9", E, _("疑似错退"), _("已脱贫户按 %(year)s 年数据不再符合退出标准：%(failing)s"),
        remedies=frozenset({K.RETURN, K.REMOVAL, K.MONITORING, K.RISK_ELIMINATION}),
    ),  # fmt: skip
    _rule("HH-10", W, _("无在册成员未销户"), _("该户已无在册成员，尚未自然销户")),
)


def _ext(code, category, title) -> Code:
    # Severity is decided per county: a veto category raises an error, any other a warning;
    # a death recorded elsewhere is always an error (the member cannot stay active).
    return Code(code, W, FindingSource.COMPARISON, title, _("%(name)s：%(department)s数据显示%(category_label)s（%(detail)s）"))


COMPARISON_CODES: dict[str, Code] = {
    DepartmentCategory.DECEASED: _ext("EXT-DEATH", DepartmentCategory.DECEASED, _("已死亡仍在册")),
    DepartmentCategory.VEHICLE: _ext("EXT-VEHICLE", DepartmentCategory.VEHICLE, _("拥有车辆")),
    DepartmentCategory.PROPERTY: _ext("EXT-PROPERTY", DepartmentCategory.PROPERTY, _("拥有商品房或门市")),
    DepartmentCategory.BUSINESS: _ext("EXT-BUSINESS", DepartmentCategory.BUSINESS, _("经营工商企业")),
    DepartmentCategory.PUBLIC_EMPLOYEE: _ext("EXT-EMPLOYEE", DepartmentCategory.PUBLIC_EMPLOYEE, _("财政供养人员")),
    DepartmentCategory.OTHER: _ext("EXT-OTHER", DepartmentCategory.OTHER, _("其他部门数据")),
}


def _ver(code, discrepancy) -> Code:
    severity = E if discrepancy in {Discrepancy.WRONGLY_EXITED, Discrepancy.WRONGLY_INCLUDED, Discrepancy.ID_ERROR} else W
    remedies = {
        Discrepancy.WRONGLY_EXITED: frozenset({K.RETURN, K.REMOVAL, K.MONITORING}),
        Discrepancy.WRONGLY_INCLUDED: frozenset({K.REMOVAL}),
    }.get(discrepancy, frozenset({K.REMOVAL}))
    return Code(
        code, severity, FindingSource.VERIFICATION, Discrepancy(discrepancy).label,
        _("%(campaign)s：核查发现“%(discrepancy_label)s”（%(note)s），请整改"), remedies=remedies,
    )  # fmt: skip


VERIFICATION_CODES: dict[str, Code] = {
    d: _ver(f"VER-{d.upper().replace('_', '-')}", d) for d in Discrepancy.values
}

CODES: dict[str, Code] = {
    **{c.code: c for c in REGISTER_RULES},
    **{c.code: c for c in COMPARISON_CODES.values()},
    **{c.code: c for c in VERIFICATION_CODES.values()},
}


class _Missing(dict):
    def __missing__(self, key):
        return "—"


def message(code: str, detail: dict) -> str:
    """The finding's message in the active language (missing facts show as a dash, never an error)."""
    entry = CODES.get(code)
    if entry is None:
        return code
    return str(entry.message) % _Missing(detail or {})


def blocks(code: str, severity: str, kind: str) -> bool:
    """Whether an open finding of this code and severity refuses steps of a procedure of this kind."""
    if severity != Severity.ERROR:
        return False
    entry = CODES.get(code)
    remedies = entry.remedies if entry else frozenset({ProcedureKind.REMOVAL})
    return kind not in remedies
