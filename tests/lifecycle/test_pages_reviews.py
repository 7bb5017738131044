"""The review queues (/reviews/): scope, rights, batch decisions through the services, bad input, pinned queries."""

import datetime

import pytest
from django.urls import reverse

from lifecycle.models import Procedure, ProcedureStep
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.lifecycle.reviewing import awaiting, break_head_id

pytestmark = pytest.mark.django_db

URL = "/reviews/"
TODAY = datetime.date.today().isoformat()


def signed_in(client, user):
    client.force_login(user)
    return client


def steps_of(procedure) -> list[str]:
    return list(ProcedureStep.objects.filter(procedure=procedure).order_by("id").values_list("step", flat=True))


def test_the_url_name_is_reviews():
    assert reverse("reviews") == URL


def test_a_township_reviewer_sees_its_townships_steps_with_household_and_step_in_words(client, users, tree):
    """The row names the household by number and head, the kind and the step in words, and links to the card."""
    household, _procedure = awaiting(users, tree[VILLAGE_A1], sequence=1)
    page = signed_in(client, users["township_reviewer"]).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert household.number in html and "王建国" in html
    assert f"/households/{household.pk}/" in html
    assert "纳入监测" in html and "乡镇审核" in html
    assert "2026 年度评估" in html  # the stored inclusion test, in words


def test_another_townships_reviewer_sees_nothing_and_posting_its_item_is_404(client, users, tree):
    """A procedure of town B is not in town A's queue, and deciding it answers 404 and writes nothing."""
    _household, procedure = awaiting(users, tree[VILLAGE_B1], sequence=2)
    reviewer = signed_in(client, users["township_reviewer"])
    html = reviewer.get(URL).content.decode()
    assert f'data-procedure="{procedure.pk}"' not in html and 'id="queue-empty"' in html
    response = reviewer.post(URL, {"procedures": [procedure.pk], "decision": "approve", "date": TODAY})
    assert response.status_code == 404
    assert "township_review" not in steps_of(procedure)


def test_a_village_team_gets_403_and_no_menu_item(client, users, tree):
    team = signed_in(client, users["village_team"])
    assert team.get(URL).status_code == 403
    assert team.post(URL, {"procedures": [], "decision": "approve", "date": TODAY}).status_code == 403
    assert f'href="{URL}"' not in team.get("/").content.decode()


def test_a_batch_applies_each_household_and_refuses_one_with_an_open_error(client, users, tree):
    """Three selected: two approved, the one with an open ID error refused with the finding named; it is untouched."""
    rows = [awaiting(users, tree[VILLAGE_A1], sequence=n) for n in (3, 4, 5)]
    break_head_id(rows[2][0])
    response = signed_in(client, users["township_reviewer"]).post(
        URL, {"procedures": [p.pk for _h, p in rows], "decision": "approve", "date": TODAY}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已办理 2 户，未办理 1 户" in html
    assert "ID-1" in html and "请村工作队先整改这些问题" in html
    assert [steps_of(p)[-1] for _h, p in rows[:2]] == ["township_review", "township_review"]
    assert "township_review" not in steps_of(rows[2][1])
    assert Procedure.objects.get(pk=rows[2][1].pk).position == rows[2][1].position


def test_rejecting_needs_a_reason_and_writes_nothing_without_one(client, users, tree):
    _household, procedure = awaiting(users, tree[VILLAGE_A1], sequence=6)
    reviewer = signed_in(client, users["township_reviewer"])
    response = reviewer.post(URL, {"single": f"reject:{procedure.pk}", "date": TODAY, "note": " "})
    assert response.status_code == 200
    assert "不通过须填写原因" in response.content.decode()
    assert steps_of(procedure)[-1] == "notice"
    response = reviewer.post(URL, {"single": f"reject:{procedure.pk}", "date": TODAY, "note": "收入已达标"})
    assert "不通过，程序已办结" in response.content.decode()
    assert Procedure.objects.get(pk=procedure.pk).state == "rejected"


def test_bad_input_is_refused_with_a_message_and_nothing_written(client, users, tree):
    """A date in the future and no decision: messages beside the fields, no step written."""
    _household, procedure = awaiting(users, tree[VILLAGE_A1], sequence=7)
    response = signed_in(client, users["township_reviewer"]).post(
        URL, {"procedures": [procedure.pk], "date": "2999-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "日期不能晚于今天" in html and 'id="id_decision_error"' in html or "error-summary" in html
    assert steps_of(procedure)[-1] == "notice"


def test_a_garbled_id_is_404(client, users, tree):
    response = signed_in(client, users["township_reviewer"]).post(
        URL, {"procedures": ["x"], "decision": "approve", "date": TODAY}
    )
    assert response.status_code == 404


def test_the_county_office_approves_and_maker_checker_refuses_its_own_verification(client, users, tree):
    """County approval is in the county's queue; the officer who verified (here: took the village steps) is refused
    by maker-checker with a sentence saying who may decide, the other household is approved."""
    _h1, mine = awaiting(users, tree[VILLAGE_A1], sequence=8, until="county_approval", by_county=True)
    _h2, other = awaiting(users, tree[VILLAGE_A1], sequence=9, until="county_approval")
    officer = signed_in(client, users["county_officer"])
    html = officer.get(URL).content.decode()
    assert "县级审定公告" in html and "您提出或核实了本程序" in html
    response = officer.post(URL, {"procedures": [mine.pk, other.pk], "decision": "approve", "date": TODAY})
    html = response.content.decode()
    assert "请由没有提出或核实本程序的另一位审核人员办理" in html
    assert Procedure.objects.get(pk=other.pk).state == "approved"
    assert Procedure.objects.get(pk=mine.pk).state == "open"


@pytest.mark.parametrize("how_many", [2, 20])
def test_the_queue_costs_the_same_queries_for_2_and_20_rows(client, users, tree, how_many, django_assert_num_queries):
    for n in range(how_many):
        awaiting(users, tree[VILLAGE_A1], sequence=10 + n)
    break_head_id(Procedure.objects.order_by("id").first().household)
    reviewer = signed_in(client, users["township_reviewer"])
    with django_assert_num_queries(6):
        response = reviewer.get(URL)
    assert response.content.decode().count('class="list-group-item review-row') == how_many
