"""The rules of each model, held by the services: programs, benefits, cooperatives, memberships, dividends, projects."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import DomainError
from households.models import Member
from programs import services
from programs.models import Benefit, CooperativeMembership, Dividend, PairingProject, Program, ProjectBeneficiary
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.programs.conftest import give, join, make_cooperative, make_home, make_program

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Program, Benefit, CooperativeMembership, Dividend, PairingProject, ProjectBeneficiary)
    }


# Programs -------------------------------------------------------------------------------------------


def test_program_stores_an_exact_budget(tree):
    """A program's budget given as a decimal string is stored exactly."""
    program = make_program(tree, budget="100000000.00", subtype="cattle_base")
    program.refresh_from_db()
    assert program.budget == Decimal("100000000.00")


def test_program_subtype_must_belong_to_its_category(tree):
    """An education program cannot be of the photovoltaic subtype."""
    with pytest.raises(ValidationError) as error:
        make_program(tree, category="education", subtype="photovoltaic")
    assert codes(error.value) == {"subtype": ["invalid"]}
    assert Program.objects.count() == 0


def test_program_years_must_not_run_backwards(tree):
    """An end year before the start year is refused."""
    with pytest.raises(ValidationError) as error:
        make_program(tree, start_year=2018, end_year=2016)
    assert "end_year" in error.value.error_dict


def test_program_refuses_an_unknown_targeting_rule_and_a_float_budget(tree):
    """A targeting rule not in the registry and a binary-float budget are both field errors."""
    with pytest.raises(ValidationError) as error:
        make_program(tree, targeting_rule="everyone", budget=1.5)
    assert set(error.value.error_dict) == {"targeting_rule", "budget"}


def test_program_outside_the_officers_county_is_refused(tree, users):
    """A county officer cannot set up a program for another county (403), and nothing is written."""
    with pytest.raises(DomainError) as error:
        services.program_create(
            user=users["county_officer"],
            data={"name": "x", "category": "other", "start_year": 2017, "end_year": 2017,
                  "region": tree[OTHER_VILLAGE], "funding_source": "county"},
        )  # fmt: skip
    assert error.value.status == 403
    assert Program.objects.count() == 0


def test_program_region_cannot_shrink_past_recorded_benefits(tree, program):
    """Moving a county program to township B when it has a benefit in village A1 is a conflict."""
    give(program, make_home(tree, sequence=1))
    with pytest.raises(DomainError) as error:
        services.program_update(user=None, program=program, data={"region": tree[VILLAGE_B1]})
    assert error.value.code == "conflict"
    program.refresh_from_db()
    assert program.region_id == COUNTY


def test_program_years_can_grow(tree, program):
    """Widening a program's years with benefits recorded is allowed."""
    give(program, make_home(tree, sequence=1))
    services.program_update(user=None, program=program, data={"end_year": 2020})
    program.refresh_from_db()
    assert program.end_year == 2020


# Benefits -------------------------------------------------------------------------------------------


def test_benefit_is_recorded_with_an_exact_amount(tree, program, home):
    """A benefit of "1234.5" yuan is stored as Decimal 1234.50, recorded by the user."""
    benefit = give(program, home, amount="1234.5")
    benefit.refresh_from_db()
    assert benefit.amount == Decimal("1234.50")


def test_benefit_outside_the_programs_region_is_refused(tree):
    """A township-A program cannot benefit a household in township B: a field error, nothing written."""
    program = make_program(tree, region=TOWN_A)
    outsider = make_home(tree, village=VILLAGE_B1, sequence=2)
    before = counts()
    with pytest.raises(ValidationError) as error:
        give(program, outsider)
    assert codes(error.value) == {"household": ["outside_region"]}
    assert counts() == before


@pytest.mark.parametrize("amount", ["-1", "1e3", "12.345", 12.5, "abc"])
def test_benefit_with_a_bad_amount_is_refused(tree, program, home, amount):
    """Negative, exponent, three-place, float and non-numeric amounts are all field errors on amount."""
    with pytest.raises(ValidationError) as error:
        give(program, home, amount=amount)
    assert codes(error.value) == {"amount": ["invalid"]}
    assert Benefit.objects.count() == 0


