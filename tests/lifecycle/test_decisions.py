"""Decisions taken on the facts of their day (issue 14): eligibility at every decision, one poverty-line series and
the household's identification standard, appraisal majorities, objection deadlines, entry closed after 2020."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.errors import DomainError
from households import services
from households.models import PolicyStandard
from lifecycle import services as lifecycle
from lifecycle.models import Objection, Procedure, ProcedureStep
from tests.conftest import VILLAGE_A1
from tests.lifecycle.steps import advance
from villages.models import Region

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def default_standards(db):
    """The nationwide standards as the migrations leave them (a transactional test elsewhere may have flushed them)."""
    from django.apps import apps

    for name in ("0002_default_policy_standards", "0009_poverty_line_series_and_monitoring_lines"):
        migration = importlib.import_module(f"households.migrations.{name}")
        (migration.load if hasattr(migration, "load") else migration.forwards)(apps, None)


def record(users, household, year, *, wages="20000", **facts):
    """The year's annual record; two members, so per-capita income is half the wages."""
    data = {"wages": Decimal(wages), "food_secure": True, "clothing_secure": True, "housing_grade": "A",
            "water_safe": True, "water_access_ok": True, **facts}  # fmt: skip
    services.annual_record_upsert(user=users["superuser"], household=household, year=year, data=data)
    household.members.update(medical_insurance=True, serious_illness_insurance=True)


def refused(code, call, **kwargs):
    with pytest.raises(DomainError) as info:
        call(**kwargs)
    assert info.value.code == code, info.value.detail
    return info.value


def poor(users, household):
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 4, 1))


# Point 4: eligibility at every decision ----------------------------------------------------------------------------


@pytest.mark.parametrize("deciding", ["township_review", "county_approval"])
def test_an_exit_is_refused_at_the_decision_when_the_evaluation_now_fails(users, household, deciding):
    """Passing at the proposal is not enough: when the year's record fails by the township review or the county
    approval, that step is refused with eligibility_failed naming the failing check, and nothing is written."""
    poor(users, household)
    record(users, household, 2016)
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="exit",
                                         on=D(2016, 9, 1), year=2016)  # fmt: skip
    day = advance(users, procedure, until=deciding)
    record(users, household, 2016, food_secure=False)
    actor = users["township_reviewer"] if deciding == "township_review" else users["county_officer"]
    error = refused("eligibility_failed", lifecycle.procedure_step, user=actor, procedure=procedure, step=deciding,
                    decision="approve", on=day)  # fmt: skip
    assert [c["name"] for c in error.errors["eligibility"] if c["result"] != "pass"] == ["food"]
    assert not ProcedureStep.objects.filter(procedure=procedure, step=deciding).exists()
    household.refresh_from_db()
    assert household.status == "poor"


def test_the_evaluation_stored_is_the_one_the_decision_was_taken_on(users, household):
    """The income entered after the proposal is what the county approval saw: the stored evaluation says so."""
    poor(users, household)
    record(users, household, 2016, wages="20000")
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="exit",
                                         on=D(2016, 9, 1), year=2016)  # fmt: skip
    assert procedure.evaluation["checks"][0]["detail"]["per_capita_income"] == "10000.00"
    day = advance(users, procedure, until="county_approval")
    record(users, household, 2016, wages="16000")
    lifecycle.procedure_step(user=users["county_officer"], procedure=procedure, step="county_approval",
                             decision="approve", on=day)  # fmt: skip
    procedure.refresh_from_db()
    assert procedure.state == "approved"
    assert procedure.evaluation["checks"][0]["detail"]["per_capita_income"] == "8000.00"
    assert procedure.evaluation["year"] == 2016


def test_the_verification_after_an_upheld_objection_re_evaluates(users, household):
    """An upheld objection sends the exit back to verification; the verification runs the evaluation again."""
    poor(users, household)
    record(users, household, 2016)
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="exit",
                                         on=D(2016, 9, 1), year=2016)  # fmt: skip
    advance(users, procedure, until="township_review")
    notice = procedure.notices.get()
    objection = lifecycle.objection_lodge(user=users["village_team"], notice=notice, lodged_on=notice.start,
                                          lodged_by="张某", content="家中房屋已成危房")  # fmt: skip
    lifecycle.objection_resolve(user=users["village_team"], objection=objection, outcome="upheld",
                                on=notice.end, resolution="重新核实")  # fmt: skip
    record(users, household, 2016, housing_grade="D")
    refused("eligibility_failed", lifecycle.procedure_step, user=users["village_team"], procedure=procedure,
            step="verification", decision="approve", on=notice.end)  # fmt: skip


def test_risk_elimination_is_re_evaluated_on_the_monitoring_line_at_county_approval(users, household):
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=D(2016, 11, 1))
    household.monitoring_status = "monitored"
    household.save(update_fields=["monitoring_status"])
    record(users, household, 2021)
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="risk_elimination",
                                         on=D(2022, 3, 1), year=2021)  # fmt: skip
    day = advance(users, procedure, until="county_approval")
    record(users, household, 2021, wages="11000")  # 5500 a head: under the 2021 monitoring line of 6000
    error = refused("eligibility_failed", lifecycle.procedure_step, user=users["county_officer"], procedure=procedure,
                    step="county_approval", decision="approve", on=day)  # fmt: skip
    assert error.errors["eligibility"][0]["detail"]["line"] == "6000.00"


