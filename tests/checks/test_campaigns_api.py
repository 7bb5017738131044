"""The campaigns API under /api/v1/campaigns/: create, edit while draft, assign, rotation, samples, verifications,
report and close; scope (404 outside it), roles (403), bad input (400, nothing written) and pinned query counts."""

from datetime import date

import pytest
from django.utils import translation

from checks import campaigns as services
from checks.choices import FindingStatus
from checks.findings import finding_resolve
from checks.models import Campaign, CampaignAssignment, CampaignSample, Finding, Verification
from tests.assertions import assert_error
from tests.checks import campaign_builders as cb
from tests.conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns/"
START, END = "2017-10-09", "2017-11-30"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def url(campaign, action="") -> str:
    return f"{CAMPAIGNS}{campaign.pk}/{action + '/' if action else ''}"


def payload(**overrides) -> dict:
    return {
        "name": "2017年交叉互检", "kind": "cross_check", "year": 2017, "region": COUNTY, "sample_rate": "1",
        "starts_on": START, "ends_on": END, "seed": 7, **overrides,
    }  # fmt: skip


def written() -> dict:
    return {
        "campaigns": list(Campaign.objects.order_by("id").values_list("id", "name", "state", "version")),
        "assignments": CampaignAssignment.objects.count(),
        "samples": CampaignSample.objects.count(),
        "verifications": Verification.objects.count(),
        "findings": Finding.objects.count(),
    }


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def members(tree):
    return {code: cb.team_user(f"sec{code[-4:]}", code) for code in (VILLAGE_A1, VILLAGE_A2, VILLAGE_B1)}


@pytest.fixture
def teams(tree, members):
    return {code: cb.make_team(code, user=user) for code, user in members.items()}


@pytest.fixture
def homes(tree, users):
    """A1 3 poor, 2 exited, 1 never registered; A2 2 poor, 1 exited; B1 2 poor, 1 exited."""
    superuser = users["superuser"]
    return {
        VILLAGE_A1: cb.make_households(tree[VILLAGE_A1], ["poor"] * 3 + ["exited"] * 2 + [""], user=superuser),
        VILLAGE_A2: cb.make_households(tree[VILLAGE_A2], ["poor", "poor", "exited"], user=superuser),
        VILLAGE_B1: cb.make_households(tree[VILLAGE_B1], ["poor", "poor", "exited"], user=superuser),
    }


@pytest.fixture
def draft(officer, tree):
    return services.campaign_create(
        user=officer, name="2017年交叉互检", kind="cross_check", year=2017, region=tree[COUNTY],
        sample_rate=1, starts_on=date(2017, 10, 9), ends_on=date(2017, 11, 30), seed=7,
    )  # fmt: skip


@pytest.fixture
def campaign(draft, officer, teams, homes):
    services.campaign_assign(user=officer, campaign=draft)
    return Campaign.objects.get(pk=draft.pk)


def checker(campaign, village, members):
    team_village = CampaignAssignment.objects.get(campaign=campaign, village_id=village).team.village_id
    return members[team_village]


def sample(campaign, household) -> CampaignSample:
    return CampaignSample.objects.get(campaign=campaign, household=household)


def verification_body(campaign, household, **overrides) -> dict:
    return {"sample": sample(campaign, household).pk, "verified_on": "2017-10-20", "accurate": True, "approves": True,
            **overrides}  # fmt: skip


# Create, read, edit -----------------------------------------------------------------------------------------------------


