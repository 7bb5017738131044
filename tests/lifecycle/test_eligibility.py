"""Exit eligibility (lifecycle.eligibility): 两不愁三保障 + income for households, 贫困村出列 for villages, no database."""

import json
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from demo import register as demo
from lifecycle.eligibility import (
    CHECKS,
    FAIL,
    MISSING,
    PASS,
    VILLAGE_CHECKS,
    Check,
    Evaluation,
    PersonFacts,
    RecordFacts,
    StandardFacts,
    VillageYearFacts,
    age_on,
    evaluate_exit,
    evaluate_village_exit,
    members_at_year_end,
    poverty_incidence,
    record_facts_of,
    standard_facts_of,
    village_year_facts_of,
)

YEAR = 2017
STANDARD = StandardFacts(
    id=7,
    year=YEAR,
    region=None,
    poverty_line=Decimal("3335.00"),
    monitoring_line=None,
    village_exit_threshold=Decimal("0.0200"),
)
MONITORING = replace(STANDARD, monitoring_line=Decimal("6000.00"))
DEMO_LINES = {2014: Decimal(2800), 2015: Decimal(2855), 2016: Decimal(3146), 2017: Decimal(3335)}


@pytest.fixture(autouse=True)
def chinese():
    """Sentences are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


def record(**changes) -> RecordFacts:
    """A 2017 record that meets every check; `changes` break one."""
    facts = RecordFacts(
        year=YEAR,
        per_capita_income=Decimal("3400.00"),
        members_counted=2,
        food_secure=True,
        clothing_secure=True,
        housing_grade="A",
        renovation_year=None,
        relocation_done=False,
        water_safe=True,
        water_access_ok=True,
    )
    return replace(facts, **changes)


def person(name="王秀英", **changes) -> PersonFacts:
    """An insured adult member with no schooling issue."""
    facts = PersonFacts(
        name=name,
        birth_date=date(1968, 5, 1),
        dropout=False,
        dropout_reason="",
        medical_insurance=True,
        serious_illness_insurance=True,
        employee_medical_insurance=False,
    )
    return replace(facts, **changes)


def evaluate(**kwargs) -> Evaluation:
    """evaluate_exit with a passing household unless told otherwise."""
    arguments = {"year": YEAR, "record": record(), "members": (person(), person("李建国")), "standard": STANDARD}
    return evaluate_exit(**(arguments | kwargs))


def check_of(evaluation: Evaluation, name: str) -> Check:
    return evaluation.check(name)


# ---------------------------------------------------------------------------------------------------------------------
# Income
# ---------------------------------------------------------------------------------------------------------------------


def test_income_above_the_poverty_line_passes():
    """Per-capita income a cent above the line passes, and the detail keeps both amounts as strings."""
    check = check_of(evaluate(record=record(per_capita_income=Decimal("3335.01"))), "income")
    assert check.result == PASS
    assert check.detail == {"line_kind": "poverty", "per_capita_income": "3335.01", "line": "3335.00"}
    assert check.sentence == "人均纯收入 3335.01 元，高于贫困线 3335.00 元"


def test_income_exactly_at_the_line_fails():
    """The line itself is not above the line (strictly above is required)."""
    check = check_of(evaluate(record=record(per_capita_income=Decimal("3335.00"))), "income")
    assert check.result == FAIL
    assert check.sentence == "人均纯收入 3335.00 元，未高于贫困线 3335.00 元"


def test_income_below_the_line_fails():
    """Income under the line fails."""
    assert check_of(evaluate(record=record(per_capita_income=Decimal("2000.50"))), "income").result == FAIL


def test_income_is_missing_without_a_record():
    """No annual record: income cannot be judged, and the sentence says the record is what is missing."""
    check = check_of(evaluate(record=None), "income")
    assert check.result == MISSING
    assert check.detail["missing"] == ["record"]
    assert check.sentence == "无法判断收入，缺少：2017 年度信息"


def test_income_is_missing_without_a_per_capita_income():
    """A record with no per-capita income (nobody counted at year end) is missing, not failing."""
    check = check_of(evaluate(record=record(per_capita_income=None, members_counted=0)), "income")
    assert check.result == MISSING
    assert check.detail["missing"] == ["per_capita_income"]
    assert "人均纯收入" in check.sentence


def test_income_is_missing_without_a_standard():
    """No policy standard for the year: missing, naming the standard."""
    evaluation = evaluate(standard=None)
    check = check_of(evaluation, "income")
    assert check.result == MISSING
    assert check.detail["missing"] == ["standard"]
    assert check.sentence == "无法判断收入，缺少：2017 年度政策标准"
    assert evaluation.standard is None


def test_income_is_missing_when_the_standard_has_no_poverty_line():
    """A standard row without a poverty line cannot judge an exit."""
    check = check_of(evaluate(standard=replace(STANDARD, poverty_line=None)), "income")
    assert check.result == MISSING
    assert check.detail["missing"] == ["poverty_line"]
    assert check.sentence == "无法判断收入，缺少：2017 年度政策标准中的贫困线"


def test_income_names_every_missing_piece():
    """Without a record and without a standard both are named."""
    check = check_of(evaluate(record=None, standard=None), "income")
    assert check.detail["missing"] == ["record", "standard"]
    assert check.sentence == "无法判断收入，缺少：2017 年度信息、2017 年度政策标准"


def test_risk_elimination_uses_the_monitoring_line():
    """line="monitoring" compares with the monitoring line: above the poverty line but under 6000 fails."""
    evaluation = evaluate(record=record(per_capita_income=Decimal("5999.99")), standard=MONITORING, line="monitoring")
    check = check_of(evaluation, "income")
    assert evaluation.kind == "risk_elimination"
    assert check.result == FAIL
    assert check.detail == {"line_kind": "monitoring", "per_capita_income": "5999.99", "line": "6000.00"}
    assert check.sentence == "人均纯收入 5999.99 元，未高于监测线 6000.00 元"


def test_risk_elimination_passes_above_the_monitoring_line():
    """Income above the monitoring line passes risk elimination."""
    evaluation = evaluate(record=record(per_capita_income=Decimal("6000.01")), standard=MONITORING, line="monitoring")
    assert check_of(evaluation, "income").result == PASS
    assert evaluation.passed


def test_risk_elimination_is_missing_when_the_standard_has_no_monitoring_line():
    """A standard with a poverty line only cannot judge risk elimination."""
    check = check_of(evaluate(line="monitoring"), "income")
    assert check.result == MISSING
    assert check.detail["missing"] == ["monitoring_line"]
    assert check.sentence == "无法判断收入，缺少：2017 年度政策标准中的监测线"


def test_an_unknown_line_is_a_programming_error():
    """Only the poverty and monitoring lines exist."""
    with pytest.raises(ValueError, match="line"):
        evaluate(line="provincial")


@pytest.mark.parametrize(
    "arguments",
    [{"record": record(year=2016)}, {"standard": replace(STANDARD, year=2016)}],
    ids=["record", "standard"],
)
def test_facts_of_another_year_are_a_programming_error(arguments):
    """A record or standard of another year than the one evaluated is refused."""
    with pytest.raises(ValueError, match="2016"):
        evaluate(**arguments)


def test_money_as_float_is_refused():
    """Money is Decimal: a float per-capita income or line is a TypeError."""
    with pytest.raises(TypeError):
        record(per_capita_income=3400.0)
    with pytest.raises(TypeError):
        replace(STANDARD, poverty_line=3335.0)


# ---------------------------------------------------------------------------------------------------------------------
# Food and clothing (两不愁)
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "field"), [("food", "food_secure"), ("clothing", "clothing_secure")])
@pytest.mark.parametrize(
    ("value", "result", "said"), [(True, PASS, "是"), (False, FAIL, "否"), (None, MISSING, "未登记")]
)
def test_food_and_clothing_follow_the_record(name, field, value, result, said):
    """Food and clothing pass when recorded true, fail when false, are missing when not recorded."""
    check = check_of(evaluate(record=record(**{field: value})), name)
    assert check.result == result
    assert check.detail == {field: value}
    assert check.sentence == {"food": "不愁吃", "clothing": "不愁穿"}[name] + "：" + said


def test_without_a_record_every_record_check_is_missing():
    """No record: income, food, clothing, housing and water are missing; education and medical are still judged."""
    evaluation = evaluate(record=None)
    results = {check.name: check.result for check in evaluation.checks}
    assert results == {
        "income": MISSING,
        "food": MISSING,
        "clothing": MISSING,
        "education": PASS,
        "medical": PASS,
        "housing": MISSING,
        "water": MISSING,
    }
    assert check_of(evaluation, "food").sentence == "没有 2017 年度信息"


# ---------------------------------------------------------------------------------------------------------------------
# Compulsory education (义务教育)
# ---------------------------------------------------------------------------------------------------------------------


def test_a_pupil_who_dropped_out_for_money_fails_education_by_name():
    """A 10-year-old out of school for financial hardship fails the check, named with age and reason."""
    pupil = person("张浩宇", birth_date=date(2007, 3, 9), dropout=True, dropout_reason="financial")
    check = check_of(evaluate(members=(person(), pupil)), "education")
    assert check.result == FAIL
    assert check.sentence == "2017-12-31 有 6 至 15 周岁的成员失学辍学（非因病因残）：张浩宇（10岁，经济困难）"
    assert check.detail["dropouts"] == [{"name": "张浩宇", "age": 10, "reason": "financial"}]


def test_a_dropout_for_illness_or_disability_is_excused():
    """Out of school for illness or disability does not fail the guarantee; the detail keeps the pupil as excused."""
    pupil = person("张浩宇", birth_date=date(2007, 3, 9), dropout=True, dropout_reason="illness_or_disability")
    check = check_of(evaluate(members=(person(), pupil)), "education")
    assert check.result == PASS
    assert check.sentence == "2017-12-31 没有 6 至 15 周岁的成员失学辍学（因病因残除外）"
    assert check.detail["excused"] == [{"name": "张浩宇", "age": 10, "reason": "illness_or_disability"}]


def test_a_dropout_without_a_reason_fails():
    """A dropout with no reason recorded is not excused."""
    pupil = person("张浩宇", birth_date=date(2007, 3, 9), dropout=True, dropout_reason="")
    check = check_of(evaluate(members=(pupil,)), "education")
    assert check.result == FAIL
    assert "张浩宇（10岁，未填写原因）" in check.sentence


def test_a_pupil_in_school_passes():
    """A school-age member who has not dropped out passes."""
    pupil = person("张浩宇", birth_date=date(2007, 3, 9))
    assert check_of(evaluate(members=(pupil,)), "education").result == PASS


@pytest.mark.parametrize(
    ("birth_date", "age", "result"),
    [
        (date(2012, 6, 1), 5, PASS),
        (date(2012, 12, 31), 5, PASS),
        (date(2011, 12, 31), 6, FAIL),
        (date(2011, 6, 1), 6, FAIL),
        (date(2002, 6, 1), 15, FAIL),
        (date(2002, 12, 31), 15, FAIL),
        (date(2001, 12, 31), 16, PASS),
        (date(2001, 6, 1), 16, PASS),
    ],
)
def test_education_counts_ages_6_to_15_on_december_31(birth_date, age, result):
    """Age is whole years on Dec 31 of the year (a birthday on Dec 31 itself counts): 6 and 15 are in, 5 and 16 out."""
    assert age_on(birth_date, date(YEAR, 12, 31)) == age
    pupil = person("张浩宇", birth_date=birth_date, dropout=True, dropout_reason="financial")
    assert check_of(evaluate(members=(pupil,)), "education").result == result


def test_education_passes_without_members():
    """With nobody at year end there is no dropout: education passes (medical is what reports the empty household)."""
    assert check_of(evaluate(members=()), "education").result == PASS


# ---------------------------------------------------------------------------------------------------------------------
# Basic medical care (基本医疗)
# ---------------------------------------------------------------------------------------------------------------------


def test_medical_passes_when_everyone_has_both_insurances():
    """Every member with basic medical and serious-illness insurance passes."""
    check = check_of(evaluate(), "medical")
    assert check.result == PASS
    assert check.sentence == "全部 2 名成员均参加基本医疗保险和大病保险"


def test_medical_fails_naming_who_lacks_which_insurance():
    """One member without serious-illness insurance, another without either: both named with what they lack."""
    members = (
        person(),
        person("李建国", serious_illness_insurance=False),
        person("赵兰", medical_insurance=False, serious_illness_insurance=False),
    )
    check = check_of(evaluate(members=members), "medical")
    assert check.result == FAIL
    assert check.sentence == "有成员未参加医疗保险：李建国（大病保险）、赵兰（基本医疗保险、大病保险）"
    assert check.detail["lacking"] == [
        {"name": "李建国", "medical_insurance": True, "employee_medical_insurance": False, "serious_illness_insurance": False},
        {"name": "赵兰", "medical_insurance": False, "employee_medical_insurance": False, "serious_illness_insurance": False},
    ]


def test_medical_fails_without_basic_medical_insurance_alone():
    """Serious-illness insurance without basic medical insurance is not enough."""
    check = check_of(evaluate(members=(person(medical_insurance=False),)), "medical")
    assert check.result == FAIL
    assert check.sentence == "有成员未参加医疗保险：王秀英（基本医疗保险）"


def test_medical_is_missing_without_members():
    """No member at year end: nobody to be insured, the check is missing."""
    check = check_of(evaluate(members=()), "medical")
    assert check.result == MISSING
    assert check.sentence == "2017 年末没有在册成员"


# ---------------------------------------------------------------------------------------------------------------------
# Safe housing (住房安全)
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("grade", ["A", "B"])
def test_housing_grade_a_or_b_passes(grade):
    """A and B houses are safe."""
    check = check_of(evaluate(record=record(housing_grade=grade)), "housing")
    assert check.result == PASS
    assert check.sentence == f"住房安全等级为 {grade} 级"


@pytest.mark.parametrize("grade", ["C", "D"])
def test_housing_c_or_d_without_renovation_fails(grade):
    """A dilapidated house (危房) neither renovated nor left for relocation fails."""
    check = check_of(evaluate(record=record(housing_grade=grade)), "housing")
    assert check.result == FAIL
    assert check.sentence == f"住房安全等级为 {grade} 级（危房），未完成危房改造，也未搬迁入住"


def test_housing_renovated_in_the_same_year_passes():
    """Renovation completed in the evaluated year counts."""
    check = check_of(evaluate(record=record(housing_grade="C", renovation_year=YEAR)), "housing")
    assert check.result == PASS
    assert check.sentence == "住房安全等级为 C 级（危房），已于 2017 年完成危房改造"


def test_housing_renovated_the_next_year_fails():
    """Renovation planned for the next year does not count yet."""
    check = check_of(evaluate(record=record(housing_grade="D", renovation_year=YEAR + 1)), "housing")
    assert check.result == FAIL
    assert check.sentence == "住房安全等级为 D 级（危房），危房改造年度为 2018 年，晚于 2017 年"


def test_housing_renovated_earlier_passes():
    """A renovation of an earlier year counts."""
    assert check_of(evaluate(record=record(housing_grade="D", renovation_year=2015)), "housing").result == PASS


@pytest.mark.parametrize("grade", ["D", ""])
def test_housing_relocation_done_passes(grade):
    """Relocation done (易地扶贫搬迁入住) passes whatever the old house, even with no grade recorded."""
    check = check_of(evaluate(record=record(housing_grade=grade, relocation_done=True)), "housing")
    assert check.result == PASS
    assert check.sentence == "已完成易地扶贫搬迁入住"


def test_housing_without_a_grade_is_missing():
    """No grade recorded and no relocation: missing."""
    check = check_of(evaluate(record=record(housing_grade="")), "housing")
    assert check.result == MISSING
    assert check.sentence == "2017 年度信息未登记住房安全等级"


def test_an_unknown_housing_grade_is_refused():
    """Grades are A to D or blank."""
    with pytest.raises(ValueError, match="housing_grade"):
        record(housing_grade="E")


# ---------------------------------------------------------------------------------------------------------------------
# Safe drinking water (饮水安全)
# ---------------------------------------------------------------------------------------------------------------------


def test_water_passes_when_safe_and_accessible():
    """Safe water with easy access passes."""
    check = check_of(evaluate(), "water")
    assert check.result == PASS
    assert check.sentence == "饮水安全、取水方便：是"


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"water_safe": False}, "饮水安全：否"),
        ({"water_access_ok": False}, "取水方便：否"),
        ({"water_safe": False, "water_access_ok": False}, "饮水安全、取水方便：否"),
        ({"water_safe": None, "water_access_ok": False}, "取水方便：否"),
    ],
)
def test_water_fails_when_either_is_false(changes, sentence):
    """Unsafe water or difficult access fails, naming which; a known failure outweighs an unrecorded item."""
    check = check_of(evaluate(record=record(**changes)), "water")
    assert check.result == FAIL
    assert check.sentence == sentence


@pytest.mark.parametrize("field", ["water_safe", "water_access_ok"])
def test_water_is_missing_when_either_is_not_recorded(field):
    """An unrecorded water item is missing."""
    check = check_of(evaluate(record=record(**{field: None})), "water")
    assert check.result == MISSING
    assert check.sentence.endswith("：未登记")


# ---------------------------------------------------------------------------------------------------------------------
# The evaluation
# ---------------------------------------------------------------------------------------------------------------------


def test_an_evaluation_has_one_check_per_item_in_order_and_passes_when_all_pass():
    """Checks come in the order of CHECKS; a household meeting all of them passes with nothing failing."""
    evaluation = evaluate()
    assert tuple(check.name for check in evaluation.checks) == CHECKS
    assert evaluation.kind == "exit" and evaluation.year == YEAR
    assert evaluation.passed
    assert evaluation.failing == ()
    assert evaluation.standard == STANDARD


def test_failing_lists_failed_and_missing_checks_in_order():
    """failing names the failed and the missing checks, in the order of CHECKS; passed is then False."""
    evaluation = evaluate(record=record(water_safe=None, per_capita_income=Decimal("100.00"), clothing_secure=False))
    assert evaluation.failing == ("income", "clothing", "water")
    assert not evaluation.passed


def test_as_dict_is_json_with_decimals_as_strings():
    """as_dict gives kind, year, verdict, failing, the standard row used and every check; json.dumps takes it."""
    evaluation = evaluate(record=record(housing_grade="C"))
    data = evaluation.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["kind"] == "exit" and data["year"] == YEAR
    assert data["passed"] is False and data["failing"] == ["housing"]
    assert data["standard"] == {
        "id": 7,
        "year": YEAR,
        "region": None,
        "kind": "national",
        "poverty_line": "3335.00",
        "monitoring_line": None,
        "village_exit_threshold": "0.0200",
    }
    assert [check["name"] for check in data["checks"]] == list(CHECKS)
    assert data["checks"][0] == {
        "name": "income",
        "result": "pass",
        "sentence": "人均纯收入 3400.00 元，高于贫困线 3335.00 元",
        "detail": {"line_kind": "poverty", "per_capita_income": "3400.00", "line": "3335.00"},
    }


def test_as_dict_without_a_standard_says_none():
    """An evaluation made without a standard stores standard None."""
    data = evaluate(standard=None).as_dict()
    assert data["standard"] is None
    assert json.dumps(data)


def test_as_dict_shows_whole_yuan_lines_with_two_places():
    """A line given in whole yuan is stored as "2800.00", exactly; an amount with more places is kept as it is."""
    standard = replace(STANDARD, year=2014, poverty_line=Decimal(2800), monitoring_line=Decimal("2800.125"))
    data = evaluate_exit(year=2014, record=record(year=2014), members=(person(),), standard=standard).as_dict()
    assert data["standard"]["poverty_line"] == "2800.00"
    assert data["standard"]["monitoring_line"] == "2800.125"


def test_as_dict_is_a_copy():
    """Changing the returned dict does not change the evaluation."""
    evaluation = evaluate(members=(person(medical_insurance=False),))
    evaluation.as_dict()["checks"][4]["detail"]["lacking"].clear()
    assert evaluation.check("medical").detail["lacking"]


def test_sentences_are_rendered_in_the_active_language():
    """A sentence is text in the language active when the evaluation is made."""
    with translation.override("en"):
        check = check_of(evaluate(), "food")
    assert isinstance(check.sentence, str)
    assert "food secure" in check.sentence


def test_an_evaluation_is_hashable_and_comparable():
    """Frozen results: two evaluations of the same facts are equal and can be hashed."""
    assert evaluate() == evaluate()
    assert hash(evaluate()) == hash(evaluate())


def test_an_unknown_result_is_refused():
    """A check is pass, fail or missing."""
    with pytest.raises(ValueError, match="result"):
        Check(name="food", result="maybe", sentence="", detail={})


# ---------------------------------------------------------------------------------------------------------------------
# Village exit (贫困村出列)
# ---------------------------------------------------------------------------------------------------------------------


def village(**changes) -> VillageYearFacts:
    """A village's 2017 figures with every infrastructure item in place."""
    facts = VillageYearFacts(
        year=YEAR,
        rural_population=1950,
        hardened_road=True,
        safe_water=True,
        power_grid=True,
        broadband=True,
        clinic=True,
        collective_income=Decimal("52000.00"),
    )
    return replace(facts, **changes)


