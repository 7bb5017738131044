"""The programs API: programs with their reach and gap lists, benefits, cooperatives, memberships, dividends, projects.

Through the client with token auth: rights per role (403) and scope (404), refused writes that write nothing,
ETag/If-Match, filters, pinned query counts and the schema.
"""

from datetime import date
from decimal import Decimal

import pytest

from programs.models import Benefit, Cooperative, CooperativeMembership, Dividend, PairingProject, Program
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory
from tests.households import builders as b
from tests.programs.conftest import give, join, make_cooperative, make_home, make_program

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/v1/programs/"
BENEFITS = "/api/v1/benefits/"
COOPERATIVES = "/api/v1/cooperatives/"
MEMBERSHIPS = "/api/v1/cooperative-memberships/"
DIVIDENDS = "/api/v1/dividends/"
PROJECTS = "/api/v1/projects/"


def written() -> dict:
    """What a refused write must leave unchanged."""
    return {
        model.__name__: model.objects.count()
        for model in (Program, Benefit, Cooperative, CooperativeMembership, Dividend, PairingProject)
    } | {"amounts": sorted(str(a) for a in Benefit.objects.values_list("amount", flat=True))}


def program_payload(**overrides) -> dict:
    data = {
        "name": "光伏扶贫", "category": "industry", "subtype": "photovoltaic", "start_year": 2016, "end_year": 2018,
        "region": COUNTY, "funding_source": "provincial", "budget": "2500000.00", "targeting_rule": "no_industry_coverage",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def team(users):
    return users["village_team"]


# Programs -------------------------------------------------------------------------------------------


def test_officer_sets_up_a_program(api, officer, tree):
    """POST programs/ by the county office: 201 with the program, its reach (nothing yet) and an ETag."""
    response = api(officer).post(PROGRAMS, program_payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    program = Program.objects.get()
    assert (body["id"], body["region"], body["budget"], body["targeting_rule"]) == (
        program.pk, COUNTY, "2500000.00", "no_industry_coverage",
    )  # fmt: skip
    assert (body["beneficiary_households"], body["beneficiary_people"], body["benefit_amount"]) == (0, 0, "0.00")
    assert program.budget == Decimal("2500000.00")
    assert response["ETag"] == f'"{program.version}"'


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": "1e3"}, "budget"),
        ({"budget": "-1"}, "budget"),
        ({"budget": 12.5}, "budget"),
        ({"subtype": "yulu_plan"}, "subtype"),
        ({"end_year": 2015}, "end_year"),
        ({"region": OTHER_VILLAGE}, "region"),
        ({"targeting_rule": "everyone"}, "targeting_rule"),
        ({"start_year": "soon"}, "start_year"),
    ],
)
def test_program_with_bad_input_is_400_and_writes_nothing(api, officer, tree, change, field):
    """A float-ish or negative budget, a subtype of another category, years backwards, a region outside the county,
    an unknown rule, a non-number year: 400 invalid naming the field, nothing written."""
    before = written()

    response = api(officer).post(PROGRAMS, program_payload(**change), format="json")

    body = assert_error(response, 400, "invalid")
    assert field in body["errors"]
    assert written() == before


@pytest.mark.parametrize("role", ["village_team", "township_reviewer", "inspector", "api_client"])
def test_only_the_county_office_sets_up_programs(api, users, tree, role):
    """Every other role gets 403 on POST programs/."""
    response = api(users[role]).post(PROGRAMS, program_payload(region=VILLAGE_A1), format="json")
    assert_error(response, 403, "permission_denied")
    assert Program.objects.count() == 0


def test_programs_are_seen_by_everyone_working_inside_their_region(api, users, tree):
    """The A1 team sees the county's and A1's programs, not B1's nor the other county's; api_client reads figures."""
    county = make_program(tree, name="县级")
    village = make_program(tree, name="村级", region=VILLAGE_A1)
    make_program(tree, name="乙镇", region=VILLAGE_B1)
    make_program(tree, name="外县", region="220822000000")

    def names(user):
        response = api(user).get(PROGRAMS)
        assert response.status_code == 200, response.content
        return sorted(p["name"] for p in response.json()["results"])

    assert names(users["village_team"]) == ["县级", "村级"]
    assert names(users["api_client"]) == ["乙镇", "县级", "村级"]
    assert api(users["village_team"]).get(f"{PROGRAMS}{county.pk}/").status_code == 200
    assert api(users["village_team"]).get(f"{PROGRAMS}{village.pk}/").status_code == 200
    assert_error(api(users["nobody"]).get(PROGRAMS), 403, "permission_denied")