def test_identification_above_the_line_needs_a_reason(users, household):
    """A household whose income is above the year's poverty line is refused identification (eligibility_failed,
    income) unless a reason is recorded; the income check is stored on the procedure with its standard row."""
    record(users, household, 2015, wages="6000")  # 3000 a head, above 2015's 2855
    error = refused("eligibility_failed", lifecycle.procedure_open, user=users["village_team"], household=household,
                    kind="identification", on=D(2015, 3, 1))  # fmt: skip
    assert "income" in str(error.detail)
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="identification",
                                         on=D(2015, 3, 1), reason="年内户主重病，收入骤降")  # fmt: skip
    assert procedure.evaluation["kind"] == "identification"
    assert procedure.evaluation["checks"][0]["result"] == "fail"
    assert procedure.evaluation["standard"]["year"] == 2015


def test_identification_at_or_below_the_line_opens_without_a_reason(users, household):
    record(users, household, 2015, wages="5000")  # 2500 a head
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="identification",
                                         on=D(2015, 3, 1))  # fmt: skip
    assert procedure.evaluation["checks"][0]["result"] == "pass"


def test_a_return_above_the_line_needs_a_reason_not_only_a_note(users, household):
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=D(2016, 11, 1))
    record(users, household, 2017, wages="20000")
    refused("eligibility_failed", lifecycle.procedure_open, user=users["village_team"], household=household,
            kind="return", on=D(2017, 9, 1), note="户主患病")  # fmt: skip
    assert lifecycle.procedure_open(user=users["village_team"], household=household, kind="return",
                                    on=D(2017, 9, 1), reason="大额医疗支出")  # fmt: skip


# Point 5: one poverty-line series, the household's standard chooses the row ----------------------------------------


def test_2016_is_measured_against_3146_not_2952(users, household):
    """3100 a head passed the statistics bureau's 2952; the exit benchmark of 2016 is 3146, so the exit fails."""
    poor(users, household)
    record(users, household, 2016, wages="6200")
    error = refused("eligibility_failed", lifecycle.procedure_open, user=users["village_team"], household=household,
                    kind="exit", on=D(2016, 9, 1), year=2016)  # fmt: skip
    assert error.errors["eligibility"][0]["detail"]["line"] == "3146.00"


def test_the_default_series_and_monitoring_lines_through_this_year():
    national = {row.year: row for row in PolicyStandard.objects.filter(region=None)}
    assert {year: national[year].poverty_line for year in range(2014, 2021)} == {
        2014: 2800, 2015: 2855, 2016: 3146, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000}  # fmt: skip
    assert all(national[year].monitoring_line == 6000 for year in range(2021, timezone.localdate().year + 1))


def test_a_provincial_household_is_measured_against_its_province_row(users, household):
    """The identification standard 省定 picks the provincial row of the household's province; the evaluation
    records the row it used (id, year, region, kind); a national household keeps the national row."""
    province = Region.objects.get(code=VILLAGE_A1[:2] + "0" * 10)
    row = PolicyStandard.objects.create(year=2016, region=province, kind="provincial", poverty_line=Decimal("3300"))
    poor(users, household)
    record(users, household, 2016, wages="6500")  # 3250 a head: above 3146, not above the province's 3300
    household.identification_standard = "provincial"
    household.save(update_fields=["identification_standard"])
    error = refused("eligibility_failed", lifecycle.procedure_open, user=users["village_team"], household=household,
                    kind="exit", on=D(2016, 9, 1), year=2016)  # fmt: skip
    assert error.errors["eligibility"][0]["detail"]["line"] == "3300.00"
    household.identification_standard = "national"
    household.save(update_fields=["identification_standard"])
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="exit",
                                         on=D(2016, 9, 1), year=2016)  # fmt: skip
    used = procedure.evaluation["standard"]
    assert (used["year"], used["region"], used["kind"]) == (2016, None, "national") and used["id"] != row.pk


