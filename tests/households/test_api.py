"""The register's REST API: households, members, annual records and policy standards under /api/v1/.

Through the client with token auth: creation with nested members, scope per role (404 outside it), masking and
the personal-data log, look-up by ID number in a body, ETag/If-Match, leaving and moving, annual records,
standards, filters and cursor pagination, pinned query counts, and refused writes that write nothing.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from core.models import PersonalDataAccess
from households import services
from households.choices import HouseholdAttribute, PovertyCause
from households.models import AnnualRecord, Household, Member, PolicyStandard
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory
from tests.households import builders as b
from tests.programs.conftest import give, make_program

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/api/v1/households/"
MEMBERS = "/api/v1/members/"
LOOKUP = "/api/v1/members/lookup/"
RECORDS = "/api/v1/annual-records/"
STANDARDS = "/api/v1/standards/"
BANK_ACCOUNT = "6228480402564890018"
BANK_ACCOUNT_MASKED = "622848*********0018"
READERS = ["village_team", "township_reviewer", "county_officer", "inspector"]


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield



def masked_id(number: str) -> str:
    """An 18-character ID number as a role without the right to see it reads it: first 6, 8 stars, last 4."""
    return f"{number[:6]}********{number[-4:]}"


def etag_of(value: int) -> str:
    return f'"{value}"'


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def team(users):
    """The work team of village A1."""
    return users["village_team"]


@pytest.fixture
def household(tree, users):
    """Head, spouse and son (ID sequence 1) in village A1, with a bank account."""
    return b.make_household(
        village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(1), bank_account=BANK_ACCOUNT
    )


@pytest.fixture
def homes(tree, users, household):
    """One household in each village of the tree: A1 (the `household`), A2, B1 and the other county's village."""
    superuser = users["superuser"]
    return {
        VILLAGE_A1: household,
        VILLAGE_A2: b.make_household(village=tree[VILLAGE_A2], user=superuser, members=b.family(2)),
        VILLAGE_B1: b.make_household(village=tree[VILLAGE_B1], user=superuser, members=b.family(3)),
        OTHER_VILLAGE: b.make_household(village=tree[OTHER_VILLAGE], user=superuser, members=b.family(4)),
    }


def member_of(household: Household, relation: str) -> Member:
    return household.members.get(relation=relation, left_on__isnull=True)


def record_for(household: Household, year: int, **items) -> AnnualRecord:
    return services.annual_record_upsert(user=None, household=household, year=year, data=items)[0]


# ---------------------------------------------------------------------------------------------------------------------
# POST /households/: a household with its members in one request
# ---------------------------------------------------------------------------------------------------------------------