def evaluate_village(**kwargs) -> Evaluation:
    arguments = {"year": YEAR, "village": village(), "poor_people": 20, "standard": STANDARD}
    return evaluate_village_exit(**(arguments | kwargs))


def test_poverty_incidence_is_rounded_half_up_to_four_places():
    """1 ÷ 20000 = 0.00005 reports as 0.0001 (half-up, not half-even); 5 ÷ 160000 = 0.00003125 as 0.0000."""
    assert poverty_incidence(poor_people=1, rural_population=20000) == Decimal("0.0001")
    assert str(poverty_incidence(poor_people=5, rural_population=160000)) == "0.0000"
    assert str(poverty_incidence(poor_people=3, rural_population=40000)) == "0.0001"
    assert str(poverty_incidence(poor_people=39, rural_population=1950)) == "0.0200"
    assert str(poverty_incidence(poor_people=1, rural_population=3)) == "0.3333"
    assert str(poverty_incidence(poor_people=2, rural_population=3)) == "0.6667"


@pytest.mark.parametrize("population", [None, 0])
def test_poverty_incidence_needs_a_population(population):
    """Without a population (or with none) there is no incidence."""
    assert poverty_incidence(poor_people=3, rural_population=population) is None


def test_a_negative_count_is_refused():
    """People are counted, never negative."""
    with pytest.raises(ValueError, match="poor_people"):
        poverty_incidence(poor_people=-1, rural_population=100)