def test_county_officer_creates_a_campaign(api, officer, tree):
    """POST campaigns/ by the county office: 201 with the draft campaign and its ETag."""
    response = api(officer).post(CAMPAIGNS, payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    campaign = Campaign.objects.get()
    assert (body["id"], body["state"], body["region"], body["sample_rate"], body["seed"]) == (
        campaign.pk, "draft", COUNTY, "1.0000", 7,
    )  # fmt: skip
    assert body["created_by"] == officer.username
    assert response["ETag"] == f'"{campaign.version}"'


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sample_rate": "0"}, "sample_rate"),
        ({"sample_rate": "1.5"}, "sample_rate"),
        ({"sample_rate": "0.12345"}, "sample_rate"),
        ({"ends_on": "2017-10-01"}, "ends_on"),
        ({"kind": "audit"}, "kind"),
        ({"region": VILLAGE_A1}, "region"),
        ({"region": OTHER_COUNTY}, "region"),
        ({"year": 1999}, "year"),
        ({"name": ""}, "name"),
        ({"seed": -1}, "seed"),
        ({"starts_on": "2017-13-01"}, "starts_on"),
    ],
)
def test_bad_campaign_input_is_400_and_writes_nothing(api, officer, tree, changes, field):
    """A rate outside (0, 1] or with five places, a period ending before it starts, an unknown kind, a village or a
    region outside the officer's county, a year out of range, no name, a negative seed, a bad date: 400 on the
    field, nothing written."""
    response = api(officer).post(CAMPAIGNS, payload(**changes), format="json")

    body = assert_error(response, 400, "invalid")
    assert field in body["errors"]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("role", ["village_team", "township_reviewer", "inspector"])
def test_roles_without_county_administration_cannot_create(api, users, tree, role):
    """Creating a campaign is the county office's: other roles get 403 and nothing is written."""
    response = api(users[role]).post(CAMPAIGNS, payload(region=TOWN_A), format="json")

    assert_error(response, 403, "permission_denied")
    assert not Campaign.objects.exists()


def test_api_client_cannot_read_campaigns(api, users, draft):
    """An API client reads figures, not the register: campaigns are 403."""
    assert_error(api(users["api_client"]).get(CAMPAIGNS), 403, "permission_denied")


def test_list_shows_campaigns_in_scope_with_a_pinned_query_count(api, users, officer, tree, django_assert_num_queries):
    """The inspector of the county lists its campaigns; the same number of queries for 1 and 3 rows."""
    client = api(users["inspector"])

    def create(n):
        for i in range(n):
            services.campaign_create(
                user=officer, name=f"核查{i}", kind="look_back", year=2017, region=tree[COUNTY], sample_rate=1,
                starts_on=date(2017, 10, 9), ends_on=date(2017, 11, 30), seed=i,
            )  # fmt: skip

    create(1)
    with django_assert_num_queries(3):  # token, grants, page (a cursor: no count)
        assert len(client.get(CAMPAIGNS).json()["results"]) == 1
    create(2)
    with django_assert_num_queries(3):
        assert len(client.get(CAMPAIGNS).json()["results"]) == 3


def test_a_campaign_outside_the_scope_is_404(api, draft):
    """The office of another county does not see the campaign (404, not 403)."""
    other = UserFactory(username="other_county", grants=[("county_officer", OTHER_COUNTY)])
    client = api(other)

    assert_error(client.get(url(draft)), 404, "not_found")
    assert_error(client.get(url(draft, "report")), 404, "not_found")
    assert_error(client.post(url(draft, "assign")), 404, "not_found")
    assert client.get(CAMPAIGNS).json()["results"] == []


def test_list_filters_by_kind_and_state(api, officer, draft):
    """?kind= and ?state= narrow the list."""
    client = api(officer)
    assert [c["id"] for c in client.get(CAMPAIGNS, {"kind": "cross_check"}).json()["results"]] == [draft.pk]
    assert client.get(CAMPAIGNS, {"state": "closed"}).json()["results"] == []


