"""The register rules ID-1 … HH-10 (docs/checks.md, Register rules) as set-based SQL, and the engine that syncs their findings.

Each rule has a case that fires and one that does not. Bad data the services refuse is written straight into the
tables (Member.objects.create / .update), as an import or an old record would hold it. ID-1's SQL is checked
against households.rules on a list of good and bad numbers; the engine against re-runs, fixes, user closures,
one-household runs and regions.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cadres.models import Cadre, Pairing, Unit
from checks.findings import finding_message, finding_resolve
from checks.models import Finding, RuleRun
from checks.register_rules import RULES, run_rules
from households import rules, services
from households.models import AnnualRecord, Household, Member, PolicyStandard
from lifecycle import services as lifecycle
from lifecycle.models import Procedure
from tests.conftest import COUNTY, OTHER_VILLAGE, VILLAGE_A1, VILLAGE_A2
from tests.households import builders as b

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def years_ago(years: int, *, days: int = 0) -> datetime.date:
    """A birth date `years` whole years before today (less `days`), safe on Feb 29."""
    day = TODAY.replace(year=TODAY.year - years) if (TODAY.month, TODAY.day) != (2, 29) else D(TODAY.year - years, 2, 28)
    return day - datetime.timedelta(days=days)


def run(*codes, region=COUNTY, households=None) -> RuleRun:
    return run_rules(region_code=region, rules=list(codes) or None, household_ids=households)


def open_findings(rule: str) -> list[Finding]:
    return list(Finding.objects.filter(rule=rule, status="open").order_by("id"))


ADULT_BIRTH = D(1990, 1, 1)


def add_member(household, *, name="赵六", id_number=None, sex="male", birth_date=ADULT_BIRTH, relation="99", **fields):
    """A member written straight into the table (no validation), with a unique person number unless given."""
    id_number = id_number if id_number is not None else b.resident_id(birth_date=birth_date, sex=sex, sequence=400)
    fields.setdefault("person_number", rules.person_number(id_type=fields.get("id_type", "resident_id"), id_number=id_number))
    fields.setdefault("labour", "ordinary")
    return Member.objects.create(
        household=household, name=name, id_number=id_number, sex=sex, birth_date=birth_date, relation=relation, **fields
    )


def other_household(tree, users, village=VILLAGE_A2, sequence=2):
    return b.make_household(village=tree[village], user=users["superuser"], members=b.family(sequence))


def set_status(household, status):
    Household.objects.filter(pk=household.pk).update(status=status)


# ---------------------------------------------------------------------------------------------------------------------
# ID-1: the SQL and households.rules agree
# ---------------------------------------------------------------------------------------------------------------------

BORN = D(1962, 3, 8)
GOOD = b.resident_id(birth_date=BORN, sex="male", sequence=5)


def _with_check(first17: str) -> str:
    return first17 + rules.resident_id_check_character(first17)


def _x_number() -> tuple[str, datetime.date]:
    """A valid number whose check character is X."""
    for sequence in range(500):
        number = b.resident_id(birth_date=BORN, sex="female", sequence=sequence)
        if number.endswith("X"):
            return number, BORN
    raise AssertionError("no X check character in 500 sequences")  # pragma: no cover


X_NUMBER, _ = _x_number()
WRONG_CHECK = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")

# (id_type, id_number, sex, birth_date)
ID_CASES = [
    ("resident_id", GOOD, "male", BORN),
    ("resident_id", b.resident_id(birth_date=BORN, sex="female", sequence=5), "female", BORN),
    ("resident_id", X_NUMBER, "female", BORN),
    ("resident_id", X_NUMBER[:17] + "x", "female", BORN),
    ("resident_id", " " + GOOD + "\u3000", "male", BORN),
    ("resident_id", GOOD, "", BORN),
    ("resident_id", _with_check("22082120000229011"), "male", D(2000, 2, 29)),
    ("disability_cert", GOOD + "12", "male", BORN),
    ("other", "ABC123", "male", BORN),
    ("resident_id", GOOD[:6] + GOOD[8:17], "male", BORN),  # 15-digit legacy
    ("resident_id", GOOD[:17], "male", BORN),
    ("resident_id", GOOD + "1", "male", BORN),
    ("resident_id", "", "male", BORN),
    ("resident_id", "   ", "male", BORN),
    ("resident_id", GOOD[:4] + "A" + GOOD[5:], "male", BORN),
    ("resident_id", GOOD[:2] + "２" + GOOD[3:], "male", BORN),
    ("resident_id", GOOD[:9] + "X" + GOOD[10:], "male", BORN),
    ("resident_id", GOOD[:8] + " " + GOOD[9:], "male", BORN),
    ("resident_id", GOOD[:17] + "Y", "male", BORN),
    ("resident_id", _with_check("22082119620230011"), "male", BORN),  # Feb 30
    ("resident_id", _with_check("22082119001301011"), "male", BORN),  # month 13
    ("resident_id", _with_check("22082119000229011"), "male", BORN),  # 1900 is not a leap year
    ("resident_id", _with_check("22082100000101011"), "male", BORN),  # year 0
    ("resident_id", _with_check("22082118991231011"), "male", BORN),  # before 1900
    ("resident_id", _with_check("22082120990101011"), "male", BORN),  # future
    ("resident_id", WRONG_CHECK, "male", BORN),
    ("resident_id", GOOD, "female", BORN),  # sex
    ("resident_id", GOOD, "male", D(1962, 3, 9)),  # birth date
    ("disability_cert", GOOD + "1", "male", BORN),
    ("disability_cert", GOOD, "male", BORN),
    ("disability_cert", GOOD + "82", "male", BORN),
    ("disability_cert", GOOD + "15", "male", BORN),
    ("disability_cert", WRONG_CHECK + "12", "male", BORN),
    ("disability_cert", GOOD[:17] + " 12", "male", BORN),
    ("disability_cert", GOOD[:6] + GOOD[8:17] + "   12", "male", BORN),
    ("disability_cert", GOOD + "12", "female", BORN),
    ("other", "  ", "male", BORN),
]


def python_part(id_type, id_number, sex, birth_date):
    try:
        rules.check_identity(id_type=id_type, id_number=id_number, sex=sex, birth_date=birth_date, today=TODAY)
    except rules.IdNumberError as exc:
        return exc.part
    return None


def test_id_1_sql_agrees_with_the_python_rule_on_good_and_bad_numbers(home):
    """Every number of the list gets the same verdict (the part that is wrong, or none) from the SQL rule as from
    households.rules.check_identity: length, characters, birth date, future, check digit, legacy, sex, birth date,
    disability suffix."""
    members = {
        add_member(home, id_type=id_type, id_number=number, sex=sex, birth_date=born, person_number=f"T{index}").pk: (
            id_type, number, sex, born,
        )
        for index, (id_type, number, sex, born) in enumerate(ID_CASES)
    }  # fmt: skip
    run("ID-1")
    sql = {f.member_id: f.detail["part"] for f in open_findings("ID-1")}
    python = {pk: python_part(*case) for pk, case in members.items()}
    assert {pk: sql.get(pk) for pk in members} == python
    assert set(python.values()) >= set(rules._ID_NUMBER_PARTS) | {None}


def test_id_1_message_masks_the_number_and_says_what_is_wrong(home, chinese):
    """A wrong check digit reads as the village team needs it, with the number masked (first 6, last 4)."""
    member = add_member(home, id_number=WRONG_CHECK, birth_date=BORN, person_number="T")
    run("ID-1")
    (finding,) = open_findings("ID-1")
    assert (finding.member_id, finding.household_id, finding.village_id) == (member.pk, home.pk, VILLAGE_A1)
    assert finding.severity == "error" and finding.key == f"member:{member.pk}"
    assert finding.detail["id_number"] == WRONG_CHECK[:6] + "********" + WRONG_CHECK[-4:]
    message = finding_message(finding)
    assert "身份证号校验位错误" in message and "赵六" in message
    assert WRONG_CHECK not in message and WRONG_CHECK not in str(finding.detail)


def test_id_1_asks_to_upgrade_a_legacy_number_without_showing_it(home, chinese):
    legacy = GOOD[:6] + GOOD[8:17]
    add_member(home, id_number=legacy, birth_date=BORN)
    run("ID-1")
    (finding,) = open_findings("ID-1")
    assert finding.detail["part"] == "legacy"
    assert "请改为18位新号码" in finding_message(finding)
    assert rules.upgrade_legacy_id(legacy) not in finding_message(finding) + str(finding.detail)


def test_id_1_leaves_members_who_left_and_valid_numbers_alone(home):
    add_member(home, id_number=WRONG_CHECK, left_on=D(2016, 5, 1), left_reason="moved_out")
    run("ID-1")
    assert open_findings("ID-1") == []


# ---------------------------------------------------------------------------------------------------------------------
# ID-2: one person, one household, across the whole register
# ---------------------------------------------------------------------------------------------------------------------

LEGACY = GOOD[:6] + GOOD[8:17]


@pytest.mark.parametrize(
    ("village", "level"),
    [(VILLAGE_A1, "same_village"), (VILLAGE_A2, "same_county"), (OTHER_VILLAGE, "other_county")],
)
def test_id_2_finds_a_legacy_number_and_its_upgrade_and_reports_the_level(tree, users, home, village, level, chinese):
    """A 15-digit number in one household and its 18-digit upgrade active in another are one person twice; the
    finding names the other household and how far it is (same village, same county, another county)."""
    other = other_household(tree, users, village=village)
    mine = add_member(home, id_number=LEGACY, birth_date=BORN)
    theirs = add_member(other, id_number=GOOD, birth_date=BORN)
    run("ID-2")
    found = {f.member_id: f for f in open_findings("ID-2")}
    assert found[mine.pk].detail["level"] == level
    assert found[mine.pk].detail["other_number"] == other.number
    assert set(found) == ({mine.pk, theirs.pk} if village != OTHER_VILLAGE else {mine.pk})
    message = finding_message(found[mine.pk])
    assert other.number in message and GOOD not in message and GOOD not in str(found[mine.pk].detail)


def test_id_2_counts_the_whole_register_but_reports_only_the_region(tree, users, home):
    """Run over the other county, the same pair gives a finding for its member only."""
    other = other_household(tree, users, village=OTHER_VILLAGE)
    add_member(home, id_number=LEGACY, birth_date=BORN)
    theirs = add_member(other, id_number=GOOD, birth_date=BORN)
    run("ID-2", region="220822000000")
    (finding,) = open_findings("ID-2")
    assert finding.member_id == theirs.pk and finding.detail["level"] == "other_county"
    assert finding.detail["other_number"] == home.number


def test_id_2_finds_a_person_whose_stored_person_number_went_stale(tree, users, home):
    """The unique index works on person_number; a number imported with a wrong person_number is still caught."""
    other = other_household(tree, users)
    add_member(home, id_number=GOOD, birth_date=BORN, person_number="STALE")
    add_member(other, id_number=" " + GOOD.lower(), birth_date=BORN)
    run("ID-2")
    assert len(open_findings("ID-2")) == 2


def test_id_2_ignores_a_member_who_left(tree, users, home):
    other = other_household(tree, users)
    add_member(home, id_number=LEGACY, birth_date=BORN)
    add_member(other, id_number=GOOD, birth_date=BORN, left_on=D(2016, 1, 1), left_reason="moved_out")
    run("ID-2")
    assert open_findings("ID-2") == []


# ---------------------------------------------------------------------------------------------------------------------
# ID-3: a paired cadre is not a registered member
# ---------------------------------------------------------------------------------------------------------------------


def pair(tree, household, *, id_number, starts_on, ends_on=None):
    unit = Unit.objects.create(name="县交通局", level="county", region=tree[COUNTY])
    cadre = Cadre.objects.create(name="刘干部", sex="male", id_number=id_number, unit=unit, region=tree[COUNTY])
    return Pairing.objects.create(cadre=cadre, household=household, starts_on=starts_on, ends_on=ends_on)


@pytest.mark.parametrize("cadre_number", ["same", "legacy"])
def test_id_3_finds_a_paired_cadre_who_is_a_registered_member(tree, users, home, cadre_number, chinese):
    """The cadre's number (or its 15-digit form) is an active member's: a warning on that member's household."""
    son = home.members.get(relation="03")
    number = son.id_number if cadre_number == "same" else son.id_number[:6] + son.id_number[8:17]
    pair(tree, other_household(tree, users), id_number=number, starts_on=TODAY - datetime.timedelta(days=30))
    run("ID-3")
    (finding,) = open_findings("ID-3")
    assert (finding.member_id, finding.household_id, finding.severity) == (son.pk, home.pk, "warning")
    assert "刘干部" in finding_message(finding) and son.id_number not in str(finding.detail)