def test_program_of_another_region_is_404(api, team, tree):
    """A program of township B does not exist for the A1 team."""
    other = make_program(tree, region=TOWN_B)
    assert_error(api(team).get(f"{PROGRAMS}{other.pk}/"), 404, "not_found")


def test_program_detail_carries_its_reach(api, officer, tree):
    """GET programs/{id}/ gives beneficiary households, people (per household basis) and the exact amount."""
    program = make_program(tree)
    give(program, make_home(tree, sequence=1), amount="0.10")
    give(program, make_home(tree, sequence=2, members=[b.head(2), b.spouse(2)]), amount="0.20")

    body = api(officer).get(f"{PROGRAMS}{program.pk}/").json()

    assert (body["beneficiary_households"], body["beneficiary_people"], body["benefit_amount"]) == (2, 5, "0.30")


def test_program_detail_reach_of_one_year(api, officer, tree):
    """?year=2016 counts only the benefits dated in 2016; a bad year is 400."""
    program = make_program(tree)
    home = make_home(tree, sequence=1)
    give(program, home, amount="5", on=date(2016, 3, 1))
    give(program, home, amount="7", on=date(2017, 3, 1))
    client = api(officer)
    assert client.get(f"{PROGRAMS}{program.pk}/?year=2016").json()["benefit_amount"] == "5.00"
    assert client.get(f"{PROGRAMS}{program.pk}/").json()["benefit_amount"] == "12.00"
    assert_error(client.get(f"{PROGRAMS}{program.pk}/?year=20x6"), 400, "invalid")


def test_program_filters(api, officer, tree):
    """Filter by category, year and the region a program covers."""
    make_program(tree, name="产业")
    make_program(tree, name="教育", category="education", subtype="", start_year=2014, end_year=2015, region=TOWN_B)
    client = api(officer)

    def names(query):
        return sorted(p["name"] for p in client.get(PROGRAMS + query).json()["results"])

    assert names("?category=education") == ["教育"]
    assert names("?year=2017") == ["产业"]
    assert names(f"?covers={VILLAGE_B1}") == ["产业", "教育"]
    assert names(f"?covers={VILLAGE_A1}") == ["产业"]
    assert names(f"?region={TOWN_B}") == ["教育"]
    assert_error(client.get(PROGRAMS + "?covers=12"), 400, "invalid")
    assert_error(client.get(PROGRAMS + "?region=%2500"), 400, "invalid")  # "%00" in the message must not break it


def test_patch_program_with_a_stale_etag_is_412(api, officer, tree):
    """If-Match with an old version answers 412 and changes nothing."""
    program = make_program(tree)
    client = api(officer)
    assert client.patch(f"{PROGRAMS}{program.pk}/", {"name": "新名"}, format="json").status_code == 200

    response = client.patch(f"{PROGRAMS}{program.pk}/", {"name": "再改"}, format="json", HTTP_IF_MATCH='"1"')

    assert_error(response, 412, "precondition_failed")
    assert Program.objects.get().name == "新名"


def test_patch_program_that_would_strand_benefits_is_409(api, officer, tree):
    """Narrowing a program's region below a recorded benefit: 409 conflict, unchanged."""
    program = make_program(tree)
    give(program, make_home(tree, sequence=1))

    response = api(officer).patch(f"{PROGRAMS}{program.pk}/", {"region": TOWN_B}, format="json")

    assert_error(response, 409, "conflict")
    assert Program.objects.get().region_id == COUNTY


def test_team_may_read_but_not_change_a_county_program(api, team, tree):
    """A village team PATCHing the county's program gets 403."""
    program = make_program(tree)
    assert_error(api(team).patch(f"{PROGRAMS}{program.pk}/", {"name": "x"}, format="json"), 403, "permission_denied")


@pytest.mark.parametrize("how_many", [1, 3])
def test_program_list_query_count_is_pinned(api, officer, tree, how_many, django_assert_num_queries):
    """The list costs the same three queries for 1 and 3 programs."""
    for n in range(how_many):
        make_program(tree, name=f"项目{n}")
    client = api(officer)

    # token + user, role grants, page (a cursor: no count) (region joined)
    with django_assert_num_queries(3):
        response = client.get(PROGRAMS)
    assert len(response.json()["results"]) == how_many


def test_program_detail_query_count_is_pinned(api, officer, tree, django_assert_num_queries):
    """The detail costs five queries: token, grants, the program, its totals and its people."""
    program = make_program(tree)
    give(program, make_home(tree, sequence=1))
    client = api(officer)
    with django_assert_num_queries(5):
        assert client.get(f"{PROGRAMS}{program.pk}/").status_code == 200


