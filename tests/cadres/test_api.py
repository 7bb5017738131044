"""The cadres API under /api/v1/: units, cadres, work teams with members, pairings with handover, visits.

Through the client with token auth: rights per role (403) and scope (404), masking of cadres' ID numbers and the
personal-data log, ETag/If-Match, warnings, filters, pinned query counts, and refused writes that write nothing.
The admin's pages save through the same services (at the end).
"""

from datetime import date as D

import pytest

from cadres import services
from cadres.models import Cadre, Pairing, Unit, Visit, WorkTeam
from core.models import PersonalDataAccess
from tests.assertions import assert_error
from tests.cadres.conftest import cadre_id, counts, make_cadre, make_household, make_unit, pair, visit
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"
CADRES = "/api/v1/cadres/"
TEAMS = "/api/v1/work-teams/"
PAIRINGS = "/api/v1/pairings/"
HANDOVER = "/api/v1/pairings/handover/"
VISITS = "/api/v1/visits/"
MY_HOUSEHOLDS = "/api/v1/cadres/me/households/"


def masked(number: str) -> str:
    return f"{number[:6]}********{number[-4:]}"


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def team_user(users):
    """The village team of A1."""
    return users["village_team"]


@pytest.fixture
def paired(cadres, household):
    """Cadre 0 paired with the A1 household from 2016-01-01."""
    return pair(cadres[0], household, D(2016, 1, 1))


def cadre_payload(sequence=7, **overrides):
    data = {
        "name": "赵六", "sex": "male", "id_number": cadre_id(sequence), "phone": "13800000000", "title": "科员",
        "region": COUNTY,
    }  # fmt: skip
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------------------------------


def test_the_county_office_registers_a_unit(api, officer, tree):
    """POST units/ by a county officer: 201 with the unit and its ETag."""
    response = api(officer).post(UNITS, {"name": "县财政局", "level": "county", "region": COUNTY}, format="json")
    assert response.status_code == 201, response.content
    unit = Unit.objects.get()
    assert response.json()["id"] == unit.pk
    assert (response.json()["region"], response["ETag"]) == (COUNTY, f'"{unit.version}"')


@pytest.mark.parametrize("role", ["village_team", "township_reviewer", "inspector"])
def test_only_the_county_office_writes_units(api, users, tree, role):
    """Other roles get 403 on POST units/ and nothing is written."""
    response = api(users[role]).post(UNITS, {"name": "县财政局", "level": "county", "region": COUNTY}, format="json")
    assert_error(response, 403, "permission_denied")
    assert Unit.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"level": "county", "region": COUNTY}, "name"),
        ({"name": "县财政局", "level": "galactic", "region": COUNTY}, "level"),
        ({"name": "县财政局", "level": "county", "region": OTHER_COUNTY}, "region"),
        ({"name": "县农业农村局", "level": "county", "region": COUNTY}, "name"),
    ],
    ids=["missing-name", "bad-level", "region-out-of-scope", "duplicate-name"],
)
def test_bad_unit_input_is_400_and_writes_nothing(api, officer, unit, payload, field):
    """Missing name, unknown level, a region outside the caller's scope, a duplicate name: 400 on the field."""
    before = counts()
    body = assert_error(api(officer).post(UNITS, payload, format="json"), 400, "invalid")
    assert list(body["errors"]) == [field]
    assert counts() == before


def test_units_are_read_in_scope(api, users, unit, tree):
    """Inspectors read the county's units; a village team does not see a county unit (404); api clients 403."""
    assert api(users["inspector"]).get(f"{UNITS}{unit.pk}/").status_code == 200
    assert_error(api(users["village_team"]).get(f"{UNITS}{unit.pk}/"), 404, "not_found")
    assert_error(api(users["api_client"]).get(UNITS), 403, "permission_denied")


def test_a_stale_if_match_on_a_unit_is_412(api, officer, unit):
    """PATCH with an old ETag: 412 and the name stays; with the current one: 200 and a new ETag."""
    client = api(officer)
    stale = f'"{unit.version - 1}"' if unit.version > 1 else '"0"'
    response = client.patch(f"{UNITS}{unit.pk}/", {"name": "新名"}, format="json", HTTP_IF_MATCH=stale)
    assert_error(response, 412, "precondition_failed")
    assert Unit.objects.get().name == "县农业农村局"
    response = client.patch(f"{UNITS}{unit.pk}/", {"name": "新名"}, format="json", HTTP_IF_MATCH=f'"{unit.version}"')
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response["ETag"]) == ("新名", f'"{unit.version + 1}"')


