"""Household rules: pure functions, no database.

ID-1 checks resident ID numbers (居民身份证号, GB 11643-1999) and disability certificate numbers (残疾人证号);
HH-1 checks household composition (家庭成员构成); the income functions derive annual income (年度收入).
Facts go in, verdicts come out; callers turn verdicts into form errors, API errors or check results.
"""

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from core import regions
from households.choices import SCHOOL_GRADES, Relation

# ---------------------------------------------------------------------------------------------------------------------
# ID-1: resident ID numbers (居民身份证号)
# ---------------------------------------------------------------------------------------------------------------------

ID_NUMBER_CODE = "invalid_id_number"

_ID_NUMBER_PARTS = frozenset(
    {
        "length",
        "characters",
        "birth_date",
        "future_birth_date",
        "check_digit",
        "legacy",
        "sex",
        "birth_date_mismatch",
        "disability_suffix",
    }
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
# str.isdigit() accepts full-width and other Unicode digits, which a register must not store.
_ASCII_DIGITS = re.compile(r"[0-9]+")
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)
_SEXES = ("male", "female")
_SEX_LABELS = {"male": _("男性"), "female": _("女性")}


class IdNumberError(ValueError):
    """An ID number (证件号码) that fails ID-1; `part` says which part is wrong, `str(err)` is the Chinese sentence."""

    code = ID_NUMBER_CODE

    def __init__(self, part: str, message):
        if part not in _ID_NUMBER_PARTS:
            raise ValueError(f"unknown ID number part {part!r}")
        # Both in args so the error survives pickling (task queues, multiprocessing).
        super().__init__(part, message)
        self.part = part
        self.message = message

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class ResidentId:
    """A valid resident ID number (居民身份证号) and what it says about its holder."""

    number: str
    area: str
    birth_date: date
    sex: str


def _is_ascii_digits(text: str) -> bool:
    return _ASCII_DIGITS.fullmatch(text) is not None


def resident_id_check_character(first17: str) -> str:
    """The check character (校验码) of a resident ID from its first 17 digits."""
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def upgrade_legacy_id(number15: str) -> str:
    """The 18-digit form of a 15-digit legacy number (15位旧身份证号): insert "19" before the year, append the check."""
    if len(number15) != 15 or not _is_ascii_digits(number15):
        raise ValueError(f"expected 15 ASCII digits, got {number15!r}")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + resident_id_check_character(first17)


def parse_resident_id(number: str, *, today: date) -> ResidentId:
    """Parse and fully validate an 18-character resident ID (居民身份证号); IdNumberError naming the wrong part."""
    number = number.strip()
    if len(number) == 15 and _is_ascii_digits(number):
        raise IdNumberError(
            "legacy",
            _("这是15位旧身份证号，请改为18位新号码：%(upgraded)s") % {"upgraded": upgrade_legacy_id(number)},
        )
    if len(number) != 18:
        raise IdNumberError("length", _("身份证号应为18位，实为 %(length)s 位") % {"length": len(number)})
    for position, character in enumerate(number, start=1):
        allowed = character in "0123456789" or (position == 18 and character in "Xx")
        if not allowed:
            raise IdNumberError(
                "characters",
                _("身份证号第 %(position)s 位“%(character)s”不允许：前17位只能是半角数字，最后一位可以是数字或 X")
                % {"position": position, "character": character},
            )
    number = number.upper()

    digits = number[6:14]
    try:
        birth_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise IdNumberError("birth_date", _("身份证号中的出生日期 %(date)s 不存在") % {"date": digits}) from None
    if birth_date < _EARLIEST_BIRTH_DATE:
        raise IdNumberError("birth_date", _("身份证号中的出生日期 %(date)s 早于1900年1月1日") % {"date": digits})
    if birth_date > today:
        raise IdNumberError(
            "future_birth_date",
            _("身份证号中的出生日期 %(date)s 晚于今天（%(today)s）") % {"date": digits, "today": today.isoformat()},
        )

    expected = resident_id_check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError(
            "check_digit",
            _("身份证号校验位错误：按前17位应为 %(expected)s，实为 %(actual)s")
            % {"expected": expected, "actual": number[17]},
        )
    return ResidentId(
        number=number,
        area=number[:6],
        birth_date=birth_date,
        sex="male" if int(number[16]) % 2 else "female",
    )


def _check_agreement(resident_id: ResidentId, *, sex: str | None, birth_date: date | None) -> None:
    if sex:
        if sex not in _SEXES:
            raise ValueError(f"sex must be 'male' or 'female', got {sex!r}")
        if sex != resident_id.sex:
            raise IdNumberError(
                "sex",
                _("性别与身份证号不符：身份证号第17位表示%(sex)s") % {"sex": _SEX_LABELS[resident_id.sex]},
            )
    if birth_date is not None and birth_date != resident_id.birth_date:
        raise IdNumberError(
            "birth_date_mismatch",
            _("出生日期与身份证号不符：身份证号为 %(date)s") % {"date": resident_id.birth_date.isoformat()},
        )