# The gap list -------------------------------------------------------------------------------------------


@pytest.fixture
def health_program(tree):
    return make_program(
        tree, name="大病救助", category="health", subtype="reimbursement", targeting_rule="serious_illness"
    )


def ill_home(tree, sequence, village=VILLAGE_A1):
    return make_home(tree, village=village, sequence=sequence, members=[b.head(sequence), b.spouse(sequence, health="serious_illness")])


def test_gap_list_names_the_households_not_yet_reached(api, team, tree, health_program):
    """GET programs/{id}/gaps/?year=2017: the ill households of the caller's scope without a 2017 benefit."""
    reached, missed = ill_home(tree, 1), ill_home(tree, 2)
    ill_home(tree, 3, village=VILLAGE_A2)  # outside the A1 team's scope
    give(health_program, reached)

    response = api(team).get(f"{PROGRAMS}{health_program.pk}/gaps/?year=2017")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"] == [
        {"id": missed.pk, "number": missed.number, "village": VILLAGE_A1, "village_name": tree[VILLAGE_A1].name,
         "head_name": "王建国", "status_as_of": "poor"}
    ]  # fmt: skip
    assert response["Cache-Control"] == "no-store"


def test_gap_list_is_paginated(api, officer, tree, health_program):
    """page_size limits the page; next (a cursor) points to the rest; no count of the rows (api.md, Lists)."""
    for n in range(3):
        ill_home(tree, n + 1)
    body = api(officer).get(f"{PROGRAMS}{health_program.pk}/gaps/?year=2017&page_size=2").json()
    assert ("count" in body, len(body["results"]), bool(body["next"])) == (False, 2, True)
    rest = api(officer).get(body["next"]).json()
    assert (len(rest["results"]), rest["next"]) == (1, None)


def test_gap_list_of_a_program_without_a_rule_is_409(api, officer, tree):
    """A program without a targeting rule has no gap list: 409 conflict."""
    program = make_program(tree)
    assert_error(api(officer).get(f"{PROGRAMS}{program.pk}/gaps/"), 409, "conflict")


@pytest.mark.parametrize("year", ["2015", "2019", "abc", "-1"])
def test_gap_list_year_outside_the_program_is_400(api, officer, tree, health_program, year):
    """A year outside 2016–2018 (or not a year) is 400."""
    body = assert_error(api(officer).get(f"{PROGRAMS}{health_program.pk}/gaps/?year={year}"), 400, "invalid")
    assert "year" in body["errors"]


def test_gap_list_needs_the_right_to_read_the_register(api, users, tree, health_program):
    """api_client reads program figures but not lists naming households: 403."""
    assert_error(api(users["api_client"]).get(f"{PROGRAMS}{health_program.pk}/gaps/"), 403, "permission_denied")


@pytest.mark.parametrize("how_many", [1, 3])
def test_gap_list_query_count_is_pinned(api, officer, tree, health_program, how_many, django_assert_num_queries):
    """The gap list costs four queries for 1 and 3 households: token, grants, program, page (no count: a cursor)."""
    for n in range(how_many):
        ill_home(tree, n + 1)
    client = api(officer)
    with django_assert_num_queries(4):
        response = client.get(f"{PROGRAMS}{health_program.pk}/gaps/?year=2017")
    assert len(response.json()["results"]) == how_many


# Figures ------------------------------------------------------------------------------------------------


def test_figures_of_a_region(api, users, tree, unit):
    """GET programs/figures/?region=&as_of=: the summary's programs keys, per township, totals; api_client may read."""
    home = make_home(tree, sequence=1)
    give(make_program(tree), home, amount="12.34", on=date(2017, 3, 1))
    join(make_cooperative(tree), make_home(tree, sequence=2), joined=date(2016, 1, 1))

    response = api(users["api_client"]).get(f"{PROGRAMS}figures/?region={COUNTY}&as_of=2017-12-31")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"]["code"] == COUNTY and body["as_of"] == "2017-12-31"
    assert body["programs"] == {
        "benefit_amount": "12.34", "benefited_households": 1, "industry_coverage": 1.0, "cooperatives": 1,
        "cooperative_households": 1, "cooperative_people": 3,
    }  # fmt: skip
    assert [c["region"]["code"] for c in body["children"]] == [TOWN_A, TOWN_B]
    assert body["benefits_by_category"] == [{"key": "industry", "amount": "12.34", "households": 1, "benefits": 1}]
    assert body["projects"]["projects"] == 0


