"""Targeting rules: each predicate catches a household it should and leaves one it should not; the gap list."""

from datetime import date

import pytest

from households import services as household_services
from households.models import Household, Member
from lifecycle import services as lifecycle
from programs import rules, selectors, targeting
from programs.choices import TargetingRule
from tests.conftest import TOWN_A, VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b
from tests.programs.conftest import give, join, make_cooperative, make_home, make_program

pytestmark = pytest.mark.django_db

YEAR = 2017
AS_OF = date(2017, 12, 31)


def caught(rule: str, *, year=YEAR, as_of=AS_OF) -> set[int]:
    return set(targeting.targeted_households(rule=rule, year=year, as_of=as_of).values_list("pk", flat=True))


def record(household, year, **facts):
    return household_services.annual_record_upsert(user=None, household=household, year=year, data=facts)[0]


def test_the_registry_has_one_rule_for_every_name():
    """Every name a program can carry has a rule, and every rule a name."""
    assert set(targeting.RULES) == set(TargetingRule.values)


# housing_cd_not_renovated ------------------------------------------------------------------------------


def test_housing_rule_catches_a_c_grade_house_not_renovated(tree):
    """Grade C on the latest record up to the year, no renovation year: caught."""
    home = make_home(tree, sequence=1)
    record(home, 2016, housing_grade="C")
    assert caught(TargetingRule.HOUSING_CD_NOT_RENOVATED) == {home.pk}


def test_housing_rule_leaves_a_renovated_or_safe_house(tree):
    """A D-grade house renovated in 2017, and one whose latest record says B, are not caught."""
    renovated, safe = make_home(tree, sequence=1), make_home(tree, sequence=2)
    record(renovated, 2017, housing_grade="D", renovation_year=2017)
    record(safe, 2015, housing_grade="C")
    record(safe, 2017, housing_grade="B")
    assert caught(TargetingRule.HOUSING_CD_NOT_RENOVATED) == set()


def test_housing_rule_ignores_records_after_the_year(tree):
    """A 2018 record does not decide the rule for 2017."""
    home = make_home(tree, sequence=1)
    record(home, 2018, housing_grade="D")
    assert caught(TargetingRule.HOUSING_CD_NOT_RENOVATED) == set()
    assert caught(TargetingRule.HOUSING_CD_NOT_RENOVATED, year=2018, as_of=date(2018, 12, 31)) == {home.pk}


# vocational_students, college_students, serious_illness --------------------------------------------------


def test_vocational_rule_catches_a_household_with_a_vocational_student(tree):
    """A son in secondary vocational school: caught."""
    home = make_home(tree, sequence=1, members=[b.head(1), b.son(1, school_status="secondary_vocational_2")])
    assert caught(TargetingRule.VOCATIONAL_STUDENTS) == {home.pk}


def test_vocational_rule_leaves_senior_school_and_students_who_left(tree):
    """A senior-school pupil, and a vocational student who left the household, are not caught."""
    make_home(tree, sequence=1, members=[b.head(1), b.son(1, school_status="senior_3")])
    moved = make_home(tree, sequence=2, members=[b.head(2), b.son(2, school_status="higher_vocational_1")])
    Member.objects.filter(household=moved, relation="03").update(left_on=date(2017, 9, 1), left_reason="moved_out")
    assert caught(TargetingRule.VOCATIONAL_STUDENTS) == set()
    assert caught(TargetingRule.VOCATIONAL_STUDENTS, as_of=date(2017, 8, 31)) == {moved.pk}


def test_college_rule_catches_only_college_students(tree):
    """A daughter at college is caught; a vocational student is not."""
    college = make_home(tree, sequence=1, members=[b.head(1), b.daughter(1, school_status="college")])
    make_home(tree, sequence=2, members=[b.head(2), b.son(2, school_status="higher_vocational_1")])
    assert caught(TargetingRule.COLLEGE_STUDENTS) == {college.pk}


def test_serious_illness_rule(tree):
    """A spouse with a serious illness is caught; a chronic illness is not."""
    ill = make_home(tree, sequence=1, members=[b.head(1), b.spouse(1, health="serious_illness")])
    make_home(tree, sequence=2, members=[b.head(2), b.spouse(2, health="chronic")])
    assert caught(TargetingRule.SERIOUS_ILLNESS) == {ill.pk}


def test_rules_look_at_poor_and_exited_households_only(tree):
    """A removed household with a seriously ill member and a household never decided are not targeted."""
    members = [b.head(1), b.spouse(1, health="serious_illness")]
    make_home(tree, sequence=1, members=members, status="removed")
    make_home(tree, sequence=2, members=[b.head(2), b.spouse(2, health="serious_illness")], status=None)
    exited = make_home(tree, sequence=3, members=[b.head(3), b.spouse(3, health="serious_illness")], status="exited")
    assert caught(TargetingRule.SERIOUS_ILLNESS) == {exited.pk}


def test_rules_read_the_status_as_of_the_day(tree):
    """A household removed in 2018 was still targeted at the end of 2017."""
    home = make_home(tree, sequence=1, members=[b.head(1), b.spouse(1, health="serious_illness")])
    lifecycle.status_record(user=None, household=home, status="removed", on=date(2018, 3, 1))
    assert caught(TargetingRule.SERIOUS_ILLNESS) == {home.pk}
    assert caught(TargetingRule.SERIOUS_ILLNESS, year=2018, as_of=date(2018, 12, 31)) == set()


# no_industry_coverage ------------------------------------------------------------------------------------


def test_industry_rule_catches_a_poor_household_with_no_industry_help(tree):
    """A poor household with only an education benefit in the year: caught."""
    home = make_home(tree, sequence=1)
    give(make_program(tree, name="助学", category="education", subtype="student_grant"), home)
    assert caught(TargetingRule.NO_INDUSTRY_COVERAGE) == {home.pk}


