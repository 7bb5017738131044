"""Household rules: ID-1 identity numbers, HH-1 composition and income arithmetic, without a database."""

import pickle
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from households.rules import (
    COMPOSITION_CODE,
    FEMALE_RELATIONS,
    ID_NUMBER_CODE,
    MALE_RELATIONS,
    IdNumberError,
    IncomeFacts,
    MemberFacts,
    ResidentId,
    Violation,
    check_identity,
    composition_violations,
    make_resident_id,
    net_income,
    parse_resident_id,
    per_capita_income,
    relation_from_national,
    resident_id_check_character,
    school_grade,
    transfer_income,
    upgrade_legacy_id,
)

TODAY = date(2024, 6, 1)

# The GB 11643-1999 example: Beijing Chaoyang, born 1949-12-31, sequence 002 (female), check X.
STANDARD_FEMALE = "11010519491231002X"
# Shenzhen Futian, born 1985-12-15, sequence 123 (male), check 3 (worked out by hand below).
MALE = "440304198512151233"


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


def parse(number):
    return parse_resident_id(number, today=TODAY)


def raises_part(part):
    """Context manager asserting an IdNumberError for `part`; `.value` is the error."""
    return pytest.raises(IdNumberError, check=lambda err: err.part == part)


# ---------------------------------------------------------------------------------------------------------------------
# Check character
# ---------------------------------------------------------------------------------------------------------------------