def test_benefit_date_must_lie_within_the_programs_years(tree, program, home):
    """A 2016–2018 program cannot record a benefit dated 2019."""
    with pytest.raises(ValidationError) as error:
        give(program, home, on=date(2019, 1, 1))
    assert codes(error.value) == {"date": ["invalid"]}


def test_benefit_member_must_belong_to_the_household(tree, program, home):
    """A member of another household cannot be the beneficiary of this household's benefit."""
    other = make_home(tree, sequence=2)
    with pytest.raises(ValidationError) as error:
        give(program, home, member=other.members.first())
    assert codes(error.value) == {"member": ["invalid"]}


def test_benefit_member_must_be_in_the_household_on_the_day(tree, program, home):
    """A member who left before the benefit's date cannot receive it."""
    son = home.members.get(relation="03")
    Member.objects.filter(pk=son.pk).update(left_on=date(2017, 1, 1), left_reason="moved_out")
    son.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        give(program, home, member=son, on=date(2017, 5, 1))
    assert codes(error.value) == {"member": ["invalid"]}


def test_benefit_is_refused_to_a_user_outside_the_village(tree, users, program):
    """The village team of A1 cannot record a benefit for a household of A2 (403)."""
    other = make_home(tree, village=VILLAGE_A2, sequence=2)
    with pytest.raises(DomainError) as error:
        services.benefit_create(
            user=users["village_team"], program=program, household=other, date=date(2017, 5, 1), amount="10"
        )
    assert error.value.status == 403
    assert Benefit.objects.count() == 0


def test_benefit_update_keeps_the_rules(tree, program, home):
    """Correcting a benefit's amount to a negative number is refused and the stored amount stays."""
    benefit = give(program, home, amount="100")
    with pytest.raises(ValidationError):
        services.benefit_update(user=None, benefit=benefit, data={"amount": "-100"})
    benefit.refresh_from_db()
    assert benefit.amount == Decimal("100.00")


def test_the_database_refuses_a_negative_amount_even_in_bulk(tree, program, home):
    """The check constraint backs the rule for writes that bypass the services (a COPY, a raw update)."""
    benefit = give(program, home)
    with pytest.raises(IntegrityError), transaction.atomic():
        Benefit.objects.filter(pk=benefit.pk).update(amount=Decimal("-1"))


# Cooperatives, memberships, dividends ---------------------------------------------------------------


def test_cooperative_names_are_unique_in_a_village(tree):
    """Two cooperatives of one name in one village are refused; the same name elsewhere is fine."""
    make_cooperative(tree)
    make_cooperative(tree, village=VILLAGE_A2)
    with pytest.raises(ValidationError) as error:
        make_cooperative(tree)
    assert codes(error.value) == {"name": ["unique"]}


def test_membership_periods_of_one_household_and_cooperative_do_not_overlap(tree, home):
    """A second membership starting inside the first is refused with overlapping_period."""
    cooperative = make_cooperative(tree)
    join(cooperative, home, joined=date(2016, 1, 1), left=date(2017, 1, 1))
    join(cooperative, home, joined=date(2017, 1, 1))  # back-to-back is fine
    with pytest.raises(ValidationError) as error:
        join(cooperative, home, joined=date(2016, 6, 1), left=date(2016, 9, 1))
    assert codes(error.value) == {"joined": ["overlapping_period"]}
    assert CooperativeMembership.objects.count() == 2