def test_id_3_ignores_a_pairing_that_has_ended(tree, users, home):
    son = home.members.get(relation="03")
    pair(
        tree, other_household(tree, users), id_number=son.id_number,
        starts_on=TODAY - datetime.timedelta(days=60), ends_on=TODAY,
    )  # fmt: skip
    run("ID-3")
    assert open_findings("ID-3") == []


# ---------------------------------------------------------------------------------------------------------------------
# HH-1 … HH-10
# ---------------------------------------------------------------------------------------------------------------------


def codes(finding) -> list[str]:
    return [item["code"] for item in finding.detail["problems"]]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"relation": "03", "update": {"sex": "female"}}, ["relation_sex"]),
        ({"relation": "02", "update": {"sex": "male"}}, ["spouse_sex"]),
        ({"relation": "01", "update": {"relation": "99"}}, ["no_head"]),
        ({"relation": "03", "update": {"relation": "02"}}, ["spouses", "spouse_sex"]),
        # The national table: 14 之岳母 and 20 之外祖母 are women, 15 之公公 a man (issue 14).
        ({"relation": "03", "update": {"relation": "14"}}, ["relation_sex"]),
        ({"relation": "03", "update": {"relation": "20"}}, ["relation_sex"]),
        ({"relation": "02", "update": {"relation": "15"}}, ["relation_sex"]),
    ],
)
def test_hh_1_finds_an_inconsistent_household(home, change, expected, chinese):
    """No head, two spouses, a spouse of the head's sex, a son recorded female: an error on the household."""
    Member.objects.filter(household=home, relation=change["relation"]).update(**change["update"])
    run("HH-1")
    (finding,) = open_findings("HH-1")
    assert (finding.household_id, finding.severity, codes(finding)) == (home.pk, "error", expected)
    assert finding_message(finding).startswith("家庭关系不一致：")
    facts = [
        rules.MemberFacts(key=str(m.pk), relation=m.relation, sex=m.sex, active=m.active) for m in home.members.all()
    ]
    assert len(rules.composition_violations(facts)) == len(expected)