def test_post_household_with_members_creates_it(api, team, tree):
    """Given a village team and a household of three in its village, the answer is 201 with the household as GET
    returns it: id, number, village code and the members with their ids."""
    response = api(team).post(HOUSEHOLDS, b.household_payload(VILLAGE_A1), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    household = Household.objects.get()
    assert (body["id"], body["number"], body["village"]) == (household.pk, f"{VILLAGE_A1}0001", VILLAGE_A1)
    assert (body["attribute"], body["main_cause"], body["other_causes"], body["stars"]) == (
        "general",
        "illness",
        ["lack_funds"],
        2,
    )
    assert sorted((m["id"], m["relation"], m["id_number"]) for m in body["members"]) == sorted(
        household.members.values_list("id", "relation", "id_number")
    )
    assert response["ETag"] == etag_of(household.version)


def test_post_household_with_a_bad_member_is_400_and_writes_nothing(api, team, tree):
    """Given a head whose ID check digit is wrong, the answer is 400 invalid_id_number on members.0.id_number."""
    bad_head = b.head(id_number=b.head()["id_number"][:17] + "0")
    before = b.counts()

    response = api(team).post(HOUSEHOLDS, b.household_payload(VILLAGE_A1, [bad_head, b.spouse()]), format="json")

    body = assert_error(response, 400, "invalid_id_number")
    assert list(body["errors"]) == ["members.0.id_number"]
    [error] = body["errors"]["members.0.id_number"]
    assert set(error) == {"code", "detail"}
    assert error["code"] == "invalid_id_number"
    assert error["detail"].startswith("身份证号校验位错误")
    assert b.counts() == before


def test_post_household_with_a_person_active_elsewhere_is_400_duplicate(api, team, household):
    """Given the son already active in household A1, registering him again is 400 duplicate_id_number."""
    before = b.counts()

    response = api(team).post(HOUSEHOLDS, b.household_payload(VILLAGE_A1, [b.head(5), b.son(1)]), format="json")

    body = assert_error(response, 400, "duplicate_id_number")
    assert body["errors"]["members.1.id_number"] == [
        {
            "code": "duplicate_id_number",
            "detail": f"该证件号已在户 {household.number}（区划{VILLAGE_A1}）登记为在册成员",
        }
    ]
    assert b.counts() == before


def test_post_household_without_a_head_is_400_composition(api, team, tree):
    """Given members without a head, the answer is 400 invalid_household_composition on members."""
    before = b.counts()

    response = api(team).post(HOUSEHOLDS, b.household_payload(VILLAGE_A1, [b.spouse(), b.son()]), format="json")

    body = assert_error(response, 400, "invalid_household_composition")
    assert [e["code"] for e in body["errors"]["members"]] == ["invalid_household_composition"]
    assert b.counts() == before


def test_post_household_with_other_causes_equal_to_the_main_one_is_400(api, team, tree):
    """Given other causes containing the main cause, the answer is 400 on other_causes and nothing is written."""
    before = b.counts()

    response = api(team).post(
        HOUSEHOLDS, b.household_payload(VILLAGE_A1, main_cause="illness", other_causes=["illness"]), format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["other_causes"]
    assert b.counts() == before


def test_village_team_cannot_post_into_another_village(api, team, tree):
    """Given A1's team posting into A2 (outside its edit scope), the answer is 400 on village, nothing written."""
    before = b.counts()

    response = api(team).post(HOUSEHOLDS, b.household_payload(VILLAGE_A2), format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["village"]
    assert b.counts() == before


def test_a_household_cannot_be_posted_into_a_township(api, officer, tree):
    """Given a county officer posting into a township code, the answer is 400 on village, nothing written."""
    before = b.counts()

    response = api(officer).post(HOUSEHOLDS, b.household_payload(TOWN_A), format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["village"]
    assert b.counts() == before


@pytest.mark.parametrize("role", ["inspector", "township_reviewer", "api_client"])
def test_roles_that_may_not_write_get_403_on_post(api, users, role):
    """Given a role without the right to enter data, POST /households/ is 403 and writes nothing."""
    before = b.counts()

    response = api(users[role]).post(HOUSEHOLDS, b.household_payload(VILLAGE_A1), format="json")

    assert_error(response, 403, "permission_denied")
    assert b.counts() == before


@pytest.mark.parametrize("main_cause", PovertyCause.values)
def test_a_household_can_be_created_with_every_main_cause(api, officer, tree, main_cause):
    """Given any coded main cause (and no other causes), the household is created."""
    response = api(officer).post(
        HOUSEHOLDS, b.household_payload(VILLAGE_A1, main_cause=main_cause, other_causes=[]), format="json"
    )

    assert response.status_code == 201, response.content
    assert Household.objects.get().main_cause == main_cause


@pytest.mark.parametrize("attribute", HouseholdAttribute.values)
def test_a_household_can_be_created_with_every_attribute(api, officer, tree, attribute):
    """Given any coded attribute, the household is created."""
    response = api(officer).post(HOUSEHOLDS, b.household_payload(VILLAGE_A1, attribute=attribute), format="json")

    assert response.status_code == 201, response.content
    assert Household.objects.get().attribute == attribute


# ---------------------------------------------------------------------------------------------------------------------
# Scope per role
# ---------------------------------------------------------------------------------------------------------------------

SCOPES = {
    "village_team": {VILLAGE_A1},
    "township_reviewer": {VILLAGE_A1, VILLAGE_A2},
    "county_officer": {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1},
    "inspector": {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1},
    "superuser": {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, OTHER_VILLAGE},
}


@pytest.mark.parametrize("role", list(SCOPES))
def test_the_household_list_holds_the_households_in_scope(api, users, homes, role):
    """Given one household per village, each role lists exactly the households of its villages."""
    response = api(users[role]).get(HOUSEHOLDS)

    assert response.status_code == 200
    assert {row["village"] for row in response.json()["results"]} == SCOPES[role]


@pytest.mark.parametrize("role", list(SCOPES))
def test_household_details_answer_in_scope_and_404_outside(api, users, homes, role):
    """Given one household per village, each role reads those of its villages and gets 404 for the others."""
    client = api(users[role])

    statuses = {code: client.get(f"{HOUSEHOLDS}{home.pk}/").status_code for code, home in homes.items()}

    assert statuses == {code: 200 if code in SCOPES[role] else 404 for code in homes}


def test_api_client_gets_403_on_households(api, users, household):
    """Given an api_client (figures only), the household list and details are 403."""
    client = api(users["api_client"])

    assert_error(client.get(HOUSEHOLDS), 403, "permission_denied")
    assert_error(client.get(f"{HOUSEHOLDS}{household.pk}/"), 403, "permission_denied")


def test_a_user_without_roles_may_not_read_the_register(api, users, homes):
    """Given a user with no role grant, the household list is 403, as for a role without the right (api_client)."""
    assert_error(api(users["nobody"]).get(HOUSEHOLDS), 403, "permission_denied")


OUT_OF_SCOPE_REQUESTS = [
    ("get", ""),
    ("patch", ""),
    ("delete", ""),
    ("get", "members/"),
    ("post", "members/"),
    ("get", "annual-records/"),
    ("post", "annual-records/"),
    ("get", "history/"),
]


@pytest.mark.parametrize(("method", "suffix"), OUT_OF_SCOPE_REQUESTS)
def test_a_household_outside_scope_is_404_on_every_route(api, team, homes, method, suffix):
    """Given A1's team and the household of A2, every household route answers 404 and nothing is written."""
    other = homes[VILLAGE_A2]
    payloads = {"members/": b.as_json(b.daughter(2)), "annual-records/": {"year": 2017, "wages": "1000.00"}, "": {}}
    before = b.counts()

    response = getattr(api(team), method)(f"{HOUSEHOLDS}{other.pk}/{suffix}", payloads.get(suffix, {}), format="json")

    assert_error(response, 404, "not_found")
    assert b.counts() == before
    assert Household.objects.get(pk=other.pk).version == other.version


def test_members_and_annual_records_outside_scope_are_404(api, team, homes):
    """Given A1's team, a member and an annual record of A2 answer 404 on GET and PATCH; nothing changes."""
    other = homes[VILLAGE_A2]
    member = member_of(other, "03")
    record = record_for(other, 2017, wages=Decimal("1000"))
    client = api(team)

    assert_error(client.get(f"{MEMBERS}{member.pk}/"), 404, "not_found")
    assert_error(client.patch(f"{MEMBERS}{member.pk}/", {"name": "x"}, format="json"), 404, "not_found")
    assert_error(client.get(f"{RECORDS}{record.pk}/"), 404, "not_found")
    assert_error(client.patch(f"{RECORDS}{record.pk}/", {"wages": "1"}, format="json"), 404, "not_found")
    assert_error(client.post(f"{MEMBERS}{member.pk}/move/", {}, format="json"), 404, "not_found")
    assert Member.objects.get(pk=member.pk).name == member.name
    assert AnnualRecord.objects.get(pk=record.pk).wages == Decimal("1000.00")


@pytest.mark.parametrize("role", ["inspector", "township_reviewer"])
def test_read_only_roles_get_403_on_household_writes_in_scope(api, users, household, role):
    """Given a household in scope, the inspector and the township reviewer get 403 on PATCH and DELETE."""
    client = api(users[role])
    before = b.counts()

    assert_error(
        client.patch(f"{HOUSEHOLDS}{household.pk}/", {"address": "x"}, format="json"), 403, "permission_denied"
    )
    assert_error(client.delete(f"{HOUSEHOLDS}{household.pk}/"), 403, "permission_denied")

    assert b.counts() == before
    assert Household.objects.get(pk=household.pk).address == household.address


# ---------------------------------------------------------------------------------------------------------------------
# Personal data: masking, the access log, no-store
# ---------------------------------------------------------------------------------------------------------------------


def personal_reads(path: str, household: Household, client):
    """The response to a read of personal data by path name."""
    son = member_of(household, "03")
    return {
        "list": lambda: client.get(HOUSEHOLDS),
        "detail": lambda: client.get(f"{HOUSEHOLDS}{household.pk}/"),
        "members": lambda: client.get(f"{HOUSEHOLDS}{household.pk}/members/"),
        "member": lambda: client.get(f"{MEMBERS}{son.pk}/"),
        "lookup": lambda: client.post(LOOKUP, {"id_number": son.id_number}, format="json"),
        "history": lambda: client.get(f"{HOUSEHOLDS}{household.pk}/history/"),
    }[path]()


def shown_personal_data(path: str, body) -> dict:
    """{"id_number": {…}, "bank_account": {…}} as a response shows them, whatever its shape."""
    if path == "list":
        return {"bank_account": {row["bank_account"] for row in body["results"]}}
    if path == "detail":
        return {"bank_account": {body["bank_account"]}, "id_number": {m["id_number"] for m in body["members"]}}
    if path in {"members", "lookup"}:
        return {"id_number": {m["id_number"] for m in body}}
    if path == "member":
        return {"id_number": {body["id_number"]}}
    shown = {"bank_account": set(), "id_number": set()}
    for entry in body:
        for field in shown:
            if field in entry["changes"] and entry["changes"][field][1]:
                shown[field].add(entry["changes"][field][1])
    return shown


def expected_personal_data(path: str, household: Household, mask: bool) -> dict:
    ids = {m.id_number for m in household.members.all()}
    son = member_of(household, "03").id_number
    full = {
        "list": {"bank_account": {BANK_ACCOUNT}},
        "detail": {"bank_account": {BANK_ACCOUNT}, "id_number": ids},
        "members": {"id_number": ids},
        "member": {"id_number": {son}},
        "lookup": {"id_number": {son}},
        "history": {"bank_account": {BANK_ACCOUNT}, "id_number": ids},
    }[path]
    if not mask:
        return full
    return {
        field: {BANK_ACCOUNT_MASKED if v == BANK_ACCOUNT else masked_id(v) for v in values}
        for field, values in full.items()
    }


PERSONAL_PATHS = ["list", "detail", "members", "member", "lookup", "history"]


@pytest.mark.parametrize("path", PERSONAL_PATHS)
def test_the_inspector_reads_personal_data_masked_and_no_read_is_logged(api, users, household, path):
    """Given the inspector, ID numbers read 220821********1234 and bank accounts are masked; nothing is logged."""
    response = personal_reads(path, household, api(users["inspector"]))

    assert response.status_code == 200, response.content
    assert shown_personal_data(path, response.json()) == expected_personal_data(path, household, mask=True)
    assert response["Cache-Control"] == "no-store"
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("path", PERSONAL_PATHS)
def test_the_county_officer_reads_personal_data_in_full_and_the_read_is_logged(api, officer, household, path):
    """Given the county officer, ID numbers and bank accounts are shown in full and the read is logged."""
    response = personal_reads(path, household, api(officer))

    assert response.status_code == 200, response.content
    assert shown_personal_data(path, response.json()) == expected_personal_data(path, household, mask=False)
    assert response["Cache-Control"] == "no-store"
    assert PersonalDataAccess.objects.filter(user=officer, request_id=response["X-Request-ID"]).exists()


def shown_birth_dates(path: str, body) -> set:
    """The birth dates a response shows (members' birth_date, or the new value of birth_date in history entries)."""
    if path == "detail":
        body = body["members"]
    elif path == "member":
        body = [body]
    if path == "history":
        return {e["changes"]["birth_date"][1] for e in body if "birth_date" in e["changes"]}
    return {m["birth_date"] for m in body}


BIRTH_PATHS = ["detail", "members", "member", "lookup", "history"]


def members_shown(path: str, household: Household) -> list[Member]:
    """The members a read by path name shows: the son alone for a member read or the lookup of his number."""
    return [member_of(household, "03")] if path in {"member", "lookup"} else list(household.members.all())


@pytest.mark.parametrize("path", BIRTH_PATHS)
def test_the_inspector_reads_birth_years_only_beside_masked_numbers(api, users, household, path):
    """Given the inspector, no response shows a full birth date (it would give back the masked ID number's hidden
    digits): members carry `birth_date` null and `birth_year`, history entries the year as text."""
    response = personal_reads(path, household, api(users["inspector"]))

    years = {m.birth_date.year for m in members_shown(path, household)}
    if path == "history":
        assert shown_birth_dates(path, response.json()) == {str(year) for year in years}
    else:
        assert shown_birth_dates(path, response.json()) == {None}
        members = {"detail": lambda b: b["members"], "member": lambda b: [b]}.get(path, lambda b: b)(response.json())
        assert {m["birth_year"] for m in members} == years


@pytest.mark.parametrize("path", BIRTH_PATHS)
def test_the_county_officer_reads_full_birth_dates(api, officer, household, path):
    """Given the county officer, who may see personal data in the household's village, birth dates are full."""
    response = personal_reads(path, household, api(officer))

    expected = {m.birth_date.isoformat() for m in members_shown(path, household)}
    assert shown_birth_dates(path, response.json()) == expected


def test_a_null_birth_date_is_refused_and_nothing_is_written(api, team, household):
    """`birth_date` may be null in responses (masked), never in a request: 400 naming the field, the member unchanged."""
    son = member_of(household, "03")
    response = api(team).patch(f"{MEMBERS}{son.pk}/", {"birth_date": None}, format="json")

    body = assert_error(response, 400, "invalid")
    assert body["errors"]["birth_date"][0]["code"] == "null"
    assert Member.objects.get(pk=son.pk).birth_date == son.birth_date


def test_personal_data_follows_each_households_village(api, users, homes):
    """Given an inspector of the county who is also A2's work team, A2's household reads in full and A1's masked,
    birth dates included."""
    both = UserFactory(username="both", grants=[("inspector", COUNTY), ("village_team", VILLAGE_A2)])
    client = api(both)

    mine = client.get(f"{HOUSEHOLDS}{homes[VILLAGE_A2].pk}/").json()
    other = client.get(f"{HOUSEHOLDS}{homes[VILLAGE_A1].pk}/").json()

    head_a2, head_a1 = member_of(homes[VILLAGE_A2], "01"), member_of(homes[VILLAGE_A1], "01")
    [mine_head] = [m for m in mine["members"] if m["relation"] == "01"]
    [other_head] = [m for m in other["members"] if m["relation"] == "01"]
    assert (mine_head["id_number"], mine_head["birth_date"]) == (head_a2.id_number, head_a2.birth_date.isoformat())
    assert (other_head["id_number"], other_head["birth_date"], other_head["birth_year"]) == (
        masked_id(head_a1.id_number), None, head_a1.birth_date.year)  # fmt: skip
    assert other["bank_account"] == BANK_ACCOUNT_MASKED


def test_a_full_read_of_a_member_is_logged_with_user_model_ids_and_fields(api, officer, household):
    """Given the county officer reading a member, one log row names the user, households.member, the id and
    the field id_number."""
    son = member_of(household, "03")

    response = api(officer).get(f"{MEMBERS}{son.pk}/")

    assert response.status_code == 200
    [access] = PersonalDataAccess.objects.all()
    assert (access.user_id, access.model, access.object_ids, access.fields) == (
        officer.pk,
        "households.member",
        [son.pk],
        ["id_number"],
    )
    assert (access.request_id, access.path) == (response["X-Request-ID"], f"{MEMBERS}{son.pk}/")


def test_a_full_read_of_a_household_logs_its_account_and_its_members_ids(api, officer, household):
    """Given the county officer reading a household, the log has its bank account and every member's ID number."""
    api(officer).get(f"{HOUSEHOLDS}{household.pk}/")

    rows = {(a.model, tuple(a.object_ids), tuple(a.fields)) for a in PersonalDataAccess.objects.filter(user=officer)}
    assert rows == {
        ("households.household", (household.pk,), ("bank_account",)),
        ("households.member", tuple(sorted(household.members.values_list("pk", flat=True))), ("id_number",)),
    }


def test_codes_national_gives_the_national_codes_of_a_household_and_its_members(api, officer, household):
    """Given ?codes=national, a household read gives its coded fields as national codes, its members' too (the
    list and the member read alike); without it, the English values; the labels of the choices stay as they are."""
    Member.objects.filter(household=household, relation="03").update(school_status="secondary_vocational_2")
    son = household.members.get(relation="03")

    national = api(officer).get(f"{HOUSEHOLDS}{household.pk}/?codes=national").json()
    plain = api(officer).get(f"{HOUSEHOLDS}{household.pk}/").json()

    assert (national["identification_standard"], national["attribute"], national["main_cause"]) == ("1", "1", "01")
    assert national["other_causes"] == ["09"]  # lack_funds
    assert (plain["main_cause"], plain["other_causes"]) == ("illness", ["lack_funds"])
    members = {m["relation"]: m for m in national["members"]}
    assert (members["03"]["sex"], members["03"]["school_status"], members["03"]["ethnicity"]) == ("1", "11", "01")
    assert (members["02"]["sex"], members["01"]["education"], members["01"]["health"]) == ("2", "02", "1")
    assert (members["01"]["labour"], members["01"]["migrant_work"]) == ("1", "1")
    assert {m["relation"]: m["school_status"] for m in plain["members"]}["03"] == "secondary_vocational_2"
    listed = api(officer).get(f"{HOUSEHOLDS}{household.pk}/members/?codes=national").json()
    assert {m["school_status"] for m in listed if m["relation"] == "03"} == {"11"}
    assert api(officer).get(f"{MEMBERS}{son.pk}/?codes=national").json()["school_status"] == "11"
    rows = api(officer).get(f"{HOUSEHOLDS}?codes=national").json()["results"]
    assert [row["main_cause"] for row in rows if row["id"] == household.pk] == ["01"]


def test_codes_other_than_slugs_or_national_are_refused(api, officer, household):
    """Given ?codes=chinese, the read is 400 `invalid` naming the parameter."""
    body = assert_error(api(officer).get(f"{HOUSEHOLDS}{household.pk}/?codes=chinese"), 400, "invalid")
    assert "codes" in body["errors"]


# ---------------------------------------------------------------------------------------------------------------------
# POST /members/lookup/
# ---------------------------------------------------------------------------------------------------------------------


def test_lookup_finds_a_member_in_scope_by_id_number(api, team, household):
    """Given the son's ID number in a body, A1's team finds exactly him."""
    son = member_of(household, "03")

    response = api(team).post(LOOKUP, {"id_number": son.id_number}, format="json")

    assert response.status_code == 200
    assert [(m["id"], m["id_number"]) for m in response.json()] == [(son.pk, son.id_number)]


def test_lookup_does_not_return_members_outside_scope(api, team, users, tree, household):
    """Given a son who left A1 and is now active in the other county, A1's team finds only his A1 row."""
    son = member_of(household, "03")
    services.member_update(user=None, member=son, data={"left_on": date(2020, 1, 1), "left_reason": "moved_out"})
    elsewhere = b.make_household(village=tree[OTHER_VILLAGE], user=users["superuser"], members=[b.head(6), b.son(1)])

    found = api(team).post(LOOKUP, {"id_number": son.id_number}, format="json").json()
    found_by_superuser = api(users["superuser"]).post(LOOKUP, {"id_number": son.id_number}, format="json").json()

    assert [(m["id"], m["active"]) for m in found] == [(son.pk, False)]
    assert {m["household"] for m in found_by_superuser} == {household.pk, elsewhere.pk}


def test_lookup_of_a_member_of_another_county_returns_nothing(api, team, users, homes):
    """Given a member of the other county, A1's team gets an empty list (not 404, not the member)."""
    stranger = member_of(homes[OTHER_VILLAGE], "01")

    response = api(team).post(LOOKUP, {"id_number": stranger.id_number}, format="json")

    assert response.status_code == 200
    assert response.json() == []


def test_lookup_is_masked_for_the_inspector(api, users, household):
    """Given the inspector, the member found is shown with a masked ID number."""
    son = member_of(household, "03")

    response = api(users["inspector"]).post(LOOKUP, {"id_number": son.id_number}, format="json")

    assert [m["id_number"] for m in response.json()] == [masked_id(son.id_number)]


def test_lookup_never_takes_the_id_number_in_a_url(api, officer, household, client):
    """Given the look-up, GET with the number in a query string is 405; the schema has no such parameter anywhere
    and offers the look-up only as a POST with id_number in the body."""
    son = member_of(household, "03")

    response = api(officer).get(f"{LOOKUP}?id_number={son.id_number}")

    assert_error(response, 405, "method_not_allowed")
    schema = client.get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/members/lookup/"]
    assert set(operations) == {"post"}
    body = operations["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "id_number" in schema["components"]["schemas"][body]["properties"]
    in_urls = [
        (path, p["name"])
        for path, ops in schema["paths"].items()
        for op in ops.values()
        for p in op.get("parameters", [])
        if p["in"] in {"query", "path"} and "id_number" in p["name"]
    ]
    assert in_urls == []


def test_the_schema_describes_the_lookup_answer_as_the_list_it_is(client):
    """Given the OpenAPI schema, the look-up's 200 is an array of members and it takes no query parameters."""
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/members/lookup/"]["post"]

    assert operation["responses"]["200"]["content"]["application/json"]["schema"].get("type") == "array"
    assert [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"] == []


def test_lookup_without_an_id_number_is_400(api, officer, household):
    """Given an empty body, the look-up answers 400 on id_number."""
    body = assert_error(api(officer).post(LOOKUP, {}, format="json"), 400, "invalid")

    assert list(body["errors"]) == ["id_number"]


def test_api_client_gets_403_on_lookup(api, users, household):
    """Given an api_client, the look-up is 403."""
    response = api(users["api_client"]).post(LOOKUP, {"id_number": member_of(household, "03").id_number}, format="json")

    assert_error(response, 403, "permission_denied")


# ---------------------------------------------------------------------------------------------------------------------
# ETag and If-Match
# ---------------------------------------------------------------------------------------------------------------------


def test_household_etag_round_trip_and_a_stale_patch_is_412(api, officer, household):
    """Given a household read with its ETag, a PATCH with it succeeds; a second PATCH with the old ETag is 412."""
    client = api(officer)
    url = f"{HOUSEHOLDS}{household.pk}/"
    etag = client.get(url)["ETag"]
    assert etag == etag_of(1)

    updated = client.patch(url, {"address": "二组3号"}, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200, updated.content
    assert updated["ETag"] == etag_of(2)

    stale = client.patch(url, {"address": "三组"}, format="json", HTTP_IF_MATCH=etag)
    assert_error(stale, 412, "precondition_failed")
    assert Household.objects.get(pk=household.pk).address == "二组3号"


def test_a_stale_member_patch_is_412_and_changes_nothing(api, officer, household):
    """Given a member changed since it was read, a PATCH with the old ETag is 412 and the member is unchanged."""
    son = member_of(household, "03")
    client = api(officer)
    url = f"{MEMBERS}{son.pk}/"
    etag = client.get(url)["ETag"]
    Member.objects.filter(pk=son.pk).update(education="junior")  # someone else's change

    response = client.patch(url, {"name": "王军"}, format="json", HTTP_IF_MATCH=etag)

    assert_error(response, 412, "precondition_failed")
    son.refresh_from_db()
    assert (son.name, son.version) == ("王小军", 2)


def test_a_stale_annual_record_patch_is_412_and_changes_nothing(api, officer, household):
    """Given an annual record changed since it was read, a PATCH with the old ETag is 412, nothing changes."""
    record = record_for(household, 2017, wages=Decimal("9000"))
    client = api(officer)
    url = f"{RECORDS}{record.pk}/"
    etag = client.get(url)["ETag"]
    assert etag == etag_of(record.version)
    record_for(household, 2017, wages=Decimal("9100"))  # someone else's change

    response = client.patch(url, {"wages": "1.00"}, format="json", HTTP_IF_MATCH=etag)

    assert_error(response, 412, "precondition_failed")
    assert AnnualRecord.objects.get(pk=record.pk).wages == Decimal("9100.00")


def test_a_stale_delete_is_412_and_deletes_nothing(api, officer, household):
    """Given a stale If-Match, DELETE of a household is 412 and the household and its members stay."""
    before = b.counts()

    response = api(officer).delete(f"{HOUSEHOLDS}{household.pk}/", HTTP_IF_MATCH=etag_of(7))

    assert_error(response, 412, "precondition_failed")
    assert b.counts() == before


# ---------------------------------------------------------------------------------------------------------------------
# Households: PATCH and DELETE
# ---------------------------------------------------------------------------------------------------------------------


def test_patch_household_changes_its_facts_and_ignores_its_number_and_village(api, officer, household):
    """Given a PATCH of stars with a number and a village, stars change; number and village are read-only."""
    response = api(officer).patch(
        f"{HOUSEHOLDS}{household.pk}/", {"stars": 3, "number": "X", "village": VILLAGE_A2}, format="json"
    )

    assert response.status_code == 200, response.content
    stored = Household.objects.get(pk=household.pk)
    assert (stored.stars, stored.number, stored.village_id) == (3, household.number, VILLAGE_A1)
    assert response.json()["stars"] == 3


def test_the_patch_schema_of_a_household_does_not_offer_its_village(client):
    """Given the OpenAPI schema, the PATCH body of a household has no village (it never changes)."""
    schema = client.get("/api/schema/?format=json").json()
    ref = schema["paths"]["/api/v1/households/{id}/"]["patch"]["requestBody"]["content"]["application/json"]["schema"]

    assert "village" not in schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]["properties"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"other_causes": ["illness"]}, "other_causes"),
        ({"relocation_mode": "single_household"}, "relocation_mode"),
        ({"stars": 4}, "stars"),
        ({"main_cause": "bad_luck"}, "main_cause"),
    ],
    ids=["other cause equal to main", "relocation details without relocation", "stars 4", "unknown cause"],
)
def test_a_bad_household_patch_is_400_and_changes_nothing(api, team, household, payload, field):
    """Given a bad household PATCH, the answer is 400 on the field and the household is unchanged."""
    response = api(team).patch(f"{HOUSEHOLDS}{household.pk}/", payload, format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == [field]
    assert Household.objects.get(pk=household.pk).version == household.version


def test_delete_removes_a_household_that_never_entered_a_procedure(api, team, household):
    """Given a household entered by mistake (no procedure), DELETE answers 204 and it is gone with its members."""
    response = api(team).delete(f"{HOUSEHOLDS}{household.pk}/")

    assert response.status_code == 204
    assert not Household.objects.filter(pk=household.pk).exists()
    assert not Member.objects.filter(household_id=household.pk).exists()


def test_delete_of_a_household_with_a_benefit_is_409_and_deletes_nothing(api, officer, household, tree):
    """A household that never entered a procedure but received a benefit has a history: 409 naming it, not a 500."""
    give(make_program(tree), household)

    response = api(officer).delete(f"{HOUSEHOLDS}{household.pk}/")

    body = assert_error(response, 409, "conflict")
    assert "清退或销户" in body["detail"]
    assert Household.objects.filter(pk=household.pk).exists()


# ---------------------------------------------------------------------------------------------------------------------
# Members: add, leave, move
# ---------------------------------------------------------------------------------------------------------------------


def test_post_member_adds_one(api, team, household):
    """Given a daughter born into the household, POST members/ answers 201 with her id and an ETag."""
    payload = b.as_json(b.daughter(1, joined_on=date(2016, 1, 1), join_reason="birth"))

    response = api(team).post(f"{HOUSEHOLDS}{household.pk}/members/", payload, format="json")

    assert response.status_code == 201, response.content
    member = Member.objects.get(pk=response.json()["id"])
    assert (member.household_id, member.relation, member.join_reason) == (household.pk, "04", "birth")
    assert response["ETag"] == etag_of(member.version)


BAD_NEW_MEMBERS = {
    # name: (the new member, the answer's code, the field in error, that field's code)
    "bad check digit": (
        lambda: b.daughter(1, id_number=b.daughter(1)["id_number"][:17] + "0"),
        "invalid_id_number",
        "id_number",
        "invalid_id_number",
    ),
    "second head": (lambda: b.head(5), "invalid_household_composition", "members", "invalid_household_composition"),
    "already active": (lambda: b.son(1), "duplicate_id_number", "id_number", "duplicate_id_number"),
    "unknown labour": (lambda: b.daughter(1, labour="flying"), "invalid", "labour", "invalid_choice"),
}


@pytest.mark.parametrize("case", list(BAD_NEW_MEMBERS))
def test_a_bad_member_post_is_400_and_writes_nothing(api, team, household, case):
    """Given a bad new member, POST members/ is 400 with the field's code and no member is added."""
    new_member, code, field, field_code = BAD_NEW_MEMBERS[case]
    before = b.counts()

    response = api(team).post(f"{HOUSEHOLDS}{household.pk}/members/", b.as_json(new_member()), format="json")

    body = assert_error(response, 400, code)
    assert [e["code"] for e in body["errors"][field]] == [field_code]
    assert b.counts() == before


def test_leaving_through_patch_keeps_the_member_inactive(api, team, household):
    """Given a PATCH with left_on and left_reason, the member's row stays, inactive, with both recorded."""
    son = member_of(household, "03")

    response = api(team).patch(
        f"{MEMBERS}{son.pk}/", {"left_on": "2020-01-01", "left_reason": "moved_out"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["active"], body["left_on"], body["left_reason"]) == (False, "2020-01-01", "moved_out")
    assert response["ETag"] == etag_of(Member.objects.get(pk=son.pk).version)
    assert household.members.count() == 3


def test_a_head_leaving_through_patch_names_the_new_head(api, team, household):
    """Given the head dying with new_head = the spouse, she becomes relation 01."""
    head, wife = member_of(household, "01"), member_of(household, "02")

    response = api(team).patch(
        f"{MEMBERS}{head.pk}/",
        {"left_on": "2020-03-01", "left_reason": "deceased", "new_head": wife.pk},
        format="json",
    )

    assert response.status_code == 200, response.content
    wife.refresh_from_db()
    assert wife.relation == "01"
    assert household.members.active().count() == 2


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"left_on": "2020-03-01", "left_reason": "deceased"}, "invalid_household_composition", "members"),
        ({"left_on": "2020-03-01"}, "invalid", "left_reason"),
        ({"left_on": "2999-01-01", "left_reason": "deceased"}, "invalid", "left_on"),
        ({"sex": "female"}, "invalid_id_number", "sex"),
    ],
    ids=["head leaves without new head", "no left reason", "left in the future", "sex against the ID"],
)
def test_a_bad_member_patch_is_400_and_changes_nothing(api, team, household, payload, code, field):
    """Given a bad PATCH of the head, the answer is 400 with the code on the field and the head is unchanged."""
    head = member_of(household, "01")

    response = api(team).patch(f"{MEMBERS}{head.pk}/", payload, format="json")

    body = assert_error(response, 400, code)
    assert field in body["errors"]
    assert Member.objects.get(pk=head.pk).version == head.version


def test_the_inspector_gets_403_on_member_writes(api, users, household):
    """Given the inspector, PATCH of a member and POST of a move are 403 and nothing changes."""
    son = member_of(household, "03")
    client = api(users["inspector"])
    before = b.counts()

    assert_error(client.patch(f"{MEMBERS}{son.pk}/", {"name": "x"}, format="json"), 403, "permission_denied")
    assert_error(
        client.post(f"{MEMBERS}{son.pk}/move/", {"household": household.pk, "relation": "03", "date": "2021-01-01"}),
        403,
        "permission_denied",
    )
    assert b.counts() == before
    assert Member.objects.get(pk=son.pk).version == son.version


def test_move_ends_the_old_membership_and_answers_the_new_one(api, officer, homes):
    """Given the son of A1 moving to A2's household, POST move/ answers 201 with the new row in the target."""
    household, target = homes[VILLAGE_A1], homes[VILLAGE_A2]
    son = member_of(household, "03")

    response = api(officer).post(
        f"{MEMBERS}{son.pk}/move/", {"household": target.pk, "relation": "99", "date": "2021-05-10"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["household"], body["relation"], body["joined_on"], body["join_reason"], body["active"]) == (
        target.pk,
        "99",
        "2021-05-10",
        "moved_in",
        True,
    )
    assert body["id_number"] == son.id_number
    son.refresh_from_db()
    assert (son.left_on, son.left_reason) == (date(2021, 5, 10), "moved_out")
    assert Member.objects.active().filter(id_number=son.id_number).get().pk == body["id"]


@pytest.mark.parametrize(
    ("relation", "to", "field", "code"),
    [
        ("01", VILLAGE_A1, "member", "invalid_household_composition"),
        ("03", "self", "household", "invalid"),
    ],
    ids=["the head of a household with others", "to the same household"],
)
def test_a_refused_move_is_400_and_writes_nothing(api, officer, homes, relation, to, field, code):
    """Given a move of the head (others remain) or to the member's own household, 400 and nothing written."""
    household = homes[VILLAGE_A1]
    target = household if to == "self" else homes[VILLAGE_A2]
    member = member_of(household, relation)
    before = b.counts()

    response = api(officer).post(
        f"{MEMBERS}{member.pk}/move/", {"household": target.pk, "relation": "99", "date": "2021-05-10"}, format="json"
    )

    body = assert_error(response, 400, code)
    assert list(body["errors"]) == [field]
    assert b.counts() == before
    assert Member.objects.get(pk=member.pk).active


def test_a_move_into_a_household_outside_the_edit_scope_is_400_and_writes_nothing(api, team, homes):
    """Given A1's team moving its son into A2's household, the answer is 400 on household and nothing is written."""
    son = member_of(homes[VILLAGE_A1], "03")
    before = b.counts()

    response = api(team).post(
        f"{MEMBERS}{son.pk}/move/",
        {"household": homes[VILLAGE_A2].pk, "relation": "99", "date": "2021-05-10"},
        format="json",
    )

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["household"]
    assert b.counts() == before


def test_a_move_target_outside_scope_is_answered_like_one_that_does_not_exist(api, team, homes):
    """Given A1's team, moving into the other county's household and into a missing household answer alike."""
    son = member_of(homes[VILLAGE_A1], "03")
    client = api(team)
    missing = Household.objects.order_by("-pk").first().pk + 1000

    def answer(target):
        response = client.post(
            f"{MEMBERS}{son.pk}/move/", {"household": target, "relation": "99", "date": "2021-05-10"}, format="json"
        )
        return response.status_code, [e["code"] for e in response.json()["errors"]["household"]]

    assert answer(homes[OTHER_VILLAGE].pk) == answer(missing)


def test_a_move_with_a_bad_body_is_400_and_writes_nothing(api, officer, homes):
    """Given a move without a date and with an unknown relation, the answer is 400 on both; nothing written."""
    son = member_of(homes[VILLAGE_A1], "03")
    before = b.counts()

    response = api(officer).post(
        f"{MEMBERS}{son.pk}/move/", {"household": homes[VILLAGE_A2].pk, "relation": "77"}, format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert set(body["errors"]) == {"relation", "date"}
    assert b.counts() == before


# ---------------------------------------------------------------------------------------------------------------------
# Annual records
# ---------------------------------------------------------------------------------------------------------------------


def test_post_annual_record_is_201_when_new_and_200_when_the_year_exists(api, team, household):
    """Given no 2017 record, the first POST creates it (201); a second POST for 2017 updates the same row (200)."""
    client = api(team)
    url = f"{HOUSEHOLDS}{household.pk}/annual-records/"

    first = client.post(url, {"year": 2017, "wages": "9000.00", "dibao": "1200.00"}, format="json")
    second = client.post(url, {"year": 2017, "wages": "6000.00"}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert AnnualRecord.objects.filter(household=household).count() == 1
    body = second.json()
    assert (body["wages"], body["dibao"], body["transfer_income"], body["net_income"]) == (
        "6000.00",
        "1200.00",
        "1200.00",
        "7200.00",
    )
    assert (body["members_counted"], body["per_capita_income"]) == (3, "2400.00")


def test_patch_annual_record_recomputes_and_ignores_read_only_fields(api, team, household):
    """Given a PATCH of wages with made-up derived values and another year, the derived values are recomputed,
    the made-up ones and the year are ignored (not refused)."""
    record = record_for(household, 2017, wages=Decimal("9000"))

    response = api(team).patch(
        f"{RECORDS}{record.pk}/",
        {"wages": "12000.00", "net_income": "1.00", "per_capita_income": "1.00", "members_counted": 9, "year": 2019},
        format="json",
    )

    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert (record.year, record.wages, record.net_income, record.members_counted, record.per_capita_income) == (
        2017,
        Decimal("12000.00"),
        Decimal("12000.00"),
        3,
        Decimal("4000.00"),
    )
    assert response.json()["per_capita_income"] == "4000.00"
    assert response["ETag"] == etag_of(record.version)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"year": 2017, "wages": "-1.00"}, "wages"),
        ({"year": 2012}, "year"),
        ({"wages": "100.00"}, "year"),
        ({"year": 2017, "housing_grade": "E"}, "housing_grade"),
    ],
    ids=["negative wages", "year before 2013", "no year", "unknown housing grade"],
)
def test_a_bad_annual_record_post_is_400_and_writes_nothing(api, team, household, payload, field):
    """Given a bad annual record, POST is 400 on the field and no record is written."""
    before = b.counts()

    response = api(team).post(f"{HOUSEHOLDS}{household.pk}/annual-records/", payload, format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == [field]
    assert b.counts() == before


def test_a_bad_annual_record_patch_is_400_and_changes_nothing(api, team, household):
    """Given a PATCH with a renovation two years after the record's year, 400 on renovation_year, nothing changes."""
    record = record_for(household, 2017, wages=Decimal("9000"))

    response = api(team).patch(f"{RECORDS}{record.pk}/", {"housing_grade": "C", "renovation_year": 2019}, format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["renovation_year"]
    assert AnnualRecord.objects.get(pk=record.pk).version == record.version


def test_the_inspector_gets_403_on_annual_record_writes(api, users, household):
    """Given the inspector, POST and PATCH of annual records are 403 and nothing is written."""
    record = record_for(household, 2017, wages=Decimal("9000"))
    client = api(users["inspector"])
    before = b.counts()

    assert_error(
        client.post(f"{HOUSEHOLDS}{household.pk}/annual-records/", {"year": 2018}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(client.patch(f"{RECORDS}{record.pk}/", {"wages": "1.00"}, format="json"), 403, "permission_denied")
    assert b.counts() == before
    assert AnnualRecord.objects.get(pk=record.pk).version == record.version


# ---------------------------------------------------------------------------------------------------------------------
# Policy standards
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*READERS, "api_client"])
def test_every_role_reads_the_standards(api, users, role):
    """Given any role, GET standards/?year=2017 answers the nationwide 2017 row (poverty line 3335.00)."""
    response = api(users[role]).get(f"{STANDARDS}?year=2017")

    assert response.status_code == 200
    assert [(s["year"], s["region"], s["poverty_line"]) for s in response.json()] == [(2017, None, "3335.00")]


def test_the_county_officer_adds_a_standard_for_its_county(api, officer, tree):
    """Given the county officer, POST of a 2017 standard for its county answers 201 and stores it."""
    response = api(officer).post(STANDARDS, {"year": 2017, "region": COUNTY, "poverty_line": "3400.00"}, format="json")

    assert response.status_code == 201, response.content
    assert PolicyStandard.objects.get(year=2017, region_id=COUNTY).poverty_line == Decimal("3400.00")


@pytest.mark.parametrize("region", [OTHER_COUNTY, None], ids=["another county", "nationwide"])
def test_the_county_officer_cannot_add_a_standard_outside_its_county(api, officer, tree, region):
    """Given the county officer, a standard for another county or a nationwide one is 400 on region, not stored."""
    before = PolicyStandard.objects.count()

    response = api(officer).post(STANDARDS, {"year": 2030, "region": region, "poverty_line": "5000.00"}, format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["region"]
    assert PolicyStandard.objects.count() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"year": 2017, "region": COUNTY, "poverty_line": "-1.00"},
        {"year": 2017, "region": COUNTY, "notice_days": 0},
        {"region": COUNTY, "poverty_line": "3400.00"},
    ],
    ids=["negative poverty line", "no notice days", "no year"],
)
def test_a_bad_standard_post_is_400_and_writes_nothing(api, officer, tree, payload):
    """Given a bad standard, POST is 400 and no standard is written."""
    before = PolicyStandard.objects.count()

    assert_error(api(officer).post(STANDARDS, payload, format="json"), 400, "invalid")

    assert PolicyStandard.objects.count() == before