def test_check_character_of_the_standard_example_is_x():
    """The GB 11643 example 11010519491231002X has check X: weighted sum 167, 167 mod 11 = 2, "10X98765432"[2]."""
    digits = [1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    products = [7, 9, 0, 5, 0, 20, 2, 9, 24, 27, 7, 18, 30, 5, 0, 0, 4]
    assert [d * w for d, w in zip(digits, weights, strict=True)] == products
    assert sum(products) == 167
    assert 167 % 11 == 2
    assert resident_id_check_character("11010519491231002") == "X"


def test_check_character_of_a_male_example_is_3():
    """44030419851215123 has weighted sum 251, 251 mod 11 = 9, "10X98765432"[9] = "3"."""
    products = [28, 36, 0, 15, 0, 16, 2, 9, 48, 15, 7, 18, 10, 25, 8, 8, 6]
    assert sum(products) == 251
    assert 251 % 11 == 9
    assert resident_id_check_character("44030419851215123") == "3"


def test_check_character_of_the_second_standard_example_is_4():
    """The other GB 11643 example 440524188001010014: weighted sum 195, 195 mod 11 = 8, "10X98765432"[8] = "4"."""
    products = [28, 36, 0, 25, 16, 16, 2, 8, 48, 0, 0, 9, 0, 5, 0, 0, 2]
    assert sum(products) == 195
    assert resident_id_check_character("44052418800101001") == "4"


@pytest.mark.parametrize("first17", ["1101051949123100", "110105194912310021", "1101051949123100X", "１" * 17])
def test_check_character_needs_exactly_17_ascii_digits(first17):
    """The check character is only defined for 17 ASCII digits."""
    with pytest.raises(ValueError, match="17 ASCII digits"):
        resident_id_check_character(first17)


# ---------------------------------------------------------------------------------------------------------------------
# parse_resident_id: valid numbers
# ---------------------------------------------------------------------------------------------------------------------


def test_standard_example_parses_as_a_woman_born_1949_12_31():
    """A valid number with check X gives its area, birth date and sex (even 17th digit = female)."""
    assert parse(STANDARD_FEMALE) == ResidentId(
        number=STANDARD_FEMALE, area="110105", birth_date=date(1949, 12, 31), sex="female"
    )


def test_male_number_parses_as_a_man():
    """An odd 17th digit means male."""
    assert parse(MALE) == ResidentId(number=MALE, area="440304", birth_date=date(1985, 12, 15), sex="male")


def test_lowercase_x_is_accepted_and_normalised():
    """A lowercase x check character is valid and stored upper-case."""
    assert parse("11010519491231002x").number == STANDARD_FEMALE


def test_surrounding_spaces_are_stripped():
    """Spaces (including a full-width space) around the number are ignored."""
    assert parse(f"  {MALE}\u3000").number == MALE


def test_a_person_born_today_is_valid():
    """A birth date equal to today is not in the future."""
    number = make_resident_id(area="220821", birth_date=TODAY, sequence=0, sex="female")
    assert parse(number).birth_date == TODAY


def test_a_person_born_on_1900_01_01_is_valid():
    """1900-01-01 is the earliest birth date accepted."""
    number = make_resident_id(area="220821", birth_date=date(1900, 1, 1), sequence=7, sex="male")
    assert parse(number).birth_date == date(1900, 1, 1)


# ---------------------------------------------------------------------------------------------------------------------
# parse_resident_id: each failing part
# ---------------------------------------------------------------------------------------------------------------------


def test_error_carries_the_stable_code_and_the_sentence():
    """Every ID-1 error has code invalid_id_number, and str() is the Chinese sentence it carries."""
    with raises_part("length") as caught:
        parse("123")
    assert caught.value.code == ID_NUMBER_CODE == "invalid_id_number"
    assert str(caught.value) == str(caught.value.message)
    assert isinstance(caught.value, ValueError)


def test_error_survives_pickling():
    """An ID-1 error can cross a process boundary with its part and sentence."""
    with raises_part("check_digit") as caught:
        parse("110105194912310021")
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert copy.part == "check_digit"
    assert str(copy) == str(caught.value)


def test_unknown_part_is_a_programming_error():
    """An IdNumberError can only name one of the documented parts."""
    with pytest.raises(ValueError, match="unknown ID number part"):
        IdNumberError("colour", "x")


@pytest.mark.parametrize(
    ("number", "length"),
    [("", 0), ("1101051949123100", 16), ("11010519491231002X1", 19), ("1101051949123100211", 19)],
)
def test_wrong_length_is_reported_with_the_actual_length(number, length):
    """Anything but 18 characters (and not a 15-digit legacy number) fails on length."""
    with raises_part("length") as caught:
        parse(number)
    assert str(caught.value) == f"身份证号应为18位，实为 {length} 位"


def test_fifteen_characters_that_are_not_all_digits_are_a_length_error():
    """A 15-character number with a letter is not a legacy number, just the wrong length."""
    with raises_part("length"):
        parse("11010549123100X")


@pytest.mark.parametrize(
    ("number", "position", "character"),
    [
        ("11010519491231002Y", 18, "Y"),
        ("1101051949123100AX", 17, "A"),
        ("X10105194912310020", 1, "X"),
        ("110105 19491231002", 7, " "),
        ("１１０１０５１９４９１２３１００２Ｘ", 1, "１"),  # full-width digits
        ("11010519491231002１", 18, "１"),  # a full-width check digit
    ],
)
def test_characters_other_than_ascii_digits_and_a_final_x_are_named(number, position, character):
    """The first forbidden character is named with its position; full-width digits are forbidden."""
    with raises_part("characters") as caught:
        parse(number)
    assert str(caught.value) == (
        f"身份证号第 {position} 位“{character}”不允许：前17位只能是半角数字，最后一位可以是数字或 X"
    )


@pytest.mark.parametrize("digits", ["19620230", "19621301", "19620000", "00000101", "19230229"])
def test_non_existent_birth_date_is_named(digits):
    """A birth date that is not on the calendar (30 February, month 13, day 0, year 0, non-leap 29 Feb) fails."""
    with raises_part("birth_date") as caught:
        parse(f"110105{digits}0012")
    assert str(caught.value) == f"身份证号中的出生日期 {digits} 不存在"


def test_birth_date_before_1900_is_rejected_even_with_a_correct_check():
    """The standard's own example 440524188001010014 (born 1880) has a correct check but is too early for a register."""
    assert resident_id_check_character("44052418800101001") == "4"
    with raises_part("birth_date") as caught:
        parse("440524188001010014")
    assert str(caught.value) == "身份证号中的出生日期 18800101 早于1900年1月1日"


def test_future_birth_date_is_rejected():
    """A birth date after today fails as a future birth date, even with a correct check."""
    number = make_resident_id(area="110105", birth_date=TODAY + timedelta(days=1), sequence=1, sex="male")
    with raises_part("future_birth_date") as caught:
        parse(number)
    assert str(caught.value) == "身份证号中的出生日期 20240602 晚于今天（2024-06-01）"


@pytest.mark.parametrize(
    ("number", "expected", "actual"),
    [("110105194912310021", "X", "1"), ("44030419851215123X", "3", "X"), ("440304198512151235", "3", "5")],
)
def test_wrong_check_digit_gives_the_expected_character(number, expected, actual):
    """A wrong check character is reported with what the first 17 digits require."""
    with raises_part("check_digit") as caught:
        parse(number)
    assert str(caught.value) == f"身份证号校验位错误：按前17位应为 {expected}，实为 {actual}"


def test_legacy_fifteen_digit_number_is_flagged_with_its_upgrade():
    """A 15-digit number is recognised as legacy and the message gives the 18-digit number to use."""
    with raises_part("legacy") as caught:
        parse("110105491231002")
    assert str(caught.value) == f"这是15位旧身份证号，请改为18位新号码：{STANDARD_FEMALE}"


def test_legacy_number_is_flagged_even_when_padded_with_spaces():
    """Stripping happens before the legacy check."""
    with raises_part("legacy"):
        parse(" 110105491231002 ")


# ---------------------------------------------------------------------------------------------------------------------
# upgrade_legacy_id
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("legacy", "upgraded"),
    [("110105491231002", STANDARD_FEMALE), ("440304851215123", MALE)],
)
def test_upgrade_inserts_19_and_appends_the_check(legacy, upgraded):
    """The 18-digit form is area + "19" + YYMMDD + sequence + check."""
    assert upgrade_legacy_id(legacy) == upgraded