def test_hh_1_passes_a_consistent_household_and_leaves_an_empty_one_to_hh_10(tree, users, home):
    empty = other_household(tree, users)
    Member.objects.filter(household=empty).update(left_on=D(2016, 1, 1), left_reason="moved_out")
    run("HH-1")
    assert open_findings("HH-1") == []


def test_hh_2_main_cause_needs_a_member_with_that_condition(home, chinese):
    """因病 with every member healthy is a warning; a chronically ill member answers it."""
    run("HH-2")
    (finding,) = open_findings("HH-2")
    assert finding.detail == {"cause": "illness"}
    assert "因病" in finding_message(finding)
    Member.objects.filter(household=home, relation="01").update(health="chronic")
    run("HH-2")
    assert open_findings("HH-2") == []


def test_hh_2_schooling_needs_a_member_in_school(home):
    Household.objects.filter(pk=home.pk).update(main_cause="schooling", other_causes=[])
    run("HH-2")
    assert len(open_findings("HH-2")) == 1
    Member.objects.filter(household=home, relation="03").update(school_status="college")
    run("HH-2")
    assert open_findings("HH-2") == []


def test_hh_3_dibao_household_needs_a_member_receiving_dibao(home):
    Household.objects.filter(pk=home.pk).update(attribute="dibao")
    run("HH-3")
    (finding,) = open_findings("HH-3")
    assert codes(finding) == ["no_dibao"]
    Member.objects.filter(household=home, relation="01").update(receives_dibao=True)
    run("HH-3")
    assert open_findings("HH-3") == []


