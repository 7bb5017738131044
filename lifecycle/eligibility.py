"""Exit eligibility (脱贫退出条件): two assurances and three guarantees (两不愁三保障) plus income, and village exit.

Pure functions (docs/workflows.md, "Eligibility checks" and "Village exit"): facts go in as frozen dataclasses, an
Evaluation comes out with one Check per item, each pass, fail or missing (not entered), with a sentence a reviewer
can read and the facts it used. Nothing is read from or written to the database; callers build the facts (the
`*_of` helpers take model rows or demo plan rows alike) and store `Evaluation.as_dict()` on the procedure.
Sentences are rendered in the language active when the evaluation is made, so the stored evaluation says what
the reviewer saw at the time.
"""

import copy
from collections.abc import Iterable, Sequence
from dataclasses import MISSING as MISSING_FIELD
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from households.choices import DropoutReason, HousingGrade
from households.rules import COMPULSORY_SCHOOL_AGES

PASS, FAIL, MISSING = "pass", "fail", "missing"
RESULTS = (PASS, FAIL, MISSING)
CHECKS = ("income", "food", "clothing", "education", "medical", "housing", "water")
VILLAGE_CHECKS = ("incidence", "road", "water", "power", "broadband", "clinic", "collective_income")
KINDS = ("exit", "risk_elimination", "village_exit", "monitoring_inclusion", "identification", "return")

# line → (evaluation kind, StandardFacts field holding that line)
LINES = {"poverty": ("exit", "poverty_line"), "monitoring": ("risk_elimination", "monitoring_line")}

# Compulsory education (义务教育) covers ages 6 to 15 on Dec 31 of the year (one range, shared with HH-7).
SCHOOL_AGE = COMPULSORY_SCHOOL_AGES
EXCUSED_DROPOUT = DropoutReason.ILLNESS_OR_DISABILITY.value
SAFE_GRADES = frozenset({HousingGrade.A.value, HousingGrade.B.value})
UNSAFE_GRADES = frozenset({HousingGrade.C.value, HousingGrade.D.value})

_LINE_LABELS = {"poverty": _("贫困线"), "monitoring": _("监测线")}
_SEPARATOR = _("、")
_FOOD = _("不愁吃")
_CLOTHING = _("不愁穿")
_WATER_SAFE = _("饮水安全")
_WATER_ACCESS = _("取水方便")
_MEDICAL = _("基本医疗保险")
_SERIOUS_ILLNESS = _("大病保险")
_VILLAGE_ITEMS = {
    "road": ("hardened_road", _("通硬化路")),
    "water": ("safe_water", _("安全饮水")),
    "power": ("power_grid", _("通动力电")),
    "broadband": ("broadband", _("通宽带")),
    "clinic": ("clinic", _("标准化卫生室")),
}
_COLLECTIVE_INCOME = _("村集体经济收入")


# ---------------------------------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------------------------------


