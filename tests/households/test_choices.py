"""Coded lists of the register (households/choices.py) hold exactly the values of docs/domain.md; no database."""

import inspect

import pytest
from django.db import models
from django.utils import translation

from households import choices as c
from lifecycle import choices as lc

# The expected values are written out from docs/domain.md, not derived from the code under test.
DOMAIN_VALUES = {
    c.IdentificationStandard: {"national", "provincial", "municipal"},
    c.HouseholdAttribute: {"general", "dibao", "tekun"},
    c.PovertyCause: {
        "illness",
        "disability",
        "schooling",
        "disaster",
        "lack_land",
        "lack_water",
        "lack_skills",
        "lack_labour",
        "lack_funds",
        "poor_transport",
        "low_motivation",
        "other",
    },
    c.Relation: {f"{code:02d}" for code in range(1, 21)} | {"99"},
    c.Education: {"illiterate", "primary", "junior", "senior", "college", "preschool"},
    c.SchoolStatus: {
        "not_in_school",
        "preschool",
        "primary",
        *(
            f"{level}_{grade}"
            for level in ("junior", "senior", "secondary_vocational", "higher_vocational")
            for grade in (1, 2, 3)
        ),
        "college",
    },
    c.Health: {"healthy", "chronic", "serious_illness", "disabled"},
    c.Labour: {"ordinary", "skilled", "weak", "lost", "none"},
    c.MigrantWork: {"none", "in_township", "in_county", "in_province", "out_of_province"},
    c.LeftReason: {"deceased", "moved_out", "married_out", "removed", "other"},
    c.IdType: {"resident_id", "disability_cert", "other"},
    c.Sex: {"male", "female"},
    c.HousingGrade: {"A", "B", "C", "D"},
    # docs/workflows.md
    c.RegistryStatus: {"candidate", "poor", "exited", "removed", "closed", "rejected"},
    lc.ProcedureKind: {"identification", "exit", "return", "removal", "monitoring", "risk_elimination", "closing"},
    lc.Step: {
        "application", "alert", "proposal", "appraisal", "verification", "consent", "first_notice", "notice",
        "township_review", "second_notice", "county_approval",
    },
    lc.VillageStep: {"proposal", "county_review", "notice", "announcement"},
    lc.Decision: {"approve", "reject"},
    lc.ObjectionOutcome: {"upheld", "dismissed"},
    lc.MonitoringType: {"unstable_exited", "marginal", "sudden_hardship"},
    c.MonitoringStatus: {"monitored", "risk_eliminated"},
    lc.AlertSource: {"self_report", "cadre_screening", "department_alert"},
}

# Lists whose slugs docs/domain.md does not spell out: it fixes how many options there are and what they mean.
DOMAIN_LABELS = {
    # whole village / whole natural village / single household
    c.RelocationMode: {"整村搬迁", "整自然村搬迁", "分散搬迁"},
    # centralized / dispersed
    c.RelocationPlacement: {"集中安置", "分散安置"},
    # county town / township / inside village / outside
    c.RelocationSite: {"县城", "乡镇", "村内", "村外"},
}

# The 56 ethnic groups in the order of GB/T 3304 (national codes 01–56), then 97 其他 and 98 外国血统中国籍人士.
ETHNIC_GROUPS = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族",
    "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族",
    "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族",
    "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]  # fmt: skip
ETHNIC_CODES = {
    **{label: f"{index:02d}" for index, label in enumerate(ETHNIC_GROUPS, start=1)},
    "其他": "97",
    "外国血统中国籍人士": "98",
}

# Lists that are the code's own (not fixed by docs/domain.md), checked below for what docs/domain.md does say about them.
CODE_OWN = {c.DisabilityCategory, c.DropoutReason, c.JoinReason, c.Ethnicity, lc.ProcedureState, lc.RemovalReason}
# The county form's lists added with issue 14 (road to the house, main fuel, public-welfare post): the code's own.
CODE_OWN |= {c.RoadType, c.Fuel, c.WelfarePost}