def test_hh_3_general_household_with_a_member_receiving_dibao(home, chinese):
    """The other way round: a member receiving 低保 in a household whose attribute is 一般贫困户 is a warning naming
    the member; recording the household as 低保贫困户 puts it right."""
    Member.objects.filter(household=home, relation="02").update(receives_dibao=True)
    run("HH-3")
    (finding,) = open_findings("HH-3")
    assert finding.detail["problems"] == [{"code": "general_dibao", "names": ["李秀兰"]}]
    assert "李秀兰" in finding_message(finding) and "一般贫困户" in finding_message(finding)
    Household.objects.filter(pk=home.pk).update(attribute="dibao")
    run("HH-3")
    assert open_findings("HH-3") == []


def test_hh_3_dibao_income_needs_a_member_receiving_dibao(home, chinese):
    """低保金 1200.00 in the latest annual record (2017) with no member receiving 低保 is a warning; an older year's
    低保金 is not looked at, and a member receiving 低保 clears it."""
    record(home, year=2016, dibao=Decimal("800"))
    record(home, year=2017)
    run("HH-3")
    assert open_findings("HH-3") == []
    record(home, year=2017, dibao=Decimal("1200"))
    run("HH-3")
    (finding,) = open_findings("HH-3")
    assert finding.detail["problems"] == [{"code": "dibao_income", "year": 2017, "dibao": "1200.00"}]
    assert "低保金 1200.00 元" in finding_message(finding)
    Member.objects.filter(household=home, relation="01").update(receives_dibao=True)
    Household.objects.filter(pk=home.pk).update(attribute="dibao")
    run("HH-3")
    assert open_findings("HH-3") == []


