"""Dynamic entry and exit: procedures step by step, notices and objections, status changes as of any date."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from households import services
from households.models import Household
from lifecycle import selectors
from lifecycle import services as lifecycle
from lifecycle.models import Procedure, ProcedureStep, StatusChange
from tests.assertions import assert_error
from tests.conftest import VILLAGE_A1
from tests.factories import UserFactory
from tests.households.builders import head
from tests.lifecycle.steps import advance
from villages.models import Region

pytestmark = pytest.mark.django_db
D = datetime.date


def steps_url(procedure_id):
    return f"/api/v1/procedures/{procedure_id}/steps/"


def take(client, procedure_id, step, day, decision="approve", **data):
    return client.post(steps_url(procedure_id), {"step": step, "decision": decision, "date": day, **data}, format="json")


def identify(api, users, household, *, until=None):
    """Run an identification procedure of 2014 through the API, each step by its role; stop before `until`."""
    team, town, county = api(users["village_team"]), api(users["township_reviewer"]), api(users["county_officer"])
    opened = team.post(
        f"/api/v1/households/{household.pk}/procedures/", {"kind": "identification", "date": "2014-03-01"}, format="json"
    )
    assert opened.status_code == 201, opened.json()
    pid = opened.json()["id"]
    plan = [
        (team, "appraisal", "2014-03-05", {"votes_for": 31, "votes_against": 2, "participants": 35}),
        (team, "verification", "2014-03-08", {}),
        (team, "first_notice", "2014-03-09", {"start": "2014-03-10", "end": "2014-03-17"}),
        (town, "township_review", "2014-03-20", {}),
        (town, "second_notice", "2014-03-21", {"start": "2014-03-22", "end": "2014-03-29"}),
        (county, "county_approval", "2014-04-02", {}),
    ]
    for client, step, day, data in plan:
        if step == until:
            break
        response = take(client, pid, step, day, **data)
        assert response.status_code == 201, (step, response.json())
    return pid


def test_identification_runs_to_a_dated_status_change(api, users, household):
    """Seven steps by the right roles end in `poor`, effective on the county's announcement date."""
    pid = identify(api, users, household)
    household.refresh_from_db()
    assert household.status == "poor"
    change = StatusChange.objects.get(household=household)
    assert (change.status, change.effective_on, change.procedure_id) == ("poor", D(2014, 4, 2), pid)
    body = api(users["village_team"]).get(f"/api/v1/procedures/{pid}/").json()
    assert body["state"] == "approved" and body["next_step"] is None
    assert [s["step"] for s in body["steps"]][:2] == ["application", "appraisal"]
    assert body["steps"][1]["data"] == {"votes_for": 31, "votes_against": 2, "participants": 35}


def test_status_as_of_any_date_is_read_from_the_episodes(api, users, household):
    identify(api, users, household)
    before = selectors.statuses_as_of(households=[household.pk], day=D(2014, 4, 1))
    after = selectors.statuses_as_of(households=[household.pk], day=D(2014, 4, 2))
    assert before == {} and after == {household.pk: ("poor", False)}


def test_status_as_of_is_one_query_for_any_number_of_households(users, household, django_assert_num_queries):
    for day in (D(2015, 1, 1), D(2016, 6, 1)):
        lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=day)
    with django_assert_num_queries(1):
        statuses = selectors.statuses_as_of(households=Household.objects.all(), day=D(2015, 12, 31))
    assert statuses == {household.pk: ("poor", False)}


def test_a_step_out_of_order_is_409(api, users, household):
    pid = identify(api, users, household, until="verification")
    response = take(api(users["village_team"]), pid, "first_notice", "2014-03-09", start="2014-03-10", end="2014-03-17")
    assert_error(response, 409, "transition_not_allowed")


def test_each_step_needs_its_role(api, users, household):
    pid = identify(api, users, household, until="township_review")
    assert_error(take(api(users["village_team"]), pid, "township_review", "2014-03-20"), 403, "permission_denied")
    assert_error(take(api(users["inspector"]), pid, "township_review", "2014-03-20"), 403, "permission_denied")
    assert ProcedureStep.objects.filter(procedure_id=pid, step="township_review").count() == 0