def test_village_incidence_exactly_at_the_threshold_fails():
    """39 ÷ 1950 is exactly 2 %: not below the threshold."""
    check = evaluate_village(poor_people=39).check("incidence")
    assert check.result == FAIL
    assert check.detail == {"incidence": "0.0200", "threshold": "0.0200", "poor_people": 39, "rural_population": 1950}
    assert check.sentence == "贫困发生率 2.00%（贫困人口 39 人 ÷ 户籍农业人口 1950 人），未低于出列标准 2.00%"


def test_village_incidence_just_below_the_threshold_passes_though_it_rounds_to_it():
    """39 ÷ 1951 = 1.9989… % is below 2 %, compared exactly before rounding, though it reports as 0.0200."""
    check = evaluate_village(poor_people=39, village=village(rural_population=1951)).check("incidence")
    assert check.result == PASS
    assert check.detail["incidence"] == "0.0200"
    assert check.sentence == "贫困发生率 2.00%（贫困人口 39 人 ÷ 户籍农业人口 1951 人），低于出列标准 2.00%"


def test_village_incidence_above_the_threshold_fails():
    """40 ÷ 1950 = 2.05 % fails."""
    check = evaluate_village(poor_people=40).check("incidence")
    assert check.result == FAIL
    assert check.detail["incidence"] == "0.0205"


