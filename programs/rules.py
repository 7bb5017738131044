"""Rules of the programs app as pure functions: facts in, verdicts out, no database, no writes.

The services validate with these; the targeting querysets (programs.targeting) are the set-based
form of the predicates here, and the tests hold the two to the same answers.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from households.choices import HIGHER_VOCATIONAL, SECONDARY_VOCATIONAL, SchoolStatus
from programs.choices import SUBTYPE_CATEGORY, Category

# Money -----------------------------------------------------------------------------------------

MONEY_PLACES = 2
MONEY_MAX_DIGITS = 14  # a benefit, a dividend: up to 999 999 999 999.99 yuan
LARGE_MONEY_MAX_DIGITS = 16  # a budget, a project's funds
# Plain decimal notation only: no exponent ("1e3"), no sign, no "NaN" or "Infinity", at most 2 places.
_MONEY = re.compile(r"^(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]*))?$")


class MoneyError(ValueError):
    """An amount that is not a non-negative decimal with at most two places; `code` says which part fails."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def parse_money(value, *, max_digits: int = MONEY_MAX_DIGITS) -> Decimal:
    """An exact amount of yuan from a decimal string, an int or a Decimal; MoneyError for anything else.

    >>> parse_money("12.5")
    Decimal('12.50')
    >>> parse_money(1000)
    Decimal('1000.00')

    Binary floats are refused (0.1 is not exactly a tenth): money travels as a decimal string.
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError("invalid", "amount must be a decimal number such as 1200.00")
    if isinstance(value, float):
        raise MoneyError("invalid", "amount must be a decimal string such as \"1200.50\", not a binary float")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError("invalid", "amount must be a finite number")
        text = format(value, "f")
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise MoneyError("invalid", "amount must be a decimal number such as 1200.00")
    if text.startswith("-"):
        body = text[1:]
        if _MONEY.match(body) and Decimal(body) != 0:
            raise MoneyError("negative", "amount cannot be negative")
        text = body
    match = _MONEY.match(text)
    if not match:
        raise MoneyError("invalid", "amount must be written as digits with at most two decimal places, e.g. 1200.50")
    fraction = (match.group("fraction") or "").rstrip("0")
    if len(fraction) > MONEY_PLACES:
        raise MoneyError("too_many_places", "amount has more than two decimal places")
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only plain decimals
        raise MoneyError("invalid", "amount is not a number") from exc
    if len(match.group("whole").lstrip("0")) > max_digits - MONEY_PLACES:
        raise MoneyError("too_large", "amount is too large")
    return amount


# Programs --------------------------------------------------------------------------------------


def subtype_fits(*, category: str, subtype: str) -> bool:
    """A program's subtype (may be empty) belongs to its category."""
    return not subtype or SUBTYPE_CATEGORY.get(subtype) == category


def years_valid(*, start_year: int, end_year: int) -> bool:
    return 2013 <= start_year <= end_year <= 2100


def date_in_years(*, day: datetime.date, start_year: int, end_year: int) -> bool:
    """A benefit's date lies within its program's years."""
    return start_year <= day.year <= end_year


def code_in_region(*, code: str, region_prefix: str) -> bool:
    """A village code lies in the subtree of a region (given by its significant prefix)."""
    return code.startswith(region_prefix)


def member_belongs_on(*, joined_on: datetime.date | None, left_on: datetime.date | None, day: datetime.date) -> bool:
    """A member belonged to the household on a day: joined on or before it (or before the register), not yet left."""
    return (joined_on is None or joined_on <= day) and (left_on is None or left_on > day)


# Periods (memberships) -------------------------------------------------------------------------


def periods_overlap(
    a_start: datetime.date, a_end: datetime.date | None, b_start: datetime.date, b_end: datetime.date | None
) -> bool:
    """Two half-open periods [start, end) overlap; an open end (None) runs for ever."""
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def membership_active_on(*, joined: datetime.date, left: datetime.date | None, day: datetime.date) -> bool:
    """A cooperative membership is active on a day: joined on or before it, left after it (or not at all)."""
    return joined <= day and (left is None or left > day)


def membership_in_period(
    *, joined: datetime.date, left: datetime.date | None, start: datetime.date, end: datetime.date
) -> bool:
    """A cooperative membership is active on some day of [start, end] (both days included)."""
    return joined <= end and (left is None or left > start)


# Targeting predicates (the facts of one household; programs.targeting is their set-based form) -------

DILAPIDATED_GRADES = frozenset({"C", "D"})
# 中职 (national 10–12) and 高职 (13–15), every grade; 大专及以上 (16).
VOCATIONAL_SCHOOL = SECONDARY_VOCATIONAL | HIGHER_VOCATIONAL
COLLEGE = frozenset({SchoolStatus.COLLEGE.value})
SERIOUS_ILLNESS = "serious_illness"
INDUSTRY_CATEGORIES = frozenset({Category.INDUSTRY.value, Category.ASSET_INCOME.value})
POOR = "poor"


@dataclass(frozen=True)
class RecordFacts:
    """What a targeting rule reads of an annual record."""

    year: int
    housing_grade: str
    renovation_year: int | None


def latest_record(records: list[RecordFacts], *, year: int) -> RecordFacts | None:
    """The household's latest annual record up to the year."""
    eligible = [r for r in records if r.year <= year]
    return max(eligible, key=lambda r: r.year) if eligible else None


def needs_housing_renovation(records: list[RecordFacts], *, year: int) -> bool:
    """housing_cd_not_renovated: the latest record up to the year grades the house C or D and names no renovation."""
    record = latest_record(records, year=year)
    return record is not None and record.housing_grade in DILAPIDATED_GRADES and record.renovation_year is None


def has_vocational_student(school_statuses: list[str]) -> bool:
    """vocational_students: a member (active on the day) in secondary or higher vocational school."""
    return any(status in VOCATIONAL_SCHOOL for status in school_statuses)


def has_college_student(school_statuses: list[str]) -> bool:
    """college_students: a member (active on the day) at college or university."""
    return any(status in COLLEGE for status in school_statuses)


def has_serious_illness(healths: list[str]) -> bool:
    """serious_illness: a member (active on the day) with a serious illness."""
    return SERIOUS_ILLNESS in healths


def industry_covered(*, benefit_categories: list[str], in_cooperative: bool) -> bool:
    """产业覆盖: an industry or asset-income benefit in the period, or a cooperative membership active in it."""
    return in_cooperative or any(category in INDUSTRY_CATEGORIES for category in benefit_categories)


# Figures ---------------------------------------------------------------------------------------


def money_text(value: Decimal | str | None) -> str:
    """Money as the API shows it: a decimal string with two places ("0.00" for nothing)."""
    return f"{Decimal(value or 0).quantize(Decimal('0.01')):f}"