def test_a_bad_unit_patch_is_400_and_writes_nothing(api, officer, tree, unit):
    """PATCH a blank name or a region outside the county: 400 on the field; nothing changes."""
    before = counts()
    for payload, field in (({"name": ""}, "name"), ({"region": OTHER_COUNTY}, "region")):
        body = assert_error(api(officer).patch(f"{UNITS}{unit.pk}/", payload, format="json"), 400, "invalid")
        assert list(body["errors"]) == [field]
    assert counts() == before


@pytest.mark.parametrize("how_many", [1, 3])
def test_units_list_query_count_is_pinned(api, officer, tree, how_many, django_assert_num_queries):
    """token + user, role grants, page: three queries for 1 or 3 units (a cursor page: no count)."""
    for n in range(how_many):
        make_unit(tree, f"单位{n}")
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(UNITS)
    assert len(response.json()["results"]) == how_many


# ---------------------------------------------------------------------------------------------------------------------
# Cadres
# ---------------------------------------------------------------------------------------------------------------------


def test_the_county_office_registers_a_cadre_and_reads_the_id_number(api, officer, unit):
    """POST cadres/: 201, the full ID number for the county office, no-store, and the read is logged."""
    response = api(officer).post(CADRES, cadre_payload(unit=unit.pk), format="json")
    assert response.status_code == 201, response.content
    cadre = Cadre.objects.get()
    assert (response.json()["id_number"], response.json()["unit_name"]) == (cadre_id(7), "县农业农村局")
    assert response["Cache-Control"] == "no-store"
    access = PersonalDataAccess.objects.get()
    assert (access.model, access.object_ids, access.fields) == ("cadres.cadre", [cadre.pk], ["id_number"])


def test_inspectors_read_cadres_id_numbers_masked(api, users, cadres):
    """An inspector's list and detail show 220821********xxxx and nothing is logged."""
    client = api(users["inspector"])
    listed = client.get(CADRES).json()["results"]
    assert [c["id_number"] for c in listed] == [masked(c.id_number) for c in cadres]
    detail = client.get(f"{CADRES}{cadres[0].pk}/")
    assert detail.json()["id_number"] == masked(cadres[0].id_number)
    assert detail["Cache-Control"] == "no-store"
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"id_number": "220821197506010000"}, 400, "invalid_id_number", "id_number"),
        ({"sex": "female"}, 400, "invalid_id_number", "sex"),
        ({"id_number": cadre_id(0)}, 400, "duplicate_id_number", "id_number"),
        ({"region": OTHER_COUNTY}, 400, "invalid", "region"),
        ({"name": ""}, 400, "invalid", "name"),
        ({"user": "no-such-user"}, 400, "invalid", "user"),
    ],
    ids=["bad-check-digit", "sex-contradicts", "duplicate", "region-out-of-scope", "blank-name", "unknown-login"],
)
def test_bad_cadre_input_is_refused_and_writes_nothing(api, officer, unit, cadres, overrides, status, code, field):
    """Each bad field answers 400 with its code on that field; nothing is written."""
    before = counts()
    response = api(officer).post(CADRES, cadre_payload(unit=unit.pk, **overrides), format="json")
    body = assert_error(response, status, code)
    assert list(body["errors"]) == [field]
    assert counts() == before


def test_a_cadre_of_another_county_is_404(api, officer, tree):
    """A cadre registered for the neighbouring county does not exist for Zhenlai's officer."""
    other = make_cadre(tree, make_unit(tree, "邻县单位", region=OTHER_COUNTY), 9, region=OTHER_COUNTY)
    assert_error(api(officer).get(f"{CADRES}{other.pk}/"), 404, "not_found")


def test_linking_a_login_to_a_cadre(api, officer, cadres):
    """PATCH user links a login; linking the same login to a second cadre is 400 on user, nothing written."""
    login = UserFactory(username="zhao")
    client = api(officer)
    response = client.patch(f"{CADRES}{cadres[0].pk}/", {"user": "zhao"}, format="json")
    assert response.status_code == 200, response.content
    assert Cadre.objects.get(pk=cadres[0].pk).user == login
    before = counts()
    body = assert_error(client.patch(f"{CADRES}{cadres[1].pk}/", {"user": "zhao"}, format="json"), 400, "invalid")
    assert list(body["errors"]) == ["user"]
    assert counts() == before


@pytest.mark.parametrize("how_many", [1, 3])
def test_cadres_list_query_count_is_pinned(api, officer, tree, unit, how_many, django_assert_num_queries):
    """token + user, role grants, page (with unit and login), the personal-data log: four queries (no count)."""
    for n in range(how_many):
        make_cadre(tree, unit, n)
    client = api(officer)
    with django_assert_num_queries(4):
        response = client.get(CADRES)
    assert len(response.json()["results"]) == how_many