def test_hh_3_tekun_household_has_no_working_age_labour(home, chinese):
    """特困: someone receives 特困供养 and nobody aged 16–60 has ordinary or skilled labour."""
    Household.objects.filter(pk=home.pk).update(attribute="tekun")
    Member.objects.filter(household=home).update(receives_tekun=True)
    run("HH-3")
    (finding,) = open_findings("HH-3")
    assert finding.detail["problems"] == [{"code": "working", "names": ["王小军"]}]
    assert "王小军" in finding_message(finding)
    Member.objects.filter(household=home, relation="03").update(labour="weak")
    run("HH-3")
    assert open_findings("HH-3") == []


def test_hh_4_healthy_working_age_member_has_not_lost_labour(home):
    Member.objects.filter(household=home).update(labour="lost")
    run("HH-4")
    (finding,) = open_findings("HH-4")  # the son; head (64) and spouse (62) are past 60
    assert finding.member.relation == "03" and finding.detail["age"] == TODAY.year - 1988 - ((TODAY.month, TODAY.day) < (9, 1))
    Member.objects.filter(household=home, relation="03").update(health="chronic")
    run("HH-4")
    assert open_findings("HH-4") == []


def record(household, year=2017, **items):
    return services.annual_record_upsert(user=None, household=household, year=year, data=items)[0]


def test_hh_5_wages_need_migrant_work_and_the_reverse(home):
    record(home, wages=Decimal("6000"))
    run("HH-5")
    (finding,) = open_findings("HH-5")
    assert (finding.detail["year"], codes(finding)) == (2017, ["wages_without_migrant"])
    Member.objects.filter(household=home, relation="03").update(migrant_work="in_county", migrant_months=6)
    run("HH-5")
    assert open_findings("HH-5") == []
    AnnualRecord.objects.filter(household=home).update(wages=0)
    run("HH-5")
    assert [codes(f) for f in open_findings("HH-5")] == [["migrant_without_wages"]]


def test_hh_5_looks_at_the_latest_year_only(home):
    record(home, year=2016, wages=Decimal("6000"))
    record(home, year=2017)
    run("HH-5")
    assert open_findings("HH-5") == []


def test_hh_6_business_income_needs_a_cost_and_income_stays_plausible(home, chinese):
    record(home, business_income=Decimal("3000"))
    run("HH-6")
    (finding,) = open_findings("HH-6")
    assert codes(finding) == ["no_cost"] and "生产经营性收入 3000.00 元" in finding_message(finding)
    record(home, business_income=Decimal("3000"), business_cost=Decimal("800"))
    run("HH-6")
    assert open_findings("HH-6") == []
    record(home, business_income=Decimal("0"), business_cost=Decimal("800"))
    record(home, year=2018, wages=Decimal("400000"))
    run("HH-6")
    assert [codes(f) for f in open_findings("HH-6")] == [["income_high"]]
    record(home, year=2018, wages=Decimal("0"), business_cost=Decimal("900"))
    run("HH-6")
    assert [codes(f) for f in open_findings("HH-6")] == [["income_low"]]


