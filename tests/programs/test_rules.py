"""The programs app's pure rules: money parsing, subtypes, periods, targeting predicates and ratios (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from programs import rules
from programs.choices import SUBTYPE_CATEGORY, Category, Subtype

R = rules.RecordFacts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1200", Decimal("1200.00")),
        ("1200.5", Decimal("1200.50")),
        (" 0.01 ", Decimal("0.01")),
        ("12.340", Decimal("12.34")),
        (1000, Decimal("1000.00")),
        (Decimal("7.1"), Decimal("7.10")),
        ("0", Decimal("0.00")),
        ("-0", Decimal("0.00")),
    ],
)
def test_parse_money_accepts_plain_decimals(value, expected):
    """Digits with at most two significant decimal places (a string, an int or a Decimal) are exact yuan."""
    assert rules.parse_money(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1e3", "invalid"),
        ("12.345", "too_many_places"),
        ("-5", "negative"),
        ("-0.01", "negative"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("", "invalid"),
        ("1,000", "invalid"),
        (".5", "invalid"),
        ("0x10", "invalid"),
        (12.5, "invalid"),
        (True, "invalid"),
        (None, "invalid"),
        ([1], "invalid"),
        (Decimal("NaN"), "invalid"),
        (Decimal("1.005"), "too_many_places"),
        ("1" * 13, "too_large"),
    ],
)
def test_parse_money_refuses_everything_else(value, code):
    """Exponents, signs, binary floats, more than two places and absurd sizes are refused with a code."""
    with pytest.raises(rules.MoneyError) as error:
        rules.parse_money(value)
    assert error.value.code == code


def test_large_money_allows_budgets_of_a_hundred_million():
    """A budget or project fund may reach 100000000.00 yuan and more (16 digits)."""
    assert rules.parse_money("100000000.00", max_digits=rules.LARGE_MONEY_MAX_DIGITS) == Decimal("100000000.00")


def test_every_subtype_belongs_to_exactly_one_category():
    """The subtype table covers every subtype, and a subtype fits only its own category."""
    assert set(SUBTYPE_CATEGORY) == set(Subtype.values)
    assert rules.subtype_fits(category=Category.INDUSTRY, subtype=Subtype.CATTLE_BASE)
    assert not rules.subtype_fits(category=Category.EDUCATION, subtype=Subtype.CATTLE_BASE)
    assert rules.subtype_fits(category=Category.OTHER, subtype="")


def test_years_and_dates():
    """Years run 2013–2100 with the end not before the start; a date lies within the years by its year."""
    assert rules.years_valid(start_year=2016, end_year=2016)
    assert not rules.years_valid(start_year=2017, end_year=2016)
    assert not rules.years_valid(start_year=2012, end_year=2016)
    assert rules.date_in_years(day=date(2018, 12, 31), start_year=2016, end_year=2018)
    assert not rules.date_in_years(day=date(2019, 1, 1), start_year=2016, end_year=2018)


def test_member_belongs_on_a_day():
    """A member belongs from the day they joined (or always, without a date) until the day they left (excluded)."""
    assert rules.member_belongs_on(joined_on=None, left_on=None, day=date(2017, 1, 1))
    assert rules.member_belongs_on(joined_on=date(2017, 1, 1), left_on=date(2017, 6, 1), day=date(2017, 5, 31))
    assert not rules.member_belongs_on(joined_on=date(2017, 1, 1), left_on=date(2017, 6, 1), day=date(2017, 6, 1))
    assert not rules.member_belongs_on(joined_on=date(2017, 1, 2), left_on=None, day=date(2017, 1, 1))


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((date(2016, 1, 1), None), (date(2017, 1, 1), None), True),
        ((date(2016, 1, 1), date(2017, 1, 1)), (date(2017, 1, 1), None), False),
        ((date(2016, 1, 1), date(2017, 1, 2)), (date(2017, 1, 1), None), True),
        ((date(2018, 1, 1), None), (date(2016, 1, 1), date(2017, 1, 1)), False),
    ],
)
def test_periods_overlap_as_half_open_ranges(a, b, overlap):
    """Memberships are [joined, left): one may start on the day another ends."""
    assert rules.periods_overlap(*a, *b) is overlap
    assert rules.periods_overlap(*b, *a) is overlap


def test_membership_active_and_in_period():
    """A membership left on a day is no longer active that day, but was active in a period reaching the day before."""
    joined, left = date(2016, 3, 1), date(2017, 3, 1)
    assert rules.membership_active_on(joined=joined, left=left, day=date(2017, 2, 28))
    assert not rules.membership_active_on(joined=joined, left=left, day=date(2017, 3, 1))
    assert rules.membership_in_period(joined=joined, left=left, start=date(2017, 1, 1), end=date(2017, 12, 31))
    assert not rules.membership_in_period(joined=joined, left=left, start=date(2018, 1, 1), end=date(2018, 12, 31))
    assert not rules.membership_in_period(joined=date(2018, 1, 1), left=None, start=date(2017, 1, 1), end=date(2017, 12, 31))


def test_housing_rule_reads_the_latest_record_up_to_the_year():
    """C or D on the latest record up to the year without a renovation year needs renovation; a later record is ignored."""
    records = [R(2015, "C", None), R(2016, "B", None), R(2018, "D", None)]
    assert not rules.needs_housing_renovation(records, year=2017)  # 2016 says B
    assert rules.needs_housing_renovation(records, year=2018)
    assert rules.needs_housing_renovation(records, year=2015)
    assert not rules.needs_housing_renovation([R(2017, "C", 2017)], year=2017)
    assert not rules.needs_housing_renovation([], year=2017)
    assert not rules.needs_housing_renovation([R(2017, "", None)], year=2017)


def test_student_and_illness_predicates():
    """Vocational, college and serious-illness predicates look at the members' coded values."""
    assert rules.has_vocational_student(["not_in_school", "secondary_vocational_1"])
    assert rules.has_vocational_student(["higher_vocational_3"])
    assert not rules.has_vocational_student(["senior_3", "college"])
    assert rules.has_college_student(["college"])
    assert not rules.has_college_student(["higher_vocational_2"])


@pytest.mark.parametrize("code", [f"{n:02d}" for n in range(1, 17)])
def test_vocational_students_are_national_codes_10_to_15_and_college_16(code):
    """中职 is the national school status 10–12 and 高职 13–15, every grade; 大专及以上 is 16 (docs/domain.md)."""
    from households.choices import NATIONAL_CODES, SchoolStatus

    status = {national: value for value, national in NATIONAL_CODES[SchoolStatus].items()}[code]
    assert rules.has_vocational_student([status]) is (10 <= int(code) <= 15)
    assert rules.has_college_student([status]) is (code == "16")
    assert rules.has_serious_illness(["healthy", "serious_illness"])
    assert not rules.has_serious_illness(["chronic", "disabled"])


def test_industry_coverage_predicate():
    """An industry or asset-income benefit, or a cooperative membership, covers a household; other help does not."""
    assert rules.industry_covered(benefit_categories=["industry"], in_cooperative=False)
    assert rules.industry_covered(benefit_categories=["asset_income"], in_cooperative=False)
    assert rules.industry_covered(benefit_categories=[], in_cooperative=True)
    assert not rules.industry_covered(benefit_categories=["education", "health"], in_cooperative=False)



def test_money_text():
    """Money is shown as a decimal string with two places; nothing is 0.00."""
    assert rules.money_text(Decimal("12.5")) == "12.50"
    assert rules.money_text(None) == "0.00"
    assert rules.money_text(Decimal("100000000")) == "100000000.00"