def test_cadres_filter_by_name_and_unit(api, officer, tree, unit, cadres):
    """q matches names; unit narrows to a unit's cadres."""
    other_unit = make_unit(tree, "县教育局")
    extra = make_cadre(tree, other_unit, 9, name="钱七")
    client = api(officer)
    assert [c["id"] for c in client.get(CADRES, {"q": "钱"}).json()["results"]] == [extra.pk]
    assert [c["id"] for c in client.get(CADRES, {"unit": other_unit.pk}).json()["results"]] == [extra.pk]


# Portfolio and "my households" ---------------------------------------------------------------------------------------


def test_a_cadres_portfolio_lists_the_households_paired_now(api, officer, cadres, household, paired):
    """GET cadres/{id}/portfolio/: the household with its head and the cadre's last visit."""
    visit(cadres[0], household, D(2017, 4, 1))
    response = api(officer).get(f"{CADRES}{cadres[0].pk}/portfolio/")
    assert response.status_code == 200, response.content
    [entry] = response.json()
    assert (entry["household"], entry["household_number"], entry["head_name"], entry["last_visit_on"]) == (
        household.pk,
        household.number,
        "王建国",
        "2017-04-01",
    )
    assert api(officer).get(f"{CADRES}{cadres[0].pk}/portfolio/", {"as_of": "2015-01-01"}).json() == []
    assert_error(api(officer).get(f"{CADRES}{cadres[0].pk}/portfolio/", {"as_of": "soon"}), 400, "invalid")


def test_portfolio_query_count_is_pinned(api, officer, tree, users, cadres, django_assert_num_queries):
    """token + user, role grants, the cadre, the portfolio with heads and last visits: four queries, 1 or 3 rows."""
    client = api(officer)
    for n in (1, 3):
        while Pairing.objects.count() < n:
            pair(cadres[0], make_household(tree, users, 10 + Pairing.objects.count()))
        with django_assert_num_queries(4):
            assert len(client.get(f"{CADRES}{cadres[0].pk}/portfolio/").json()) == n


def test_my_households_for_a_login_linked_to_a_cadre(api, tree, users, cadres, household, paired):
    """A cadre's login with a village-team grant over A1 reads its own portfolio at cadres/me/households/."""
    login = UserFactory(username="cadre0", grants=[("village_team", VILLAGE_A1)])
    services.cadre_update(user=None, cadre=cadres[0], data={"user": login})
    response = api(login).get(MY_HOUSEHOLDS)
    assert response.status_code == 200, response.content
    assert [e["household"] for e in response.json()] == [household.pk]


def test_my_households_without_a_linked_cadre_is_404(api, officer):
    """A login linked to no cadre: 404 not_found."""
    assert_error(api(officer).get(MY_HOUSEHOLDS), 404, "not_found")


# ---------------------------------------------------------------------------------------------------------------------
# Work teams
# ---------------------------------------------------------------------------------------------------------------------