@pytest.mark.parametrize("number", ["11010549123100", "11010549123100X", STANDARD_FEMALE])
def test_upgrade_needs_15_digits(number):
    """Only a 15-digit number can be upgraded."""
    with pytest.raises(ValueError, match="15 ASCII digits"):
        upgrade_legacy_id(number)


# ---------------------------------------------------------------------------------------------------------------------
# check_identity
# ---------------------------------------------------------------------------------------------------------------------


def identity(id_type="resident_id", id_number=STANDARD_FEMALE, sex=None, birth_date=None):
    return check_identity(id_type=id_type, id_number=id_number, sex=sex, birth_date=birth_date, today=TODAY)


def test_matching_sex_and_birth_date_return_the_resident_id():
    """A resident ID agreeing with the recorded sex and birth date is returned parsed."""
    assert identity(sex="female", birth_date=date(1949, 12, 31)) == parse(STANDARD_FEMALE)


@pytest.mark.parametrize("sex", [None, ""])
def test_blank_sex_and_birth_date_are_not_compared(sex):
    """Without a recorded sex or birth date only the number itself is checked."""
    assert identity(sex=sex, birth_date=None).sex == "female"


def test_sex_mismatch_names_what_the_17th_digit_says():
    """A man recorded with a woman's ID number fails on sex."""
    with raises_part("sex") as caught:
        identity(sex="male")
    assert str(caught.value) == "性别与身份证号不符：身份证号第17位表示女性"


def test_sex_mismatch_for_a_male_number():
    """A woman recorded with a man's ID number fails on sex, naming male."""
    with raises_part("sex") as caught:
        identity(id_number=MALE, sex="female")
    assert str(caught.value) == "性别与身份证号不符：身份证号第17位表示男性"


def test_birth_date_mismatch_gives_the_date_in_the_number():
    """A recorded birth date differing from the number's fails as a mismatch."""
    number = make_resident_id(area="110105", birth_date=date(1962, 3, 8), sequence=3, sex="female")
    with raises_part("birth_date_mismatch") as caught:
        identity(id_number=number, birth_date=date(1962, 8, 3))
    assert str(caught.value) == "出生日期与身份证号不符：身份证号为 1962-03-08"


def test_resident_id_errors_pass_through_check_identity():
    """An invalid number fails in check_identity the same way as in parse_resident_id."""
    with raises_part("check_digit"):
        identity(id_number="110105194912310021", sex="female")


def test_unknown_sex_value_is_a_programming_error():
    """Sex is "male" or "female"; anything else is a caller bug, not a clerk's mistake."""
    with pytest.raises(ValueError, match="sex must be"):
        identity(sex="F")


@pytest.mark.parametrize("suffix", ["11", "14", "71", "74", "32"])
def test_disability_certificate_returns_the_embedded_resident_id(suffix):
    """A disability certificate is a resident ID plus category 1-7 and grade 1-4."""
    result = identity(id_type="disability_cert", id_number=STANDARD_FEMALE + suffix, sex="female")
    assert result == parse(STANDARD_FEMALE)