def test_a_second_standard_for_the_same_year_and_region_is_400(api, officer, tree):
    """Given a 2017 county standard, posting another for 2017 and the county is 400 and writes nothing."""
    client = api(officer)
    client.post(STANDARDS, {"year": 2017, "region": COUNTY, "poverty_line": "3400.00"}, format="json")
    before = PolicyStandard.objects.count()

    response = client.post(STANDARDS, {"year": 2017, "region": COUNTY, "poverty_line": "3500.00"}, format="json")

    assert_error(response, 400, "invalid")
    assert PolicyStandard.objects.count() == before
    assert PolicyStandard.objects.get(year=2017, region_id=COUNTY).poverty_line == Decimal("3400.00")


def test_the_inspector_gets_403_on_posting_a_standard(api, users, tree):
    """Given the inspector, POST standards/ is 403 and writes nothing."""
    before = PolicyStandard.objects.count()

    response = api(users["inspector"]).post(
        STANDARDS, {"year": 2017, "region": COUNTY, "poverty_line": "3400.00"}, format="json"
    )

    assert_error(response, 403, "permission_denied")
    assert PolicyStandard.objects.count() == before


def test_the_county_officer_cannot_patch_a_nationwide_standard(api, officer):
    """Given the nationwide 2017 row, a county officer's PATCH is 403 and the poverty line stays 3335.00."""
    national = PolicyStandard.objects.get(year=2017, region__isnull=True)

    response = api(officer).patch(f"{STANDARDS}{national.pk}/", {"poverty_line": "1.00"}, format="json")

    assert_error(response, 403, "permission_denied")
    assert PolicyStandard.objects.get(pk=national.pk).poverty_line == Decimal("3335.00")