def test_a_notice_shorter_than_the_standard_is_refused(api, users, household):
    pid = identify(api, users, household, until="first_notice")
    response = take(api(users["village_team"]), pid, "first_notice", "2014-03-09", start="2014-03-10", end="2014-03-15")
    body = assert_error(response, 400, "invalid")
    assert "end" in body["errors"]
    assert not Procedure.objects.get(pk=pid).notices.exists()


def test_the_step_after_a_notice_waits_for_its_end(api, users, household):
    pid = identify(api, users, household, until="township_review")
    assert_error(take(api(users["township_reviewer"]), pid, "township_review", "2014-03-15"), 409, "notice_not_ended")


def test_open_objections_hold_the_procedure_and_upheld_ones_send_it_back(api, users, household):
    pid = identify(api, users, household, until="township_review")
    team = api(users["village_team"])
    notice = Procedure.objects.get(pk=pid).notices.get()
    lodged = team.post(
        f"/api/v1/notices/{notice.pk}/objections/",
        {"lodged_on": "2014-03-12", "lodged_by": "张某", "content": "家中有车"},
        format="json",
    )
    assert lodged.status_code == 201, lodged.json()
    assert_error(take(api(users["township_reviewer"]), pid, "township_review", "2014-03-20"), 409, "objection_open")
    resolved = team.post(
        f"/api/v1/objections/{lodged.json()['id']}/resolve/",
        {"outcome": "upheld", "date": "2014-03-18", "resolution": "需重新入户核实"},
        format="json",
    )
    assert resolved.status_code == 200, resolved.json()
    assert api(users["village_team"]).get(f"/api/v1/procedures/{pid}/").json()["next_step"] == "verification"


def test_an_objection_outside_the_notice_period_is_refused(api, users, household):
    pid = identify(api, users, household, until="township_review")
    notice = Procedure.objects.get(pk=pid).notices.get()
    response = api(users["village_team"]).post(
        f"/api/v1/notices/{notice.pk}/objections/",
        {"lodged_on": "2014-03-30", "lodged_by": "张某", "content": "晚了"},
        format="json",
    )
    assert_error(response, 400, "invalid")
    assert not notice.objections.exists()


def test_maker_checker_the_proposer_cannot_approve(api, users, household):
    """A county officer who applied and verified may not give the county approval of the same procedure."""
    officer = api(users["county_officer"])
    pid = officer.post(
        f"/api/v1/households/{household.pk}/procedures/", {"kind": "identification", "date": "2014-03-01"}, format="json"
    ).json()["id"]
    for step, day, data in [
        ("appraisal", "2014-03-05", {"votes_for": 30, "votes_against": 0}),
        ("verification", "2014-03-08", {}),
        ("first_notice", "2014-03-09", {"start": "2014-03-10", "end": "2014-03-17"}),
    ]:
        assert take(officer, pid, step, day, **data).status_code == 201
    assert take(api(users["township_reviewer"]), pid, "township_review", "2014-03-20").status_code == 201
    assert take(officer, pid, "second_notice", "2014-03-21", start="2014-03-22", end="2014-03-29").status_code == 201
    assert_error(take(officer, pid, "county_approval", "2014-04-02"), 409, "same_user_not_allowed")
    other = UserFactory(username="county2", grants=[("county_officer", "220821000000")])
    assert take(api(other), pid, "county_approval", "2014-04-02").status_code == 201


def test_a_rejected_step_ends_the_procedure_and_keeps_the_reason(api, users, household):
    pid = identify(api, users, household, until="township_review")
    response = take(api(users["township_reviewer"]), pid, "township_review", "2014-03-20", decision="reject", note="收入超标")
    assert response.status_code == 201
    procedure = Procedure.objects.get(pk=pid)
    assert (procedure.state, procedure.rejection) == ("rejected", "收入超标")
    household.refresh_from_db()
    assert household.status == "rejected"


