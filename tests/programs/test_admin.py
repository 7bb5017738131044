"""Programs in the admin: scoped like the API, every save through the services, their errors beside the fields."""

from datetime import date
from decimal import Decimal

import pytest

from programs.models import Benefit, Cooperative, CooperativeMembership, Dividend, PairingProject, Program
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import PASSWORD
from tests.programs.conftest import give, join, make_cooperative, make_home, make_program

pytestmark = pytest.mark.django_db


def signed_in(client, username):
    assert client.post("/admin/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def program_form(**overrides) -> dict:
    data = {
        "name": "庭院经济", "category": "industry", "subtype": "courtyard", "start_year": "2016", "end_year": "2018",
        "region": COUNTY, "funding_source": "county", "budget": "1000.00", "unit": "yuan", "people_basis": "household",
        "targeting_rule": "", "description": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_officer_adds_a_program_through_the_service(client, users, tree):
    """The county office's add form creates the program."""
    response = signed_in(client, "county").post("/admin/programs/program/add/", program_form())
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert Program.objects.get().budget == Decimal("1000.00")


def test_a_subtype_of_another_category_is_shown_beside_the_field(client, users, tree):
    """The service's error appears on the subtype field; nothing is saved."""
    response = signed_in(client, "county").post("/admin/programs/program/add/", program_form(subtype="yulu_plan"))
    assert response.status_code == 200
    assert "subtype" in response.context["adminform"].form.errors
    assert Program.objects.count() == 0


def test_a_village_team_sees_the_county_program_but_cannot_add_or_change_one(client, users, tree):
    """The team's changelist lists the county program; add is 403 and the change page is read-only."""
    program = make_program(tree)
    make_program(tree, name="外县", region="220822000000")
    team = signed_in(client, "team")
    listing = team.get("/admin/programs/program/")
    assert listing.status_code == 200
    assert [p.pk for p in listing.context["cl"].result_list] == [program.pk]
    assert team.get("/admin/programs/program/add/").status_code == 403
    page = team.get(f"/admin/programs/program/{program.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]


def test_program_change_page_shows_its_reach(client, users, tree):
    """The change page shows beneficiary households, people and the amount."""
    program = make_program(tree)
    give(program, make_home(tree, sequence=1), amount="12.50")
    page = signed_in(client, "county").get(f"/admin/programs/program/{program.pk}/change/")
    assert "受益户 1 户，受益人口 3 人，金额 12.50 元" in page.content.decode()


def benefit_form(program, household, **overrides) -> dict:
    data = {"program": program.pk, "household": household.pk, "member": "", "date": "2017-05-01", "amount": "300.00",
            "quantity": "1", "note": ""}  # fmt: skip
    data.update(overrides)
    return data


def test_team_records_a_benefit_of_a_county_program(client, users, tree):
    """The A1 team records a benefit of the county's program for an A1 household; it is recorded by them."""
    program, home = make_program(tree), make_home(tree, sequence=1)
    response = signed_in(client, "team").post("/admin/programs/benefit/add/", benefit_form(program, home))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    benefit = Benefit.objects.get()
    assert (benefit.amount, benefit.recorded_by.username) == (Decimal("300.00"), "team")


def test_a_benefit_outside_the_programs_region_is_refused_in_the_admin(client, users, tree):
    """A township-A program for a household of township B: an error beside the household, nothing saved."""
    program = make_program(tree, region=TOWN_A)
    outsider = make_home(tree, village=VILLAGE_B1, sequence=2)
    response = signed_in(client, "county").post("/admin/programs/benefit/add/", benefit_form(program, outsider))
    assert response.status_code == 200
    assert "household" in response.context["adminform"].form.errors
    assert Benefit.objects.count() == 0


def test_a_negative_benefit_is_refused_in_the_admin(client, users, tree):
    """A negative amount is a field error; nothing saved."""
    program, home = make_program(tree), make_home(tree, sequence=1)
    response = signed_in(client, "county").post("/admin/programs/benefit/add/", benefit_form(program, home, amount="-3"))
    assert response.status_code == 200
    assert "amount" in response.context["adminform"].form.errors
    assert Benefit.objects.count() == 0


def test_team_sees_only_its_villages_benefits(client, users, tree):
    """The changelist of benefits is scoped to the team's village."""
    program = make_program(tree)
    mine = give(program, make_home(tree, sequence=1))
    give(program, make_home(tree, village=VILLAGE_A2, sequence=2))
    listing = signed_in(client, "team").get("/admin/programs/benefit/")
    assert [b.pk for b in listing.context["cl"].result_list] == [mine.pk]


def test_overlapping_membership_is_refused_in_the_admin(client, users, tree):
    """A second overlapping membership shows the overlap error; nothing saved."""
    cooperative, home = make_cooperative(tree), make_home(tree, sequence=1)
    join(cooperative, home, joined=date(2016, 1, 1))
    response = signed_in(client, "county").post(
        "/admin/programs/cooperativemembership/add/",
        {"cooperative": cooperative.pk, "household": home.pk, "joined": "2017-01-01", "left": "", "shares": "1"},
    )
    assert response.status_code == 200
    assert "joined" in response.context["adminform"].form.errors
    assert CooperativeMembership.objects.count() == 1


def test_cooperative_and_dividend_are_saved_through_the_services(client, users, tree):
    """Adding a cooperative and a dividend in the admin writes them; a duplicate dividend year is refused."""
    officer = signed_in(client, "county")
    response = officer.post(
        "/admin/programs/cooperative/add/",
        {"name": "牧业合作社", "village": VILLAGE_A1, "kind": "breeding", "founded": "2015-01-01"},
    )
    assert response.status_code == 302
    membership = join(Cooperative.objects.get(), make_home(tree, sequence=1), joined=date(2016, 1, 1))
    data = {"membership": membership.pk, "year": "2017", "amount": "88.00"}
    assert officer.post("/admin/programs/dividend/add/", data).status_code == 302
    again = officer.post("/admin/programs/dividend/add/", data)
    assert again.status_code == 200 and "year" in again.context["adminform"].form.errors
    assert Dividend.objects.count() == 1


def test_project_with_beneficiaries_by_number(client, users, tree, unit):
    """A project's beneficiaries are given by household numbers; one outside the village is refused."""
    inside, outside = make_home(tree, sequence=1), make_home(tree, village=VILLAGE_A2, sequence=2)
    officer = signed_in(client, "county")
    data = {
        "unit": unit.pk, "village": VILLAGE_A1, "name": "大棚项目", "year": "2017", "funds_invested": "100.00",
        "funds_coordinated": "0", "trainings": "3", "beneficiary_numbers": f"{inside.number}\n{outside.number}",
    }  # fmt: skip
    refused = officer.post("/admin/programs/pairingproject/add/", data)
    assert refused.status_code == 200 and PairingProject.objects.count() == 0
    assert officer.post("/admin/programs/pairingproject/add/", {**data, "beneficiary_numbers": inside.number}).status_code == 302
    assert list(PairingProject.objects.get().beneficiaries.all()) == [inside]


@pytest.mark.parametrize(
    "model", ["program", "benefit", "cooperative", "cooperativemembership", "dividend", "pairingproject"]
)
def test_every_admin_list_and_add_page_answers(client, users, tree, model):
    """Each changelist and add page renders for an administrator."""
    root = signed_in(client, "root")
    assert root.get(f"/admin/programs/{model}/").status_code == 200
    assert root.get(f"/admin/programs/{model}/add/").status_code == 200


def test_an_inspector_reads_but_does_not_write(client, users, tree):
    """The inspector sees benefits and programs but gets 403 on their add pages."""
    inspector = signed_in(client, "inspector")
    assert inspector.get("/admin/programs/benefit/").status_code == 200
    assert inspector.get("/admin/programs/benefit/add/").status_code == 403
    assert inspector.get("/admin/programs/program/add/").status_code == 403