def test_figures_outside_the_callers_scope_are_404(api, team, tree):
    """The A1 team asking for the county, or for another county, gets 404; a bad code is 400."""
    assert_error(api(team).get(f"{PROGRAMS}figures/?region={COUNTY}"), 404, "not_found")
    assert_error(api(team).get(f"{PROGRAMS}figures/?region={OTHER_VILLAGE}"), 404, "not_found")
    assert_error(api(team).get(f"{PROGRAMS}figures/?region=abc"), 400, "invalid")
    assert_error(api(team).get(f"{PROGRAMS}figures/?region={VILLAGE_A1}&as_of=2017-13-01"), 400, "invalid")
    assert api(team).get(f"{PROGRAMS}figures/?region={VILLAGE_A1}").status_code == 200


def test_figures_query_count_is_pinned(api, officer, tree, django_assert_num_queries):
    """Figures of a county: token, grants, region, 4 + 1 for the children (with their names), 3 for the county,
    3 benefit totals, 2 for the projects."""
    give(make_program(tree), make_home(tree, sequence=1))
    client = api(officer)
    with django_assert_num_queries(16):
        assert client.get(f"{PROGRAMS}figures/?region={COUNTY}&as_of=2017-12-31").status_code == 200


# Benefits -----------------------------------------------------------------------------------------------


def benefit_payload(program, household, /, **overrides) -> dict:
    data = {"program": program.pk, "household": household.pk, "date": "2017-05-01", "amount": "1200.50"}
    data.update(overrides)
    return data


def test_team_records_a_benefit_in_its_village(api, team, tree, program):
    """POST benefits/ by A1's team for an A1 household of a county program: 201, exact amount, recorded by them."""
    home = make_home(tree, sequence=1)
    son = home.members.get(relation="03")

    response = api(team).post(BENEFITS, benefit_payload(program, home, member=son.pk, quantity=2), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    benefit = Benefit.objects.get()
    assert (body["amount"], body["member_name"], body["recorded_by"], body["household_number"]) == (
        "1200.50", "王小军", "team", home.number,
    )  # fmt: skip
    assert (benefit.amount, benefit.quantity, benefit.recorded_by) == (Decimal("1200.50"), 2, team)
    assert response["ETag"] == f'"{benefit.version}"'


def test_benefit_outside_the_programs_region_is_400_and_writes_nothing(api, officer, tree):
    """A township-A program and a household of township B: 400 with the household named, nothing written."""
    program = make_program(tree, region=TOWN_A)
    outsider = make_home(tree, village=VILLAGE_B1, sequence=2)
    before = written()

    response = api(officer).post(BENEFITS, benefit_payload(program, outsider), format="json")

    body = assert_error(response, 400, "invalid")
    assert body["errors"]["household"][0]["code"] == "outside_region"
    assert written() == before


@pytest.mark.parametrize("amount", ["-5", "-0.01", "1e3", "12.345", 12.5, "abc", "", None, "NaN"])
def test_benefit_with_a_bad_amount_is_400_and_writes_nothing(api, officer, tree, program, amount):
    """Negative, exponent, three places, binary float, text, empty, null, NaN: 400 on amount, nothing written."""
    home = make_home(tree, sequence=1)
    before = written()

    response = api(officer).post(BENEFITS, benefit_payload(program, home, amount=amount), format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["amount"]
    assert written() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2019-01-01"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"quantity": -1}, "quantity"),
        ({"program": 999999}, "program"),
        ({"household": 999999}, "household"),
    ],
)
def test_benefit_with_other_bad_input_is_400(api, officer, tree, program, change, field):
    """A date outside the program's years or not a date, a negative quantity, unknown program or household: 400."""
    home = make_home(tree, sequence=1)
    before = written()
    body = assert_error(api(officer).post(BENEFITS, benefit_payload(program, home, **change), format="json"), 400, "invalid")
    assert field in body["errors"]
    assert written() == before


def test_benefit_member_of_another_household_is_400(api, officer, tree, program):
    """The member must belong to the household."""
    home, other = make_home(tree, sequence=1), make_home(tree, sequence=2)
    response = api(officer).post(
        BENEFITS, benefit_payload(program, home, member=other.members.first().pk), format="json"
    )
    body = assert_error(response, 400, "invalid")
    assert "member" in body["errors"]
    assert Benefit.objects.count() == 0


def test_team_cannot_record_for_a_household_of_another_village(api, team, tree, program):
    """A household of A2 does not exist for A1's team when recording: 400 on household, nothing written."""
    other = make_home(tree, village=VILLAGE_A2, sequence=2)
    body = assert_error(api(team).post(BENEFITS, benefit_payload(program, other), format="json"), 400, "invalid")
    assert "household" in body["errors"]
    assert Benefit.objects.count() == 0