def test_the_county_officer_patches_its_county_standard_but_not_its_region(api, officer, tree):
    """Given a county standard, the officer changes its poverty line; changing its region is 400 and changes nothing."""
    standard = services.policy_standard_save(
        user=officer, year=2017, region=tree[COUNTY], data={"poverty_line": Decimal("3400")}
    )
    client = api(officer)

    changed = client.patch(f"{STANDARDS}{standard.pk}/", {"poverty_line": "3450.00"}, format="json")
    moved = client.patch(f"{STANDARDS}{standard.pk}/", {"region": TOWN_A}, format="json")

    assert changed.status_code == 200, changed.content
    body = assert_error(moved, 400, "invalid")
    assert list(body["errors"]) == ["region"]
    standard.refresh_from_db()
    assert (standard.region_id, standard.poverty_line) == (COUNTY, Decimal("3450.00"))


# ---------------------------------------------------------------------------------------------------------------------
# Filters and pagination
# ---------------------------------------------------------------------------------------------------------------------


def listed_villages(client, query: str) -> set[str]:
    response = client.get(f"{HOUSEHOLDS}?{query}")
    assert response.status_code == 200, response.content
    return {row["village"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        (COUNTY, {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1}),
        (TOWN_A, {VILLAGE_A1, VILLAGE_A2}),
        (VILLAGE_B1, {VILLAGE_B1}),
        (OTHER_COUNTY, set()),
    ],
)
def test_the_region_filter_keeps_the_households_of_that_subtree(api, officer, homes, region, expected):
    """Given households in four villages, ?region= keeps those in the region's subtree (within scope)."""
    assert listed_villages(api(officer), f"region={region}") == expected