def test_village_incidence_uses_the_standards_threshold():
    """The west's 3 % threshold lets 2.5 % pass."""
    west = replace(STANDARD, village_exit_threshold=Decimal("0.03"))
    check = evaluate_village(poor_people=50, village=village(rural_population=2000), standard=west).check("incidence")
    assert check.result == PASS
    assert check.detail["threshold"] == "0.0300"


@pytest.mark.parametrize(
    ("arguments", "missing"),
    [
        ({"village": village(rural_population=None)}, ["rural_population"]),
        ({"village": village(rural_population=0)}, ["rural_population"]),
        ({"standard": None}, ["standard"]),
        ({"village": None, "standard": None}, ["village_year", "standard"]),
    ],
)
def test_village_incidence_is_missing_without_population_or_standard(arguments, missing):
    """Incidence cannot be judged without a population or a standard; the detail says which."""
    check = evaluate_village(**arguments).check("incidence")
    assert check.result == MISSING
    assert check.detail["missing"] == missing
    assert check.sentence.startswith("无法计算贫困发生率，缺少：")


@pytest.mark.parametrize(
    ("name", "field", "label"),
    [
        ("road", "hardened_road", "通硬化路"),
        ("water", "safe_water", "安全饮水"),
        ("power", "power_grid", "通动力电"),
        ("broadband", "broadband", "通宽带"),
        ("clinic", "clinic", "标准化卫生室"),
    ],
)
@pytest.mark.parametrize(
    ("value", "result", "said"), [(True, PASS, "是"), (False, FAIL, "否"), (None, MISSING, "未登记")]
)
def test_village_infrastructure_follows_the_figures(name, field, label, value, result, said):
    """Each infrastructure item passes when in place, fails when not, is missing when not recorded."""
    check = evaluate_village(village=village(**{field: value})).check(name)
    assert check.result == result
    assert check.sentence == f"{label}：{said}"
    assert check.detail == {field: value}