def test_disability_certificate_normalises_a_lowercase_x():
    """The embedded resident ID is normalised as usual."""
    assert identity(id_type="disability_cert", id_number="11010519491231002x21").number == STANDARD_FEMALE


@pytest.mark.parametrize("suffix", ["01", "81", "90", "10", "15", "20", "X1", " 1", "１１"])
def test_disability_certificate_with_bad_category_or_grade(suffix):
    """Category outside 1-7 or grade outside 1-4 fails on the suffix and quotes it."""
    with raises_part("disability_suffix") as caught:
        identity(id_type="disability_cert", id_number=STANDARD_FEMALE + suffix)
    assert str(caught.value) == f"残疾人证号最后两位应为残疾类别（1至7）和残疾等级（1至4），实为 {suffix}"


@pytest.mark.parametrize(("number", "length"), [(STANDARD_FEMALE, 18), (STANDARD_FEMALE + "123", 21), ("", 0)])
def test_disability_certificate_of_the_wrong_length(number, length):
    """A disability certificate must be exactly 20 characters."""
    with raises_part("length") as caught:
        identity(id_type="disability_cert", id_number=number)
    assert str(caught.value) == f"残疾人证号应为20位（18位身份证号加残疾类别、残疾等级各1位），实为 {length} 位"


def test_disability_certificate_checks_the_embedded_id_first():
    """A bad check character inside the certificate is reported as such."""
    with raises_part("check_digit"):
        identity(id_type="disability_cert", id_number="11010519491231002121")


def test_disability_certificate_checks_sex_and_birth_date():
    """Sex and birth date must agree with the embedded resident ID."""
    with raises_part("sex"):
        identity(id_type="disability_cert", id_number=STANDARD_FEMALE + "21", sex="male")
    with raises_part("birth_date_mismatch"):
        identity(id_type="disability_cert", id_number=STANDARD_FEMALE + "21", birth_date=date(1949, 12, 30))


@pytest.mark.parametrize("number", ["E12345678", "军字第1234号", "x"])
def test_other_document_numbers_are_not_checked(number):
    """Passports, officers' cards and other documents have no format check and give no resident ID."""
    assert identity(id_type="other", id_number=number, sex="male", birth_date=date(2000, 1, 1)) is None


@pytest.mark.parametrize("number", ["", "   "])
def test_other_document_number_must_not_be_empty(number):
    """An empty number of any type fails on length."""
    with raises_part("length") as caught:
        identity(id_type="other", id_number=number)
    assert str(caught.value) == "证件号码不能为空"


def test_unknown_id_type_is_a_programming_error():
    """Only resident_id, disability_cert and other are known."""
    with pytest.raises(ValueError, match="unknown id_type 'passport'") as caught:
        identity(id_type="passport", id_number="E12345678")
    assert not isinstance(caught.value, IdNumberError)


# ---------------------------------------------------------------------------------------------------------------------
# make_resident_id
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "birth_date", "sequence", "sex"),
    [
        ("220821", date(1962, 3, 8), 0, "female"),
        ("220821", date(1962, 3, 8), 0, "male"),
        ("110105", date(1949, 12, 31), 1, "female"),
        ("440304", date(2023, 2, 28), 499, "male"),
        ("652201", date(2000, 2, 29), 250, "female"),
    ],
)
def test_generated_number_parses_back_to_its_facts(area, birth_date, sequence, sex):
    """A generated number is valid and carries the area, birth date and sex it was made from."""
    number = make_resident_id(area=area, birth_date=birth_date, sequence=sequence, sex=sex)
    assert parse(number) == ResidentId(number=number, area=area, birth_date=birth_date, sex=sex)


def test_sequence_maps_to_the_documented_field():
    """The sequence field is 2 * sequence + 1 for a male and 2 * sequence for a female."""
    args = {"area": "110105", "birth_date": date(1949, 12, 31)}
    assert make_resident_id(**args, sequence=1, sex="female") == STANDARD_FEMALE
    assert make_resident_id(**args, sequence=0, sex="male")[14:17] == "001"
    assert make_resident_id(**args, sequence=499, sex="male")[14:17] == "999"
    assert make_resident_id(**args, sequence=499, sex="female")[14:17] == "998"