@pytest.mark.parametrize("role", ["inspector", "api_client"])
def test_roles_without_record_activity_get_403(api, users, tree, program, role):
    """Inspectors and API clients do not record benefits."""
    home = make_home(tree, sequence=1)
    assert_error(api(users[role]).post(BENEFITS, benefit_payload(program, home), format="json"), 403, "permission_denied")


def test_benefits_are_listed_in_scope_and_filtered(api, users, tree, program):
    """The A1 team lists only A1's benefits; filters by program, household, region and dates work for the county."""
    a1, a2 = make_home(tree, sequence=1), make_home(tree, village=VILLAGE_A2, sequence=2)
    other_program = make_program(tree, name="另一项目")
    give(program, a1, on=date(2017, 1, 10))
    give(other_program, a1, on=date(2017, 6, 10))
    give(program, a2, on=date(2017, 3, 10))

    def dates(user, query=""):
        response = api(user).get(BENEFITS + query)
        assert response.status_code == 200, response.content
        return [row["date"] for row in response.json()["results"]]

    officer = users["county_officer"]
    assert dates(users["village_team"]) == ["2017-06-10", "2017-01-10"]
    assert dates(officer, f"?program={program.pk}") == ["2017-03-10", "2017-01-10"]
    assert dates(officer, f"?household={a2.pk}") == ["2017-03-10"]
    assert dates(officer, f"?region={VILLAGE_A2}") == ["2017-03-10"]
    assert dates(officer, "?date_after=2017-02-01&date_before=2017-04-01") == ["2017-03-10"]
    assert dates(officer, "?category=industry&ordering=date") == ["2017-01-10", "2017-03-10", "2017-06-10"]
    assert_error(api(officer).get(BENEFITS + "?date_after=soon"), 400, "invalid")
    assert_error(api(users["api_client"]).get(BENEFITS), 403, "permission_denied")


def test_benefit_of_another_village_is_404(api, team, tree, program):
    """A benefit to an A2 household does not exist for A1's team."""
    benefit = give(program, make_home(tree, village=VILLAGE_A2, sequence=2))
    assert_error(api(team).get(f"{BENEFITS}{benefit.pk}/"), 404, "not_found")
    assert_error(api(team).patch(f"{BENEFITS}{benefit.pk}/", {"amount": "1"}, format="json"), 404, "not_found")


def test_patch_benefit_corrects_the_amount(api, team, tree, program):
    """PATCH amount: the new exact amount, a new ETag."""
    benefit = give(program, make_home(tree, sequence=1), amount="100")

    response = api(team).patch(f"{BENEFITS}{benefit.pk}/", {"amount": "99.99"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["amount"] == "99.99"
    benefit.refresh_from_db()
    assert benefit.amount == Decimal("99.99")
    assert response["ETag"] == f'"{benefit.version}"'


@pytest.mark.parametrize(
    ("change", "field"),
    [({"amount": "-1"}, "amount"), ({"amount": "1e2"}, "amount"), ({"program": 1}, "program"), ({"date": "2015-01-01"}, "date")],
)
def test_patch_benefit_with_bad_input_is_400_and_changes_nothing(api, team, tree, program, change, field):
    """A negative or exponent amount, moving it to another program, a date outside the years: 400, unchanged."""
    benefit = give(program, make_home(tree, sequence=1), amount="100")
    body = assert_error(api(team).patch(f"{BENEFITS}{benefit.pk}/", change, format="json"), 400, "invalid")
    assert field in body["errors"]
    benefit.refresh_from_db()
    assert (benefit.amount, benefit.program_id, benefit.date, benefit.version) == (
        Decimal("100.00"), program.pk, date(2017, 5, 1), 1,
    )  # fmt: skip


@pytest.mark.parametrize("how_many", [1, 3])
def test_benefit_list_query_count_is_pinned(api, officer, tree, program, how_many, django_assert_num_queries):
    """The list costs four queries for 1 and 3 benefits: token, grants, page (a cursor: no count) with its joins."""
    for n in range(how_many):
        home = make_home(tree, sequence=n + 1)
        give(program, home, member=home.members.first())
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(BENEFITS)
    assert len(response.json()["results"]) == how_many


# Cooperatives, memberships, dividends -----------------------------------------------------------------


def test_officer_registers_a_cooperative_and_it_is_listed_with_its_members(api, officer, tree):
    """POST cooperatives/ then GET: the cooperative with its member households today."""
    response = api(officer).post(
        COOPERATIVES, {"name": "绿源合作社", "village": VILLAGE_A1, "kind": "breeding", "founded": "2015-05-01"}, format="json"
    )
    assert response.status_code == 201, response.content
    cooperative = Cooperative.objects.get()
    join(cooperative, make_home(tree, sequence=1))
    rows = api(officer).get(COOPERATIVES).json()["results"]
    assert [(r["name"], r["member_households"]) for r in rows] == [("绿源合作社", 1)]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"village": TOWN_A}, "village"), ({"name": ""}, "name"), ({"kind": "mining"}, "kind"), ({"founded": "x"}, "founded")],
)
def test_cooperative_with_bad_input_is_400(api, officer, tree, change, field):
    """A township instead of a village, no name, an unknown kind, a bad date: 400, nothing written."""
    data = {"name": "绿源合作社", "village": VILLAGE_A1, "kind": "breeding", "founded": "2015-05-01", **change}
    body = assert_error(api(officer).post(COOPERATIVES, data, format="json"), 400, "invalid")
    assert field in body["errors"]
    assert Cooperative.objects.count() == 0