@pytest.mark.parametrize("region", ["12345", "220821", "220800100000", "2208211002011", "%2500", "%25s"])
def test_a_bad_region_code_is_400_on_region(api, officer, homes, region):
    """Given a region that is not a 12-digit code of a level, the list answers 400 with the error on region."""
    body = assert_error(api(officer).get(f"{HOUSEHOLDS}?region={region}"), 400, "invalid")

    assert list(body["errors"]) == ["region"]


@pytest.fixture
def varied(tree, users):
    """Three households in A1 that differ in attribute, main cause, stars and head name."""

    def make(members, **fields):
        return b.make_household(
            village=tree[VILLAGE_A1], user=users["superuser"], members=members, other_causes=[], **fields
        )

    female_head = b.member(name="张桂芝", sex="female", birth_date=b.HEAD_BIRTH, relation="01", sequence=3)
    return [
        make(b.family(1), attribute="general", main_cause="illness", stars=1),
        make([b.head(2, name="刘德福"), b.spouse(2)], attribute="dibao", main_cause="disability", stars=2),
        make([female_head], attribute="tekun", main_cause="lack_labour", stars=3),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("attribute=dibao", [1]),
        ("main_cause=lack_labour", [2]),
        ("stars=1", [0]),
        ("stars=3&attribute=tekun", [2]),
        (f"q={VILLAGE_A1}0002", [1]),
        (f"q={VILLAGE_A1}000", [0, 1, 2]),
        ("q=刘德", [1]),
        ("q=桂芝", [2]),
        ("q=nobody", []),
    ],
)
def test_household_filters(api, team, varied, query, expected):
    """Given three households, attribute, main_cause, stars and q (number prefix or head name) select them."""
    response = api(team).get(f"{HOUSEHOLDS}?{query}")

    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [varied[i].pk for i in expected]