def _require_amounts(facts, names: Iterable[str]) -> None:
    """Money and rates are Decimal (or whole int) and finite, never float: a float has already lost the amount."""
    for name in names:
        value = getattr(facts, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{name} must be a finite amount, got {value}")


@dataclass(frozen=True)
class StandardFacts:
    """The policy standard row used (政策标准): the year's lines and the village exit threshold; region None = 全国."""

    id: int | None
    year: int
    region: str | None
    poverty_line: Decimal | None
    monitoring_line: Decimal | None
    village_exit_threshold: Decimal
    # The identification standard the row belongs to (识别标准: national, provincial, municipal).
    kind: str = "national"

    def __post_init__(self):
        if self.village_exit_threshold is None:
            raise TypeError("village_exit_threshold must be a Decimal, got None")
        _require_amounts(self, ("poverty_line", "monitoring_line", "village_exit_threshold"))

    def as_dict(self) -> dict:
        """The standard as JSON-able facts (政策标准), Decimals as strings."""
        return {
            "id": self.id,
            "year": self.year,
            "region": self.region,
            "kind": self.kind,
            "poverty_line": _money(self.poverty_line),
            "monitoring_line": _money(self.monitoring_line),
            "village_exit_threshold": _rate(self.village_exit_threshold),
        }


@dataclass(frozen=True)
class RecordFacts:
    """A household's annual record (年度信息) as the checks read it; per-capita income never holds uncounted income."""

    year: int
    per_capita_income: Decimal | None
    members_counted: int
    food_secure: bool | None
    clothing_secure: bool | None
    housing_grade: str
    renovation_year: int | None
    relocation_done: bool
    water_safe: bool | None
    water_access_ok: bool | None
    # Rigid expenses 刚性支出 of the year (self-paid, yuan); None = not entered. Read by the monitoring inclusion test.
    medical_expense: Decimal | None = None
    schooling_expense: Decimal | None = None

    def __post_init__(self):
        _require_amounts(self, ("per_capita_income", "medical_expense", "schooling_expense"))
        if self.housing_grade not in ("", *SAFE_GRADES, *UNSAFE_GRADES):
            raise ValueError(f"housing_grade must be one of A, B, C, D or '', got {self.housing_grade!r}")


@dataclass(frozen=True)
class PersonFacts:
    """A member active on Dec 31 of the year (年末在册成员): age, schooling and insurance facts (None = not entered)."""

    name: str
    birth_date: date
    dropout: bool | None
    dropout_reason: str
    medical_insurance: bool | None
    serious_illness_insurance: bool | None
    # 城镇职工基本医疗保险 counts as basic medical insurance as much as the residents' scheme (domain.md).
    employee_medical_insurance: bool | None = None

    @property
    def basic_medical(self) -> bool | None:
        """Insured in either basic medical scheme: yes when one flag says so, unknown while one is not entered."""
        flags = (self.medical_insurance, self.employee_medical_insurance)
        if True in flags:
            return True
        return None if None in flags else False


@dataclass(frozen=True)
class VillageYearFacts:
    """A village's figures for one year (村年度数据): rural population, infrastructure, collective income."""

    year: int
    rural_population: int | None
    hardened_road: bool | None
    safe_water: bool | None
    power_grid: bool | None
    broadband: bool | None
    clinic: bool | None
    collective_income: Decimal | None

    def __post_init__(self):
        _require_amounts(self, ("collective_income",))
        population = self.rural_population
        if population is not None and (
            isinstance(population, bool) or not isinstance(population, int) or population < 0
        ):
            raise ValueError(f"rural_population must be a non-negative integer, got {population!r}")


# ---------------------------------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One line of an evaluation (检查项): pass, fail or missing, the reviewer's sentence and the facts used."""

    name: str
    result: str
    sentence: str
    detail: dict = field(hash=False)

    def __post_init__(self):
        if self.result not in RESULTS:
            raise ValueError(f"result must be one of {RESULTS}, got {self.result!r}")

    def as_dict(self) -> dict:
        """The check as JSON-able facts (检查项)."""
        return {
            "name": self.name,
            "result": self.result,
            "sentence": self.sentence,
            "detail": copy.deepcopy(self.detail),
        }


@dataclass(frozen=True)
class Evaluation:
    """An eligibility evaluation (退出评估) of one year: its checks and the standard row it used."""

    kind: str
    year: int
    checks: tuple[Check, ...]
    standard: StandardFacts | None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    @property
    def passed(self) -> bool:
        """Every check passes (全部达标)."""
        return all(check.result == PASS for check in self.checks)

    @property
    def failing(self) -> tuple[str, ...]:
        """Names of the checks that fail or are missing (未达标或未录入)."""
        return tuple(check.name for check in self.checks if check.result != PASS)

    def check(self, name: str) -> Check:
        """The check of that name (检查项); KeyError when there is none."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def as_dict(self) -> dict:
        """The evaluation as JSON-able facts (评估结果), to store on a procedure and return from the API."""
        return {
            "kind": self.kind,
            "year": self.year,
            "passed": self.passed,
            "failing": list(self.failing),
            "standard": self.standard.as_dict() if self.standard is not None else None,
            "checks": [check.as_dict() for check in self.checks],
        }


# ---------------------------------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------------------------------


def _fixed(value: Decimal | int | None, places: int) -> str | None:
    """Exact text of an amount, padded to `places` decimals (never rounded: more places are kept as they are)."""
    if value is None:
        return None
    value = Decimal(value)
    padded = value.quantize(Decimal(1).scaleb(-places))
    return format(padded if padded == value else value, "f")


def _money(value: Decimal | int | None) -> str | None:
    """Yuan as text with two places (3335 → "3335.00")."""
    return _fixed(value, 2)


def _rate(value: Decimal | int | None) -> str | None:
    """A rate as text with four places (0.02 → "0.0200")."""
    return _fixed(value, 4)


def _percent(value: Decimal) -> str:
    """A rate as a percentage for people (0.0185 → "1.85%"), exact."""
    return f"{_fixed(value * 100, 2)}%"


def _join(items: Iterable) -> str:
    return str(_SEPARATOR).join(str(item) for item in items)


def _check(name: str, result: str, sentence, detail: dict) -> Check:
    """A check with its sentence rendered now, in the active language."""
    return Check(name=name, result=result, sentence=str(sentence), detail=detail)


def _no_record(name: str, year: int) -> Check:
    return _check(name, MISSING, _("没有 %(year)s 年度信息") % {"year": year}, {"record": None})


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on a day (周岁): a birthday on the day itself counts."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def year_end(year: int) -> date:
    """Dec 31 of the year (年末), the day members and ages are counted."""
    return date(year, 12, 31)


# ---------------------------------------------------------------------------------------------------------------------
# Household checks (两不愁三保障 + income)
# ---------------------------------------------------------------------------------------------------------------------


def check_income(*, year: int, record: RecordFacts | None, standard: StandardFacts | None, line: str) -> Check:
    """Income (收入): per-capita net income strictly above the year's poverty line (or monitoring line)."""
    _kind, line_field = LINES[line]
    line_label = _LINE_LABELS[line]
    line_value = getattr(standard, line_field) if standard is not None else None
    income = record.per_capita_income if record is not None else None
    detail = {"line_kind": line, "per_capita_income": _money(income), "line": _money(line_value)}
    missing, reasons = [], []
    if record is None:
        missing.append("record")
        reasons.append(_("%(year)s 年度信息") % {"year": year})
    elif income is None:
        missing.append("per_capita_income")
        reasons.append(_("人均纯收入（年末人口 %(members)s 人）") % {"members": record.members_counted})
    if standard is None:
        missing.append("standard")
        reasons.append(_("%(year)s 年度政策标准") % {"year": year})
    elif line_value is None:
        missing.append(line_field)
        reasons.append(_("%(year)s 年度政策标准中的%(line_name)s") % {"year": year, "line_name": line_label})
    if missing:
        detail["missing"] = missing
        return _check("income", MISSING, _("无法判断收入，缺少：%(items)s") % {"items": _join(reasons)}, detail)
    values = {"income": _money(income), "line_name": line_label, "line": _money(line_value)}
    if income > line_value:
        return _check("income", PASS, _("人均纯收入 %(income)s 元，高于%(line_name)s %(line)s 元") % values, detail)
    return _check("income", FAIL, _("人均纯收入 %(income)s 元，未高于%(line_name)s %(line)s 元") % values, detail)


def check_entry_income(*, year: int, record: RecordFacts | None, standard: StandardFacts | None) -> Check:
    """Income at entry (识别、返贫): per-capita net income at or below the year's poverty line.

    The mirror of the exit's income check: the same facts and missing items, the opposite verdict (a household
    above the line does not qualify unless a reason is recorded; the service decides that).
    """
    exit_check = check_income(year=year, record=record, standard=standard, line="poverty")
    if exit_check.result == MISSING:
        return exit_check
    detail = exit_check.detail
    values = {"income": detail["per_capita_income"], "line_name": _LINE_LABELS["poverty"], "line": detail["line"]}
    if exit_check.result == PASS:
        return _check("income", FAIL, _("人均纯收入 %(income)s 元，高于%(line_name)s %(line)s 元") % values, detail)
    return _check("income", PASS, _("人均纯收入 %(income)s 元，未高于%(line_name)s %(line)s 元") % values, detail)


def evaluate_entry(*, kind: str, year: int, record: RecordFacts | None, standard: StandardFacts | None) -> Evaluation:
    """Identification (识别) or return (返贫) of one household for one year: the year's income against the line."""
    if kind not in ("identification", "return"):
        raise ValueError(f"kind must be identification or return, got {kind!r}")
    if record is not None and record.year != year:
        raise ValueError(f"the annual record is of {record.year}, not {year}")
    if standard is not None and standard.year != year:
        raise ValueError(f"the policy standard is of {standard.year}, not {year}")
    check = check_entry_income(year=year, record=record, standard=standard)
    return Evaluation(kind=kind, year=year, checks=(check,), standard=standard)


def _recorded(name: str, items: Sequence[tuple[str, object, bool | None]]) -> Check:
    """A check of recorded yes/no facts: fail when any is no, missing when any is not recorded, else pass."""
    detail = {key: value for key, _label, value in items}
    failed = [label for _key, label, value in items if value is False]
    if failed:
        return _check(name, FAIL, _("%(item)s：否") % {"item": _join(failed)}, detail)
    unknown = [label for _key, label, value in items if value is None]
    if unknown:
        return _check(name, MISSING, _("%(item)s：未登记") % {"item": _join(unknown)}, detail)
    return _check(name, PASS, _("%(item)s：是") % {"item": _join(label for _key, label, _value in items)}, detail)


def check_food(*, year: int, record: RecordFacts | None) -> Check:
    """Food (不愁吃): recorded true for the year."""
    if record is None:
        return _no_record("food", year)
    return _recorded("food", [("food_secure", _FOOD, record.food_secure)])


def check_clothing(*, year: int, record: RecordFacts | None) -> Check:
    """Clothing (不愁穿): recorded true for the year."""
    if record is None:
        return _no_record("clothing", year)
    return _recorded("clothing", [("clothing_secure", _CLOTHING, record.clothing_secure)])


def _dropout_reason_label(reason: str):
    if not reason:
        return _("未填写原因")
    return DropoutReason(reason).label if reason in DropoutReason.values else reason


def check_education(*, year: int, members: Sequence[PersonFacts]) -> Check:
    """Compulsory education (义务教育): no member aged 6–15 on Dec 31 dropped out, unless for illness or disability."""
    day = year_end(year)
    low, high = SCHOOL_AGE
    dropouts, excused, unknown = [], [], []
    for member in members:
        age = age_on(member.birth_date, day)
        if not low <= age <= high:
            continue
        if member.dropout is None:
            unknown.append({"name": member.name, "age": age})
            continue
        if not member.dropout:
            continue
        entry = {"name": member.name, "age": age, "reason": member.dropout_reason}
        (excused if member.dropout_reason == EXCUSED_DROPOUT else dropouts).append(entry)
    detail = {"on": day.isoformat(), "ages": [low, high], "dropouts": dropouts, "excused": excused}
    if unknown:
        detail["unknown"] = unknown
    values = {"date": day.isoformat(), "low": low, "high": high}
    if dropouts:
        names = _join(
            _("%(name)s（%(age)s岁，%(reason)s）")
            % {"name": entry["name"], "age": entry["age"], "reason": _dropout_reason_label(entry["reason"])}
            for entry in dropouts
        )
        sentence = _("%(date)s 有 %(low)s 至 %(high)s 周岁的成员失学辍学（非因病因残）：%(names)s")
        return _check("education", FAIL, sentence % {**values, "names": names}, detail)
    if unknown:
        names = _join(entry["name"] for entry in unknown)
        sentence = _("%(date)s %(low)s 至 %(high)s 周岁的成员未登记是否失学辍学：%(names)s")
        return _check("education", MISSING, sentence % {**values, "names": names}, detail)
    sentence = _("%(date)s 没有 %(low)s 至 %(high)s 周岁的成员失学辍学（因病因残除外）")
    return _check("education", PASS, sentence % values, detail)


def _insurances(member: PersonFacts) -> tuple:
    return ((_MEDICAL, member.basic_medical), (_SERIOUS_ILLNESS, member.serious_illness_insurance))


def _lacks(member: PersonFacts, value: bool | None) -> str:
    """The insurances a member lacks (value False) or has not entered (value None), named."""
    return _join(label for label, insured in _insurances(member) if insured is value)


def check_medical(*, year: int, members: Sequence[PersonFacts]) -> Check:
    """Basic medical care (基本医疗): every active member has basic medical (residents' or employees') and
    serious-illness insurance; a flag not entered makes the check missing, unless another member already fails it."""
    if not members:
        detail = {"members": 0, "lacking": []}
        return _check("medical", MISSING, _("%(year)s 年末没有在册成员") % {"year": year}, detail)

    def entry(member):
        return {
            "name": member.name,
            "medical_insurance": member.medical_insurance,
            "employee_medical_insurance": member.employee_medical_insurance,
            "serious_illness_insurance": member.serious_illness_insurance,
        }

    lacking = [member for member in members if False in dict(_insurances(member)).values()]
    unknown = [member for member in members if member not in lacking and None in dict(_insurances(member)).values()]
    detail = {"members": len(members), "lacking": [entry(member) for member in lacking]}
    if unknown:
        detail["unknown"] = [entry(member) for member in unknown]
    if lacking:
        names = _join(
            _("%(name)s（%(lacks)s）") % {"name": member.name, "lacks": _lacks(member, False)} for member in lacking
        )
        return _check("medical", FAIL, _("有成员未参加医疗保险：%(names)s") % {"names": names}, detail)
    if unknown:
        names = _join(
            _("%(name)s（%(lacks)s）") % {"name": member.name, "lacks": _lacks(member, None)} for member in unknown
        )
        return _check("medical", MISSING, _("有成员的医疗保险未登记：%(names)s") % {"names": names}, detail)
    sentence = _("全部 %(count)s 名成员均参加基本医疗保险和大病保险") % {"count": len(members)}
    return _check("medical", PASS, sentence, detail)


def check_housing(*, year: int, record: RecordFacts | None) -> Check:
    """Safe housing (住房安全): grade A or B, or C/D renovated by the year, or relocation done."""
    if record is None:
        return _no_record("housing", year)
    grade, renovated = record.housing_grade, record.renovation_year
    detail = {"housing_grade": grade, "renovation_year": renovated, "relocation_done": record.relocation_done}
    values = {"grade": grade, "renovation_year": renovated, "year": year}
    if grade in SAFE_GRADES:
        return _check("housing", PASS, _("住房安全等级为 %(grade)s 级") % values, detail)
    if record.relocation_done:
        return _check("housing", PASS, _("已完成易地扶贫搬迁入住"), detail)
    if not grade:
        return _check("housing", MISSING, _("%(year)s 年度信息未登记住房安全等级") % values, detail)
    if renovated is not None and renovated <= year:
        sentence = _("住房安全等级为 %(grade)s 级（危房），已于 %(renovation_year)s 年完成危房改造")
        return _check("housing", PASS, sentence % values, detail)
    if renovated is not None:
        sentence = _("住房安全等级为 %(grade)s 级（危房），危房改造年度为 %(renovation_year)s 年，晚于 %(year)s 年")
        return _check("housing", FAIL, sentence % values, detail)
    sentence = _("住房安全等级为 %(grade)s 级（危房），未完成危房改造，也未搬迁入住")
    return _check("housing", FAIL, sentence % values, detail)


def check_water(*, year: int, record: RecordFacts | None) -> Check:
    """Safe drinking water (饮水安全): water safe and access not difficult."""
    if record is None:
        return _no_record("water", year)
    return _recorded(
        "water",
        [("water_safe", _WATER_SAFE, record.water_safe), ("water_access_ok", _WATER_ACCESS, record.water_access_ok)],
    )


def evaluate_exit(
    *,
    year: int,
    record: RecordFacts | None,
    members: Sequence[PersonFacts],
    standard: StandardFacts | None,
    line: str = "poverty",
) -> Evaluation:
    """Exit (line="poverty") or risk-elimination (line="monitoring") evaluation of one household for one year."""
    # 脱贫退出 or 风险消除 (两不愁三保障 + income). `members` are those active on Dec 31 of the year; a record or a
    # standard of another year is a caller's mistake (ValueError), as is an unknown line.
    if line not in LINES:
        raise ValueError(f"line must be one of {tuple(LINES)}, got {line!r}")
    if record is not None and record.year != year:
        raise ValueError(f"the annual record is of {record.year}, not {year}")
    if standard is not None and standard.year != year:
        raise ValueError(f"the policy standard is of {standard.year}, not {year}")
    members = tuple(members)
    checks = (
        check_income(year=year, record=record, standard=standard, line=line),
        check_food(year=year, record=record),
        check_clothing(year=year, record=record),
        check_education(year=year, members=members),
        check_medical(year=year, members=members),
        check_housing(year=year, record=record),
        check_water(year=year, record=record),
    )
    return Evaluation(kind=LINES[line][0], year=year, checks=checks, standard=standard)


# ---------------------------------------------------------------------------------------------------------------------
# Monitoring inclusion (纳入监测)
# ---------------------------------------------------------------------------------------------------------------------


def _per_capita(amount: Decimal, members: int) -> Decimal:
    """An amount per person, to the fen, half-up (as households.rules derives per-capita income)."""
    return (Decimal(amount) / members).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_monitoring_inclusion(*, year: int, record: RecordFacts | None, standard: StandardFacts | None) -> Check:
    """Whether a household qualifies for monitoring (纳入监测): pass = it qualifies.

    It qualifies when its per-capita net income is not above the year's monitoring line (the line risk elimination
    must clear), or when rigid expenses cause hardship 刚性支出致困: what is left per person after the year's
    self-paid medical and schooling costs is not above the monitoring line (the provinces' 扣除刚性支出后 test).
    Missing when the record, its income or the line is not there; an expense not entered counts as none, so the
    income test alone still decides.
    """
    line = standard.monitoring_line if standard is not None else None
    if record is None:
        return _no_record("inclusion", year)
    income = record.per_capita_income
    expenses = [value for value in (record.medical_expense, record.schooling_expense) if value is not None]
    rigid = sum(expenses, Decimal("0.00"))
    detail = {
        "per_capita_income": _money(income),
        "line": _money(line),
        "rigid_expenses": _money(rigid) if expenses else None,
        "members_counted": record.members_counted,
    }
    if income is None or line is None:
        detail["missing"] = ["per_capita_income"] if income is None else ["monitoring_line"]
        item = _("人均纯收入") if income is None else _("%(year)s 年度监测线") % {"year": year}
        return _check("inclusion", MISSING, _("无法判断是否纳入监测，缺少：%(items)s") % {"items": item}, detail)
    left = income - _per_capita(rigid, record.members_counted) if record.members_counted else income
    detail["per_capita_after_rigid"] = _money(left)
    values = {"income": _money(income), "line": _money(line), "left": _money(left), "rigid": _money(rigid)}
    if income <= line:
        return _check("inclusion", PASS, _("人均纯收入 %(income)s 元，未高于监测线 %(line)s 元") % values, detail)
    if left <= line:
        sentence = _("刚性支出 %(rigid)s 元，扣除后人均 %(left)s 元，未高于监测线 %(line)s 元（刚性支出致困）")
        return _check("inclusion", PASS, sentence % values, detail)
    sentence = _("人均纯收入 %(income)s 元（扣除刚性支出后 %(left)s 元），高于监测线 %(line)s 元")
    return _check("inclusion", FAIL, sentence % values, detail)


def evaluate_monitoring_inclusion(
    *, year: int, record: RecordFacts | None, standard: StandardFacts | None
) -> Evaluation:
    """纳入监测 test of one household for one year (passed = it qualifies), with the standard row it used."""
    if record is not None and record.year != year:
        raise ValueError(f"the annual record is of {record.year}, not {year}")
    if standard is not None and standard.year != year:
        raise ValueError(f"the policy standard is of {standard.year}, not {year}")
    check = check_monitoring_inclusion(year=year, record=record, standard=standard)
    return Evaluation(kind="monitoring_inclusion", year=year, checks=(check,), standard=standard)


# ---------------------------------------------------------------------------------------------------------------------
# Village exit (贫困村出列)
# ---------------------------------------------------------------------------------------------------------------------


def _require_count(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


def poverty_incidence(*, poor_people: int, rural_population: int | None) -> Decimal | None:
    """poor people at year end ÷ rural registered population, rounded half-up to 4 places; None without a population (or 0)."""
    # 贫困发生率, in integer arithmetic so that no intermediate rounding can move a half.
    _require_count("poor_people", poor_people)
    if rural_population is None or rural_population == 0:
        return None
    _require_count("rural_population", rural_population)
    quotient, remainder = divmod(poor_people * 10_000, rural_population)
    if 2 * remainder >= rural_population:
        quotient += 1
    return Decimal(f"{quotient}E-4")


def _below(*, poor_people: int, rural_population: int, threshold: Decimal) -> bool:
    """poor_people ÷ rural_population < threshold, exactly (cross-multiplied integers)."""
    numerator, denominator = Decimal(threshold).as_integer_ratio()
    return poor_people * denominator < numerator * rural_population


def check_incidence(
    *, year: int, village: VillageYearFacts | None, poor_people: int, standard: StandardFacts | None
) -> Check:
    """Poverty incidence (贫困发生率): strictly below the standard's village exit threshold."""
    population = village.rural_population if village is not None else None
    incidence = poverty_incidence(poor_people=poor_people, rural_population=population)
    threshold = standard.village_exit_threshold if standard is not None else None
    detail = {
        "incidence": _rate(incidence),
        "threshold": _rate(threshold),
        "poor_people": poor_people,
        "rural_population": population,
    }
    missing, reasons = [], []
    if village is None:
        missing.append("village_year")
        reasons.append(_("%(year)s 年村年度数据") % {"year": year})
    elif not population:
        missing.append("rural_population")
        reasons.append(_("%(year)s 年户籍农业人口") % {"year": year})
    if standard is None:
        missing.append("standard")
        reasons.append(_("%(year)s 年度政策标准") % {"year": year})
    if missing:
        detail["missing"] = missing
        sentence = _("无法计算贫困发生率，缺少：%(items)s") % {"items": _join(reasons)}
        return _check("incidence", MISSING, sentence, detail)
    values = {
        "incidence": _percent(incidence),
        "poor_people": poor_people,
        "rural_population": population,
        "threshold": _percent(threshold),
    }
    if _below(poor_people=poor_people, rural_population=population, threshold=threshold):
        sentence = _(
            "贫困发生率 %(incidence)s（贫困人口 %(poor_people)s 人 ÷ 户籍农业人口 %(rural_population)s 人），"
            "低于出列标准 %(threshold)s"
        )
        return _check("incidence", PASS, sentence % values, detail)
    sentence = _(
        "贫困发生率 %(incidence)s（贫困人口 %(poor_people)s 人 ÷ 户籍农业人口 %(rural_population)s 人），"
        "未低于出列标准 %(threshold)s"
    )
    return _check("incidence", FAIL, sentence % values, detail)


def check_collective_income(*, year: int, village: VillageYearFacts | None, minimum: Decimal) -> Check:
    """Collective income (村集体经济收入): strictly above the minimum."""
    if village is None:
        return _no_village("collective_income", year)
    income = village.collective_income
    detail = {"collective_income": _money(income), "minimum": _money(minimum)}
    if income is None:
        return _check("collective_income", MISSING, _("%(item)s：未登记") % {"item": _COLLECTIVE_INCOME}, detail)
    values = {"income": _money(income), "minimum": _money(minimum)}
    if income > minimum:
        return _check(
            "collective_income", PASS, _("村集体经济收入 %(income)s 元，高于 %(minimum)s 元") % values, detail
        )
    return _check("collective_income", FAIL, _("村集体经济收入 %(income)s 元，未高于 %(minimum)s 元") % values, detail)


def _no_village(name: str, year: int) -> Check:
    return _check(name, MISSING, _("没有 %(year)s 年村年度数据") % {"year": year}, {"village_year": None})


def evaluate_village_exit(
    *,
    year: int,
    village: VillageYearFacts | None,
    poor_people: int,
    standard: StandardFacts | None,
    collective_income_min: Decimal = Decimal("0"),
) -> Evaluation:
    """贫困村出列: incidence below the standard's threshold, infrastructure in place, collective income above the minimum."""
    # `poor_people`: people in households with status poor on Dec 31 of the year. Facts of another year are a
    # caller's mistake (ValueError).
    _require_count("poor_people", poor_people)
    if isinstance(collective_income_min, bool | float) or not isinstance(collective_income_min, Decimal | int):
        raise TypeError(f"collective_income_min must be a Decimal, got {type(collective_income_min).__name__}")
    if village is not None and village.year != year:
        raise ValueError(f"the village figures are of {village.year}, not {year}")
    if standard is not None and standard.year != year:
        raise ValueError(f"the policy standard is of {standard.year}, not {year}")
    checks = [check_incidence(year=year, village=village, poor_people=poor_people, standard=standard)]
    for name in VILLAGE_CHECKS[1:-1]:
        if village is None:
            checks.append(_no_village(name, year))
        else:
            key, label = _VILLAGE_ITEMS[name]
            checks.append(_recorded(name, [(key, label, getattr(village, key))]))
    checks.append(check_collective_income(year=year, village=village, minimum=collective_income_min))
    return Evaluation(kind="village_exit", year=year, checks=tuple(checks), standard=standard)


# ---------------------------------------------------------------------------------------------------------------------
# Facts from rows (model instances or demo plan rows: they share the field names)
# ---------------------------------------------------------------------------------------------------------------------


def _facts(cls, row) -> dict:
    """The fields of a facts class read from a row; a row without a later-added fact that has a default (a demo
    plan row) gives that default: not entered."""
    return {
        item.name: getattr(row, item.name) if item.default is MISSING_FIELD else getattr(row, item.name, item.default)
        for item in fields(cls)
    }


def record_facts_of(*, record) -> RecordFacts:
    """The checks' view of an annual record (年度信息): an AnnualRecord, a PlannedRecord or anything with their fields."""
    return RecordFacts(**_facts(RecordFacts, record))


def members_at_year_end(*, members: Iterable, year: int) -> tuple[PersonFacts, ...]:
    """Members active on Dec 31 of the year (年末在册成员: joined on or before it, not yet left) as PersonFacts."""
    day = year_end(year)
    return tuple(
        PersonFacts(**_facts(PersonFacts, member))
        for member in members
        if (member.joined_on is None or member.joined_on <= day) and (member.left_on is None or member.left_on > day)
    )


def standard_facts_of(*, standard) -> StandardFacts:
    """The facts of a PolicyStandard row (政策标准) to evaluate with and store beside the evaluation."""
    return StandardFacts(
        id=standard.pk,
        year=standard.year,
        region=standard.region_id,
        poverty_line=standard.poverty_line,
        monitoring_line=standard.monitoring_line,
        village_exit_threshold=standard.village_exit_threshold,
        kind=getattr(standard, "kind", "national"),
    )


def collective_income_min_of(*, standard) -> Decimal:
    """The collective income minimum (村集体经济收入下限) of a PolicyStandard row; 0 without a row (domain.md default)."""
    minimum = getattr(standard, "village_collective_income_min", None)
    return Decimal("0") if minimum is None else minimum


def village_year_facts_of(*, village_year) -> VillageYearFacts:
    """The checks' view of a village's year (村年度数据): a VillageYear, a PlannedVillageYear or alike."""
    return VillageYearFacts(**{item.name: getattr(village_year, item.name) for item in fields(VillageYearFacts)})