def team_payload(unit, cadres, **overrides):
    data = {
        "village": VILLAGE_A1, "unit": unit.pk, "starts_on": "2016-01-01", "ends_on": "2018-01-01",
        "members": [{"cadre": c.pk, "role": r} for c, r in zip(cadres, ["first_secretary", "leader", "member"], strict=False)],
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_team_is_sent_with_its_members(api, officer, unit, cadres):
    """POST work-teams/ with three members: 201, members nested, no warnings."""
    response = api(officer).post(TEAMS, team_payload(unit, cadres), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["warnings"] == []
    assert sorted(m["role"] for m in body["members"]) == ["first_secretary", "leader", "member"]
    assert {m["starts_on"] for m in body["members"]} == {"2016-01-01"}


def test_a_small_team_is_saved_with_warnings(api, officer, unit, cadres):
    """One member and a one-year term: 201 with too_few_members and short_term under warnings."""
    payload = team_payload(unit, cadres[:1], ends_on="2017-01-01")
    response = api(officer).post(TEAMS, payload, format="json")
    assert response.status_code == 201, response.content
    assert [w["code"] for w in response.json()["warnings"]] == ["too_few_members", "short_term"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2015-01-01"}, "ends_on"),
        ({"village": TOWN_A}, "village"),
        ({"village": OTHER_VILLAGE}, "village"),
        ({"members": [{"cadre": 999999}]}, "members.0.cadre"),
        ({"members": [{"starts_on": "2015-06-01"}]}, "members.0.starts_on"),
    ],
    ids=["ends-before-start", "township", "village-out-of-scope", "unknown-cadre", "member-before-team"],
)
def test_bad_team_input_is_400_and_writes_nothing(api, officer, unit, cadres, overrides, field):
    """Each bad field answers 400 on that field and no team or member is written."""
    payload = team_payload(unit, cadres, **overrides)
    if field == "members.0.starts_on":
        payload["members"] = [{"cadre": cadres[0].pk, "starts_on": "2015-06-01"}]
    before = counts()
    body = assert_error(api(officer).post(TEAMS, payload, format="json"), 400, "invalid")
    assert field in body["errors"]
    assert counts() == before


def test_members_are_added_and_ended_through_the_sub_route(api, officer, unit, cadres):
    """POST members/ adds a cadre (201 with the team); PATCH members/{id}/ ends them (warnings come back)."""
    client = api(officer)
    team_id = client.post(TEAMS, team_payload(unit, cadres[:2], ends_on=None), format="json").json()["id"]
    added = client.post(f"{TEAMS}{team_id}/members/", {"cadre": cadres[2].pk, "resident": False}, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["warnings"] == []
    membership = WorkTeam.objects.get().memberships.get(cadre=cadres[2])
    ended = client.patch(f"{TEAMS}{team_id}/members/{membership.pk}/", {"ends_on": "2017-01-01"}, format="json")
    assert ended.status_code == 200, ended.content
    assert [w["code"] for w in ended.json()["warnings"]] == ["too_few_members"]
    listed = {m["id"]: m for m in client.get(f"{TEAMS}{team_id}/members/").json()}
    assert (listed[membership.pk]["ends_on"], listed[membership.pk]["active"]) == ("2017-01-01", False)


def test_an_overlapping_member_is_400_overlapping_period(api, officer, unit, cadres):
    """Adding a cadre already serving in the team: 400 overlapping_period on starts_on; nothing written."""
    client = api(officer)
    team_id = client.post(TEAMS, team_payload(unit, cadres[:1]), format="json").json()["id"]
    before = counts()
    body = assert_error(
        client.post(f"{TEAMS}{team_id}/members/", {"cadre": cadres[0].pk, "starts_on": "2017-01-01"}, format="json"),
        400,
        "overlapping_period",
    )
    assert list(body["errors"]) == ["starts_on"]
    assert counts() == before


def test_membership_routes_refuse_bad_ids_and_stale_versions(api, officer, unit, cadres):
    """Another team's membership id is 404; a stale If-Match is 412; neither writes anything."""
    client = api(officer)
    first = client.post(TEAMS, team_payload(unit, cadres[:1], ends_on=None), format="json").json()
    second = client.post(TEAMS, team_payload(unit, cadres[1:2], village=VILLAGE_A2, ends_on=None), format="json").json()
    other_membership = second["members"][0]["id"]
    before = counts()
    assert_error(
        client.patch(f"{TEAMS}{first['id']}/members/{other_membership}/", {"ends_on": "2017-01-01"}, format="json"),
        404,
        "not_found",
    )
    own = first["members"][0]["id"]
    stale = client.patch(f"{TEAMS}{first['id']}/members/{own}/", {"ends_on": "2017-01-01"}, format="json", HTTP_IF_MATCH='"99"')
    assert_error(stale, 412, "precondition_failed")
    bad = client.patch(f"{TEAMS}{first['id']}/members/{own}/", {"ends_on": "2015-01-01"}, format="json")
    assert_error(bad, 400, "invalid")
    assert counts() == before


def test_a_team_is_read_by_its_village_and_written_by_the_county(api, users, unit, cadres, officer):
    """The A1 village team reads A1's team; writing it is 403; B1's team is 404 to them."""
    client = api(officer)
    a1 = client.post(TEAMS, team_payload(unit, cadres[:1]), format="json").json()["id"]
    b1 = client.post(TEAMS, team_payload(unit, cadres[1:2], village=VILLAGE_B1), format="json").json()["id"]
    team = api(users["village_team"])
    assert team.get(f"{TEAMS}{a1}/").status_code == 200
    assert_error(team.patch(f"{TEAMS}{a1}/", {"ends_on": "2019-01-01"}, format="json"), 403, "permission_denied")
    assert_error(team.get(f"{TEAMS}{b1}/"), 404, "not_found")


def test_team_term_changes_through_patch(api, officer, unit, cadres):
    """PATCH a team's end later: 200, the term changed; the village cannot be changed (read-only)."""
    client = api(officer)
    team_id = client.post(TEAMS, team_payload(unit, cadres, ends_on=None), format="json").json()["id"]
    response = client.patch(f"{TEAMS}{team_id}/", {"ends_on": "2019-01-01", "village": VILLAGE_A2}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["ends_on"], response.json()["village"]) == ("2019-01-01", VILLAGE_A1)
    before = counts()
    assert_error(client.patch(f"{TEAMS}{team_id}/", {"ends_on": "2015-01-01"}, format="json"), 400, "invalid")
    assert counts() == before


@pytest.mark.parametrize("how_many", [1, 3])
def test_work_teams_list_query_count_is_pinned(api, officer, tree, unit, cadres, how_many, django_assert_num_queries):
    """token + user, role grants, page with unit and village, members with their cadres: four queries (no count)."""
    villages = [VILLAGE_A1, VILLAGE_A2, VILLAGE_B1][:how_many]
    for village, cadre in zip(villages, cadres, strict=False):
        services.work_team_create(
            user=None,
            data={"village": tree[village], "unit": unit, "starts_on": D(2016, 1, 1), "ends_on": None},
            members=[{"cadre": cadre}],
        )
    client = api(officer)
    with django_assert_num_queries(4):
        response = client.get(TEAMS)
    assert len(response.json()["results"]) == how_many
    assert all(len(t["members"]) == 1 for t in response.json()["results"])


def test_members_list_query_count_is_pinned(api, officer, unit, cadres, django_assert_num_queries):
    """token + user, role grants, the team, its members: four queries."""
    team_id = api(officer).post(TEAMS, team_payload(unit, cadres), format="json").json()["id"]
    client = api(officer)
    with django_assert_num_queries(4):
        assert len(client.get(f"{TEAMS}{team_id}/members/").json()) == 3


# ---------------------------------------------------------------------------------------------------------------------
# Pairings and handover
# ---------------------------------------------------------------------------------------------------------------------


def test_the_county_office_pairs_a_cadre_with_a_household(api, officer, cadres, household):
    """POST pairings/: 201 with the cadre's name, the household's number and its village; active."""
    response = api(officer).post(
        PAIRINGS, {"cadre": cadres[0].pk, "household": household.pk, "starts_on": "2016-01-01"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["cadre_name"], body["household_number"], body["village"], body["active"]) == (
        cadres[0].name,
        household.number,
        VILLAGE_A1,
        True,
    )


def test_an_overlapping_pairing_is_400_overlapping_period_and_writes_nothing(api, officer, cadres, household, paired):
    """The same cadre and household again while the pairing runs: 400 overlapping_period on starts_on."""
    before = counts()
    response = api(officer).post(
        PAIRINGS, {"cadre": cadres[0].pk, "household": household.pk, "starts_on": "2017-01-01"}, format="json"
    )
    body = assert_error(response, 400, "overlapping_period")
    assert list(body["errors"]) == ["starts_on"]
    assert counts() == before


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"starts_on": "2017-01-01", "ends_on": "2016-01-01"}, 400, "invalid"),
        ({"starts_on": "2999-01-01"}, 400, "invalid"),
        ({"starts_on": "not-a-date"}, 400, "invalid"),
        ({"starts_on": "2016-01-01", "household": 999999}, 400, "invalid"),
        ({"starts_on": "2016-01-01", "unregistered": True}, 409, "conflict"),
    ],
    ids=["ends-before-start", "future", "bad-date", "unknown-household", "not-in-register"],
)
def test_bad_pairing_input_is_refused_and_writes_nothing(api, officer, tree, users, cadres, household, payload, status, code):
    """Bad periods and unknown households are 400; a household not in the register (never identified) is 409."""
    target = household
    if payload.pop("unregistered", False):
        target = make_household(tree, users, 5, status=None)
    before = counts()
    response = api(officer).post(PAIRINGS, {"cadre": cadres[0].pk, "household": target.pk, **payload}, format="json")
    assert_error(response, status, code)
    assert counts() == before


