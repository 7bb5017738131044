"""The catalogue of finding codes (docs/checks.md, Findings): severity, title, the message a village team reads, what it blocks.

Pure data: the register rules (checks.register_rules), department comparisons and field verifications
all raise findings under these codes. A message is rendered from the finding's `detail` in the
reader's language, so the same finding reads in Chinese or English.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from checks.choices import DepartmentCategory, Discrepancy, FindingSource, Severity
from households.choices import HouseholdAttribute, PovertyCause, Relation, SchoolStatus
from households.rules import MALE_RELATIONS
from lifecycle.choices import ProcedureKind

# 自然销户 is never blocked: it is taken only when nobody is left in the household (the lifecycle refuses it otherwise),
# and the findings on the data of people who have all left are not put right by keeping the household open.
ALL_KINDS = frozenset(ProcedureKind.values) - {ProcedureKind.CLOSING}


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

# Register rules (checks.register_rules) -----------------------------------------------------------------------
# A rule stores codes and facts in `detail` (a part of an ID number, a relation code, names, amounts); the words
# a reader sees (labels, the sentence naming what is wrong) are made when the message is rendered, in the
# reader's language. Each rule's message is a template plus a function deriving those words from the detail.


class _Facts(dict):
    def __missing__(self, key):
        return "—"


def _fmt(template, values: dict) -> str:
    return str(template) % _Facts(values)


def _joined(items, separator=None) -> str:
    return str(separator or _("；")).join(str(item) for item in items)


class _DerivingTemplate(str):
    """A template whose `%` first adds the words its rule derives from the detail (see _RuleMessage)."""

    derive = None

    def __mod__(self, values):
        if isinstance(values, dict) and self.derive is not None:
            try:
                derived = self.derive(dict(values))
            except (KeyError, TypeError, ValueError, AttributeError):
                derived = {}  # a detail of an older shape: its facts still show, the derived words as a dash
            values = type(values)({**values, **derived})
        return str.__mod__(self, values)


class _RuleMessage:
    """A register rule's message: `str()` gives the template in the active language, ready for `% detail`."""

    def __init__(self, template, derive=None):
        self.template = template
        self.derive = derive

    def __str__(self) -> str:
        text = _DerivingTemplate(str(self.template))
        text.derive = self.derive
        return text


def _sex_label(sex: str):
    return {"male": _("男性"), "female": _("女性")}.get(sex, sex)


def _id_1_words(d: dict) -> dict:
    part, id_type = d.get("part"), d.get("id_type")
    if part == "legacy":
        problem = _("这是15位旧身份证号，请改为18位新号码")
    elif part == "length" and id_type == "other":
        problem = _("证件号码不能为空")
    elif part == "length" and id_type == "disability_cert":
        problem = _fmt(_("残疾人证号应为20位（18位身份证号加残疾类别、残疾等级各1位），实为 %(length)s 位"), d)
    elif part == "length":
        problem = _fmt(_("身份证号应为18位，实为 %(length)s 位"), d)
    elif part == "characters":
        problem = _fmt(
            _("身份证号第 %(position)s 位“%(character)s”不允许：前17位只能是半角数字，最后一位可以是数字或 X"), d
        )
    elif part == "birth_date" and d.get("early"):
        problem = _fmt(_("身份证号中的出生日期 %(date)s 早于1900年1月1日"), d)
    elif part == "birth_date":
        problem = _fmt(_("身份证号中的出生日期 %(date)s 不存在"), d)
    elif part == "future_birth_date":
        problem = _fmt(_("身份证号中的出生日期 %(date)s 晚于今天（%(today)s）"), d)
    elif part == "check_digit":
        problem = _fmt(_("身份证号校验位错误：按前17位应为 %(expected)s，实为 %(actual)s"), d)
    elif part == "disability_suffix":
        problem = _fmt(_("残疾人证号最后两位应为残疾类别（1至7）和残疾等级（1至4），实为 %(suffix)s"), d)
    elif part == "sex":
        problem = _fmt(_("性别与身份证号不符：身份证号第17位表示%(sex)s"), {"sex": _sex_label(d.get("id_sex"))})
    elif part == "birth_date_mismatch":
        problem = _fmt(_("出生日期与身份证号不符：身份证号为 %(date)s"), {"date": d.get("id_birth_date")})
    else:
        problem = part
    return {"problem": problem}