def test_hh_7_school_status_agrees_with_age(home, chinese):
    """A 14-year-old in college and a 10-year-old out of school without a recorded dropout are warnings."""
    college = add_member(home, name="王小明", birth_date=years_ago(14), relation="07", school_status="college")
    out = add_member(
        home, name="王小亮", birth_date=years_ago(10), relation="07", person_number="P-OUT",
        id_number=b.resident_id(birth_date=years_ago(10), sex="male", sequence=401),
    )  # fmt: skip
    add_member(
        home, name="王小强", birth_date=years_ago(10, days=3), relation="07", school_status="primary",
        id_number=b.resident_id(birth_date=years_ago(10, days=3), sex="male", sequence=402),
    )  # fmt: skip
    run("HH-7")
    found = {f.member_id: f for f in open_findings("HH-7")}
    assert set(found) == {college.pk, out.pk}
    assert found[college.pk].detail["age"] == 14 and "大专及以上" in finding_message(found[college.pk])
    assert found[out.pk].detail["compulsory"] is True and "义务教育" in finding_message(found[out.pk])
    Member.objects.filter(pk=out.pk).update(dropout=True, dropout_reason="illness_or_disability")
    Member.objects.filter(pk=college.pk).update(school_status="junior_3")
    run("HH-7")
    assert open_findings("HH-7") == []


def test_hh_7_compulsory_school_age_starts_at_6_as_in_the_exit_check(home, chinese):
    """A 6-year-old out of school without a recorded dropout is a warning, as the exit check's 义务教育 covers 6–15
    (households.rules.COMPULSORY_SCHOOL_AGES); a 5-year-old is not of school age."""
    six = add_member(home, name="王小亮", birth_date=years_ago(6), relation="07", person_number="P-SIX",
                     id_number=b.resident_id(birth_date=years_ago(6), sex="male", sequence=401))  # fmt: skip
    add_member(home, name="王小强", birth_date=years_ago(5), relation="07", person_number="P-FIVE",
               id_number=b.resident_id(birth_date=years_ago(5), sex="male", sequence=402))  # fmt: skip
    run("HH-7")
    (finding,) = open_findings("HH-7")
    assert (finding.member_id, finding.detail["age"], finding.detail["compulsory"]) == (six.pk, 6, True)


def test_hh_7_knows_every_national_grade(home):
    """A 9-year-old recorded in 高中二年级 (national 08) or 高职三年级 (15) is a warning: HH-7 reads the grade's level."""
    senior = add_member(home, name="王小明", birth_date=years_ago(9), relation="07", school_status="senior_2")
    vocational = add_member(
        home, name="王小强", birth_date=years_ago(9, days=3), relation="07", school_status="higher_vocational_3",
        id_number=b.resident_id(birth_date=years_ago(9, days=3), sex="male", sequence=402),
    )  # fmt: skip
    run("HH-7")
    assert {f.member_id for f in open_findings("HH-7")} == {senior.pk, vocational.pk}


def test_hh_7_counts_ages_at_the_end_of_the_latest_record_year(home):
    """The facts of a household last recorded for 2017 are read as of 2017-12-31: born mid-2003, the member was
    14 then (college is wrong), whatever their age today."""
    add_member(home, name="王小明", birth_date=D(2003, 6, 1), relation="07", school_status="college")
    record(home, year=2017)
    run("HH-7")
    (finding,) = open_findings("HH-7")
    assert finding.detail["age"] == 14


def test_hh_8_poor_household_needs_an_active_pairing(tree, users, home):
    set_status(home, "poor")
    run("HH-8")
    (finding,) = open_findings("HH-8")
    assert (finding.household_id, finding.severity) == (home.pk, "warning")
    pair(tree, home, id_number=b.resident_id(birth_date=D(1975, 1, 1), sex="male"), starts_on=TODAY)
    run("HH-8")
    assert open_findings("HH-8") == []


def test_hh_8_ignores_households_that_are_not_poor_and_counts_ended_pairings_out(tree, users, home):
    other = other_household(tree, users)
    set_status(home, "exited")
    set_status(other, "poor")
    pair(
        tree, other, id_number=b.resident_id(birth_date=D(1975, 1, 1), sex="male"),
        starts_on=TODAY - datetime.timedelta(days=400), ends_on=TODAY - datetime.timedelta(days=1),
    )  # fmt: skip
    run("HH-8")
    assert [f.household_id for f in open_findings("HH-8")] == [other.pk]


@pytest.fixture
def exited(home):
    """A household of three that exited on 2017-12-20, all insured, with the 2017 poverty line (3335) on record."""
    lifecycle.status_record(user=None, household=home, status="exited", on=D(2017, 12, 20))
    Member.objects.filter(household=home).update(medical_insurance=True, serious_illness_insurance=True)
    PolicyStandard.objects.update_or_create(year=2017, region=None, defaults={"poverty_line": Decimal("3335")})
    return home


LIVING = {"food_secure": True, "clothing_secure": True, "housing_grade": "A", "water_safe": True, "water_access_ok": True}