def test_patch_renames_a_draft_and_moves_its_period(api, officer, draft):
    """PATCH name and period while draft: 200 with the new values and a new ETag."""
    response = api(officer).patch(url(draft), {"name": "2017年核查回头看", "ends_on": "2017-12-15"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["ends_on"]) == ("2017年核查回头看", "2017-12-15")
    assert response["ETag"] == f'"{Campaign.objects.get().version}"'


def test_patch_with_a_stale_etag_is_412(api, officer, draft):
    """If-Match with an old version: 412, nothing written."""
    before = written()
    response = api(officer).patch(url(draft), {"name": "改"}, format="json", HTTP_IF_MATCH='"999"')

    assert_error(response, 412, "precondition_failed")
    assert written() == before


@pytest.mark.parametrize(("changes", "field"), [({"kind": "third_party"}, "kind"), ({"ends_on": "2017-01-01"}, "ends_on"),
                                                ({"seed": 3}, "seed")])  # fmt: skip
def test_patch_with_bad_input_is_400_and_writes_nothing(api, officer, draft, changes, field):
    """Fields fixed at creation, or a period ending before it starts: 400, nothing written."""
    before = written()

    body = assert_error(api(officer).patch(url(draft), changes, format="json"), 400, "invalid")

    assert field in body["errors"]
    assert written() == before


def test_patch_after_assignment_is_409(api, officer, campaign):
    """Once assigned, name and period are fixed."""
    before = written()

    assert_error(api(officer).patch(url(campaign), {"name": "改"}, format="json"), 409, "transition_not_allowed")
    assert written() == before


# Assign and the rotation ---------------------------------------------------------------------------------------------------


def test_assign_through_the_api(api, officer, draft, teams, homes):
    """POST assign: 200 with the campaign assigned and the counts: 3 villages, every household of each group."""
    response = api(officer).post(url(draft, "assign"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["campaign"]["state"] == "assigned"
    assert body["assignments"] == 3
    assert body["samples"] == {"poor": 7, "exited": 4, "non_registered": 1}


def test_assign_a_region_that_cannot_rotate_is_409_and_writes_nothing(api, officer, draft, homes):
    """Only A1 has a team: 409 cannot_rotate, nothing written."""
    cb.make_team(VILLAGE_A1)
    before = written()

    assert_error(api(officer).post(url(draft, "assign")), 409, "cannot_rotate")
    assert written() == before


def test_reassign_is_409(api, officer, campaign):
    before = written()
    assert_error(api(officer).post(url(campaign, "assign")), 409, "transition_not_allowed")
    assert written() == before


def test_an_inspector_cannot_assign(api, users, draft, teams):
    """Reading is not administering: 403, nothing written."""
    before = written()
    assert_error(api(users["inspector"]).post(url(draft, "assign")), 403, "permission_denied")
    assert written() == before


def test_assignments_list_each_village_and_its_team(api, users, campaign, django_assert_num_queries):
    """GET assignments: one row per village with the team's village and unit, never the village's own team."""
    client = api(users["inspector"])

    with django_assert_num_queries(4):  # token, grants, campaign, page (a cursor: no count)
        rows = client.get(url(campaign, "assignments")).json()["results"]

    assert [row["village"] for row in rows] == [VILLAGE_A1, VILLAGE_A2, VILLAGE_B1]
    assert all(row["team"]["village"] != row["village"] for row in rows)


# Samples: the team's households --------------------------------------------------------------------------------------------


def test_a_team_member_sees_the_samples_of_the_village_assigned_to_the_team(api, campaign, members, homes):
    """The secretary checking A1 sees A1's samples (number, head, group, not verified) though A1 is outside the
    grants; nothing of the other villages."""
    user = checker(campaign, VILLAGE_A1, members)

    response = api(user).get(url(campaign, "samples"))

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert {row["village"] for row in rows} == {VILLAGE_A1}
    assert sorted(row["household_number"] for row in rows) == sorted(h.number for h in homes[VILLAGE_A1])
    assert {row["head_name"] for row in rows} == {"王建国"}
    assert {row["verified"] for row in rows} == {False}
    assert response["Cache-Control"] == "no-store"


def test_a_team_member_sees_the_campaign_but_not_the_report(api, campaign, members):
    """A member of an assigned team reads the campaign and its rotation; the county report is not theirs (403)."""
    client = api(checker(campaign, VILLAGE_A1, members))

    assert client.get(url(campaign)).status_code == 200
    assert client.get(url(campaign, "assignments")).status_code == 200
    assert_error(client.get(url(campaign, "report")), 403, "permission_denied")


def test_a_village_team_not_in_the_campaign_does_not_see_it(api, users, campaign):
    """A village team user without a cadre in an assigned team: the county campaign is not in scope (404)."""
    assert_error(api(users["village_team"]).get(url(campaign)), 404, "not_found")


def test_samples_filter_by_village_with_a_pinned_query_count(api, officer, campaign, django_assert_num_queries):
    """?village= narrows to one village; the count of queries does not depend on the rows."""
    client = api(officer)

    with django_assert_num_queries(4):  # token, grants, campaign, page (a cursor: no count) (head names in a subquery)
        rows = client.get(url(campaign, "samples"), {"village": VILLAGE_B1}).json()["results"]
    assert len(rows) == 3 and {row["village"] for row in rows} == {VILLAGE_B1}
    with django_assert_num_queries(4):
        rows = client.get(url(campaign, "samples"), {"village": VILLAGE_A1}).json()["results"]
    assert len(rows) == 6


def test_samples_with_a_bad_village_code_are_400(api, officer, campaign):
    body = assert_error(api(officer).get(url(campaign, "samples"), {"village": "2208"}), 400, "invalid")
    assert "village" in body["errors"]


# Verifications -------------------------------------------------------------------------------------------------------------


def test_the_assigned_team_records_a_verification(api, campaign, members, homes):
    """POST verifications by the secretary checking A2: 201 with the verification, no finding."""
    household = homes[VILLAGE_A2][0]
    user = checker(campaign, VILLAGE_A2, members)

    response = api(user).post(url(campaign, "verifications"), verification_body(campaign, household), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["household"], body["household_number"], body["accurate"], body["approves"], body["findings"]) == (
        household.pk, household.number, True, True, [],
    )  # fmt: skip
    assert body["recorded_by"] == user.username


def test_a_discrepancy_through_the_api_opens_a_finding_for_the_home_village(api, campaign, members, homes):
    """A missed household (漏评) found in A1: 201 with the finding's id; the finding is for A1, VER-MISSED."""
    household = homes[VILLAGE_A1][5]  # never registered
    body = verification_body(campaign, household, accurate=False, discrepancies=["missed"], note="因病致贫，未申请")

    response = api(checker(campaign, VILLAGE_A1, members)).post(url(campaign, "verifications"), body, format="json")

    assert response.status_code == 201, response.content
    [finding_id] = response.json()["findings"]
    finding = Finding.objects.get(pk=finding_id)
    assert (finding.rule, finding.village_id, finding.household_id) == ("VER-MISSED", VILLAGE_A1, household.pk)


def test_a_user_not_in_the_assigned_team_is_403_and_nothing_is_written(api, campaign, members, homes, officer):
    """A1's own team and the county office (not a team member) are refused 403 not_assigned_team."""
    body = verification_body(campaign, homes[VILLAGE_A1][0])
    before = written()

    assert_error(api(members[VILLAGE_A1]).post(url(campaign, "verifications"), body, format="json"), 403,
                 "not_assigned_team")  # fmt: skip
    assert_error(api(officer).post(url(campaign, "verifications"), body, format="json"), 403, "not_assigned_team")
    assert written() == before


def test_an_inspector_cannot_record_verifications(api, users, campaign, homes):
    """Recording needs RECORD_ACTIVITY: the inspector gets 403 permission_denied."""
    body = verification_body(campaign, homes[VILLAGE_A1][0])
    assert_error(api(users["inspector"]).post(url(campaign, "verifications"), body, format="json"), 403,
                 "permission_denied")  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"verified_on": "2017-12-01"}, "verified_on"),
        ({"accurate": False, "discrepancies": ["other"]}, "note"),
        ({"accurate": True, "discrepancies": ["id_error"], "note": "x"}, "discrepancies"),
        ({"discrepancies": ["unknown"]}, "discrepancies.0"),
        ({"approves": None}, "approves"),
        ({"sample": 999999}, "sample"),
        ({"verified_on": "yesterday"}, "verified_on"),
    ],
)
def test_bad_verification_input_is_400_and_writes_nothing(api, campaign, members, homes, changes, field):
    """Out of the period, discrepancies without a note, accurate with discrepancies, unknown codes, approval missing,
    a sample not in the campaign, a bad date: 400 on the field, nothing written."""
    body = {**verification_body(campaign, homes[VILLAGE_A1][0]), **changes}
    if body.get("approves") is None:
        body.pop("approves")
    before = written()

    response = api(checker(campaign, VILLAGE_A1, members)).post(url(campaign, "verifications"), body, format="json")

    errors = assert_error(response, 400, "invalid")["errors"]
    assert field in errors
    assert written() == before