@pytest.mark.parametrize("query", ["attribute=rich", "main_cause=bad_luck", "stars=4"])
def test_a_bad_filter_value_is_400_on_that_filter(api, team, varied, query):
    """Given a value outside a coded list, the list answers 400 with the error on that filter."""
    body = assert_error(api(team).get(f"{HOUSEHOLDS}?{query}"), 400, "invalid")

    assert list(body["errors"]) == [query.split("=")[0]]


def test_the_household_list_is_cursor_paginated(api, team, varied):
    """Given three households and pages of two, the list gives a cursor `next` link that leads to the third."""
    client = api(team)

    first = client.get(f"{HOUSEHOLDS}?page_size=2").json()
    second = client.get(first["next"]).json()

    assert "cursor=" in first["next"]
    assert "count" not in first
    assert [row["number"] for row in first["results"] + second["results"]] == [h.number for h in varied]
    assert second["next"] is None


# ---------------------------------------------------------------------------------------------------------------------
# Pinned query counts
# ---------------------------------------------------------------------------------------------------------------------


def households_with_accounts(tree, superuser, how_many: int) -> list[Household]:
    return [
        b.make_household(
            village=tree[VILLAGE_A1], user=superuser, members=b.family(n), bank_account=f"62284804025648{n:05d}"
        )
        for n in range(1, how_many + 1)
    ]