def check_identity(
    *, id_type: str, id_number: str, sex: str | None, birth_date: date | None, today: date
) -> ResidentId | None:
    """ID-1 for a member (家庭成员): the number is valid for its type (证件类型) and agrees with sex and birth date.

    "resident_id" (居民身份证): the whole number is a resident ID. "disability_cert" (残疾人证): 20 characters, a
    resident ID then one digit disability category (残疾类别) 1-7 and one digit grade (残疾等级) 1-4; the resident ID is
    returned. "other" (其他证件): any non-empty number, returns None. A blank sex ("" or None) or a None birth date
    is not compared; unknown id_type or sex values are programming errors (ValueError).
    """
    if id_type == "resident_id":
        resident_id = parse_resident_id(id_number, today=today)
    elif id_type == "disability_cert":
        number = id_number.strip()
        if len(number) != 20:
            raise IdNumberError(
                "length",
                _("残疾人证号应为20位（18位身份证号加残疾类别、残疾等级各1位），实为 %(length)s 位")
                % {"length": len(number)},
            )
        resident_id = parse_resident_id(number[:18], today=today)
        suffix = number[18:]
        if suffix[0] not in "1234567" or suffix[1] not in "1234":
            raise IdNumberError(
                "disability_suffix",
                _("残疾人证号最后两位应为残疾类别（1至7）和残疾等级（1至4），实为 %(suffix)s") % {"suffix": suffix},
            )
    elif id_type == "other":
        if not id_number.strip():
            raise IdNumberError("length", _("证件号码不能为空"))
        return None
    else:
        raise ValueError(f"unknown id_type {id_type!r}")
    _check_agreement(resident_id, sex=sex, birth_date=birth_date)
    return resident_id


def make_resident_id(*, area: str, birth_date: date, sequence: int, sex: str) -> str:
    """A valid synthetic resident ID (模拟身份证号) for demo and test data.

    The 3-digit sequence field (顺序码) is 2 * sequence + 1 for a male and 2 * sequence for a female, so sequence
    0..499 gives 500 distinct numbers per (area, birth_date, sex): 001, 003 … 999 for males, 000, 002 … 998 for
    females. ValueError for a sequence outside 0..499, an area that is not 6 digits, a birth date before 1900 or an
    unknown sex.
    """
    if len(area) != 6 or not _is_ascii_digits(area):
        raise ValueError(f"area must be 6 ASCII digits, got {area!r}")
    if birth_date < _EARLIEST_BIRTH_DATE:
        raise ValueError(f"birth_date must not be before {_EARLIEST_BIRTH_DATE}, got {birth_date}")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= 499:
        raise ValueError(f"sequence must be an integer in 0..499, got {sequence!r}")
    if sex not in _SEXES:
        raise ValueError(f"sex must be 'male' or 'female', got {sex!r}")
    field = 2 * sequence + (1 if sex == "male" else 0)
    first17 = f"{area}{birth_date:%Y%m%d}{field:03d}"
    return first17 + resident_id_check_character(first17)


# ---------------------------------------------------------------------------------------------------------------------
# School status (在校生状况): the grade of a level
# ---------------------------------------------------------------------------------------------------------------------

# The usual age (in whole years) of a first-year pupil of each level with grades; a year older is the next grade.
FIRST_GRADE_AGE = {"junior": 12, "senior": 15, "secondary_vocational": 15, "higher_vocational": 18}


def school_grade(level: str, age: int) -> str:
    """The school status (national 01–16) of a pupil at `level` (junior, senior, …) aged `age`: the grade a pupil of
    that age usually attends, the first or the last where the age is outside the usual ones. A level without grades
    (primary, college, …) is its own status."""
    grades = SCHOOL_GRADES[level]
    if len(grades) == 1:
        return grades[0]
    return grades[min(max(age - FIRST_GRADE_AGE[level], 0), len(grades) - 1)]


# ---------------------------------------------------------------------------------------------------------------------
# HH-1: household composition (家庭成员构成)
# ---------------------------------------------------------------------------------------------------------------------

COMPOSITION_CODE = "invalid_household_composition"