def test_pairings_are_read_in_the_households_scope(api, users, tree, cadres, household, paired):
    """The A1 team reads A1's pairing; a pairing in B1 is 404 to them; they may not write pairings (403)."""
    b1 = make_household(tree, users, 3, village=VILLAGE_B1)
    other = pair(cadres[1], b1)
    client = api(users["village_team"])
    assert client.get(f"{PAIRINGS}{paired.pk}/").status_code == 200
    assert_error(client.get(f"{PAIRINGS}{other.pk}/"), 404, "not_found")
    assert_error(client.patch(f"{PAIRINGS}{paired.pk}/", {"ends_on": "2018-01-01"}, format="json"), 403, "permission_denied")
    assert [p["id"] for p in client.get(PAIRINGS).json()["results"]] == [paired.pk]


def test_pairings_filter_by_household_cadre_active_and_region(api, officer, tree, users, cadres, household, paired):
    """Each filter narrows the list; an ended pairing is active=false."""
    b1 = make_household(tree, users, 3, village=VILLAGE_B1)
    ended = pair(cadres[1], b1, D(2016, 1, 1), D(2017, 1, 1))
    client = api(officer)

    def ids(**params):
        return sorted(p["id"] for p in client.get(PAIRINGS, params).json()["results"])

    assert ids(household=household.pk) == [paired.pk]
    assert ids(cadre=cadres[1].pk) == [ended.pk]
    assert ids(active="true") == [paired.pk]
    assert ids(active="false") == [ended.pk]
    assert ids(region=VILLAGE_B1) == [ended.pk]
    assert ids(region=TOWN_A) == [paired.pk]
    assert_error(client.get(PAIRINGS, {"region": "12345"}), 400, "invalid")