@pytest.mark.parametrize(
    ("income", "minimum", "result"),
    [
        (Decimal("0.01"), Decimal("0"), PASS),
        (Decimal("0.00"), Decimal("0"), FAIL),
        (Decimal("50000.00"), Decimal("50000"), FAIL),
        (Decimal("50000.01"), Decimal("50000"), PASS),
        (None, Decimal("0"), MISSING),
    ],
)
def test_collective_income_must_be_above_the_minimum(income, minimum, result):
    """Collective income strictly above the minimum passes; at it fails; unrecorded is missing."""
    evaluation = evaluate_village(village=village(collective_income=income), collective_income_min=minimum)
    assert evaluation.check("collective_income").result == result


def test_collective_income_sentence_gives_both_amounts():
    """The sentence states the income and the minimum in yuan."""
    check = evaluate_village(collective_income_min=Decimal("50000")).check("collective_income")
    assert check.sentence == "村集体经济收入 52000.00 元，高于 50000.00 元"
    assert check.detail == {"collective_income": "52000.00", "minimum": "50000.00"}


def test_village_exit_passes_when_everything_is_met():
    """A village below the threshold with every item in place and some collective income passes, in VILLAGE_CHECKS order."""
    evaluation = evaluate_village()
    assert evaluation.kind == "village_exit"
    assert tuple(check.name for check in evaluation.checks) == VILLAGE_CHECKS
    assert evaluation.passed and evaluation.failing == ()