def test_industry_rule_leaves_covered_and_exited_households(tree):
    """An industry benefit, an asset-income benefit, a cooperative membership, or being exited: not caught."""
    by_industry, by_asset, by_coop = (make_home(tree, sequence=n) for n in (1, 2, 3))
    make_home(tree, sequence=4, status="exited")
    give(make_program(tree), by_industry)
    give(make_program(tree, name="光伏收益", category="asset_income", subtype=""), by_asset)
    join(make_cooperative(tree), by_coop, joined=date(2017, 11, 1))
    assert caught(TargetingRule.NO_INDUSTRY_COVERAGE) == set()


def test_industry_rule_counts_only_the_year(tree):
    """A 2016 industry benefit and a membership that ended in 2016 do not cover 2017."""
    by_benefit, by_coop = make_home(tree, sequence=1), make_home(tree, sequence=2)
    give(make_program(tree), by_benefit, on=date(2016, 6, 1))
    join(make_cooperative(tree), by_coop, joined=date(2015, 6, 1), left=date(2017, 1, 1))
    assert caught(TargetingRule.NO_INDUSTRY_COVERAGE) == {by_benefit.pk, by_coop.pk}
    assert caught(TargetingRule.NO_INDUSTRY_COVERAGE, year=2016, as_of=date(2016, 12, 31)) == set()


def test_querysets_agree_with_the_pure_predicates(tree):
    """For a mix of households, each set-based rule catches exactly those its per-household predicate says."""
    homes = [
        make_home(tree, sequence=1, members=[b.head(1), b.son(1, school_status="secondary_vocational_2")]),
        make_home(tree, sequence=2, members=[b.head(2), b.spouse(2, health="serious_illness")]),
        make_home(tree, sequence=3, members=[b.head(3), b.daughter(3, school_status="college")]),
        make_home(tree, sequence=4),
    ]
    record(homes[0], 2017, housing_grade="D")
    record(homes[3], 2016, housing_grade="C", renovation_year=2016)
    for household in Household.objects.filter(pk__in=[h.pk for h in homes]):
        members = list(household.members.active_on(AS_OF))
        statuses = [m.school_status for m in members]
        facts = [rules.RecordFacts(r.year, r.housing_grade, r.renovation_year) for r in household.annual_records.all()]
        expected = {
            TargetingRule.HOUSING_CD_NOT_RENOVATED: rules.needs_housing_renovation(facts, year=YEAR),
            TargetingRule.VOCATIONAL_STUDENTS: rules.has_vocational_student(statuses),
            TargetingRule.COLLEGE_STUDENTS: rules.has_college_student(statuses),
            TargetingRule.SERIOUS_ILLNESS: rules.has_serious_illness([m.health for m in members]),
            TargetingRule.NO_INDUSTRY_COVERAGE: not rules.industry_covered(benefit_categories=[], in_cooperative=False),
        }
        for name, verdict in expected.items():
            assert (household.pk in caught(name)) is verdict, (household.number, name)


# The gap list -------------------------------------------------------------------------------------------


def test_gap_list_is_the_targeted_households_without_a_benefit_of_the_program(tree, users):
    """Of two ill households the program should reach, the one it gave a benefit in the year is not a gap."""
    program = make_program(tree, name="大病救助", category="health", subtype="reimbursement", targeting_rule="serious_illness")
    reached = make_home(tree, sequence=1, members=[b.head(1), b.spouse(1, health="serious_illness")])
    missed = make_home(tree, sequence=2, members=[b.head(2), b.spouse(2, health="serious_illness")])
    make_home(tree, sequence=3)  # healthy: not targeted
    give(program, reached, on=date(2017, 3, 1))
    gaps = selectors.program_gaps(program=program, user=users["superuser"], year=2017, as_of=AS_OF)
    assert [(h.pk, h.head_name, h.status_as_of) for h in gaps] == [(missed.pk, "王建国", "poor")]


def test_gap_list_counts_benefits_of_the_same_year_only(tree, users):
    """A benefit of 2016 does not close the household's 2017 gap."""
    program = make_program(tree, name="大病救助", category="health", targeting_rule="serious_illness", subtype="")
    home = make_home(tree, sequence=1, members=[b.head(1), b.spouse(1, health="serious_illness")])
    give(program, home, on=date(2016, 3, 1))
    assert [h.pk for h in selectors.program_gaps(program=program, user=users["superuser"], year=2017, as_of=AS_OF)] == [home.pk]
    assert list(selectors.program_gaps(program=program, user=users["superuser"], year=2016, as_of=date(2016, 12, 31))) == []


def test_gap_list_stays_inside_the_programs_region_and_the_callers_scope(tree, users):
    """A township-A program lists A1 and A2 households for the county officer, only A1's for A1's team, none of B1."""
    program = make_program(tree, region=TOWN_A, category="health", subtype="", targeting_rule="serious_illness")
    ill = [b.head(1), b.spouse(1, health="serious_illness")]
    a1 = make_home(tree, sequence=1, members=ill)
    a2 = make_home(tree, village="220821100202", sequence=2, members=[b.head(2), b.spouse(2, health="serious_illness")])
    make_home(tree, village=VILLAGE_B1, sequence=3, members=[b.head(3), b.spouse(3, health="serious_illness")])

    def listed(user):
        return {h.pk for h in selectors.program_gaps(program=program, user=user, year=2017, as_of=AS_OF)}

    assert listed(users["county_officer"]) == {a1.pk, a2.pk}
    assert listed(users["village_team"]) == {a1.pk}
    assert a1.village_id == VILLAGE_A1