def test_the_database_refuses_overlapping_memberships(tree, home):
    """The exclusion constraint backs the rule when the check is bypassed."""
    cooperative = make_cooperative(tree)
    join(cooperative, home, joined=date(2016, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CooperativeMembership.objects.create(cooperative=cooperative, household=home, joined=date(2016, 5, 1))


def test_membership_needs_a_household_of_the_cooperatives_county_and_a_date_after_founding(tree):
    """A household of another county, and joining before the founding, are refused."""
    cooperative = make_cooperative(tree, founded=date(2016, 1, 1))
    far = make_home(tree, village=OTHER_VILLAGE, sequence=3)
    with pytest.raises(ValidationError) as error:
        join(cooperative, far, joined=date(2015, 1, 1))
    assert codes(error.value) == {"household": ["outside_region"], "joined": ["invalid"]}


def test_membership_left_must_follow_joined(tree, home):
    """Leaving on or before the day of joining is refused."""
    cooperative = make_cooperative(tree)
    with pytest.raises(ValidationError) as error:
        join(cooperative, home, joined=date(2016, 1, 1), left=date(2016, 1, 1))
    assert codes(error.value) == {"left": ["invalid"]}


def test_dividends_are_one_per_membership_and_year(tree, home):
    """A second dividend for the same membership and year is refused; another year is fine."""
    membership = join(make_cooperative(tree), home, joined=date(2016, 1, 1))
    services.dividend_create(user=None, membership=membership, year=2016, amount="300.00")
    services.dividend_create(user=None, membership=membership, year=2017, amount="320.50")
    with pytest.raises(ValidationError) as error:
        services.dividend_create(user=None, membership=membership, year=2017, amount="1.00")
    assert codes(error.value) == {"year": ["unique"]}
    assert sorted(Dividend.objects.values_list("year", "amount")) == [(2016, Decimal("300.00")), (2017, Decimal("320.50"))]


def test_dividend_year_must_fall_in_the_membership(tree, home):
    """A dividend for a year before the household joined is refused."""
    membership = join(make_cooperative(tree), home, joined=date(2017, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.dividend_create(user=None, membership=membership, year=2016, amount="1.00")
    assert codes(error.value) == {"year": ["invalid"]}


def test_membership_cannot_end_before_a_paid_dividend(tree, home):
    """Setting `left` before a year whose dividend was paid is refused."""
    membership = join(make_cooperative(tree), home, joined=date(2016, 1, 1))
    services.dividend_create(user=None, membership=membership, year=2017, amount="10")
    with pytest.raises(ValidationError) as error:
        services.membership_update(user=None, membership=membership, data={"left": date(2016, 12, 1)})
    assert "left" in error.value.error_dict
    membership.refresh_from_db()
    assert membership.left is None


# Pairing-unit projects ------------------------------------------------------------------------------


def project_data(tree, unit, **overrides):
    data = {
        "unit": unit, "village": tree[VILLAGE_A1], "name": "肉牛养殖项目", "year": 2017,
        "funds_invested": "500000.00", "funds_coordinated": "76000.50", "trainings": 120,
    }  # fmt: skip
    data.update(overrides)
    return data


def test_project_records_funds_trainings_and_beneficiaries(tree, unit):
    """A project keeps exact funds, its trainings and its beneficiary households."""
    homes = [make_home(tree, sequence=n) for n in (1, 2)]
    project = services.project_create(user=None, data=project_data(tree, unit), beneficiaries=homes)
    project.refresh_from_db()
    assert (project.funds_invested, project.funds_coordinated, project.trainings) == (
        Decimal("500000.00"), Decimal("76000.50"), 120,
    )  # fmt: skip
    assert set(project.beneficiaries.values_list("pk", flat=True)) == {h.pk for h in homes}


def test_project_beneficiaries_must_live_in_the_projects_village(tree, unit):
    """A household of village A2 cannot be a beneficiary of a project in A1: refused, nothing written."""
    inside, outside = make_home(tree, sequence=1), make_home(tree, village=VILLAGE_A2, sequence=2)
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.project_create(user=None, data=project_data(tree, unit), beneficiaries=[inside, outside])
    assert codes(error.value) == {"beneficiaries": ["outside_region"]}
    assert counts() == before


def test_project_update_replaces_the_beneficiaries(tree, unit):
    """PATCHing the beneficiaries replaces the list; leaving it out keeps it."""
    one, two = make_home(tree, sequence=1), make_home(tree, sequence=2)
    project = services.project_create(user=None, data=project_data(tree, unit), beneficiaries=[one])
    services.project_update(user=None, project=project, data={"trainings": 5})
    assert list(project.beneficiaries.values_list("pk", flat=True)) == [one.pk]
    services.project_update(user=None, project=project, data={}, beneficiaries=[two])
    assert list(project.beneficiaries.values_list("pk", flat=True)) == [two.pk]


def test_project_with_negative_funds_is_refused(tree, unit):
    """Negative funds are a field error; nothing is written."""
    with pytest.raises(ValidationError) as error:
        services.project_create(user=None, data=project_data(tree, unit, funds_invested="-1"))
    assert codes(error.value) == {"funds_invested": ["invalid"]}
    assert PairingProject.objects.count() == 0