def _id_2_words(d: dict) -> dict:
    levels = {"same_village": _("同村"), "same_county": _("本县其他村"), "other_county": _("外县")}
    return {"level_label": levels.get(d.get("level"), d.get("level"))}


def _hh_1_words(d: dict) -> dict:
    items = []
    for item in d.get("problems", []):
        code = item.get("code")
        if code == "no_head":
            items.append(_("户内没有户主：须有且只有一名在册成员登记为户主"))
        elif code == "heads":
            items.append(_fmt(_("户内有 %(count)s 名户主：只能有一名"), item))
        elif code == "spouses":
            items.append(_fmt(_("户内有 %(count)s 名配偶：最多只能有一名"), item))
        elif code == "relation_sex":
            relation = item.get("relation")
            expected = "male" if relation in MALE_RELATIONS else "female"
            problem = _fmt(
                _("与户主关系为“%(relation)s”的成员应为%(expected)s，此处登记为%(actual)s"),
                {
                    "relation": Relation(relation).label if relation in Relation.values else relation,
                    "expected": _sex_label(expected),
                    "actual": _sex_label(item.get("sex")),
                },
            )
            items.append(_fmt(_("%(name)s：%(problem)s"), {"name": item.get("name"), "problem": problem}))
        elif code == "spouse_sex":
            problem = _fmt(_("配偶与户主同为%(sex)s：配偶的性别应与户主不同"), {"sex": _sex_label(item.get("sex"))})
            items.append(_fmt(_("%(name)s：%(problem)s"), {"name": item.get("name"), "problem": problem}))
    return {"problem": _joined(items)}


def _hh_2_words(d: dict) -> dict:
    cause = d.get("cause")
    needs = {"illness": _("患长期慢性病或大病"), "disability": _("残疾"), "schooling": _("在校就读")}
    return {
        "cause_label": PovertyCause(cause).label if cause in PovertyCause.values else cause,
        "needs_label": needs.get(cause, "—"),
    }


def _hh_3_words(d: dict) -> dict:
    attribute = d.get("attribute")
    items = []
    for item in d.get("problems", []):
        code = item.get("code")
        if code == "no_dibao":
            items.append(_("没有享受低保的在册成员"))
        elif code == "general_dibao":
            names = _joined(item.get("names", []), _("、"))
            items.append(_fmt(_("有享受低保的在册成员：%(names)s"), {"names": names}))
        elif code == "dibao_income":
            items.append(_fmt(_("%(year)s 年度有低保金 %(dibao)s 元，却没有享受低保的在册成员"), item))
        elif code == "no_tekun":
            items.append(_("没有享受特困供养的在册成员"))
        elif code == "working":
            names = _joined(item.get("names", []), _("、"))
            items.append(_fmt(_("有16至60岁、有普通或技能劳动力的成员：%(names)s"), {"names": names}))
    return {
        "attribute_label": HouseholdAttribute(attribute).label if attribute in HouseholdAttribute.values else attribute,
        "problem": _joined(items),
    }


def _hh_5_words(d: dict) -> dict:
    items = []
    for item in d.get("problems", []):
        code, names = item.get("code"), _joined(item.get("names", []), _("、"))
        if code == "wages_without_migrant":
            items.append(_fmt(_("有工资性收入 %(wages)s 元，但没有外出务工的成员"), item))
        elif code == "migrant_without_wages":
            items.append(_fmt(_("%(names)s 外出务工，但工资性收入为 0"), {"names": names}))
        elif code == "months":
            items.append(_fmt(_("%(names)s 的务工时间不在 0 至 12 个月之内"), {"names": names}))
    return {"problem": _joined(items)}