def test_village_exit_without_figures_is_missing_everywhere():
    """No figures for the year: every village check is missing."""
    evaluation = evaluate_village(village=None)
    assert evaluation.failing == VILLAGE_CHECKS
    assert {check.result for check in evaluation.checks} == {MISSING}
    assert evaluation.check("road").sentence == "没有 2017 年村年度数据"


def test_village_exit_as_dict_is_json():
    """The village evaluation serializes like a household's."""
    data = evaluate_village(village=village(broadband=False)).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["failing"] == ["broadband"]
    assert data["checks"][0]["detail"]["incidence"] == "0.0103"


def test_village_figures_of_another_year_are_refused():
    """Figures of another year than the one evaluated are a programming error."""
    with pytest.raises(ValueError, match="2016"):
        evaluate_village(village=village(year=2016))


# ---------------------------------------------------------------------------------------------------------------------
# Facts from rows
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan():
    """The demo county planned once for the module (no database)."""
    return demo.plan_county()


def test_members_at_year_end_follow_joined_and_left_dates():
    """Members count from the day they joined; one who left on Dec 31 no longer counts that day."""
    rows = [
        SimpleNamespace(**person("在册").__dict__, joined_on=date(2014, 5, 1), left_on=None),
        SimpleNamespace(**person("年末离开").__dict__, joined_on=None, left_on=date(2017, 12, 31)),
        SimpleNamespace(**person("年初离开").__dict__, joined_on=None, left_on=date(2018, 1, 1)),
        SimpleNamespace(**person("次年出生").__dict__, joined_on=date(2018, 1, 2), left_on=None),
    ]
    assert [member.name for member in members_at_year_end(members=rows, year=YEAR)] == ["在册", "年初离开"]