HEAD = Relation.HEAD.value
SPOUSE = Relation.SPOUSE.value
# The national table's sex-bound relations (docs/domain.md): 之子, 之女婿, 之孙子, 之外孙子, 之父, 之岳父, 之公公, 之祖父,
# 之外祖父 are men; 之女, 之儿媳, 之孙女, 之外孙女, 之母, 之岳母, 之婆婆, 之祖母, 之外祖母 women. HH-1's SQL reads these too.
MALE_RELATIONS = frozenset({"03", "06", "07", "09", "11", "13", "15", "17", "19"})
FEMALE_RELATIONS = frozenset({"04", "05", "08", "10", "12", "14", "16", "18", "20"})
# Some national exports write 其他 as 21; the register keeps 99.
_RELATION_ALIASES = {"21": Relation.OTHER.value}


def relation_from_national(code: str) -> str:
    """The stored relation (与户主关系) for a code read from a national export, for the import.

    Accepts the two-digit code (a leading zero may be missing: "3" is 03) and 21, which some exports write for
    其他 (stored as 99). Raises ValueError for anything else, so a wrong cell is reported, never guessed.
    """
    text = str(code).strip()
    text = text.zfill(2) if text.isdigit() and len(text) == 1 else text
    text = _RELATION_ALIASES.get(text, text)
    if text not in Relation.values:
        raise ValueError(f"not a national relation code: {code!r}")
    return text


@dataclass(frozen=True)
class MemberFacts:
    """What HH-1 needs to know about one household member (家庭成员)."""

    key: str
    relation: str
    sex: str
    active: bool


@dataclass(frozen=True)
class Violation:
    """One broken household rule: where to report it, its stable code and the Chinese sentence."""

    field: str
    code: str
    message: object


def composition_violations(members: list[MemberFacts]) -> list[Violation]:
    """HH-1 household composition (家庭成员构成): one head (户主), at most one spouse (配偶) of the other sex.

    Every active member's relation to the head (与户主关系) must agree with their sex. Members who have left (not
    active) are ignored. Household-wide violations come first, then each member's in the order given; an empty list
    means the household is consistent.
    """
    active = [member for member in members if member.active]
    heads = [member for member in active if member.relation == HEAD]
    spouses = [member for member in active if member.relation == SPOUSE]
    violations: list[Violation] = []

    if not heads:
        violations.append(Violation("members", COMPOSITION_CODE, _("户内没有户主：须有且只有一名在册成员登记为户主")))
    elif len(heads) > 1:
        violations.append(
            Violation("members", COMPOSITION_CODE, _("户内有 %(count)s 名户主：只能有一名") % {"count": len(heads)})
        )
    if len(spouses) > 1:
        violations.append(
            Violation(
                "members", COMPOSITION_CODE, _("户内有 %(count)s 名配偶：最多只能有一名") % {"count": len(spouses)}
            )
        )

    # With several heads there is no telling whose spouse is whose, so only a single head is compared.
    head_sex = heads[0].sex if len(heads) == 1 and heads[0].sex in _SEXES else None
    for member in active:
        expected = (
            "male" if member.relation in MALE_RELATIONS else "female" if member.relation in FEMALE_RELATIONS else None
        )
        # An unrecorded or unknown sex is another rule's business; only a recorded opposite sex contradicts.
        if expected and member.sex in _SEXES and member.sex != expected:
            violations.append(
                Violation(
                    f"{member.key}.relation",
                    COMPOSITION_CODE,
                    _("与户主关系为“%(relation)s”的成员应为%(expected)s，此处登记为%(actual)s")
                    % {
                        "relation": Relation(member.relation).label,
                        "expected": _SEX_LABELS[expected],
                        "actual": _SEX_LABELS[member.sex],
                    },
                )
            )
        if member.relation == SPOUSE and head_sex and member.sex == head_sex:
            violations.append(
                Violation(
                    f"{member.key}.sex",
                    COMPOSITION_CODE,
                    _("配偶与户主同为%(sex)s：配偶的性别应与户主不同") % {"sex": _SEX_LABELS[head_sex]},
                )
            )
    return violations


# ---------------------------------------------------------------------------------------------------------------------
# Annual income (年度收入)
# ---------------------------------------------------------------------------------------------------------------------

CENT = Decimal("0.01")


@dataclass(frozen=True)
class IncomeFacts:
    """A household's annual income items (年度收入明细) in yuan."""

    wages: Decimal
    business_income: Decimal
    business_cost: Decimal
    property_income: Decimal
    dibao: Decimal
    tekun: Decimal
    pension: Decimal
    eco_compensation: Decimal
    family_planning: Decimal
    other_transfer: Decimal

    def __post_init__(self):
        # A float has already lost the exact amount by the time it gets here; whole-yuan ints are exact.
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, Decimal | int):
                raise TypeError(f"{item.name} must be a Decimal, got {type(value).__name__}")
            if isinstance(value, Decimal) and not value.is_finite():
                raise ValueError(f"{item.name} must be a finite amount, got {value}")