def _hh_6_words(d: dict) -> dict:
    items = []
    for item in d.get("problems", []):
        code = item.get("code")
        if code == "no_cost":
            items.append(_fmt(_("有生产经营性收入 %(business_income)s 元，但没有生产经营性支出"), item))
        elif code == "income_low":
            items.append(_fmt(_("人均纯收入 %(per_capita_income)s 元，不高于 0"), item))
        elif code == "income_high":
            items.append(_fmt(_("人均纯收入 %(per_capita_income)s 元，高于 %(ceiling)s 元"), item))
    return {"problem": _joined(items)}


def _hh_7_words(d: dict) -> dict:
    status = d.get("school_status")
    if d.get("compulsory"):
        problem = _fmt(_("%(age)s 岁，正值义务教育年龄，却登记为非在校生且未登记失学辍学"), d)
    else:
        label = SchoolStatus(status).label if status in SchoolStatus.values else status
        problem = _fmt(_("%(age)s 岁，在校生状况为“%(school_status)s”，与年龄不符"), {**d, "school_status": label})
    return {"problem": problem}


def _hh_9_words(d: dict) -> dict:
    labels = {
        "income": _("收入"), "food": _("不愁吃"), "clothing": _("不愁穿"), "education": _("义务教育"),
        "medical": _("基本医疗"), "housing": _("住房安全"), "water": _("饮水安全"),
    }  # fmt: skip
    # The sentences were written by the evaluation when the rules ran (in the source language).
    items = [
        _fmt(_("%(name)s：%(problem)s"), {"name": labels.get(c.get("name"), c.get("name")), "problem": c.get("sentence")})
        for c in d.get("checks", [])
        if c.get("result") == "fail"
    ]
    return {"failing_label": _joined(items)}


def _words(template, derive=None) -> _RuleMessage:
    return _RuleMessage(template, derive)


REGISTER_RULES: tuple[Code, ...] = (
    _rule("ID-1", E, _("证件号码校验"), _words(_("%(name)s 的证件号码 %(id_number)s 有误：%(problem)s"), _id_1_words)),
    _rule(
        "ID-2", E, _("一人多户"),
        _words(_("%(name)s（%(id_number)s）同时是户 %(other_number)s 的在册成员（%(level_label)s）"), _id_2_words),
    ),  # fmt: skip
    _rule(
        "ID-3", W, _("帮扶干部为建档立卡户成员"),
        _words(_("结对帮扶干部 %(cadre)s 同时是本户在册成员 %(name)s（%(id_number)s），现结对帮扶 %(pairings)s 户")),
    ),  # fmt: skip
    _rule("HH-1", E, _("户主与家庭关系"), _words(_("家庭关系不一致：%(problem)s"), _hh_1_words)),
    _rule(
        "HH-2", W, _("致贫原因与成员状况"),
        _words(_("主要致贫原因为“%(cause_label)s”，但没有%(needs_label)s的在册成员"), _hh_2_words),
    ),  # fmt: skip
    _rule("HH-3", W, _("贫困户属性与保障"), _words(_("贫困户属性为“%(attribute_label)s”，但%(problem)s"), _hh_3_words)),
    _rule("HH-4", W, _("劳动能力"), _words(_("%(name)s 健康且 %(age)s 岁，却登记为丧失劳动力"))),
    _rule("HH-5", W, _("务工收入与务工状况"), _words(_("%(year)s 年度：%(problem)s"), _hh_5_words)),
    _rule("HH-6", W, _("经营收支与人均收入"), _words(_("%(year)s 年度：%(problem)s"), _hh_6_words)),
    _rule("HH-7", W, _("在校生状况与年龄"), _words(_("%(name)s：%(problem)s"), _hh_7_words)),
    _rule("HH-8", W, _("贫困户无结对干部"), _words(_("未脱贫户没有在岗的结对帮扶干部"))),
    _rule(
        "HH-9", E, _("疑似错退"),
        _words(_("已脱贫户按退出当年（%(year)s 年）的年度信息不符合退出标准（疑似错退）：%(failing_label)s"), _hh_9_words),
        remedies=frozenset({K.RETURN, K.REMOVAL, K.MONITORING, K.RISK_ELIMINATION}),
    ),  # fmt: skip
    _rule(
        "HH-10", W, _("无在册成员未销户"),
        _words(_("该户已无在册成员，尚未自然销户：请办理自然销户程序；登记状态有误的，由县扶贫办更正")),
        remedies=frozenset({K.CLOSING, K.REMOVAL}),
    ),  # fmt: skip
)