def test_facts_are_read_from_model_like_rows():
    """The *_of helpers read any row with the model's field names (standard region is the region code)."""
    row = SimpleNamespace(
        pk=3,
        year=YEAR,
        region_id="220821000000",
        poverty_line=Decimal("3335.00"),
        monitoring_line=None,
        village_exit_threshold=Decimal("0.0200"),
    )
    assert standard_facts_of(standard=row) == replace(STANDARD, id=3, region="220821000000")
    assert record_facts_of(record=SimpleNamespace(**record().__dict__, wages=Decimal("1.00"))) == record()
    assert village_year_facts_of(village_year=SimpleNamespace(**village().__dict__, culture_room=True)) == village()


def test_facts_read_from_the_plan_match_a_field_by_field_copy(plan):
    """For a planned household the helpers give exactly the facts copied by hand with PlannedMember.active_on."""
    household = next(household for household in plan.households if len(household.members) >= 3)
    for planned in household.records:
        day = date(planned.year, 12, 31)
        expected = tuple(
            PersonFacts(**{item.name: getattr(member, item.name, item.default) for item in fields(PersonFacts)})
            for member in household.members
            if member.active_on(day)
        )
        assert members_at_year_end(members=household.members, year=planned.year) == expected
        assert record_facts_of(record=planned).per_capita_income == planned.per_capita_income