def test_ending_a_pairing_by_patch(api, officer, paired):
    """PATCH ends_on: 200, the pairing ends; an end before its start is 400 and changes nothing."""
    client = api(officer)
    response = client.patch(f"{PAIRINGS}{paired.pk}/", {"ends_on": "2018-01-01"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["ends_on"], response.json()["active"]) == ("2018-01-01", False)
    before = counts()
    assert_error(client.patch(f"{PAIRINGS}{paired.pk}/", {"ends_on": "2015-01-01"}, format="json"), 400, "invalid")
    assert counts() == before


def test_handover_through_the_api(api, officer, cadres, household, paired):
    """POST pairings/handover/: 201 with the ended and the started pairing, meeting on the day."""
    response = api(officer).post(
        HANDOVER, {"household": household.pk, "to_cadre": cadres[1].pk, "on": "2017-07-01"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["ended"]["id"], body["ended"]["ends_on"]) == (paired.pk, "2017-07-01")
    assert (body["started"]["cadre"], body["started"]["starts_on"], body["started"]["ends_on"]) == (
        cadres[1].pk,
        "2017-07-01",
        None,
    )


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"to_cadre": "same", "on": "2017-07-01"}, 400, "invalid"),
        ({"on": "2015-01-01"}, 409, "conflict"),
        ({"on": "2999-01-01"}, 400, "invalid"),
        ({"on": "2016-01-01"}, 400, "invalid"),
        ({"on": None}, 400, "invalid"),
        ({"on": "2017-07-01", "household": 999999}, 400, "invalid"),
    ],
    ids=["to-self", "nothing-active", "future", "first-day", "no-date", "unknown-household"],
)
def test_bad_handovers_are_refused_and_write_nothing(api, officer, cadres, household, paired, payload, status, code):
    """Handing over to the same cadre, with nothing active on the day, in the future, on the pairing's first day,
    without a date or for an unknown household: refused, the old pairing unchanged."""
    body = {"household": household.pk, "to_cadre": cadres[1].pk, **payload}
    if body["to_cadre"] == "same":
        body["to_cadre"] = cadres[0].pk
    before = counts()
    assert_error(api(officer).post(HANDOVER, body, format="json"), status, code)
    assert counts() == before


def test_a_village_team_may_not_hand_over(api, team_user, cadres, household, paired):
    """Handover is the county office's: 403 for a village team, nothing written."""
    before = counts()
    response = api(team_user).post(
        HANDOVER, {"household": household.pk, "to_cadre": cadres[1].pk, "on": "2017-07-01"}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    assert counts() == before


@pytest.mark.parametrize("how_many", [1, 3])
def test_pairings_list_query_count_is_pinned(api, officer, tree, users, cadres, how_many, django_assert_num_queries):
    """token + user, role grants, the page with cadres and households (cursor, no count): three queries."""
    for n in range(how_many):
        pair(cadres[n], make_household(tree, users, 10 + n))
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(PAIRINGS)
    assert len(response.json()["results"]) == how_many


# ---------------------------------------------------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------------------------------------------------


def visit_payload(cadre, household, **overrides):
    data = {"cadre": cadre.pk, "household": household.pk, "date": "2017-03-01", "kind": "home", "found": "住房漏雨",
            "agreed": "申请危房改造", "confirmed": True}  # fmt: skip
    data.update(overrides)
    return data


def test_the_village_team_records_a_visit(api, team_user, cadres, household, paired):
    """POST visits/ by the A1 team: 201 with the cadre's name and who recorded it."""
    response = api(team_user).post(VISITS, visit_payload(cadres[0], household), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["cadre_name"], body["recorded_by"], body["confirmed"]) == (cadres[0].name, "team", True)
    assert Visit.objects.get().recorded_by == team_user


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2015-12-31"}, "date"),
        ({"date": "2999-01-01"}, "date"),
        ({"kind": "telepathy"}, "kind"),
        ({"cadre": "unpaired"}, "cadre"),
        ({"household": "b1"}, "household"),
    ],
    ids=["before-pairing", "future", "bad-kind", "unpaired-cadre", "household-out-of-scope"],
)
def test_bad_visit_input_is_400_and_writes_nothing(api, team_user, tree, users, cadres, household, paired, overrides, field):
    """A visit before the pairing began, in the future, of an unknown kind, by a cadre never paired with a household
    of the caller's villages, or to a household outside them: 400 on the field, nothing written."""
    b1 = make_household(tree, users, 3, village=VILLAGE_B1)
    pair(cadres[2], b1)
    if overrides.get("cadre") == "unpaired":
        overrides["cadre"] = cadres[1].pk
    if overrides.get("household") == "b1":
        overrides["household"] = b1.pk
    before = counts()
    payload = {**visit_payload(cadres[0], household), **overrides}
    body = assert_error(api(team_user).post(VISITS, payload, format="json"), 400, "invalid")
    assert list(body["errors"]) == [field]
    assert counts() == before