def transfer_income(facts: IncomeFacts) -> Decimal:
    """Transfer income (转移性收入): 低保金, 特困供养金, 养老金, 生态补偿金, 计划生育金 and other transfers."""
    total = (
        Decimal(facts.dibao)
        + facts.tekun
        + facts.pension
        + facts.eco_compensation
        + facts.family_planning
        + facts.other_transfer
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def net_income(facts: IncomeFacts) -> Decimal:
    """Household net income (家庭纯收入): wages + business income - business cost + property + transfer income."""
    total = (
        Decimal(facts.wages)
        + facts.business_income
        - facts.business_cost
        + facts.property_income
        + transfer_income(facts)
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def per_capita_income(*, net: Decimal, members: int) -> Decimal | None:
    """Per-capita net income (人均纯收入): net ÷ members at year end, rounded half-up to 0.01 yuan; None for 0 members.

    Half-up means halves go away from zero, as Decimal's ROUND_HALF_UP does, so a loss rounds like a gain.
    """
    if isinstance(members, bool) or not isinstance(members, int) or members < 0:
        raise ValueError(f"members must be a non-negative integer, got {members!r}")
    if isinstance(net, float) or not isinstance(net, Decimal | int):
        raise TypeError(f"net must be a Decimal, got {type(net).__name__}")
    net = Decimal(net)
    if not net.is_finite():
        raise ValueError(f"net must be a finite amount, got {net}")
    if members == 0:
        return None
    # Integer arithmetic, because Decimal division first rounds to 28 digits and a second rounding to cents
    # could then land on the wrong side of a half cent.
    sign, digits, exponent = net.as_tuple()
    numerator = int("".join(map(str, digits))) * 100
    denominator = members
    if exponent >= 0:
        numerator *= 10**exponent
    else:
        denominator *= 10**-exponent
    cents, remainder = divmod(numerator, denominator)
    if 2 * remainder >= denominator:
        cents += 1
    # Built from text because scaleb() would round to the context's 28 digits again.
    return Decimal(f"{-cents if sign and cents else cents}E-2")


def person_number(*, id_type: str, id_number: str) -> str:
    """The number that identifies the person (ID-2): a disability certificate stands for its first 18 characters."""
    number = (id_number or "").strip().upper()
    if id_type == "disability_cert":
        return number[:18]
    return number


# ---------------------------------------------------------------------------------------------------------------------
# Policy standards (政策标准): which row applies
# ---------------------------------------------------------------------------------------------------------------------


def most_specific_standard(candidates, region_code: str, kind: str = "national"):
    """The standard that applies to a region among rows of one year: the most specific region wins (a village's
    own row, then its township's … then its province's), then the nationwide row (no region); None if none applies.

    `candidates` are rows with a `region_id` (None: nationwide) and a `kind` (识别标准, national when absent); rows
    of other regions are ignored. `kind` is the household's identification standard: a provincial (or municipal)
    household is measured against a row of that kind where one applies, else against the national rows.
    """
    codes = set(regions.region_and_ancestor_codes(region_code))
    applicable = [row for row in candidates if row.region_id is None or row.region_id in codes]
    of_kind = [row for row in applicable if getattr(row, "kind", "national") == kind]
    national = [row for row in applicable if getattr(row, "kind", "national") == "national"]
    applicable = of_kind or national
    if not applicable:
        return None
    return max(applicable, key=lambda row: len(regions.significant_prefix(row.region_id)) if row.region_id else 0)


# Compulsory education (义务教育, nine years): the ages, in whole years on the day the facts describe, at which a child
# belongs in school. One range for the exit check (lifecycle.eligibility.check_education) and HH-7's school-age
# plausibility (checks.register_rules), so that the two never disagree about a 6-year-old.
COMPULSORY_SCHOOL_AGES = (6, 15)


# ---------------------------------------------------------------------------------------------------------------------
# Household numbers (户编号) as a range: the lists' index
# ---------------------------------------------------------------------------------------------------------------------


def number_bounds(prefix: str) -> tuple[str, str | None]:
    """The household numbers of a region's subtree as a half-open range [low, high) of strings.

    A household number is its village's code followed by a 4-digit sequence (household_number_in_village), so
    the numbers in the subtree of a region whose codes start with `prefix` (core.regions.significant_prefix)
    are exactly those from `prefix` up to, not including, the next prefix of the same length ("2208" →
    "2209", "2209" → "2210"). As a range, not a LIKE, the plain unique index on the number serves both
    the filter and the list's order by number, under any collation (the strings are digits only).
    None for `high` when the prefix is all nines (nothing above it).
    """
    if not prefix or not prefix.isascii() or not prefix.isdigit():
        raise ValueError(f"a region prefix is digits: {prefix!r}")
    if set(prefix) == {"9"}:
        return prefix, None
    return prefix, str(int(prefix) + 1).zfill(len(prefix))