@pytest.mark.parametrize("how_many", [3, 10])
def test_list_query_count_is_pinned_and_does_not_grow(api, officer, users, tree, how_many, django_assert_num_queries):
    """Given 3 or 10 households, the list costs the same four queries."""
    households_with_accounts(tree, users["superuser"], how_many)
    client = api(officer)
    client.get(HOUSEHOLDS)  # warm up

    # token + user, role grants, households with head name and member count (two correlated subqueries, one query),
    # the personal-data log (one INSERT for the bank accounts shown)
    with django_assert_num_queries(4):
        response = client.get(HOUSEHOLDS)
    assert len(response.json()["results"]) == how_many


@pytest.mark.parametrize("how_many", [3, 10])
def test_detail_query_count_is_pinned(api, officer, users, tree, how_many, django_assert_num_queries):
    """Given a household of `how_many` members, its detail costs five queries."""
    grandsons = [
        b.member(name=f"孙{n}", sex="male", birth_date=date(2000 + n, 1, 1), relation="07", sequence=1)
        for n in range(how_many - 1)
    ]
    members = [b.head(1), *grandsons]
    household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=members)
    client = api(officer)

    # token + user, role grants, household with its village, its members (prefetch), the personal-data log
    with django_assert_num_queries(5):
        response = client.get(f"{HOUSEHOLDS}{household.pk}/")
    assert len(response.json()["members"]) == how_many


