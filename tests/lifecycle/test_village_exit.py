"""Village exit (贫困村出列) as a procedure: the evaluation of a year, the township's proposal, the county's review, the
village notice with its objections, the county's announcement; every refusal, through the services and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import DomainError
from households import services
from households.models import Household, PolicyStandard
from lifecycle import services as lifecycle
from lifecycle.models import VillageExit, VillageExitObjection, VillageExitStep
from tests.assertions import assert_error
from tests.conftest import COUNTY, VILLAGE_A1, VILLAGE_A2
from tests.factories import PASSWORD, UserFactory
from tests.households.builders import head, spouse
from villages.models import Region, VillageProfile, VillageYear

pytestmark = pytest.mark.django_db
D = datetime.date
URL = f"/api/v1/villages/{VILLAGE_A1}/"
# The procedure's days: proposal, review, notice (7 days from its first), announcement after the notice.
PROPOSED, REVIEWED, NOTICE_START, NOTICE_END, ANNOUNCED = (
    D(2017, 1, 6), D(2017, 1, 13), D(2017, 1, 15), D(2017, 1, 22), D(2017, 1, 27),
)  # fmt: skip


@pytest.fixture
def poverty_village(users):
    """A poverty village of 2014 with one poor household of two people and good infrastructure in 2016."""
    VillageProfile.objects.create(village_id=VILLAGE_A1, poverty_status="poverty", identified_year=2014)
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(3), spouse(3)],
    )  # fmt: skip
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 5, 1))
    VillageYear.objects.create(
        village_id=VILLAGE_A1, year=2016, rural_population=101, hardened_road=True, safe_water=True, power_grid=True,
        broadband=True, clinic=True, culture_room=True, collective_income=Decimal("52000.00"),
    )  # fmt: skip
    return household


@pytest.fixture
def head_of_county(tree):
    """A second county officer: the announcement is not taken by the reviewer."""
    return UserFactory(username="county_head", grants=[("county_officer", COUNTY)])


def village():
    return Region.objects.get(code=VILLAGE_A1)


def profile():
    return VillageProfile.objects.get(village_id=VILLAGE_A1)


def propose(users, on=PROPOSED, year=2016):
    return lifecycle.village_exit_propose(user=users["township_reviewer"], village=village(), year=year, on=on)


def step(user, village_exit, name, on, decision="approve", **data):
    return lifecycle.village_exit_step(user=user, village_exit=village_exit, step=name, decision=decision, on=on, data=data)


def refused(code, call, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    assert error.value.code == code
    return error.value


def to_notice(users):
    """Proposed, reviewed and noticed: the announcement comes next."""
    village_exit = propose(users)
    step(users["county_officer"], village_exit, "county_review", REVIEWED)
    step(users["village_team"], village_exit, "notice", NOTICE_START, start=NOTICE_START, end=NOTICE_END)
    return VillageExit.objects.get(pk=village_exit.pk)


# The evaluation -----------------------------------------------------------------------------------------------------


def test_the_evaluation_lists_incidence_and_the_village_checks(api, users, poverty_village):
    body = api(users["inspector"]).get(f"{URL}exit-evaluation/?year=2016").json()
    assert [c["name"] for c in body["checks"]] == [
        "incidence", "road", "water", "power", "broadband", "clinic", "collective_income",
    ]  # fmt: skip
    incidence = body["checks"][0]
    assert incidence["result"] == "pass"  # 2 ÷ 101 = 0.0198 < 0.02
    assert incidence["detail"]["poor_people"] == 2
    assert body["passed"] is True


def test_exited_households_do_not_count_as_poor(api, users, poverty_village):
    lifecycle.status_record(user=users["superuser"], household=Household.objects.get(), status="exited", on=D(2016, 11, 1))
    VillageYear.objects.filter(year=2016).update(rural_population=50)
    body = api(users["county_officer"]).get(f"{URL}exit-evaluation/?year=2016").json()
    assert body["checks"][0]["detail"]["poor_people"] == 0


def test_the_collective_income_minimum_is_the_policy_standards(api, users, poverty_village):
    """村集体经济收入 must be above the standard's minimum: 52000 passes the default 0 and fails a county's 60000."""
    check = api(users["county_officer"]).get(f"{URL}exit-evaluation/?year=2016").json()["checks"][-1]
    assert (check["result"], check["detail"]["minimum"]) == ("pass", "0.00")
    PolicyStandard.objects.create(year=2016, region_id=COUNTY, kind="national", village_collective_income_min=60000)
    check = api(users["county_officer"]).get(f"{URL}exit-evaluation/?year=2016").json()["checks"][-1]
    assert (check["result"], check["detail"]["minimum"]) == ("fail", "60000.00")


def test_the_migration_gave_every_standard_a_zero_minimum(db):
    """households 0010: the nationwide default rows (0002, 0009) carry the collective income minimum 0."""
    assert PolicyStandard.objects.exists()
    assert set(PolicyStandard.objects.values_list("village_collective_income_min", flat=True)) == {Decimal("0")}


def test_a_missing_year_is_a_clear_400(api, users, poverty_village):
    assert_error(api(users["county_officer"]).get(f"{URL}exit-evaluation/"), 400, "invalid")


# The procedure through its effects ---------------------------------------------------------------------------------


def test_the_whole_procedure_exits_the_village_with_its_evaluation_and_decision_date(users, poverty_village, head_of_county):
    village_exit = to_notice(users)
    assert profile().poverty_status == "poverty"  # nothing is exited before the announcement
    step(head_of_county, village_exit, "announcement", ANNOUNCED)
    village_exit.refresh_from_db()
    assert (village_exit.state, village_exit.decided_on, village_exit.year) == ("approved", ANNOUNCED, 2016)
    assert village_exit.evaluation["passed"] is True and village_exit.evaluation["year"] == 2016
    assert (village_exit.notice_start, village_exit.notice_end) == (NOTICE_START, NOTICE_END)
    assert (profile().poverty_status, profile().exit_year, profile().identified_year) == ("exited", 2016, 2014)
    steps = list(VillageExitStep.objects.filter(village_exit=village_exit).order_by("id"))
    assert [(s.step, s.acted_by.username) for s in steps] == [
        ("proposal", "town"), ("county_review", "county"), ("notice", "team"), ("announcement", "county_head"),
    ]  # fmt: skip
    assert steps[2].data == {"start": "2017-01-15", "end": "2017-01-22"}


def test_the_evaluation_stored_is_the_one_the_announcement_was_taken_on(users, poverty_village, head_of_county):
    village_exit = to_notice(users)
    VillageYear.objects.filter(year=2016).update(rural_population=150)  # a corrected population: 2 ÷ 150
    step(head_of_county, village_exit, "announcement", ANNOUNCED)
    village_exit.refresh_from_db()
    assert village_exit.evaluation["checks"][0]["detail"]["rural_population"] == 150


def test_a_county_rejection_ends_the_procedure_and_leaves_the_village_poor(users, poverty_village):
    village_exit = propose(users)
    step(users["county_officer"], village_exit, "county_review", REVIEWED, decision="reject")
    village_exit.refresh_from_db()
    assert (village_exit.state, village_exit.decided_on) == ("rejected", REVIEWED)
    assert profile().poverty_status == "poverty"
    assert propose(users, on=D(2017, 2, 1)).state == "open"  # a new proposal may follow


def test_a_dismissed_objection_lets_the_announcement_go_on(users, poverty_village, head_of_county):
    village_exit = to_notice(users)
    objection = lifecycle.village_exit_objection_lodge(
        user=users["village_team"], village_exit=village_exit, lodged_on=D(2017, 1, 17), lodged_by="张某", content="路未通"
    )
    lifecycle.village_exit_objection_resolve(
        user=users["village_team"], objection=objection, outcome="dismissed", on=D(2017, 1, 23), resolution="已核实路已通"
    )
    step(head_of_county, VillageExit.objects.get(), "announcement", ANNOUNCED)
    assert profile().poverty_status == "exited"


def test_an_upheld_objection_sends_the_exit_back_to_the_county_review(users, poverty_village, head_of_county):
    village_exit = to_notice(users)
    objection = lifecycle.village_exit_objection_lodge(
        user=users["village_team"], village_exit=village_exit, lodged_on=D(2017, 1, 17), lodged_by="张某", content="漏报"
    )
    lifecycle.village_exit_objection_resolve(
        user=users["village_team"], objection=objection, outcome="upheld", on=D(2017, 1, 23), resolution="重新审核"
    )
    village_exit.refresh_from_db()
    refused("transition_not_allowed", step, head_of_county, village_exit, "announcement", ANNOUNCED)
    step(users["county_officer"], village_exit, "county_review", D(2017, 2, 1))
    step(users["village_team"], village_exit, "notice", D(2017, 2, 2), start=D(2017, 2, 2), end=D(2017, 2, 9))
    step(head_of_county, village_exit, "announcement", D(2017, 2, 10))
    assert profile().poverty_status == "exited"


# Every refusal ------------------------------------------------------------------------------------------------------


def test_each_step_needs_its_role(users, poverty_village, head_of_county):
    for role in ("village_team", "county_officer", "inspector"):
        refused(
            "permission_denied", lifecycle.village_exit_propose, user=users[role], village=village(), year=2016, on=PROPOSED
        )
    village_exit = propose(users)
    for role in ("township_reviewer", "village_team", "inspector"):
        refused("permission_denied", step, users[role], village_exit, "county_review", REVIEWED)
    step(users["county_officer"], village_exit, "county_review", REVIEWED)
    for role in ("township_reviewer", "inspector"):
        refused("permission_denied", step, users[role], village_exit, "notice", NOTICE_START, start=NOTICE_START, end=NOTICE_END)
    step(users["village_team"], village_exit, "notice", NOTICE_START, start=NOTICE_START, end=NOTICE_END)
    for role in ("township_reviewer", "village_team"):
        refused("permission_denied", step, users[role], village_exit, "announcement", ANNOUNCED)
    assert VillageExitStep.objects.count() == 3 and profile().poverty_status == "poverty"


def test_the_reviewer_may_not_announce(users, poverty_village):
    village_exit = to_notice(users)
    refused("same_user_not_allowed", step, users["county_officer"], village_exit, "announcement", ANNOUNCED)
    assert profile().poverty_status == "poverty" and VillageExit.objects.get().state == "open"


def test_the_proposer_may_not_review(users, poverty_village):
    village_exit = lifecycle.village_exit_propose(user=users["superuser"], village=village(), year=2016, on=PROPOSED)
    refused("same_user_not_allowed", step, users["superuser"], village_exit, "county_review", REVIEWED)


def test_no_announcement_before_the_notice_has_ended(users, poverty_village, head_of_county):
    village_exit = to_notice(users)
    refused("notice_not_ended", step, head_of_county, village_exit, "announcement", NOTICE_END - datetime.timedelta(days=1))
    assert VillageExit.objects.get().state == "open"


def test_no_announcement_while_an_objection_is_open(users, poverty_village, head_of_county):
    village_exit = to_notice(users)
    lifecycle.village_exit_objection_lodge(
        user=users["village_team"], village_exit=village_exit, lodged_on=D(2017, 1, 20), lodged_by="李某", content="有异议"
    )
    refused("objection_open", step, head_of_county, village_exit, "announcement", ANNOUNCED)
    assert profile().poverty_status == "poverty"


def test_a_failing_evaluation_refuses_the_proposal(users, poverty_village):
    VillageYear.objects.filter(year=2016).update(rural_population=100)  # 2 ÷ 100 = 0.02, not below
    error = refused("eligibility_failed", propose, users)
    assert error.errors["eligibility"][0]["result"] == "fail"
    assert not VillageExit.objects.exists()


@pytest.mark.parametrize("failing_at", ["county_review", "announcement"])
def test_a_failing_evaluation_refuses_the_review_and_the_announcement(users, poverty_village, head_of_county, failing_at):
    """Re-evaluated at every decision: a population corrected down after the proposal fails the exit there."""
    village_exit = propose(users)
    if failing_at == "announcement":
        step(users["county_officer"], village_exit, "county_review", REVIEWED)
        step(users["village_team"], village_exit, "notice", NOTICE_START, start=NOTICE_START, end=NOTICE_END)
    VillageYear.objects.filter(year=2016).update(rural_population=90)
    user, day = (users["county_officer"], REVIEWED) if failing_at == "county_review" else (head_of_county, ANNOUNCED)
    refused("eligibility_failed", step, user, village_exit, failing_at, day)
    assert VillageExit.objects.get().state == "open" and profile().poverty_status == "poverty"


def test_only_a_poverty_village_is_proposed_and_once(users, poverty_village):
    propose(users)
    refused("transition_not_allowed", propose, users, on=D(2017, 1, 7))
    VillageProfile.objects.create(village_id=VILLAGE_A2, poverty_status="non_poverty")
    refused(
        "transition_not_allowed", lifecycle.village_exit_propose,
        user=users["township_reviewer"], village=Region.objects.get(code=VILLAGE_A2), year=2016, on=PROPOSED,
    )  # fmt: skip


def test_steps_go_in_order(users, poverty_village, head_of_county):
    village_exit = propose(users)
    refused("transition_not_allowed", step, head_of_county, village_exit, "announcement", ANNOUNCED)
    refused("transition_not_allowed", step, users["township_reviewer"], village_exit, "proposal", REVIEWED)


def test_a_short_notice_and_an_objection_outside_it_are_invalid(users, poverty_village):
    village_exit = propose(users)
    step(users["county_officer"], village_exit, "county_review", REVIEWED)
    with pytest.raises(ValidationError):
        step(users["village_team"], village_exit, "notice", NOTICE_START, start=NOTICE_START, end=D(2017, 1, 20))
    step(users["village_team"], village_exit, "notice", NOTICE_START, start=NOTICE_START, end=NOTICE_END)
    with pytest.raises(ValidationError):
        lifecycle.village_exit_objection_lodge(
            user=users["village_team"], village_exit=village_exit, lodged_on=D(2017, 1, 25), lodged_by="李某", content="迟"
        )
    assert not VillageExitObjection.objects.exists()


# Through the API ---------------------------------------------------------------------------------------------------

EXITS = f"{URL}exits/"
STEPS = f"{URL}exit/steps/"
OBJECTIONS = f"{URL}exit/objections/"


def test_the_procedure_through_the_api(api, users, poverty_village, head_of_county, django_assert_num_queries):
    township, county, team = api(users["township_reviewer"]), api(users["county_officer"]), api(users["village_team"])
    created = township.post(EXITS, {"year": 2016, "date": "2017-01-06", "note": "申请出列"}, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["state"], created.json()["next_step"]) == ("open", "county_review")
    assert created.json()["evaluation"]["passed"] is True
    reviewed = county.post(STEPS, {"step": "county_review", "decision": "approve", "date": "2017-01-13"}, format="json")
    assert reviewed.status_code == 201 and reviewed.json()["next_step"] == "notice"
    noticed = team.post(
        STEPS, {"step": "notice", "decision": "approve", "date": "2017-01-15", "start": "2017-01-15", "end": "2017-01-22"},
        format="json",
    )  # fmt: skip
    assert noticed.status_code == 201 and noticed.json()["notice_end"] == "2017-01-22"
    lodged = team.post(OBJECTIONS, {"lodged_on": "2017-01-16", "lodged_by": "张某", "content": "路未通"}, format="json")
    assert lodged.status_code == 201, lodged.json()
    early = api(head_of_county).post(STEPS, {"step": "announcement", "decision": "approve", "date": "2017-01-27"}, format="json")
    assert_error(early, 409, "objection_open")
    resolved = team.post(
        f"{OBJECTIONS}resolve/",
        {"objection": lodged.json()["id"], "outcome": "dismissed", "date": "2017-01-23", "resolution": "路已通"},
        format="json",
    )  # fmt: skip
    assert resolved.status_code == 200 and resolved.json()["outcome"] == "dismissed"
    same = county.post(STEPS, {"step": "announcement", "decision": "approve", "date": "2017-01-27"}, format="json")
    assert_error(same, 409, "same_user_not_allowed")
    announced = api(head_of_county).post(
        STEPS, {"step": "announcement", "decision": "approve", "date": "2017-01-27"}, format="json"
    )
    assert announced.status_code == 201, announced.json()
    assert (announced.json()["state"], announced.json()["decided_on"]) == ("approved", "2017-01-27")
    assert [s["step"] for s in announced.json()["steps"]] == ["proposal", "county_review", "notice", "announcement"]
    assert profile().poverty_status == "exited"
    reader = api(users["inspector"])
    # The token, the grants, the village, the exits, their steps with the actors, their objections.
    with django_assert_num_queries(6):
        listed = reader.get(EXITS)
    assert listed.status_code == 200 and [item["state"] for item in listed.json()] == ["approved"]
    assert listed.json()[0]["objections"][0]["lodged_by"] == "张某"
    with django_assert_num_queries(5):
        assert [item["outcome"] for item in reader.get(OBJECTIONS).json()] == ["dismissed"]


def test_the_api_refusals(api, users, poverty_village):
    """Bad input is 400 and writes nothing; a step without an open exit is 409; another role is 403."""
    township = api(users["township_reviewer"])
    assert_error(township.post(EXITS, {"year": 2016}, format="json"), 400, "invalid")
    assert_error(api(users["county_officer"]).post(EXITS, {"year": 2016, "date": "2017-01-06"}, format="json"), 403, "permission_denied")
    assert_error(
        api(users["county_officer"]).post(STEPS, {"step": "county_review", "decision": "approve", "date": "2017-01-13"}, format="json"),
        409, "transition_not_allowed",
    )  # fmt: skip
    VillageYear.objects.filter(year=2016).update(rural_population=100)
    failing = township.post(EXITS, {"year": 2016, "date": "2017-01-06"}, format="json")
    assert_error(failing, 409, "eligibility_failed")
    assert not VillageExit.objects.exists()
    assert_error(township.post(f"{OBJECTIONS}resolve/", {"objection": 999999, "outcome": "upheld", "date": "2017-01-10",
                                                          "resolution": "x"}, format="json"), 400, "invalid")  # fmt: skip


def test_the_api_is_scoped_and_read_by_register_readers(api, users, poverty_village):
    assert_error(api(users["api_client"]).get(EXITS), 403, "permission_denied")
    assert api(users["inspector"]).get(EXITS).json() == []
    other = UserFactory(username="elsewhere", grants=[("village_team", VILLAGE_A2)])
    assert_error(api(other).get(EXITS), 404, "not_found")


def test_the_old_single_step_decision_is_gone(api, users, poverty_village):
    response = api(users["county_officer"]).post(f"{URL}exit/", {"year": 2016, "date": "2016-12-20"}, format="json")
    assert response.status_code in (404, 405)
    assert profile().poverty_status == "poverty"


def test_the_admin_shows_the_procedure_read_only(client, users, poverty_village, head_of_county):
    village_exit = to_notice(users)
    signed_in = client.post("/admin/login/?next=/admin/", {"username": "county", "password": PASSWORD})
    assert signed_in.status_code == 302
    listing = client.get("/admin/lifecycle/villageexit/")
    assert listing.status_code == 200 and VILLAGE_A1 in listing.content.decode()
    page = client.get(f"/admin/lifecycle/villageexit/{village_exit.pk}/change/")
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode() and 'name="year"' not in page.content.decode()
    response = client.post(f"/admin/lifecycle/villageexit/{village_exit.pk}/change/", {"year": 2015})
    assert response.status_code == 403
    assert client.get("/admin/lifecycle/villageexit/add/").status_code == 403
    assert VillageExit.objects.get().year == 2016


def test_the_county_sets_the_minimum_through_the_standards_api(api, users, poverty_village):
    """standards/ takes village_collective_income_min; a negative one is 400 and writes nothing."""
    client = api(users["county_officer"])
    bad = client.post(
        "/api/v1/standards/", {"year": 2016, "region": COUNTY, "village_collective_income_min": "-1.00"}, format="json"
    )
    assert_error(bad, 400, "invalid")
    assert not PolicyStandard.objects.filter(region_id=COUNTY).exists()
    created = client.post(
        "/api/v1/standards/", {"year": 2016, "region": COUNTY, "village_collective_income_min": "52000.00"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["village_collective_income_min"] == "52000.00"
    check = client.get(f"{URL}exit-evaluation/?year=2016").json()["checks"][-1]
    assert check["result"] == "fail"  # 52000 is not above 52000
    assert_error(propose_api(api, users), 409, "eligibility_failed")


def propose_api(api, users):
    return api(users["township_reviewer"]).post(EXITS, {"year": 2016, "date": "2017-01-06"}, format="json")