def test_one_open_procedure_per_household(api, users, household):
    identify(api, users, household, until="appraisal")
    response = api(users["village_team"]).post(
        f"/api/v1/households/{household.pk}/procedures/", {"kind": "identification", "date": "2014-03-02"}, format="json"
    )
    assert_error(response, 409, "transition_not_allowed")
    assert Procedure.objects.filter(household=household).count() == 1


def test_exit_needs_a_passing_evaluation(api, users, household):
    identify(api, users, household)
    team = api(users["village_team"])
    url = f"/api/v1/households/{household.pk}/procedures/"
    refused = team.post(url, {"kind": "exit", "date": "2016-10-01", "year": 2016}, format="json")
    body = assert_error(refused, 409, "eligibility_failed")
    assert "income" in body["detail"]
    assert Procedure.objects.filter(household=household, kind="exit").count() == 0

    services.annual_record_upsert(
        user=users["superuser"], household=household, year=2016,
        data={"wages": Decimal("9000"), "food_secure": True, "clothing_secure": True, "housing_grade": "B",
              "water_safe": True, "water_access_ok": True},
    )  # fmt: skip
    household.members.update(medical_insurance=True, serious_illness_insurance=True)
    opened = team.post(url, {"kind": "exit", "date": "2016-10-01", "year": 2016}, format="json")
    assert opened.status_code == 201, opened.json()
    assert opened.json()["evaluation"]["passed"] is True
    eligibility = team.get(f"/api/v1/households/{household.pk}/eligibility/?year=2016").json()
    assert [c["name"] for c in eligibility["checks"]] == ["income", "food", "clothing", "education", "medical", "housing", "water"]


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_give_one_approval_and_one_409(api, users, household):
    pid = identify(api, users, household, until="township_review")
    second = UserFactory(username="town2", grants=[("township_reviewer", "220821100000")])
    barrier, results = threading.Barrier(2), []

    def approve(user):
        try:
            barrier.wait()
            results.append(take(api(user), pid, "township_review", "2014-03-20").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (users["township_reviewer"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [201, 409]
    assert ProcedureStep.objects.filter(procedure_id=pid, step="township_review").count() == 1


def test_procedures_are_scoped(api, users, household):
    pid = identify(api, users, household, until="appraisal")
    outsider = UserFactory(username="far", grants=[("village_team", "220822100201")])
    assert_error(api(outsider).get(f"/api/v1/procedures/{pid}/"), 404, "not_found")
    assert_error(take(api(outsider), pid, "appraisal", "2014-03-05", votes_for=1, votes_against=0), 404, "not_found")
    assert_error(api(users["api_client"]).get(f"/api/v1/procedures/{pid}/"), 403, "permission_denied")


def test_household_shows_its_status_and_filters_by_it(api, users, household):
    identify(api, users, household)
    client = api(users["county_officer"])
    assert client.get(f"/api/v1/households/{household.pk}/").json()["status"] == "poor"
    assert [h["id"] for h in client.get("/api/v1/households/?status=poor").json()["results"]] == [household.pk]
    assert client.get("/api/v1/households/?status=exited").json()["results"] == []


def test_the_timeline_shows_steps_and_status_changes(api, users, household):
    identify(api, users, household)
    entries = api(users["village_team"]).get(f"/api/v1/households/{household.pk}/history/").json()
    kinds = [e["kind"] for e in entries]
    assert kinds.count("procedure_step") == 7 and kinds.count("status_change") == 1
    status = next(e for e in entries if e["kind"] == "status_change")
    assert status["changes"]["status"] == [None, "poor"] and status["user"] == "county"


def test_the_village_notice_board_prints_the_running_notices(client, api, users, household):
    identify(api, users, household, until="township_review")
    client.force_login(users["village_team"])
    page = client.get(f"/villages/{VILLAGE_A1}/notices/?on=2014-03-12").content.decode()
    assert household.number in page and "王建国" in page and "村级公示" in page
    assert 'id="no-notices"' in client.get(f"/villages/{VILLAGE_A1}/notices/?on=2014-03-30").content.decode()
    client.force_login(UserFactory(username="far2", grants=[("village_team", "220822100201")]))
    assert client.get(f"/villages/{VILLAGE_A1}/notices/").status_code == 404


def run(users, household, kind, in_year, **open_kwargs):
    """Open a procedure of this kind in `in_year` and take every remaining step through the services."""
    procedure = lifecycle.procedure_open(
        user=users["village_team"], household=household, kind=kind, on=D(in_year, 9, 1), **open_kwargs
    )
    advance(users, procedure)
    return procedure


def passing_record(users, household, year):
    services.annual_record_upsert(
        user=users["superuser"], household=household, year=year,
        data={"wages": Decimal("20000"), "food_secure": True, "clothing_secure": True, "housing_grade": "A",
              "water_safe": True, "water_access_ok": True},
    )  # fmt: skip
    household.members.update(medical_insurance=True, serious_illness_insurance=True)


def test_exit_then_return_marks_the_household_returned(users, household):
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 4, 1))
    passing_record(users, household, 2016)
    assert run(users, household, "exit", 2016, year=2016).state == "approved"
    household.refresh_from_db()
    assert household.status == "exited"
    run(users, household, "return", 2017, note="户主患重病")
    household.refresh_from_db()
    assert (household.status, household.returned) == ("poor", True)
    assert selectors.statuses_as_of(households=[household.pk], day=D(2016, 12, 31)) == {household.pk: ("exited", False)}


def test_removal_needs_a_reason_code_and_ends_in_removed(users, household):
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 4, 1))
    with pytest.raises(Exception, match="清退须选择原因"):
        lifecycle.procedure_open(user=users["village_team"], household=household, kind="removal", on=D(2017, 9, 1))
    run(users, household, "removal", 2017, reason="vehicle")
    household.refresh_from_db()
    assert household.status == "removed"