def _ext(code, title, message) -> Code:
    # Severity is decided per match (checks.comparisons): an error when the county marks the
    # category veto (一票否决) or the member is recorded dead, a warning otherwise. Each code names its
    # category in its own sentence, so the message reads well in any language; `detail` holds the
    # member's name, the department as uploaded, the category slug and the row's detail.
    return Code(code, W, FindingSource.COMPARISON, title, message)


COMPARISON_CODES: dict[str, Code] = {
    DepartmentCategory.DECEASED: _ext(
        "EXT-DEATH", _("已死亡仍在册"), _("%(name)s：%(department)s数据显示已死亡（%(detail)s），请核实并办理成员减少")
    ),
    DepartmentCategory.VEHICLE: _ext(
        "EXT-VEHICLE", _("拥有车辆"), _("%(name)s：%(department)s数据显示拥有车辆（%(detail)s）")
    ),
    DepartmentCategory.PROPERTY: _ext(
        "EXT-PROPERTY", _("拥有商品房或门市"), _("%(name)s：%(department)s数据显示拥有商品房或门市（%(detail)s）")
    ),
    DepartmentCategory.BUSINESS: _ext(
        "EXT-BUSINESS", _("经营工商企业"), _("%(name)s：%(department)s数据显示有工商注册登记（%(detail)s）")
    ),
    DepartmentCategory.PUBLIC_EMPLOYEE: _ext(
        "EXT-EMPLOYEE", _("财政供养人员"), _("%(name)s：%(department)s数据显示为财政供养人员（%(detail)s）")
    ),
    DepartmentCategory.OTHER: _ext(
        "EXT-OTHER", _("其他部门数据"), _("%(name)s：%(department)s数据比中（%(detail)s）")
    ),
}


class _VerificationMessage:
    """A VER-* message: the finding's detail names the discrepancy by its slug; the reader sees its label.

    Each VER code stands for one discrepancy, so its label is put into the template when the message is
    rendered, in the reader's language; the campaign name and the team's note come from the detail.
    """

    def __init__(self, label):
        self.label = label

    def __str__(self) -> str:
        template = str(_("%(campaign)s：核查发现“%(label)s”（%(note)s），请整改"))
        return template % {"campaign": "%(campaign)s", "label": str(self.label).replace("%", "%%"), "note": "%(note)s"}

    def __mod__(self, values) -> str:
        return str(self) % values


def _ver(code, discrepancy) -> Code:
    severity = E if discrepancy in {Discrepancy.WRONGLY_EXITED, Discrepancy.WRONGLY_INCLUDED, Discrepancy.ID_ERROR} else W
    remedies = {
        Discrepancy.WRONGLY_EXITED: frozenset({K.RETURN, K.REMOVAL, K.MONITORING}),
        Discrepancy.WRONGLY_INCLUDED: frozenset({K.REMOVAL}),
    }.get(discrepancy, frozenset({K.REMOVAL}))
    return Code(
        code, severity, FindingSource.VERIFICATION, Discrepancy(discrepancy).label,
        _VerificationMessage(Discrepancy(discrepancy).label), remedies=remedies,
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
    return kind in ALL_KINDS and kind not in remedies