def test_duplicate_cooperative_name_is_400(api, officer, tree):
    """A second cooperative of the same name in the village: 400 on name."""
    make_cooperative(tree)
    data = {"name": "丰收种植合作社", "village": VILLAGE_A1, "kind": "planting", "founded": "2015-05-01"}
    body = assert_error(api(officer).post(COOPERATIVES, data, format="json"), 400, "invalid")
    assert body["errors"]["name"][0]["code"] == "unique"
    assert Cooperative.objects.count() == 1


def test_team_cannot_register_a_cooperative(api, team, tree):
    """Cooperatives are the county office's: 403 for a village team."""
    data = {"name": "绿源合作社", "village": VILLAGE_A1, "kind": "breeding", "founded": "2015-05-01"}
    assert_error(api(team).post(COOPERATIVES, data, format="json"), 403, "permission_denied")


def test_patch_cooperative(api, officer, tree):
    """PATCH a cooperative's kind; a stale If-Match is 412."""
    cooperative = make_cooperative(tree)
    client = api(officer)
    response = client.patch(f"{COOPERATIVES}{cooperative.pk}/", {"kind": "mixed"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "mixed"
    assert_error(
        client.patch(f"{COOPERATIVES}{cooperative.pk}/", {"kind": "service"}, format="json", HTTP_IF_MATCH='"1"'),
        412,
        "precondition_failed",
    )


@pytest.mark.parametrize("how_many", [1, 3])
def test_cooperative_list_query_count_is_pinned(api, officer, tree, how_many, django_assert_num_queries):
    """Three queries for 1 and 3 cooperatives (member households counted in the page query)."""
    for n in range(how_many):
        join(make_cooperative(tree, name=f"社{n}"), make_home(tree, sequence=n + 1))
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(COOPERATIVES)
    assert len(response.json()["results"]) == how_many


def test_officer_enrols_a_household_and_overlap_is_refused(api, officer, tree):
    """POST cooperative-memberships/: 201; a second overlapping one is 400 overlapping_period, nothing written."""
    cooperative, home = make_cooperative(tree), make_home(tree, sequence=1)
    client = api(officer)
    data = {"cooperative": cooperative.pk, "household": home.pk, "joined": "2016-01-01", "shares": "2.5"}
    response = client.post(MEMBERSHIPS, data, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["shares"], response.json()["household_number"]) == ("2.50", home.number)

    body = assert_error(client.post(MEMBERSHIPS, {**data, "joined": "2017-01-01"}, format="json"), 400, "overlapping_period")
    assert body["errors"]["joined"][0]["code"] == "overlapping_period"
    assert CooperativeMembership.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"shares": "-1"}, "shares"), ({"shares": "1e2"}, "shares"), ({"joined": "2014-01-01"}, "joined"),
     ({"left": "2015-12-31"}, "left"), ({"household": 999999}, "household")],
)  # fmt: skip
def test_membership_with_bad_input_is_400(api, officer, tree, change, field):
    """Negative or exponent shares, joining before the founding, leaving before joining, no such household: 400."""
    cooperative, home = make_cooperative(tree), make_home(tree, sequence=1)
    data = {"cooperative": cooperative.pk, "household": home.pk, "joined": "2016-01-01", **change}
    body = assert_error(api(officer).post(MEMBERSHIPS, data, format="json"), 400, "invalid")
    assert field in body["errors"]
    assert CooperativeMembership.objects.count() == 0