def test_500_distinct_numbers_per_area_date_and_sex():
    """Sequences 0..499 give 500 different numbers for each sex, and the sexes never share one."""
    args = {"area": "220821", "birth_date": date(1970, 7, 1)}
    men = {make_resident_id(**args, sequence=n, sex="male") for n in range(500)}
    women = {make_resident_id(**args, sequence=n, sex="female") for n in range(500)}
    assert len(men) == len(women) == 500
    assert not men & women


@pytest.mark.parametrize("sequence", [-1, 500, 1000, 1.0, True, "1"])
def test_sequence_outside_0_to_499_is_refused(sequence):
    """Only integer sequences 0..499 are accepted."""
    with pytest.raises(ValueError, match="sequence"):
        make_resident_id(area="220821", birth_date=date(1970, 7, 1), sequence=sequence, sex="male")


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"area": "22082"}, "area"),
        ({"area": "２２０８２１"}, "area"),
        ({"sex": "F"}, "sex"),
        ({"birth_date": date(1899, 12, 31)}, "birth_date"),
    ],
)
def test_generator_refuses_facts_no_valid_number_has(changes, match):
    """The generator never produces a number the parser would reject for its area, sex or birth date."""
    args = {"area": "220821", "birth_date": date(1970, 7, 1), "sequence": 0, "sex": "male"} | changes
    with pytest.raises(ValueError, match=match):
        make_resident_id(**args)


def test_hundreds_of_generated_numbers_are_all_valid():
    """Property: any area, birth date 1900..today, sequence and sex gives a valid number with those facts."""
    rng = random.Random(20240601)
    span = (TODAY - date(1900, 1, 1)).days
    seen = set()
    for _ in range(400):
        area = f"{rng.randrange(110000, 660000):06d}"
        birth_date = date(1900, 1, 1) + timedelta(days=rng.randrange(span + 1))
        sequence = rng.randrange(500)
        sex = rng.choice(["male", "female"])
        number = make_resident_id(area=area, birth_date=birth_date, sequence=sequence, sex=sex)
        assert parse(number) == ResidentId(number=number, area=area, birth_date=birth_date, sex=sex)
        seen.add(number)
    assert len(seen) == 400


def test_any_single_changed_area_or_sequence_digit_breaks_the_check():
    """Property: the mod-11 check catches every single-digit slip in the area and sequence fields."""
    rng = random.Random(11643)
    for _ in range(50):
        number = make_resident_id(
            area=f"{rng.randrange(110000, 660000):06d}",
            birth_date=date(1900, 1, 1) + timedelta(days=rng.randrange(40000)),
            sequence=rng.randrange(500),
            sex=rng.choice(["male", "female"]),
        )
        for position in [*range(6), *range(14, 17)]:
            for digit in "0123456789":
                if digit == number[position]:
                    continue
                slipped = number[:position] + digit + number[position + 1 :]
                with raises_part("check_digit"):
                    parse(slipped)


# ---------------------------------------------------------------------------------------------------------------------
# HH-1 household composition
# ---------------------------------------------------------------------------------------------------------------------


def member(key, relation, sex, active=True):
    return MemberFacts(key=key, relation=relation, sex=sex, active=active)


def messages(violations):
    return [(v.field, v.code, str(v.message)) for v in violations]


FAMILY = [
    member("m1", "01", "male"),
    member("m2", "02", "female"),
    member("m3", "03", "male"),
    member("m4", "04", "female"),
    member("m5", "05", "female"),
    member("m6", "07", "male"),
    member("m7", "12", "female"),
    member("m8", "13", "male"),
    member("m9", "99", "female"),
    member("m10", "20", "female"),
]


def test_a_consistent_family_has_no_violations():
    """Head, spouse of the other sex, and relations matching sex: nothing to report."""
    assert composition_violations(FAMILY) == []


def test_a_woman_head_with_a_husband_is_fine():
    """The head may be either sex; the spouse just has to be the other."""
    assert composition_violations([member("a", "01", "female"), member("b", "02", "male")]) == []


def test_a_single_head_alone_is_fine():
    """A one-person household needs no spouse."""
    assert composition_violations([member("a", "01", "male")]) == []


def test_no_head_is_reported_on_the_household():
    """A household without an active head gets one violation on members."""
    violations = composition_violations([member("a", "02", "female"), member("b", "03", "male")])
    assert messages(violations) == [("members", COMPOSITION_CODE, "户内没有户主：须有且只有一名在册成员登记为户主")]