def test_monitoring_and_risk_elimination(users, household):
    """Since 2021: an exited household enters monitoring, then its risk is eliminated on the monitoring line."""
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=D(2016, 11, 1))
    run(users, household, "monitoring", 2021, monitoring_type="unstable_exited", data={"source": "cadre_screening"})
    household.refresh_from_db()
    assert household.monitoring_status == "monitored"
    with pytest.raises(Exception, match="退出评估未通过"):
        lifecycle.procedure_open(
            user=users["village_team"], household=household, kind="risk_elimination", on=D(2022, 9, 1), year=2021
        )
    passing_record(users, household, 2021)  # 20000 ÷ 2 = 10000 > the 2021 monitoring line of 6000
    run(users, household, "risk_elimination", 2022, year=2021)
    household.refresh_from_db()
    assert household.monitoring_status == "risk_eliminated"
    assert household.status == "exited"  # monitoring does not change the registry status


def test_a_procedure_cannot_start_from_the_wrong_status(users, household):
    from core.errors import DomainError

    for kind in ("exit", "return", "removal", "risk_elimination"):
        with pytest.raises(DomainError) as info:
            lifecycle.procedure_open(user=users["village_team"], household=household, kind=kind, on=D(2016, 9, 1))
        assert info.value.code == "transition_not_allowed"
    assert not Procedure.objects.exists()


def test_status_changes_are_append_only(users, household):
    from django.db import InternalError, transaction

    change = lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 4, 1))
    with pytest.raises(InternalError), transaction.atomic():
        StatusChange.objects.filter(pk=change.pk).update(status="exited")
    correction = lifecycle.status_correct(user=users["county_officer"], change=change, status="exited", reason="误录")
    assert (correction.corrects_id, correction.effective_on) == (change.pk, change.effective_on)
    assert StatusChange.objects.get(pk=change.pk).effective_on == D(2014, 4, 1)