def test_hh_9_exited_household_that_fails_its_exit_evaluation_is_a_possible_wrong_exit(exited, chinese):
    """Per-capita income 1000.00 under the line 3335: an error naming the failing check and its sentence."""
    record(exited, wages=Decimal("3000"), **LIVING)
    run("HH-9")
    (finding,) = open_findings("HH-9")
    assert (finding.severity, finding.detail["year"], finding.detail["failing"]) == ("error", 2017, ["income"])
    message = finding_message(finding)
    assert "疑似错退" in message and "收入" in message and "1000.00" in message


def test_hh_9_passes_a_household_that_met_the_standard_in_its_exit_year(exited):
    """Exited in 2017 with 2017's record above the line: an earlier year's shortfall is no wrong exit."""
    record(exited, year=2016, wages=Decimal("3000"), **LIVING)
    record(exited, year=2017, wages=Decimal("30000"), **LIVING)
    run("HH-9")
    assert open_findings("HH-9") == []


def test_hh_9_a_later_relapse_is_no_wrong_exit(exited):
    """Exited in 2017 meeting the standard; in 2018 income fell under the line (返贫, for monitoring): HH-9 judges the
    exit year's record, not the latest, and raises nothing."""
    PolicyStandard.objects.update_or_create(year=2018, region=None, defaults={"poverty_line": Decimal("3535")})
    record(exited, year=2017, wages=Decimal("30000"), **LIVING)
    record(exited, year=2018, wages=Decimal("3000"), **LIVING)
    run("HH-9")
    assert open_findings("HH-9") == []


def test_hh_9_judges_the_year_the_exit_procedure_evaluated(home):
    """An exit approved on 2018-01-10 closing the 2017 plan (its procedure evaluated 2017): 2017's record under the
    line is a possible wrong exit even though the 2018 record is above it."""
    for year, line in ((2017, "3335"), (2018, "3535")):
        PolicyStandard.objects.update_or_create(year=year, region=None, defaults={"poverty_line": Decimal(line)})
    Member.objects.filter(household=home).update(medical_insurance=True, serious_illness_insurance=True)
    procedure = Procedure.objects.create(household=home, kind="exit", state="approved", opened_on=D(2017, 12, 1),
                                         decided_on=D(2018, 1, 10), evaluation={"year": 2017, "passed": True})  # fmt: skip
    lifecycle.status_record(user=None, household=home, status="exited", on=D(2018, 1, 10), procedure=procedure)
    record(home, year=2017, wages=Decimal("3000"), **LIVING)
    record(home, year=2018, wages=Decimal("30000"), **LIVING)
    run("HH-9")
    (finding,) = open_findings("HH-9")
    assert (finding.detail["year"], finding.detail["failing"]) == (2017, ["income"])


def test_hh_9_missing_data_alone_is_no_evidence_of_a_wrong_exit(exited):
    """A record without living conditions (missing, not failing) raises nothing; a failing check would."""
    record(exited, wages=Decimal("30000"))
    run("HH-9")
    assert open_findings("HH-9") == []


def test_hh_9_looks_at_exited_households_only(home):
    set_status(home, "poor")
    PolicyStandard.objects.update_or_create(year=2017, region=None, defaults={"poverty_line": Decimal("3335")})
    record(home, wages=Decimal("3000"), **LIVING)
    run("HH-9")
    assert open_findings("HH-9") == []


def test_hh_10_household_without_active_members(home):
    run("HH-10")
    assert open_findings("HH-10") == []
    Member.objects.filter(household=home).update(left_on=D(2016, 1, 1), left_reason="moved_out")
    run("HH-10")
    assert [f.household_id for f in open_findings("HH-10")] == [home.pk]


# ---------------------------------------------------------------------------------------------------------------------
# The engine: re-runs, fixes, closures by users, scope
# ---------------------------------------------------------------------------------------------------------------------


def test_a_rerun_never_duplicates_an_open_finding(home):
    set_status(home, "poor")
    first = run("HH-8")
    second = run("HH-8")
    assert first.counts["HH-8"] | {"ms": 0} == {"found": 1, "opened": 1, "closed": 0, "ms": 0}
    assert second.counts["HH-8"] | {"ms": 0} == {"found": 1, "opened": 0, "closed": 0, "ms": 0}
    (finding,) = Finding.objects.filter(rule="HH-8")
    assert finding.run_id == first.pk