def test_a_second_verification_is_409(api, campaign, members, homes):
    client = api(checker(campaign, VILLAGE_B1, members))
    body = verification_body(campaign, homes[VILLAGE_B1][0])
    assert client.post(url(campaign, "verifications"), body, format="json").status_code == 201
    before = written()

    assert_error(client.post(url(campaign, "verifications"), body, format="json"), 409, "conflict")
    assert written() == before


def test_verifications_list_has_a_pinned_query_count(api, officer, campaign, members, homes, django_assert_num_queries):
    """GET verifications: the same queries for 1 and 3 rows; a team member sees only their team's."""
    def verify(household, village):
        services.verification_record(
            user=checker(campaign, village, members), campaign=campaign, sample=sample(campaign, household),
            verified_on=date(2017, 10, 20), accurate=True, approves=True,
        )  # fmt: skip

    verify(homes[VILLAGE_A1][0], VILLAGE_A1)
    client = api(officer)
    with django_assert_num_queries(4):  # token, grants, campaign, page (a cursor: no count)
        assert len(client.get(url(campaign, "verifications")).json()["results"]) == 1
    verify(homes[VILLAGE_B1][0], VILLAGE_B1)
    verify(homes[VILLAGE_B1][1], VILLAGE_B1)
    with django_assert_num_queries(4):
        assert len(client.get(url(campaign, "verifications")).json()["results"]) == 3

    mine = api(checker(campaign, VILLAGE_B1, members)).get(url(campaign, "verifications")).json()["results"]
    assert {row["village"] for row in mine} == {VILLAGE_B1}