def test_empty_household_has_no_head():
    """An empty member list is a household without a head."""
    assert [v.field for v in composition_violations([])] == ["members"]


def test_two_heads_are_reported_once_with_the_count():
    """Several active heads give one violation on members naming how many."""
    violations = composition_violations([member("a", "01", "male"), member("b", "01", "male")])
    assert messages(violations) == [("members", COMPOSITION_CODE, "户内有 2 名户主：只能有一名")]


def test_three_heads_are_counted():
    """The count in the message is the number of active heads."""
    violations = composition_violations([member(k, "01", "female") for k in "abc"])
    assert str(violations[0].message) == "户内有 3 名户主：只能有一名"


@pytest.mark.parametrize("sex", ["male", "female"])
def test_spouse_of_the_same_sex_as_the_head_is_reported_on_the_spouse(sex):
    """A spouse of the head's own sex is reported on the spouse's sex field."""
    label = {"male": "男性", "female": "女性"}[sex]
    violations = composition_violations([member("a", "01", sex), member("members.1", "02", sex)])
    assert messages(violations) == [
        ("members.1.sex", COMPOSITION_CODE, f"配偶与户主同为{label}：配偶的性别应与户主不同")
    ]


def test_son_recorded_as_female_is_reported_on_the_relation():
    """A son recorded as female contradicts the relation; it is reported on the relation field."""
    violations = composition_violations([member("a", "01", "male"), member("members.2", "03", "female")])
    assert messages(violations) == [
        ("members.2.relation", COMPOSITION_CODE, "与户主关系为“之子”的成员应为男性，此处登记为女性")
    ]


@pytest.mark.parametrize("relation", sorted(MALE_RELATIONS))
def test_male_relations_recorded_female_are_reported(relation):
    """Son, son-in-law, grandson, daughter's son, father and the four grandfathers/fathers-in-law must be male."""
    violations = composition_violations([member("h", "01", "female"), member("x", relation, "female")])
    assert [v.field for v in violations] == ["x.relation"]
    assert "应为男性，此处登记为女性" in str(violations[0].message)


@pytest.mark.parametrize("relation", sorted(FEMALE_RELATIONS))
def test_female_relations_recorded_male_are_reported(relation):
    """Daughter, daughter-in-law, granddaughter, daughter's daughter, mother, grandmothers and mothers-in-law are
    female."""
    violations = composition_violations([member("h", "01", "male"), member("x", relation, "male")])
    assert [v.field for v in violations] == ["x.relation"]
    assert "应为女性，此处登记为男性" in str(violations[0].message)


def test_relations_name_the_relation_in_words():
    """The message names the relation as the register form does, not by its code."""
    violations = composition_violations([member("h", "01", "male"), member("x", "10", "male")])
    assert str(violations[0].message) == "与户主关系为“之外孙女”的成员应为女性，此处登记为男性"


@pytest.mark.parametrize("sex", ["male", "female"])
@pytest.mark.parametrize("relation", ["99"])
def test_relations_without_a_sex_accept_either(relation, sex):
    """Other (其他) says nothing about sex."""
    household = [member("h", "01", "male"), member("w", "02", "female"), member("x", relation, sex)]
    assert composition_violations(household) == []


def test_hh_1_knows_the_national_sex_bound_relations():
    """The national table (docs/domain.md): 13 之岳父 … 19 之外祖父 are men, 14 之岳母 … 20 之外祖母 women."""
    assert {"03", "06", "07", "09", "11", "13", "15", "17", "19"} == MALE_RELATIONS
    assert {"04", "05", "08", "10", "12", "14", "16", "18", "20"} == FEMALE_RELATIONS
    violations = composition_violations([member("h", "01", "male"), member("x", "14", "male")])
    assert str(violations[0].message) == "与户主关系为“之岳母”的成员应为女性，此处登记为男性"


@pytest.mark.parametrize(("code", "stored"), [("13", "13"), ("20", "20"), ("99", "99"), ("21", "99"), ("3", "03")])
def test_relation_from_national_reads_the_national_codes(code, stored):
    """An import's relation cell: the national code, with 21 (some exports' 其他) read as 99."""
    assert relation_from_national(code) == stored


@pytest.mark.parametrize("code", ["00", "22", "98", "x", ""])
def test_relation_from_national_refuses_other_codes(code):
    """A code outside the national table is reported, not guessed."""
    with pytest.raises(ValueError):
        relation_from_national(code)