def test_leaving_a_cooperative_is_a_patch(api, officer, tree):
    """PATCH left: the membership ends; changing the household is refused."""
    membership = join(make_cooperative(tree), make_home(tree, sequence=1))
    client = api(officer)
    response = client.patch(f"{MEMBERSHIPS}{membership.pk}/", {"left": "2017-06-30"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["left"] == "2017-06-30"
    assert_error(client.patch(f"{MEMBERSHIPS}{membership.pk}/", {"household": 1}, format="json"), 400, "invalid")


def test_memberships_are_scoped_to_the_households_village(api, users, tree):
    """The A1 team sees A1 households' memberships only; an A2 membership is 404; api_client is 403."""
    cooperative = make_cooperative(tree)
    mine = join(cooperative, make_home(tree, sequence=1))
    theirs = join(cooperative, make_home(tree, village=VILLAGE_A2, sequence=2))
    team = api(users["village_team"])
    assert [r["id"] for r in team.get(MEMBERSHIPS).json()["results"]] == [mine.pk]
    assert_error(team.get(f"{MEMBERSHIPS}{theirs.pk}/"), 404, "not_found")
    assert_error(api(users["api_client"]).get(MEMBERSHIPS), 403, "permission_denied")


@pytest.mark.parametrize("how_many", [1, 3])
def test_membership_list_query_count_is_pinned(api, officer, tree, how_many, django_assert_num_queries):
    """Three queries for 1 and 3 memberships."""
    cooperative = make_cooperative(tree)
    for n in range(how_many):
        join(cooperative, make_home(tree, sequence=n + 1))
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(MEMBERSHIPS)
    assert len(response.json()["results"]) == how_many


def test_dividends_are_recorded_once_per_year(api, officer, tree):
    """POST dividends/: 201 with the exact amount; the same membership and year again is 400 on year."""
    membership = join(make_cooperative(tree), make_home(tree, sequence=1), joined=date(2016, 1, 1))
    client = api(officer)
    response = client.post(DIVIDENDS, {"membership": membership.pk, "year": 2017, "amount": "356.7"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "356.70"
    body = assert_error(
        client.post(DIVIDENDS, {"membership": membership.pk, "year": 2017, "amount": "1"}, format="json"), 400, "invalid"
    )
    assert body["errors"]["year"][0]["code"] == "unique"
    assert Dividend.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"amount": "-3"}, "amount"), ({"amount": 3.5}, "amount"), ({"year": 2015}, "year"), ({"year": 1999}, "year")],
)
def test_dividend_with_bad_input_is_400(api, officer, tree, change, field):
    """A negative or float amount, a year before joining or out of range: 400, nothing written."""
    membership = join(make_cooperative(tree), make_home(tree, sequence=1), joined=date(2016, 1, 1))
    data = {"membership": membership.pk, "year": 2017, "amount": "10", **change}
    body = assert_error(api(officer).post(DIVIDENDS, data, format="json"), 400, "invalid")
    assert field in body["errors"]
    assert Dividend.objects.count() == 0


def test_patch_dividend(api, officer, tree):
    """PATCH a dividend's amount; a negative one is 400 and changes nothing."""
    membership = join(make_cooperative(tree), make_home(tree, sequence=1), joined=date(2016, 1, 1))
    client = api(officer)
    pk = client.post(DIVIDENDS, {"membership": membership.pk, "year": 2017, "amount": "10"}, format="json").json()["id"]
    assert client.patch(f"{DIVIDENDS}{pk}/", {"amount": "12.00"}, format="json").json()["amount"] == "12.00"
    assert_error(client.patch(f"{DIVIDENDS}{pk}/", {"amount": "-12"}, format="json"), 400, "invalid")
    assert Dividend.objects.get().amount == Decimal("12.00")


@pytest.mark.parametrize("how_many", [1, 3])
def test_dividend_list_query_count_is_pinned(api, officer, tree, how_many, django_assert_num_queries):
    """Three queries for 1 and 3 dividends."""
    from programs import services

    cooperative = make_cooperative(tree, founded=date(2014, 1, 1))
    membership = join(cooperative, make_home(tree, sequence=1), joined=date(2014, 1, 1))
    for n in range(how_many):
        services.dividend_create(user=None, membership=membership, year=2015 + n, amount="1")
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(DIVIDENDS)
    assert len(response.json()["results"]) == how_many


# Pairing-unit projects --------------------------------------------------------------------------------


def project_payload(unit, /, **overrides) -> dict:
    data = {
        "unit": unit.pk, "village": VILLAGE_A1, "name": "肉牛养殖", "year": 2017, "funds_invested": "36920000.00",
        "funds_coordinated": "5076000.00", "trainings": 6100,
    }  # fmt: skip
    data.update(overrides)
    return data