def test_visits_are_read_in_the_households_scope(api, users, tree, cadres, household, paired):
    """The A1 team reads A1's visits; a visit in B1 is 404 to them and missing from their list."""
    mine = visit(cadres[0], household, D(2017, 3, 1))
    b1 = make_household(tree, users, 3, village=VILLAGE_B1)
    pair(cadres[1], b1)
    theirs = visit(cadres[1], b1, D(2017, 3, 1))
    client = api(users["village_team"])
    assert client.get(f"{VISITS}{mine.pk}/").status_code == 200
    assert_error(client.get(f"{VISITS}{theirs.pk}/"), 404, "not_found")
    assert [v["id"] for v in client.get(VISITS).json()["results"]] == [mine.pk]
    assert_error(client.patch(f"{VISITS}{theirs.pk}/", {"found": "x"}, format="json"), 404, "not_found")


def test_huge_ids_in_filters_and_paths_are_not_errors(api, officer, paired):
    """An id beyond any integer column gives an empty list or 404, never a server error."""
    client = api(officer)
    assert client.get(PAIRINGS, {"household": "99999999999999999999999"}).json()["results"] == []
    assert_error(client.get(f"{PAIRINGS}99999999999999999999999/"), 404, "not_found")


def test_inspectors_read_visits_but_may_not_record_them(api, users, cadres, household, paired):
    """An inspector lists visits (200) and POST is 403."""
    visit(cadres[0], household, D(2017, 3, 1))
    client = api(users["inspector"])
    assert len(client.get(VISITS).json()["results"]) == 1
    assert_error(client.post(VISITS, visit_payload(cadres[0], household), format="json"), 403, "permission_denied")


def test_visits_filter_by_date_range_household_and_region(api, officer, tree, users, cadres, household, paired):
    """date_from/date_to bound the dates (both included); household and region narrow; newest first."""
    for day in (D(2016, 5, 1), D(2017, 3, 1), D(2017, 9, 1)):
        visit(cadres[0], household, day)
    b1 = make_household(tree, users, 3, village=VILLAGE_B1)
    pair(cadres[1], b1)
    visit(cadres[1], b1, D(2017, 3, 1))
    client = api(officer)

    def dates(**params):
        return [(v["household"], v["date"]) for v in client.get(VISITS, params).json()["results"]]

    assert dates(household=household.pk, date_from="2017-01-01", date_to="2017-09-01") == [
        (household.pk, "2017-09-01"),
        (household.pk, "2017-03-01"),
    ]
    assert dates(region=VILLAGE_B1) == [(b1.pk, "2017-03-01")]
    assert len(dates(cadre=cadres[0].pk)) == 3
    assert_error(client.get(VISITS, {"date_from": "March"}), 400, "invalid")


def test_correcting_a_visit(api, team_user, cadres, household, paired):
    """PATCH a visit's findings: 200; moving it before the pairing: 400 and nothing changes."""
    saved = visit(cadres[0], household, D(2017, 3, 1))
    client = api(team_user)
    response = client.patch(f"{VISITS}{saved.pk}/", {"found": "已修好"}, format="json")
    assert (response.status_code, response.json()["found"]) == (200, "已修好")
    before = counts()
    assert_error(client.patch(f"{VISITS}{saved.pk}/", {"date": "2015-01-01"}, format="json"), 400, "invalid")
    assert counts() == before


@pytest.mark.parametrize("how_many", [1, 3])
def test_visits_list_query_count_is_pinned(api, officer, cadres, household, paired, how_many, django_assert_num_queries):
    """token + user, role grants, the page with cadres, households and recorders: three queries."""
    for n in range(how_many):
        visit(cadres[0], household, D(2017, 1, 1 + n))
    client = api(officer)
    with django_assert_num_queries(3):
        response = client.get(VISITS)
    assert len(response.json()["results"]) == how_many


def test_the_schema_describes_the_cadres_routes(client):
    """The OpenAPI schema names every cadres route and its methods."""
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert set(paths["/api/v1/pairings/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/pairings/handover/"]) == {"post"}
    assert set(paths["/api/v1/work-teams/{id}/members/"]) == {"get", "post"}
    assert set(paths["/api/v1/work-teams/{id}/members/{membership_id}/"]) == {"patch"}
    assert set(paths["/api/v1/cadres/me/households/"]) == {"get"}
    assert set(paths["/api/v1/visits/"]) == {"get", "post"}