@pytest.mark.parametrize(
    ("level", "age", "status"),
    [("junior", 11, "junior_1"), ("junior", 13, "junior_2"), ("junior", 16, "junior_3"), ("senior", 16, "senior_2"),
     ("secondary_vocational", 17, "secondary_vocational_3"), ("higher_vocational", 18, "higher_vocational_1"),
     ("primary", 9, "primary"), ("college", 20, "college")],
)  # fmt: skip
def test_school_grade_is_the_usual_grade_for_the_age(level, age, status):
    """A level and an age give the national grade a pupil of that age usually attends, clamped to the level."""
    assert school_grade(level, age) == status


def test_unknown_relation_codes_are_ignored():
    """A code outside the national list is another rule's business."""
    assert composition_violations([member("h", "01", "male"), member("x", "42", "male")]) == []


def test_a_former_head_who_left_does_not_count():
    """A deceased former head plus a new active head is one head; the widow keeps her record."""
    household = [
        member("old", "01", "male", active=False),
        member("new", "01", "female"),
        member("son", "03", "male"),
    ]
    assert composition_violations(household) == []


def test_inactive_members_are_ignored_entirely():
    """Left members break no rule: not as head, spouse, or by relation and sex."""
    household = [
        member("h", "01", "male"),
        member("ex", "02", "male", active=False),
        member("old-spouse", "02", "female", active=False),
        member("w", "02", "female"),
        member("x", "03", "female", active=False),
    ]
    assert composition_violations(household) == []


def test_only_inactive_heads_mean_no_head():
    """A household whose only head has left has no head."""
    violations = composition_violations([member("h", "01", "male", active=False), member("w", "02", "female")])
    assert [v.field for v in violations] == ["members"]
    assert str(violations[0].message).startswith("户内没有户主")


def test_two_spouses_are_reported_on_the_household():
    """Two active spouses give one violation on members naming how many."""
    household = [member("h", "01", "male"), member("a", "02", "female"), member("b", "02", "female")]
    assert messages(composition_violations(household)) == [
        ("members", COMPOSITION_CODE, "户内有 2 名配偶：最多只能有一名")
    ]


def test_every_problem_is_reported_household_first_then_members_in_order():
    """Violations are not short-circuited: household ones first, then each member's in the given order."""
    household = [
        member("s1", "02", "male"),
        member("d", "04", "male"),
        member("s2", "02", "female"),
    ]
    assert [v.field for v in composition_violations(household)] == ["members", "members", "d.relation"]


def test_spouse_sex_is_not_compared_when_the_head_is_ambiguous():
    """With two heads there is no telling whose spouse it is, so only the head count is reported."""
    household = [member("a", "01", "male"), member("b", "01", "female"), member("c", "02", "male")]
    assert [v.field for v in composition_violations(household)] == ["members"]


def test_unrecorded_sex_is_not_a_contradiction():
    """A blank sex is for the completeness checks, not HH-1."""
    household = [member("h", "01", ""), member("w", "02", ""), member("s", "03", "")]
    assert composition_violations(household) == []


def test_violation_is_a_plain_value():
    """Violations compare by value, so callers and tests can build expected ones."""
    assert Violation("members", COMPOSITION_CODE, "m") == Violation(field="members", code=COMPOSITION_CODE, message="m")


# ---------------------------------------------------------------------------------------------------------------------
# Income
# ---------------------------------------------------------------------------------------------------------------------

ZERO = {
    "wages": Decimal("0"),
    "business_income": Decimal("0"),
    "business_cost": Decimal("0"),
    "property_income": Decimal("0"),
    "dibao": Decimal("0"),
    "tekun": Decimal("0"),
    "pension": Decimal("0"),
    "eco_compensation": Decimal("0"),
    "family_planning": Decimal("0"),
    "other_transfer": Decimal("0"),
}


def income(**items):
    return IncomeFacts(**(ZERO | {name: Decimal(value) for name, value in items.items()}))


ALL_ITEMS = income(
    wages="12000.50",
    business_income="8000",
    business_cost="3000.25",
    property_income="450.10",
    dibao="2400",
    tekun="100.01",
    pension="1320",
    eco_compensation="215.40",
    family_planning="960",
    other_transfer="88.88",
)