def test_a_procedure_cannot_start_before_the_latest_decision(users, household):
    """A backdated exit would write an episode before the current one: refused, nothing written."""
    from django.core.exceptions import ValidationError

    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2016, 5, 1))
    passing_record(users, household, 2015)
    with pytest.raises(ValidationError):
        lifecycle.procedure_open(
            user=users["village_team"], household=household, kind="exit", on=D(2016, 4, 1), year=2015
        )
    assert not Procedure.objects.exists()


def test_a_household_in_a_procedure_cannot_be_deleted(api, users, household):
    identify(api, users, household, until="appraisal")
    assert_error(api(users["county_officer"]).delete(f"/api/v1/households/{household.pk}/"), 409, "conflict")
    assert Household.objects.filter(pk=household.pk).exists()


def test_a_bad_resolution_changes_nothing(api, users, household):
    pid = identify(api, users, household, until="township_review")
    notice = Procedure.objects.get(pk=pid).notices.get()
    team = api(users["village_team"])
    objection_id = team.post(
        f"/api/v1/notices/{notice.pk}/objections/",
        {"lodged_on": "2014-03-12", "lodged_by": "张某", "content": "家中有车"},
        format="json",
    ).json()["id"]
    for payload in ({"outcome": "maybe", "date": "2014-03-18", "resolution": "x"}, {"outcome": "upheld", "date": "2014-03-18"}):
        assert_error(team.post(f"/api/v1/objections/{objection_id}/resolve/", payload, format="json"), 400, "invalid")
    assert notice.objections.get().outcome == ""
    assert team.get(f"/api/v1/procedures/{pid}/").json()["next_step"] == "township_review"


@pytest.mark.parametrize("extra", [0, 2])
def test_lifecycle_query_counts_are_pinned(api, users, household, django_assert_num_queries, extra):
    """Procedure list, procedure detail and notice list cost the same whatever the number of rows."""
    identify(api, users, household)
    for n in range(extra):
        other = services.household_create(
            user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
            data={"attribute": "general", "main_cause": "illness"}, members=[head(20 + n)],
        )  # fmt: skip
        identify(api, users, other, until="township_review")
    client = api(users["county_officer"])
    pid = Procedure.objects.filter(household=household).get().pk
    client.get("/api/v1/notices/")  # warm the token
    # token + user, grants, household, procedures, steps, the steps' users
    with django_assert_num_queries(6):
        client.get(f"/api/v1/households/{household.pk}/procedures/")
    # token + user, grants, procedure with household, steps, the steps' users
    with django_assert_num_queries(5):
        client.get(f"/api/v1/procedures/{pid}/")
    # token + user, grants, notices with procedure/household/village, objections (a cursor page has no count)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/notices/").status_code == 200


def _written(api, users, household) -> dict:
    """What a refused request must not change: rule runs, findings, history contexts and the household's timeline."""
    import pghistory.models

    from checks.models import Finding, RuleRun

    timeline = api(users["county_officer"]).get(f"/api/v1/households/{household.pk}/history/")
    assert timeline.status_code == 200
    return {
        "rule_runs": RuleRun.objects.count(),
        "findings": Finding.objects.count(),
        "contexts": pghistory.models.Context.objects.count(),
        "timeline": len(timeline.json()),
    }


def test_a_refused_open_writes_nothing(api, users, household):
    """The role is checked before the register rules run: an inspector's refused open leaves no rule run behind."""
    before = _written(api, users, household)
    response = api(users["inspector"]).post(
        f"/api/v1/households/{household.pk}/procedures/", {"kind": "identification", "date": "2014-03-01"}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    assert _written(api, users, household) == before


def test_a_refused_step_writes_nothing(api, users, household):
    """An inspector's refused step writes no rule run, finding or history row attributed to the inspector."""
    pid = identify(api, users, household, until="appraisal")
    before = _written(api, users, household)
    response = take(api(users["inspector"]), pid, "appraisal", "2014-03-05", votes_for=3, votes_against=0)
    assert_error(response, 403, "permission_denied")
    assert _written(api, users, household) == before