# ---------------------------------------------------------------------------------------------------------------------
# Admin: the same services behind the forms
# ---------------------------------------------------------------------------------------------------------------------


def admin_login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_admin_adds_a_pairing_through_the_service(client, users, cadres, household):
    """The county officer adds a pairing on the admin page: saved through pairing_create."""
    admin_login(client, "county")
    response = client.post(
        "/admin/cadres/pairing/add/",
        {"cadre": cadres[0].pk, "household": household.pk, "starts_on": "2016-01-01", "ends_on": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Pairing.objects.get().cadre == cadres[0]


def test_the_admin_shows_the_services_errors_and_writes_nothing(client, users, cadres, household, paired):
    """An overlapping pairing on the admin page: the service's message on the form, nothing written."""
    admin_login(client, "county")
    before = counts()
    response = client.post(
        "/admin/cadres/pairing/add/",
        {"cadre": cadres[0].pk, "household": household.pk, "starts_on": "2017-01-01", "ends_on": ""},
    )
    assert response.status_code == 200
    assert "该干部与该户的结对期与已有结对重叠" in response.content.decode()
    assert counts() == before


def test_the_admin_masks_cadres_id_numbers_for_inspectors(client, users, cadres):
    """An inspector's cadre page shows the masked ID number only."""
    admin_login(client, "inspector")
    page = client.get(f"/admin/cadres/cadre/{cadres[0].pk}/change/").content.decode()
    assert masked(cadres[0].id_number) in page
    assert cadres[0].id_number not in page


def test_the_admin_logs_full_reads_of_cadres_id_numbers(client, users, cadres):
    """The county officer's cadre page shows the full number and logs the read."""
    admin_login(client, "county")
    page = client.get(f"/admin/cadres/cadre/{cadres[0].pk}/change/").content.decode()
    assert cadres[0].id_number in page
    assert PersonalDataAccess.objects.filter(model="cadres.cadre", object_ids=[cadres[0].pk]).exists()


def test_the_admin_masks_a_cadre_by_the_cadres_region(client, tree, unit):
    """An inspector of the county who reviews township A sees township A's cadre in full (read logged) and the
    county's cadre masked (nothing logged): rights held in one region do not unmask another."""
    both = UserFactory(username="both", grants=[("inspector", COUNTY), ("township_reviewer", TOWN_A)])
    in_town, in_county = make_cadre(tree, unit, 7, region=TOWN_A), make_cadre(tree, unit, 8)
    admin_login(client, both.username)

    page = client.get(f"/admin/cadres/cadre/{in_county.pk}/change/").content.decode()
    assert masked(in_county.id_number) in page and in_county.id_number not in page
    assert not PersonalDataAccess.objects.exists()

    page = client.get(f"/admin/cadres/cadre/{in_town.pk}/change/").content.decode()
    assert in_town.id_number in page
    assert list(PersonalDataAccess.objects.values_list("object_ids", flat=True)) == [[in_town.pk]]


def test_the_admin_warns_about_a_small_team(client, users, unit, cadres):
    """Adding a team on the admin page with no members: saved, and the warning is shown."""
    admin_login(client, "county")
    response = client.post(
        "/admin/cadres/workteam/add/",
        {"village": VILLAGE_A1, "unit": unit.pk, "starts_on": "2016-01-01", "ends_on": "2017-01-01",
         "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
         "memberships-MAX_NUM_FORMS": "1000"},
        follow=True,
    )  # fmt: skip
    assert WorkTeam.objects.count() == 1
    text = response.content.decode()
    assert "通常至少 3 名" in text
    assert "短于 2 年" in text


@pytest.mark.parametrize("model", ["unit", "cadre", "workteam", "teammembership", "pairing", "visit"])
def test_the_admin_pages_open_for_the_county_office(client, users, cadres, household, paired, model):
    """Every cadres model has a scoped list and an add page in the admin."""
    admin_login(client, "county")
    visit(cadres[0], household, D(2017, 3, 1))
    assert client.get(f"/admin/cadres/{model}/").status_code == 200
    assert client.get(f"/admin/cadres/{model}/add/").status_code == 200


def test_the_village_team_records_a_visit_in_the_admin(client, users, cadres, household, paired):
    """The A1 team adds a visit on the admin page; it is saved through visit_create with the recorder."""
    admin_login(client, "team")
    response = client.post(
        "/admin/cadres/visit/add/",
        {"cadre": cadres[0].pk, "household": household.pk, "date": "2017-03-01", "kind": "home", "found": "",
         "agreed": "", "confirmed": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Visit.objects.get().recorded_by == users["village_team"]