def test_transfer_income_sums_the_six_transfer_items():
    """Transfer income is 低保, 特困, 养老金, 生态补偿, 计生 and other transfers, and nothing else."""
    assert transfer_income(ALL_ITEMS) == Decimal("5084.29")  # 2400 + 100.01 + 1320 + 215.40 + 960 + 88.88


def test_net_income_with_every_item():
    """Net income is wages + business net + property + transfers, to the cent."""
    # 12000.50 + (8000 - 3000.25) + 450.10 + 5084.29
    result = net_income(ALL_ITEMS)
    assert result == Decimal("22534.64")
    assert str(result) == "22534.64"


def test_net_income_of_nothing_is_zero_to_the_cent():
    """All-zero items give 0.00, not 0."""
    assert str(net_income(income())) == "0.00"
    assert str(transfer_income(income())) == "0.00"


def test_business_loss_makes_net_income_lower_and_may_make_it_negative():
    """Business cost above business income is allowed and subtracts."""
    assert net_income(income(wages="1000", business_income="2000", business_cost="5000.50")) == Decimal("-2000.50")


def test_income_results_are_rounded_half_up_to_the_cent():
    """Items with fractions of a cent are summed exactly, then rounded half up."""
    assert str(net_income(income(wages="0.005"))) == "0.01"
    assert str(transfer_income(income(dibao="0.004", tekun="0.001"))) == "0.01"


def test_float_amounts_are_refused():
    """Money is never a float: IncomeFacts refuses one at once."""
    with pytest.raises(TypeError, match="wages must be a Decimal"):
        IncomeFacts(**(ZERO | {"wages": 1000.1}))


def test_non_finite_amounts_are_refused():
    """NaN and infinity are not amounts of money."""
    with pytest.raises(ValueError, match="finite"):
        IncomeFacts(**(ZERO | {"pension": Decimal("NaN")}))


def test_whole_yuan_integers_are_exact_and_accepted():
    """An int is an exact number of yuan and is summed like a Decimal."""
    assert net_income(IncomeFacts(**(ZERO | {"wages": 3000, "dibao": 1}))) == Decimal("3001.00")


@pytest.mark.parametrize(
    ("net", "members", "expected"),
    [
        ("10000.005", 1, "10000.01"),
        ("10000.004", 1, "10000.00"),
        ("10000", 3, "3333.33"),
        ("20000", 3, "6666.67"),
        ("0.01", 2, "0.01"),  # 0.005 rounds up
        ("0.03", 4, "0.01"),  # 0.0075 rounds up
        ("-0.01", 2, "-0.01"),  # half-up is away from zero, as Decimal's ROUND_HALF_UP
        ("-2000.50", 3, "-666.83"),
        ("0", 5, "0.00"),
        ("-0.001", 1, "0.00"),
        ("12345", 1, "12345.00"),
        ("1E+3", 4, "250.00"),
    ],
)
def test_per_capita_income_rounds_half_up_to_the_cent(net, members, expected):
    """Per-capita income is net ÷ members, rounded half up to 0.01 yuan."""
    result = per_capita_income(net=Decimal(net), members=members)
    assert str(result) == expected


def test_per_capita_income_rounds_the_exact_quotient():
    """Just below a half cent rounds down, however many digits it takes to show it's below."""
    net = Decimal("0.00" + "4" + "9" * 40)
    assert per_capita_income(net=net, members=1) == Decimal("0.00")
    huge = Decimal("1" + "0" * 40 + ".01")  # more digits than Decimal's default 28-digit context keeps
    assert per_capita_income(net=huge, members=2) == Decimal("5" + "0" * 39 + ".01")


def test_per_capita_income_of_a_household_with_no_members_is_none():
    """Nobody at year end means no per-capita figure, not a division error."""
    assert per_capita_income(net=Decimal("1200"), members=0) is None


@pytest.mark.parametrize("members", [-1, 1.5, True])
def test_per_capita_income_needs_a_whole_non_negative_member_count(members):
    """Member counts are whole and not negative."""
    with pytest.raises(ValueError, match="members"):
        per_capita_income(net=Decimal("1200"), members=members)


def test_per_capita_income_refuses_a_float():
    """The net amount must be a Decimal, never a float."""
    with pytest.raises(TypeError, match="net must be a Decimal"):
        per_capita_income(net=1200.0, members=2)