def test_a_rerun_closes_what_no_longer_holds(tree, home):
    set_status(home, "poor")
    run("HH-8")
    pair(tree, home, id_number=b.resident_id(birth_date=D(1975, 1, 1), sex="male"), starts_on=TODAY)
    closing = run("HH-8")
    (finding,) = Finding.objects.filter(rule="HH-8")
    assert (finding.status, finding.closed_by_run_id, finding.resolved_by) == ("fixed", closing.pk, None)
    assert finding.resolved_at is not None and closing.counts["HH-8"]["closed"] == 1


def test_a_rerun_updates_the_facts_of_an_open_finding(home):
    member = add_member(home, id_number=WRONG_CHECK, birth_date=BORN)
    run("ID-1")
    Member.objects.filter(pk=member.pk).update(id_number=GOOD[:17])
    run("ID-1")
    (finding,) = Finding.objects.filter(rule="ID-1")
    assert (finding.status, finding.detail["part"]) == ("open", "length")


def test_a_finding_confirmed_correct_is_not_raised_again(home, users):
    set_status(home, "poor")
    run("HH-8")
    (finding,) = open_findings("HH-8")
    finding_resolve(user=users["village_team"], finding=finding, status="confirmed_correct", resolution="县级统筹帮扶")
    again = run("HH-8")
    assert again.counts["HH-8"]["opened"] == 0 and open_findings("HH-8") == []


def test_a_finding_marked_fixed_that_still_holds_is_raised_again(home, users):
    set_status(home, "poor")
    run("HH-8")
    (finding,) = open_findings("HH-8")
    finding_resolve(user=users["village_team"], finding=finding, status="fixed", resolution="已安排干部")
    run("HH-8")
    (reopened,) = open_findings("HH-8")
    assert reopened.pk != finding.pk


def test_a_one_household_run_touches_only_that_household(tree, users, home):
    other = other_household(tree, users, village=VILLAGE_A1)
    set_status(home, "poor")
    set_status(other, "poor")
    run("HH-8", households=[home.pk])
    assert [f.household_id for f in open_findings("HH-8")] == [home.pk]
    pair(tree, home, id_number=b.resident_id(birth_date=D(1975, 1, 1), sex="male"), starts_on=TODAY)
    run("HH-8")
    run("HH-8", households=[home.pk])
    assert [f.household_id for f in open_findings("HH-8")] == [other.pk]
    assert RuleRun.objects.filter(household=home).count() == 2


def test_a_run_looks_only_at_its_region(tree, users, home):
    other = other_household(tree, users, village=OTHER_VILLAGE)
    set_status(home, "poor")
    set_status(other, "poor")
    run("HH-8", region=VILLAGE_A2)
    run("HH-8", region=VILLAGE_A1)
    assert [f.household_id for f in open_findings("HH-8")] == [home.pk]


def test_a_run_is_recorded_with_its_rules_in_catalogue_order_and_counts(home, users):
    run_record = run_rules(region_code=COUNTY, rules=["HH-10", "ID-1", "HH-10"], user=users["county_officer"], trigger="api")
    run_record.refresh_from_db()
    assert run_record.rules == ["ID-1", "HH-10"] and set(run_record.counts) == {"ID-1", "HH-10"}
    assert run_record.trigger == "api" and run_record.started_by == users["county_officer"]
    assert run_record.finished_at >= run_record.started_at


def test_every_rule_runs_together_on_a_clean_household(home):
    """All thirteen rules in one run over a consistent household raise nothing but what its data says."""
    everything = run()
    assert list(everything.counts) == list(RULES)
    assert {f.rule for f in Finding.objects.all()} == {"HH-2"}  # 因病 with everyone healthy


def test_an_unknown_rule_is_refused_before_anything_is_written(home):
    with pytest.raises(ValueError, match="XX-1"):
        run("XX-1")
    assert not RuleRun.objects.exists()


def test_tables_without_statistics_are_analyzed_once_before_a_run(home):
    """A bulk-loaded register with autovacuum off has no planner statistics; the engine gathers them first, and
    only while they are missing or far behind."""
    from django.db import connection

    from checks.register_rules import _READ_TABLES, _ensure_statistics

    with connection.cursor() as cursor:
        _ensure_statistics(cursor)
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = ANY(%s) AND reltuples < 0", [_READ_TABLES])
        assert cursor.fetchone() == (0,)
        assert _ensure_statistics(cursor) == []