def test_officer_records_a_project_with_its_beneficiaries(api, officer, tree, unit):
    """POST projects/ with beneficiaries: 201 with exact funds and the number of households; GET lists them."""
    homes = [make_home(tree, sequence=n) for n in (1, 2)]
    client = api(officer)
    response = client.post(PROJECTS, project_payload(unit, beneficiaries=[h.pk for h in homes]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["funds_invested"], body["funds_coordinated"], body["trainings"], body["beneficiary_households"]) == (
        "36920000.00", "5076000.00", 6100, 2,
    )  # fmt: skip
    assert "beneficiaries" not in body
    listed = client.get(f"{PROJECTS}{body['id']}/beneficiaries/").json()
    assert sorted(row["number"] for row in listed["results"]) == sorted(h.number for h in homes)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"funds_invested": "-1"}, "funds_invested"), ({"funds_coordinated": "2e6"}, "funds_coordinated"),
     ({"trainings": -5}, "trainings"), ({"village": TOWN_A}, "village"), ({"unit": 999999}, "unit"),
     ({"year": 2012}, "year")],
)  # fmt: skip
def test_project_with_bad_input_is_400(api, officer, tree, unit, change, field):
    """Negative or exponent funds, negative trainings, a township, an unknown unit, a year out of range: 400."""
    body = assert_error(api(officer).post(PROJECTS, project_payload(unit, **change), format="json"), 400, "invalid")
    assert field in body["errors"]
    assert PairingProject.objects.count() == 0


def test_project_beneficiary_outside_its_village_is_400(api, officer, tree, unit):
    """A household of A2 cannot be a beneficiary of an A1 project: 400 outside_region, nothing written."""
    outsider = make_home(tree, village=VILLAGE_A2, sequence=2)
    body = assert_error(
        api(officer).post(PROJECTS, project_payload(unit, beneficiaries=[outsider.pk]), format="json"), 400, "invalid"
    )
    assert body["errors"]["beneficiaries"][0]["code"] == "outside_region"
    assert PairingProject.objects.count() == 0


def test_project_beneficiaries_need_the_register_right(api, users, tree, unit, officer):
    """api_client reads projects (figures) but not their households (403); a team of B1 does not see A1's (404)."""
    pk = api(officer).post(PROJECTS, project_payload(unit), format="json").json()["id"]
    assert api(users["api_client"]).get(f"{PROJECTS}{pk}/").status_code == 200
    assert_error(api(users["api_client"]).get(f"{PROJECTS}{pk}/beneficiaries/"), 403, "permission_denied")
    b1_team = UserFactory(username="team_b1", grants=[("village_team", VILLAGE_B1)])
    assert_error(api(b1_team).get(f"{PROJECTS}{pk}/"), 404, "not_found")
    assert_error(api(b1_team).get(f"{PROJECTS}{pk}/beneficiaries/"), 404, "not_found")


@pytest.mark.parametrize("how_many", [1, 3])
def test_project_list_query_count_is_pinned(api, officer, tree, unit, how_many, django_assert_num_queries):
    """Three queries for 1 and 3 projects (beneficiary counts in the page query)."""
    from programs import services

    home = make_home(tree, sequence=1)
    for n in range(how_many):
        services.project_create(
            user=None, data={"unit": unit, "village": tree[VILLAGE_A1], "name": f"项目{n}", "year": 2017},
            beneficiaries=[home],
        )  # fmt: skip
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(PROJECTS)
    assert [row["beneficiary_households"] for row in response.json()["results"]] == [1] * how_many


# The schema -------------------------------------------------------------------------------------------


def test_schema_describes_the_programs_endpoints(client):
    """The OpenAPI schema validates and documents every programs path, with money as a decimal-string pattern."""
    from drf_spectacular.validation import validate_schema

    schema = client.get("/api/schema/?format=json").json()
    validate_schema(schema)
    for path, methods in {
        "/api/v1/programs/": {"get", "post"},
        "/api/v1/programs/{id}/": {"get", "patch"},
        "/api/v1/programs/{id}/gaps/": {"get"},
        "/api/v1/programs/figures/": {"get"},
        "/api/v1/benefits/": {"get", "post"},
        "/api/v1/benefits/{id}/": {"get", "patch"},
        "/api/v1/cooperatives/": {"get", "post"},
        "/api/v1/cooperative-memberships/{id}/": {"get", "patch"},
        "/api/v1/dividends/": {"get", "post"},
        "/api/v1/projects/{id}/beneficiaries/": {"get"},
    }.items():
        assert set(schema["paths"][path]) == methods, path
    amount = schema["components"]["schemas"]["Benefit"]["properties"]["amount"]
    assert amount["type"] == "string" and "pattern" in amount
    assert "412" in schema["paths"]["/api/v1/benefits/{id}/"]["patch"]["responses"]