# ---------------------------------------------------------------------------------------------------------------------
# Agreement with the demo generator's reference
# ---------------------------------------------------------------------------------------------------------------------


def demo_pairs(plan):
    """Every (household, planned record) of the demo county in 2014–2017."""
    for household in plan.households:
        for planned in household.records:
            if 2014 <= planned.year <= 2017:
                yield household, planned


def test_the_engine_agrees_with_the_demo_reference_for_every_household_and_year(plan):
    """evaluate_exit(...).passed equals demo.passes_exit_checks for every planned household and record year."""
    disagreements, compared, passed = [], 0, 0
    for household, planned in demo_pairs(plan):
        year = planned.year
        day = date(year, 12, 31)
        facts = RecordFacts(**{item.name: getattr(planned, item.name, item.default) for item in fields(RecordFacts)})
        members = [
            PersonFacts(**{item.name: getattr(member, item.name, item.default) for item in fields(PersonFacts)})
            for member in household.members
            if member.active_on(day)
        ]
        standard = StandardFacts(
            id=None,
            year=year,
            region=None,
            poverty_line=DEMO_LINES[year],
            monitoring_line=None,
            village_exit_threshold=Decimal("0.02"),
        )
        evaluation = evaluate_exit(year=year, record=facts, members=members, standard=standard)
        reference = demo.passes_exit_checks(planned, household.members, year)
        compared += 1
        passed += evaluation.passed
        if evaluation.passed != reference:
            disagreements.append((household.number, year, evaluation.failing, reference))
    assert disagreements == []
    assert compared == sum(len(household.records) for household in plan.households)
    assert compared > 50000 and passed > 15000