# Report and close ----------------------------------------------------------------------------------------------------------


def test_report_through_the_api(api, users, campaign, members, homes, django_assert_num_queries):
    """Township A: 5 verified (4 accurate, 4 approving), 2 exited of which 1 wrongly exited; township B: 2 accurate.
    County: accuracy 6/7, wrong exit 1/3, approval 6/7, one open rectification, thresholds not met."""
    a1, a2, b1 = homes[VILLAGE_A1], homes[VILLAGE_A2], homes[VILLAGE_B1]

    def verify(household, village, **kw):
        services.verification_record(
            user=checker(campaign, village, members), campaign=campaign, sample=sample(campaign, household),
            verified_on=date(2017, 10, 20), **{"accurate": True, "approves": True, **kw},
        )  # fmt: skip

    verify(a1[3], VILLAGE_A1, accurate=False, discrepancies=["wrongly_exited"], note="收入不达标", approves=False)
    verify(a1[4], VILLAGE_A1)
    verify(a1[0], VILLAGE_A1)
    verify(a2[0], VILLAGE_A2)
    verify(a2[1], VILLAGE_A2)
    verify(b1[0], VILLAGE_B1)
    verify(b1[2], VILLAGE_B1)

    client = api(users["inspector"])
    # token, grants, campaign, child regions, sample counts, remaining poor, rural population, open rectifications
    with django_assert_num_queries(8):
        body = client.get(url(campaign, "report")).json()

    assert body["region"]["code"] == COUNTY
    assert (body["sampled"], body["verified"], body["accurate"], body["approves"]) == (12, 7, 6, 6)
    assert (body["accuracy_rate"], body["wrong_exit_rate"], body["missed_rate"], body["approval_rate"]) == (
        0.8571, 0.3333, None, 0.8571,
    )  # fmt: skip
    assert body["open_rectifications"] == 1
    # single-member households: 3 exited people verified, 1 wrongly exited; no rural population on record
    assert (body["exited_people_verified"], body["wrongly_exited_people"], body["missed_people"]) == (3, 1, 0)
    assert (body["poor_people"], body["villages"], body["comprehensive_incidence"]) == (7, 3, None)
    assert body["meets"] == {"wrong_exit": False, "missed": None, "approval": False, "all": False}
    town_a, town_b = body["children"]
    assert (town_a["region"]["code"], town_a["verified"], town_a["exited_verified"], town_a["wrongly_exited"]) == (
        TOWN_A, 5, 2, 1,
    )  # fmt: skip
    assert (town_b["region"]["code"], town_b["verified"], town_b["accuracy_rate"], town_b["meets"]["all"]) == (
        TOWN_B, 2, 1.0, True,
    )  # fmt: skip
    assert body["campaign"]["id"] == campaign.pk


