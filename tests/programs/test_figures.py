"""Figures on constructed examples: program reach, the summary's programs keys per region and child, totals, timeline."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from households import services as households
from households.models import Household, Member
from programs import selectors, services
from programs.models import Benefit, Program, ProgramHouseholdYear, ProgramYear
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.households import builders as b
from tests.programs.conftest import give, join, make_cooperative, make_home, make_program

pytestmark = pytest.mark.django_db

AS_OF = date(2017, 12, 31)


@pytest.fixture
def county(tree):
    """A county with benefits, cooperatives and households of every kind (see each figure's test).

    A1: h1 poor (3 people) with a 2017 industry benefit of 1000.50; h2 poor (3) with a 2017 education benefit of
    200.25; h6 poor (3) with a 2016 industry benefit of 500. A2: h3 poor (head and spouse) in cooperative A1 since
    2016. B1: h4 exited (3) in cooperative B1; h5 removed (3) in cooperative B1. Another county: a poor household
    with a 2017 benefit of 999. A cooperative founded in 2018 in A1.
    """
    homes = {
        "h1": make_home(tree, sequence=1),
        "h2": make_home(tree, sequence=2),
        "h3": make_home(tree, village=VILLAGE_A2, sequence=3, members=[b.head(3), b.spouse(3)]),
        "h4": make_home(tree, village=VILLAGE_B1, sequence=4, status="exited"),
        "h5": make_home(tree, village=VILLAGE_B1, sequence=5, status="removed"),
        "h6": make_home(tree, sequence=6),
        "far": make_home(tree, village=OTHER_VILLAGE, sequence=7),
    }
    industry = make_program(tree, budget="5000.00")
    education = make_program(
        tree, name="雨露计划", category="education", subtype="yulu_plan", funding_source="central", people_basis="member"
    )
    give(industry, homes["h1"], amount="1000.50")
    give(education, homes["h2"], amount="200.25", member=homes["h2"].members.get(relation="03"))
    give(industry, homes["h6"], amount="500.00", on=date(2016, 5, 1))
    give(make_program(tree, region="220822000000", name="外县项目"), homes["far"], amount="999.00")
    coop_a = make_cooperative(tree)
    coop_b = make_cooperative(tree, village=VILLAGE_B1, name="牧业合作社")
    make_cooperative(tree, name="新社", founded=date(2018, 2, 1))
    join(coop_a, homes["h3"], joined=date(2016, 4, 1))
    join(coop_b, homes["h4"], joined=date(2016, 4, 1))
    join(coop_b, homes["h5"], joined=date(2016, 4, 1))
    return {"homes": homes, "industry": industry, "education": education}


def test_program_figures_of_the_county(county):
    """The county's programs keys as of 2017-12-31: 2017 benefits, coverage of the poor, cooperatives and members."""
    assert selectors.program_figures(region_code=COUNTY, as_of=AS_OF) == {
        "benefit_amount": "1200.75",  # 1000.50 + 200.25 (2016's 500 and the other county's 999 are out)
        "benefited_households": 2,
        "industry_coverage": 0.5,  # h1 (industry benefit) and h3 (cooperative) of the poor h1, h2, h3, h6
        "cooperatives": 2,  # the one founded in 2018 is not there yet
        "cooperative_households": 2,  # h3 (poor) and h4 (exited); h5 was removed
        "cooperative_people": 5,
    }


def test_program_figures_of_each_township(county):
    """The same figures per child region; a township without poor households has no coverage (null)."""
    assert selectors.program_figures_by_child(region_code=COUNTY, as_of=AS_OF) == {
        TOWN_A: {
            "benefit_amount": "1200.75", "benefited_households": 2, "industry_coverage": 0.5, "cooperatives": 1,
            "cooperative_households": 1, "cooperative_people": 2,
        },
        TOWN_B: {
            "benefit_amount": "0.00", "benefited_households": 0, "industry_coverage": None, "cooperatives": 1,
            "cooperative_households": 1, "cooperative_people": 3,
        },
    }  # fmt: skip


def test_children_figures_add_up_to_the_region(county):
    """Counts and amounts of the children sum to the region's."""
    total = selectors.program_figures(region_code=COUNTY, as_of=AS_OF)
    children = selectors.program_figures_by_child(region_code=COUNTY, as_of=AS_OF).values()
    assert sum(Decimal(c["benefit_amount"]) for c in children) == Decimal(total["benefit_amount"])
    for key in ("benefited_households", "cooperatives", "cooperative_households", "cooperative_people"):
        assert sum(c[key] for c in children) == total[key]


def test_program_figures_of_a_village_and_its_lack_of_children(county):
    """A village has its own figures and no children."""
    figures = selectors.program_figures(region_code=VILLAGE_A2, as_of=AS_OF)
    assert (figures["industry_coverage"], figures["cooperative_households"], figures["cooperatives"]) == (1.0, 1, 0)
    assert selectors.program_figures_by_child(region_code=VILLAGE_A2, as_of=AS_OF) == {}


def test_program_figures_read_the_register_as_of_the_day(county, tree):
    """On 2016-12-31 the 2016 benefit counts, h3's membership covers 2016, and 2017's benefits are not there."""
    figures = selectors.program_figures(region_code=COUNTY, as_of=date(2016, 12, 31))
    assert figures["benefit_amount"] == "500.00"
    assert figures["industry_coverage"] == 0.5  # h6 (2016 industry benefit), h3 (cooperative) of four poor
    assert selectors.program_figures(region_code=COUNTY, as_of=date(2013, 12, 31))["industry_coverage"] is None


def test_a_member_who_left_is_not_a_cooperative_person(county):
    """People of cooperative households are their members on the day."""
    h4 = county["homes"]["h4"]
    Member.objects.filter(household=h4, relation="03").update(left_on=date(2017, 6, 1), left_reason="moved_out")
    assert selectors.program_figures(region_code=COUNTY, as_of=AS_OF)["cooperative_people"] == 4
    assert selectors.program_figures(region_code=COUNTY, as_of=date(2017, 5, 31))["cooperative_people"] == 5


def test_a_household_in_two_cooperatives_counts_once(county, tree):
    """h3 joining a second cooperative adds a cooperative but neither a household nor people."""
    join(make_cooperative(tree, village=VILLAGE_A2, name="第二社"), county["homes"]["h3"], joined=date(2017, 2, 1))
    figures = selectors.program_figures(region_code=COUNTY, as_of=AS_OF)
    assert (figures["cooperatives"], figures["cooperative_households"], figures["cooperative_people"]) == (3, 2, 5)


def test_coverage_agrees_with_the_no_industry_coverage_rule(county):
    """Poor households not covered in the figures are exactly those the no_industry_coverage rule targets."""
    from programs import targeting

    figures = selectors.program_figures(region_code=COUNTY, as_of=AS_OF)
    targets = targeting.targeted_households(
        rule="no_industry_coverage",
        households=Household.objects.filter(village__code__startswith=COUNTY[:6]),
        year=2017,
        as_of=AS_OF,
    )
    assert {h.pk for h in targets} == {county["homes"]["h2"].pk, county["homes"]["h6"].pk}
    assert figures["industry_coverage"] == 1 - len(targets) / 4


def test_program_figures_cost_three_queries_and_children_four(county, django_assert_num_queries):
    """The region's figures are three grouped queries; per child, one more for the list of children."""
    with django_assert_num_queries(3):
        selectors.program_figures(region_code=COUNTY, as_of=AS_OF)
    with django_assert_num_queries(4):
        selectors.program_figures_by_child(region_code=COUNTY, as_of=AS_OF)


# A program's reach ----------------------------------------------------------------------------------


def test_member_basis_counts_the_distinct_members_named(tree):
    """Two benefits to one student, one to another, one to a whole household: 2 people, 2 households, exact sum."""
    program = make_program(tree, name="助学金", category="education", subtype="student_grant", people_basis="member")
    first = make_home(tree, sequence=1, members=[b.head(1), b.son(1), b.daughter(1)])
    second = make_home(tree, sequence=2)
    son, daughter = first.members.get(relation="03"), first.members.get(relation="04")
    give(program, first, member=son, amount="0.10")
    give(program, first, member=son, amount="0.20", on=date(2017, 9, 1))
    give(program, first, member=daughter, amount="1500.00")
    give(program, second, amount="300.00")
    assert selectors.program_beneficiaries(program=program) == {
        "beneficiary_households": 2,
        "beneficiary_people": 2,
        "benefit_amount": "1800.30",
    }


def test_household_basis_counts_the_members_of_benefited_households_on_the_day(tree):
    """Household benefits reach everyone in the household on the day, counted once: a member who left before is out."""
    program = make_program(tree, name="肉牛养殖基地", subtype="cattle_base")
    three = make_home(tree, sequence=1)
    two = make_home(tree, sequence=2, members=[b.head(2), b.spouse(2), b.son(2)])
    Member.objects.filter(household=two, relation="03").update(left_on=date(2017, 1, 1), left_reason="moved_out")
    give(program, three, amount="100")
    give(program, three, amount="100", on=date(2017, 8, 1))
    give(program, two, amount="100")
    assert selectors.program_beneficiaries(program=program) == {
        "beneficiary_households": 2,
        "beneficiary_people": 5,
        "benefit_amount": "300.00",
    }


def test_program_reach_can_be_read_until_a_day(tree):
    """Benefits after the day are not counted."""
    program = make_program(tree)
    home = make_home(tree, sequence=1)
    give(program, home, amount="10", on=date(2016, 5, 1))
    give(program, home, amount="20", on=date(2017, 5, 1))
    assert selectors.program_beneficiaries(program=program, until=date(2016, 12, 31))["benefit_amount"] == "10.00"


def test_a_program_without_benefits_reaches_no_one(program):
    """No benefits: zero households and people, 0.00 yuan."""
    assert selectors.program_beneficiaries(program=program) == {
        "beneficiary_households": 0,
        "beneficiary_people": 0,
        "benefit_amount": "0.00",
    }


# Totals ---------------------------------------------------------------------------------------------


def test_benefit_totals_by_program_source_and_category(county):
    """2017's benefits in the county grouped three ways, amounts exact."""
    since = date(2017, 1, 1)
    by_source = selectors.benefit_totals(region_code=COUNTY, by="funding_source", since=since, until=AS_OF)
    assert by_source == [
        {"key": "central", "amount": "200.25", "households": 1, "benefits": 1},
        {"key": "county", "amount": "1000.50", "households": 1, "benefits": 1},
    ]
    by_category = selectors.benefit_totals(region_code=COUNTY, by="category", since=since, until=AS_OF)
    assert [(row["key"], row["amount"]) for row in by_category] == [("education", "200.25"), ("industry", "1000.50")]
    by_program = selectors.benefit_totals(region_code=COUNTY, by="program", since=since, until=AS_OF)
    assert [(row["key"], row["name"], row["amount"]) for row in by_program] == sorted(
        [(county["industry"].pk, "庭院经济补贴", "1000.50"), (county["education"].pk, "雨露计划", "200.25")]
    )


def test_project_totals(tree, unit):
    """Two projects' funds and trainings add up exactly; a household benefited by both counts once."""
    one, two = make_home(tree, sequence=1), make_home(tree, sequence=2)
    base = {"unit": unit, "village": tree[VILLAGE_A1], "year": 2017}
    services.project_create(
        user=None, data={**base, "name": "甲", "funds_invested": "0.10", "funds_coordinated": "5", "trainings": 3},
        beneficiaries=[one, two],
    )  # fmt: skip
    services.project_create(
        user=None, data={**base, "name": "乙", "funds_invested": "0.20", "funds_coordinated": "7.5", "trainings": 4},
        beneficiaries=[one],
    )  # fmt: skip
    services.project_create(user=None, data={**base, "name": "丙", "year": 2016, "trainings": 100})
    assert selectors.project_totals(region_code=COUNTY, year=2017) == {
        "projects": 2,
        "funds_invested": "0.30",
        "funds_coordinated": "12.50",
        "trainings": 7,
        "beneficiary_households": 2,
    }
    assert selectors.project_totals(region_code=TOWN_B) == {
        "projects": 0, "funds_invested": "0.00", "funds_coordinated": "0.00", "trainings": 0, "beneficiary_households": 0,
    }  # fmt: skip


# The kept reach by year ----------------------------------------------------------------------------------------


def assert_kept_matches(program) -> None:
    """ProgramYear gives what program_beneficiaries counts from the benefits, for each year of the program."""
    program.refresh_from_db()
    for year in range(program.start_year, program.end_year + 1):
        counted = selectors.program_beneficiaries(program=program, since=date(year, 1, 1), until=date(year, 12, 31))
        assert selectors.program_year_figures(program=program, year=year) == counted, year


@pytest.mark.parametrize("basis", ["member", "household"])
def test_the_kept_reach_follows_benefits_members_and_the_people_basis(tree, basis):
    """After benefits recorded, back-dated, changed and deleted, members leaving, moving and moved by hand, and the
    program's people basis changed, the kept figures of every year equal the ones counted from scratch; so does the
    migration's fill."""
    program = make_program(tree, people_basis=basis)
    first = make_home(tree, sequence=1, members=[b.head(1), b.son(1), b.daughter(1)])
    second = make_home(tree, sequence=2)
    son, daughter = first.members.get(relation="03"), first.members.get(relation="04")
    give(program, first, member=son, amount="0.10")
    late = give(program, first, member=daughter, amount="1500.00", on=date(2017, 9, 1))
    whole = give(program, second, amount="300.00")
    assert_kept_matches(program)
    Benefit.objects.filter(pk=whole.pk).update(date=date(2016, 6, 1))  # back-dated into another year
    Benefit.objects.filter(pk=late.pk).update(amount=Decimal("1400.00"))
    assert_kept_matches(program)
    Member.objects.filter(pk=daughter.pk).update(left_on=date(2017, 3, 1), left_reason="moved_out")
    assert_kept_matches(program)
    Member.objects.filter(pk=daughter.pk).update(left_on=None, left_reason="")
    moved = households.member_move(user=None, member=son, to_household=second, relation="03", on=date(2017, 6, 1))
    give(program, second, member=moved, amount="5.00", on=date(2017, 7, 1))
    assert_kept_matches(program)
    Member.objects.filter(pk=daughter.pk).update(household=second)  # moved by hand, named on the first's benefits
    assert_kept_matches(program)
    Benefit.objects.filter(pk=late.pk).delete()
    assert_kept_matches(program)
    Program.objects.filter(pk=program.pk).update(people_basis="household" if basis == "member" else "member")
    assert_kept_matches(program)
    migration = importlib.import_module("programs.migrations.0002_program_year_figures")
    ProgramYear.objects.all().delete()
    ProgramHouseholdYear.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert_kept_matches(program)