@pytest.fixture(autouse=True)
def chinese():
    """Labels are compared in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize("choices", list(DOMAIN_VALUES), ids=lambda cls: cls.__name__)
def test_coded_list_has_exactly_the_values_of_the_domain(choices):
    """Given a coded list of docs/domain.md, its stored values are exactly the slugs (or codes) docs/domain.md gives."""
    assert set(choices.values) == DOMAIN_VALUES[choices]


@pytest.mark.parametrize("choices", list(DOMAIN_LABELS), ids=lambda cls: cls.__name__)
def test_relocation_lists_have_the_options_of_the_domain(choices):
    """Given a relocation list, its options are exactly the ones docs/domain.md names, one value each."""
    assert {str(label) for label in choices.labels} == DOMAIN_LABELS[choices]
    assert len(set(choices.values)) == len(DOMAIN_LABELS[choices])


def test_every_coded_list_is_checked_here():
    """Given households/choices.py and lifecycle/choices.py, every TextChoices in them is covered by one of the
    tables of this file."""
    text_choices = {
        cls
        for module in (c, lc)
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, models.TextChoices) and cls is not models.TextChoices
    }
    assert text_choices == set(DOMAIN_VALUES) | set(DOMAIN_LABELS) | CODE_OWN


def test_relation_labels_are_the_national_names():
    """Given the relation list, each two-digit national code carries the Chinese name of docs/domain.md."""
    expected = {
        "01": "户主",
        "02": "配偶",
        "03": "之子",
        "04": "之女",
        "05": "之儿媳",
        "06": "之女婿",
        "07": "之孙子",
        "08": "之孙女",
        "09": "之外孙子",
        "10": "之外孙女",
        "11": "之父",
        "12": "之母",
        "13": "之岳父",
        "14": "之岳母",
        "15": "之公公",
        "16": "之婆婆",
        "17": "之祖父",
        "18": "之祖母",
        "19": "之外祖父",
        "20": "之外祖母",
        "99": "其他",
    }
    assert {value: str(label) for value, label in c.Relation.choices} == expected


def test_attribute_and_sex_carry_their_national_codes():
    """Given the attribute and sex lists, the national codes are general 1, dibao 2, tekun 3 and male 1, female 2."""
    assert c.NATIONAL_CODES[c.HouseholdAttribute] == {"general": "1", "dibao": "2", "tekun": "3"}
    assert c.NATIONAL_CODES[c.Sex] == {"male": "1", "female": "2"}


def test_stars_are_one_to_three():
    """Given the severity stars, the values are 1, 2 and 3."""
    assert c.Stars.values == [1, 2, 3]


def test_ethnicity_has_the_56_groups_other_and_foreign_origin():
    """Given the ethnicity list, it has the 56 groups of GB/T 3304 plus other and foreign_origin, 58 in all."""
    assert len(c.Ethnicity.values) == 58
    assert {str(label) for label in c.Ethnicity.labels} == set(ETHNIC_CODES)
    assert {"other", "foreign_origin"} <= set(c.Ethnicity.values)


def test_every_ethnic_group_has_its_national_code():
    """Given the ethnicity list, each value maps to the national code of its group: 01–56, other 97, foreign 98."""
    codes = c.NATIONAL_CODES[c.Ethnicity]
    assert {value: codes[value] for value in c.Ethnicity.values} == {
        value: ETHNIC_CODES[str(label)] for value, label in c.Ethnicity.choices
    }
    assert codes["han"] == "01"
    assert codes["other"] == "97"
    assert codes["foreign_origin"] == "98"
    assert sorted(codes.values()) == [f"{n:02d}" for n in range(1, 57)] + ["97", "98"]


def test_dropout_reasons_include_the_one_the_education_guarantee_accepts():
    """Given the dropout reasons, illness_or_disability (the only one accepted by the guarantee) is among them."""
    assert "illness_or_disability" in c.DropoutReason.values


def test_join_reasons_cover_birth_marriage_and_moving_in():
    """Given the join reasons, a member can join by birth, marriage or moving in (docs/domain.md, Members)."""
    assert {"birth", "marriage", "moved_in"} <= set(c.JoinReason.values)


def test_disability_categories_have_codes_1_to_7():
    """Given the disability categories, there are seven, coded 1–7 as the certificate's 19th digit."""
    assert sorted(c.NATIONAL_CODES[c.DisabilityCategory].values()) == [str(n) for n in range(1, 8)]
    assert set(c.NATIONAL_CODES[c.DisabilityCategory]) == set(c.DisabilityCategory.values)


def test_disability_grades_are_one_to_four():
    """Given the disability grades, the values are 1–4 (the certificate's 20th digit)."""
    assert c.DisabilityGrade.values == [1, 2, 3, 4]


def test_school_status_is_the_national_sixteen_in_code_order():
    """Given the school statuses, there is one per national value, coded 01–16 in the order of docs/domain.md."""
    codes = c.NATIONAL_CODES[c.SchoolStatus]
    labels = {codes[value]: str(label) for value, label in c.SchoolStatus.choices}
    assert labels == {
        "01": "非在校生", "02": "学前教育", "03": "小学", "04": "七年级", "05": "八年级", "06": "九年级",
        "07": "高中一年级", "08": "高中二年级", "09": "高中三年级", "10": "中职一年级", "11": "中职二年级",
        "12": "中职三年级", "13": "高职一年级", "14": "高职二年级", "15": "高职三年级", "16": "大专及以上",
    }  # fmt: skip


def test_vocational_sets_are_national_ten_to_twelve_and_thirteen_to_fifteen():
    """Given the school levels, 中职 is national 10–12, 高职 13–15, and at school excludes 01 and 02."""
    codes = c.NATIONAL_CODES[c.SchoolStatus]
    assert sorted(codes[value] for value in c.SECONDARY_VOCATIONAL) == ["10", "11", "12"]
    assert sorted(codes[value] for value in c.HIGHER_VOCATIONAL) == ["13", "14", "15"]
    assert sorted(codes[value] for value in c.IN_SCHOOL) == [f"{n:02d}" for n in range(3, 17)]


def test_education_carries_the_national_codes_of_domain_md():
    """Given the education list, the codes are 01 illiterate … 05 college and 06 preschool."""
    assert c.NATIONAL_CODES[c.Education] == {
        "illiterate": "01", "primary": "02", "junior": "03", "senior": "04", "college": "05", "preschool": "06",
    }  # fmt: skip


@pytest.mark.parametrize(
    "choices", [c.IdentificationStandard, c.PovertyCause, c.Relation, c.Education, c.SchoolStatus, c.Health, c.Labour,
                c.MigrantWork, c.HouseholdAttribute, c.Sex, c.Ethnicity, c.DisabilityCategory],
)  # fmt: skip
def test_every_coded_list_has_a_distinct_national_code_per_value(choices):
    """Given a coded list of docs/domain.md, every value has its national code and no two values share one."""
    codes = c.NATIONAL_CODES[choices]
    assert set(codes) == set(choices.values)
    assert len(set(codes.values())) == len(codes)
    assert all(code.isdigit() for code in codes.values())


def test_the_relation_is_stored_as_its_national_code():
    """Given the relation list, its national code is the stored value itself."""
    assert c.NATIONAL_CODES[c.Relation] == {value: value for value in c.Relation.values}