def test_report_query_count_does_not_grow_with_child_regions(api, users, campaign, tree, django_assert_num_queries):
    """Adding townships adds rows, not queries."""
    from tests.factories import make_region

    client = api(users["inspector"])
    with django_assert_num_queries(8):
        assert len(client.get(url(campaign, "report")).json()["children"]) == 2
    for code in ("220821102201", "220821103201", "220821104201"):
        make_region(code)
    with django_assert_num_queries(8):
        assert len(client.get(url(campaign, "report")).json()["children"]) == 5


def test_close_is_refused_while_rectifications_are_open(api, officer, campaign, members, homes):
    """POST close with an open finding: 409 finding_open, still assigned; after the fix: 200 closed."""
    services.verification_record(
        user=checker(campaign, VILLAGE_A2, members), campaign=campaign, sample=sample(campaign, homes[VILLAGE_A2][0]),
        verified_on=date(2017, 10, 20), accurate=False, discrepancies=["income_misreported"], note="养殖收入漏报",
        approves=True,
    )  # fmt: skip
    client = api(officer)
    before = written()

    assert_error(client.post(url(campaign, "close")), 409, "finding_open")
    assert written() == before

    finding_resolve(user=officer, finding=Finding.objects.get(), status=FindingStatus.FIXED, resolution="已补录")
    response = client.post(url(campaign, "close"))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed"


def test_close_a_draft_is_409(api, officer, draft):
    assert_error(api(officer).post(url(draft, "close")), 409, "transition_not_allowed")


def test_a_closed_campaign_takes_no_verification(api, officer, campaign, members, homes):
    """After closing, recording is refused (409) and nothing is written."""
    api(officer).post(url(campaign, "close"))
    body = verification_body(campaign, homes[VILLAGE_A1][0])
    before = written()

    response = api(checker(campaign, VILLAGE_A1, members)).post(url(campaign, "verifications"), body, format="json")

    assert_error(response, 409, "transition_not_allowed")
    assert written() == before


def test_schema_describes_the_campaign_endpoints(client):
    """The OpenAPI schema lists every campaign route with its methods."""
    paths = client.get("/api/schema/?format=json").json()["paths"]

    assert set(paths["/api/v1/campaigns/"]) == {"get", "post"}
    assert set(paths["/api/v1/campaigns/{id}/"]) == {"get", "patch"}
    for action, methods in {"assign": {"post"}, "assignments": {"get"}, "samples": {"get"},
                            "verifications": {"get", "post"}, "report": {"get"}, "close": {"post"}}.items():  # fmt: skip
        assert set(paths[f"/api/v1/campaigns/{{id}}/{action}/"]) == methods

