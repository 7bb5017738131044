"""The gate: an open error-level finding on a household refuses its procedure steps (409 finding_open, naming it).

Through the API (POST households/{id}/procedures/ and procedures/{id}/steps/): the register rules run for the
household before each step, so an error written into the data since the last step is found and refuses it; a fix
closes the finding on the next try and the step goes through. Warnings never block; the procedures that put an
error right (removal for an ID error, return for a possible wrong exit) are not blocked by it.
"""

import datetime
from decimal import Decimal

import pytest

from checks.findings import finding_resolve
from checks.models import Finding, RuleRun
from households import services
from households.models import Member, PolicyStandard
from lifecycle import services as lifecycle
from lifecycle.models import Procedure, ProcedureStep
from tests.assertions import assert_error

pytestmark = pytest.mark.django_db


def procedures_url(household):
    return f"/api/v1/households/{household.pk}/procedures/"


def steps_url(procedure_id):
    return f"/api/v1/procedures/{procedure_id}/steps/"


def open_identification(api, users, household):
    return api(users["village_team"]).post(
        procedures_url(household), {"kind": "identification", "date": "2014-03-01"}, format="json"
    )


def break_head_id(household) -> tuple[Member, str]:
    """Write a wrong check digit into the head's ID number, as an import could; returns the head and the good number."""
    head = household.members.get(relation="01")
    good = head.id_number
    Member.objects.filter(pk=head.pk).update(id_number=good[:17] + ("0" if good[17] != "0" else "1"))
    return head, good


def test_an_open_error_refuses_opening_a_procedure_and_names_the_finding(api, users, home, chinese):
    """The ID-1 error found by the run before the step is named in the 409: its rule, message and id."""
    head, _good = break_head_id(home)
    response = open_identification(api, users, home)
    body = assert_error(response, 409, "finding_open")
    finding = Finding.objects.get(rule="ID-1", status="open")
    assert finding.member_id == head.pk
    assert body["errors"] == {
        f"findings.{finding.pk}": [{"code": "ID-1", "detail": body["errors"][f"findings.{finding.pk}"][0]["detail"]}]
    }
    assert "身份证号校验位错误" in body["errors"][f"findings.{finding.pk}"][0]["detail"]
    assert "ID-1" in body["detail"]
    assert not Procedure.objects.filter(household=home).exists()
    assert RuleRun.objects.filter(household=home, trigger="step").count() == 1


def test_an_error_refuses_the_next_step_until_it_is_fixed(api, users, home):
    """An identification under way meets an ID error at appraisal: 409; once the number is corrected the next try
    closes the finding (fixed by the run) and the step is taken."""
    opened = open_identification(api, users, home)
    assert opened.status_code == 201, opened.json()
    pid = opened.json()["id"]
    head, good = break_head_id(home)
    step = {"step": "appraisal", "decision": "approve", "date": "2014-03-05", "votes_for": 30, "votes_against": 1}
    team = api(users["village_team"])
    assert_error(team.post(steps_url(pid), step, format="json"), 409, "finding_open")
    assert not ProcedureStep.objects.filter(procedure_id=pid, step="appraisal").exists()

    Member.objects.filter(pk=head.pk).update(id_number=good)
    response = team.post(steps_url(pid), step, format="json")
    assert response.status_code == 201, response.json()
    finding = Finding.objects.get(rule="ID-1")
    assert finding.status == "fixed" and finding.closed_by_run.trigger == "step"


def test_warnings_do_not_block(api, users, home):
    """因病 with nobody ill is a warning (HH-2): found by the run, and the procedure opens all the same."""
    response = open_identification(api, users, home)
    assert response.status_code == 201, response.json()
    assert Finding.objects.filter(household=home, rule="HH-2", status="open", severity="warning").exists()


def test_a_removal_is_not_blocked_by_an_id_error_but_an_exit_is(api, users, home):
    """Removal (清退) is how a wrongly registered household is put right, so an ID error does not hold it."""
    lifecycle.status_record(user=users["superuser"], household=home, status="poor", on=datetime.date(2014, 4, 2))
    break_head_id(home)
    team = api(users["village_team"])
    exit_ = team.post(procedures_url(home), {"kind": "exit", "date": "2017-10-09", "year": 2017}, format="json")
    assert_error(exit_, 409, "finding_open")
    removal = team.post(
        procedures_url(home), {"kind": "removal", "date": "2017-10-09", "reason": "wrongly_included"}, format="json"
    )
    assert removal.status_code == 201, removal.json()
    assert removal.json()["kind"] == "removal"


def test_a_possible_wrong_exit_does_not_block_the_return_procedure(api, users, home):
    """HH-9 (错退: exited in 2017 on a 2017 record under the line) is an error, and a return procedure (返贫) is its
    remedy."""
    lifecycle.status_record(user=users["superuser"], household=home, status="exited", on=datetime.date(2017, 12, 20))
    Member.objects.filter(household=home).update(medical_insurance=True, serious_illness_insurance=True)
    PolicyStandard.objects.update_or_create(year=2017, region=None, defaults={"poverty_line": Decimal("3335")})
    services.annual_record_upsert(
        user=None, household=home, year=2017,
        data={"wages": Decimal("3000"), "food_secure": True, "clothing_secure": True, "housing_grade": "A",
              "water_safe": True, "water_access_ok": True},
    )  # fmt: skip
    response = api(users["village_team"]).post(
        procedures_url(home), {"kind": "return", "date": "2018-03-01", "reason": "因病返贫"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Finding.objects.filter(household=home, rule="HH-9", status="open", severity="error").exists()


def test_an_error_confirmed_correct_no_longer_blocks(api, users, home):
    """The village team checked the number with the holder's card and confirmed it: the gate lets the step pass."""
    break_head_id(home)
    assert_error(open_identification(api, users, home), 409, "finding_open")
    finding = Finding.objects.get(rule="ID-1", status="open")
    finding_resolve(user=users["village_team"], finding=finding, status="confirmed_correct", resolution="已核对原件")
    response = open_identification(api, users, home)
    assert response.status_code == 201, response.json()