def test_the_migration_corrects_2016_and_adds_the_monitoring_rows():
    """Back before the correction with the old default, then forward: 2016 becomes 3146 and every year from 2021
    to this year has a monitoring line; a 2016 figure a county edited would be left alone."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    before = [("households", "0007_register_fields_nullable_flags")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("households", "PolicyStandard")
    assert old.objects.get(year=2016, region=None).poverty_line == 2952
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert PolicyStandard.objects.get(year=2016, region=None).poverty_line == 3146
    years = set(PolicyStandard.objects.filter(region=None, monitoring_line=6000).values_list("year", flat=True))
    assert set(range(2021, timezone.localdate().year + 1)) <= years


# Point 12: an appraisal approves only with a majority of the votes cast ---------------------------------------------


def _at_appraisal(users, household):
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="identification",
                                         on=D(2014, 3, 1))  # fmt: skip
    return procedure


@pytest.mark.parametrize(
    "votes",
    [
        {"votes_for": 10, "votes_against": 10},  # a tie
        {"votes_for": 12, "votes_against": 3, "participants": 30},  # more for than against, but not half of those there
    ],
)
def test_an_appraisal_without_a_majority_cannot_approve(users, household, votes):
    procedure = _at_appraisal(users, household)
    with pytest.raises(ValidationError) as info:
        lifecycle.procedure_step(user=users["village_team"], procedure=procedure, step="appraisal",
                                 decision="approve", on=D(2014, 3, 5), data=votes)  # fmt: skip
    assert "votes_for" in info.value.message_dict
    assert not ProcedureStep.objects.filter(procedure=procedure, step="appraisal").exists()


def test_an_appraisal_records_how_many_took_part_and_no_more_votes(users, household):
    procedure = _at_appraisal(users, household)
    with pytest.raises(ValidationError) as info:
        lifecycle.procedure_step(user=users["village_team"], procedure=procedure, step="appraisal", decision="approve",
                                 on=D(2014, 3, 5), data={"votes_for": 20, "votes_against": 5, "participants": 24})  # fmt: skip
    assert "participants" in info.value.message_dict
    step = lifecycle.procedure_step(user=users["village_team"], procedure=procedure, step="appraisal",
                                    decision="approve", on=D(2014, 3, 5),
                                    data={"votes_for": 20, "votes_against": 5, "participants": 30})  # fmt: skip
    assert step.data == {"votes_for": 20, "votes_against": 5, "participants": 30}


def test_the_api_takes_participants(api, users, household):
    procedure = _at_appraisal(users, household)
    response = api(users["village_team"]).post(
        f"/api/v1/procedures/{procedure.pk}/steps/",
        {"step": "appraisal", "decision": "approve", "date": "2014-03-05", "votes_for": 9, "votes_against": 1,
         "participants": 12},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["steps"][1]["data"]["participants"] == 12


# Point 14: objection deadline, entry closed after 2020, a removed household identified again -----------------------


def _objection(users, household):
    procedure = _at_appraisal(users, household)
    advance(users, procedure, until="township_review", start=D(2014, 3, 5))
    notice = procedure.notices.get()
    objection = lifecycle.objection_lodge(user=users["village_team"], notice=notice, lodged_on=notice.start,
                                          lodged_by="张某", content="家中有车")  # fmt: skip
    return procedure, notice, objection


def test_an_objection_is_resolved_within_the_objection_days(users, household):
    """The standard's objection days (7) bound the resolution: a later one is refused (objection_overdue) and the
    procedure can then only be ended, by a rejection."""
    procedure, notice, objection = _objection(users, household)
    late = objection.lodged_on + datetime.timedelta(days=8)
    refused("objection_overdue", lifecycle.objection_resolve, user=users["village_team"], objection=objection,
            outcome="dismissed", on=late, resolution="查无此事")  # fmt: skip
    assert Objection.objects.get(pk=objection.pk).outcome == ""
    refused("objection_open", lifecycle.procedure_step, user=users["township_reviewer"], procedure=procedure,
            step="township_review", decision="approve", on=late)  # fmt: skip
    lifecycle.procedure_step(user=users["township_reviewer"], procedure=procedure, step="township_review",
                             decision="reject", on=late, note="异议逾期未处理")  # fmt: skip
    assert Procedure.objects.get(pk=procedure.pk).state == "rejected"


def test_an_objection_resolved_on_its_last_day_is_accepted(users, household):
    _procedure, _notice, objection = _objection(users, household)
    last = objection.lodged_on + datetime.timedelta(days=7)
    resolved = lifecycle.objection_resolve(user=users["village_team"], objection=objection, outcome="dismissed",
                                           on=last, resolution="查无此事")  # fmt: skip
    assert resolved.outcome == "dismissed"


@pytest.mark.parametrize("kind, status", [("identification", ""), ("return", "exited")])
def test_identification_and_return_close_with_2020(users, household, kind, status):
    """Since 2021 monitoring replaces identification and return: opening one in 2021 is refused."""
    if status:
        lifecycle.status_record(user=users["superuser"], household=household, status=status, on=D(2016, 11, 1))
    refused("transition_not_allowed", lifecycle.procedure_open, user=users["village_team"], household=household,
            kind=kind, on=D(2021, 3, 1), reason="因病")  # fmt: skip
    assert lifecycle.procedure_open(user=users["village_team"], household=household, kind=kind, on=D(2020, 3, 1),
                                    reason="因病")  # fmt: skip


def test_a_removed_household_may_be_identified_again_with_a_reason(users, household):
    lifecycle.status_record(user=users["superuser"], household=household, status="removed", on=D(2017, 6, 1))
    with pytest.raises(ValidationError) as info:
        lifecycle.procedure_open(user=users["village_team"], household=household, kind="identification",
                                 on=D(2018, 3, 1))  # fmt: skip
    assert "reason" in info.value.message_dict
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="identification",
                                         on=D(2018, 3, 1), reason="户主因车祸致残，家庭收入锐减")  # fmt: skip
    assert procedure.reason.startswith("户主因车祸")
    household.refresh_from_db()
    assert household.status == "candidate"