def test_members_list_query_count_is_pinned(api, officer, household, django_assert_num_queries):
    """Given a household, GET members/ costs five queries."""
    client = api(officer)

    # token + user, role grants, household, members, the personal-data log
    with django_assert_num_queries(5):
        assert client.get(f"{HOUSEHOLDS}{household.pk}/members/").status_code == 200


def test_annual_records_list_query_count_is_pinned(api, officer, household, django_assert_num_queries):
    """Given a household with three annual records, GET annual-records/ costs four queries."""
    for year in (2017, 2018, 2019):
        record_for(household, year, wages=Decimal("9000"))
    client = api(officer)

    # token + user, role grants, household, annual records
    with django_assert_num_queries(4):
        response = client.get(f"{HOUSEHOLDS}{household.pk}/annual-records/")
    assert [r["year"] for r in response.json()] == [2017, 2018, 2019]


def test_member_detail_query_count_is_pinned(api, officer, household, django_assert_num_queries):
    """Given a member, GET members/{id}/ costs four queries."""
    client = api(officer)
    url = f"{MEMBERS}{member_of(household, '03').pk}/"

    # token + user, role grants, member with its household, the personal-data log
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_lookup_query_count_is_pinned(api, officer, household, django_assert_num_queries):
    """Given an ID number, the look-up costs four queries."""
    client = api(officer)
    number = member_of(household, "03").id_number

    # token + user, role grants, matching members with their households, the personal-data log
    with django_assert_num_queries(4):
        assert len(client.post(LOOKUP, {"id_number": number}, format="json").json()) == 1


@pytest.mark.parametrize("edits", [1, 5])
def test_history_query_count_is_pinned(api, officer, household, edits, django_assert_num_queries):
    """Given a household edited 1 or 5 times through the API, its history costs six queries."""
    client = api(officer)
    for n in range(edits):
        client.patch(f"{HOUSEHOLDS}{household.pk}/", {"address": f"{n}组"}, format="json")

    # token + user, role grants, household, all events (one union over the event tables), the editors' user
    # names, procedure steps, status changes, the personal-data log
    with django_assert_num_queries(8):
        response = client.get(f"{HOUSEHOLDS}{household.pk}/history/")
    assert len([e for e in response.json() if e["action"] == "update"]) == edits


def test_standards_list_query_count_is_pinned(api, officer, django_assert_num_queries):
    """Given the nationwide rows, GET standards/ costs three queries."""
    client = api(officer)

    # token + user, role grants, standards
    with django_assert_num_queries(3):
        assert client.get(STANDARDS).status_code == 200


# ---------------------------------------------------------------------------------------------------------------------
# History through the API
# ---------------------------------------------------------------------------------------------------------------------


def test_history_shows_who_changed_what_through_the_api(api, team, household):
    """Given A1's team changing the address, the household's history has that update with the user and request."""
    response = api(team).patch(f"{HOUSEHOLDS}{household.pk}/", {"address": "五组8号"}, format="json")

    history = api(team).get(f"{HOUSEHOLDS}{household.pk}/history/").json()

    [update] = [e for e in history if e["action"] == "update" and e["object_type"] == "household"]
    assert (update["user"], update["request_id"]) == ("team", response["X-Request-ID"])
    assert update["changes"] == {"address": ["一组12号", "五组8号"]}
    inserted = {(e["object_type"], e["object_id"]) for e in history if e["action"] == "insert"}
    assert inserted == {("household", str(household.pk))} | {
        ("member", str(pk)) for pk in household.members.values_list("pk", flat=True)
    }


def test_a_cursor_that_is_not_ours_is_400_naming_it(api, team, household):
    """A made-up ?cursor= is bad input (400 `invalid` under `cursor`), not a missing object."""
    response = api(team).get(HOUSEHOLDS, {"cursor": "labour"})

    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["cursor"]
