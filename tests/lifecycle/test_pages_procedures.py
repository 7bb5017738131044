"""The procedure pages: start a procedure, take each step, objections, the notice board — scope, rights, refusals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from households import services
from lifecycle import services as lifecycle
from lifecycle.models import Notice, Objection, Procedure, ProcedureStep
from tests.conftest import VILLAGE_A1
from tests.factories import UserFactory
from tests.households.builders import head, make_household, spouse
from tests.lifecycle.steps import advance
from villages.models import Region

pytestmark = pytest.mark.django_db
D = datetime.date


def new_url(household, kind=""):
    return f"/households/{household.pk}/procedures/new/" + (f"?kind={kind}" if kind else "")


def open_identification(users, household):
    return lifecycle.procedure_open(user=users["village_team"], household=household, kind="identification", on=D(2019, 3, 1))


def written() -> tuple:
    return (Procedure.objects.count(), ProcedureStep.objects.count(), Notice.objects.count(), Objection.objects.count())


def test_the_kinds_a_household_may_enter_are_listed_and_the_others_explained(client, users, household):
    client.force_login(users["village_team"])
    page = client.get(new_url(household)).content.decode()
    assert 'href="?kind=identification"' in page and 'href="?kind=monitoring"' in page
    assert 'href="?kind=exit"' not in page  # not poor: explained instead
    assert "该户当前状态（一般农户）不能发起“脱贫退出”程序" in page
    page = client.get(new_url(household, "exit")).content.decode()
    assert 'id="kind-refused"' in page and 'id="open-form"' not in page


def test_the_village_team_starts_an_identification_and_is_sent_to_the_procedure(client, users, household):
    client.force_login(users["village_team"])
    response = client.post(new_url(household, "identification"), {"date": "2019-03-01", "note": "农户申请"})
    procedure = Procedure.objects.get(household=household)
    assert response.status_code == 302 and response["Location"] == f"/procedures/{procedure.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "农户申请" in page and "民主评议" in page and 'id="step-form"' in page
    assert "下一步序号" not in page and "识别中" in page
    assert "户主 王建国" in page  # the heading names the head, on the procedure page as on the start page


def test_bad_input_on_the_start_form_writes_nothing_and_keeps_what_was_typed(client, users, household):
    client.force_login(users["village_team"])
    before = written()
    page = client.post(new_url(household, "identification"), {"date": "2019-02-30", "note": "保留的说明"}).content.decode()
    assert 'id="error-summary"' in page and "保留的说明" in page
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page = client.post(new_url(household, "monitoring"), {"date": future, "year": "2026", "monitoring_type": "marginal",
                                                         "source": "self_report"}).content.decode()  # fmt: skip
    assert "日期不能晚于今天" in page
    page = client.post(new_url(household, "identification"), {"date": "2022-03-01"}).content.decode()
    assert "2020 年以后不再办理识别和返贫，请纳入防返贫监测" in page
    assert written() == before


def test_a_role_without_the_right_sees_no_button_and_gets_403(client, users, household):
    client.force_login(users["inspector"])
    page = client.get(new_url(household, "identification")).content.decode()
    assert 'id="open-button"' not in page and 'id="no-right"' in page
    assert client.post(new_url(household, "identification"), {"date": "2019-03-01"}).status_code == 403
    procedure = open_identification(users, household)
    page = client.get(f"/procedures/{procedure.pk}/").content.decode()
    assert 'id="step-form"' not in page and 'id="waiting"' in page
    response = client.post(f"/procedures/{procedure.pk}/", {"step": "appraisal", "decision": "approve", "date": "2019-03-02"})
    assert response.status_code == 403
    client.force_login(users["township_reviewer"])  # the township reviews, it does not appraise
    assert 'id="step-form"' not in client.get(f"/procedures/{procedure.pk}/").content.decode()
    assert client.post(f"/procedures/{procedure.pk}/", {"decision": "approve", "date": "2019-03-02"}).status_code == 403
    assert ProcedureStep.objects.count() == 1


def test_out_of_scope_is_404(client, users, household):
    procedure = open_identification(users, household)
    client.force_login(UserFactory(username="far", grants=[("village_team", "220822100201")]))
    assert client.get(new_url(household, "identification")).status_code == 404
    assert client.post(new_url(household, "identification"), {"date": "2019-03-01"}).status_code == 404
    assert client.get(f"/procedures/{procedure.pk}/").status_code == 404
    assert client.post(f"/procedures/{procedure.pk}/", {"decision": "approve", "date": "2019-03-02"}).status_code == 404
    client.force_login(users["village_team"])
    assert client.get("/procedures/999999/").status_code == 404


def test_appraisal_votes_need_a_majority_and_a_rejection_needs_a_reason(client, users, household):
    procedure = open_identification(users, household)
    client.force_login(users["village_team"])
    url = f"/procedures/{procedure.pk}/"
    before = written()
    page = client.post(url, {"step": "appraisal", "decision": "approve", "date": "2019-03-05", "votes_for": "10",
                             "votes_against": "12"}).content.decode()  # fmt: skip
    assert "赞成票未过半数，民主评议不能通过" in page and 'value="12"' in page
    page = client.post(url, {"step": "appraisal", "decision": "reject", "date": "2019-03-05"}).content.decode()
    assert "不通过须填写原因" in page
    assert written() == before
    response = client.post(url, {"step": "appraisal", "decision": "approve", "date": "2019-03-05", "votes_for": "30",
                                 "votes_against": "2", "participants": "35"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "赞成 30 票，反对 2 票，参加 35 人" in page and "下一步：入户核实" in page


def test_a_notice_suggests_its_end_and_the_next_step_waits_for_it(client, users, household):
    procedure = open_identification(users, household)
    advance(users, procedure, until="first_notice", start=D(2019, 3, 2))
    client.force_login(users["village_team"])
    url = f"/procedures/{procedure.pk}/"
    page = client.get(url).content.decode()
    today = timezone.localdate()
    assert f'value="{(today + datetime.timedelta(days=7)).isoformat()}"' in page and 'data-notice-days="7"' in page
    page = client.post(url, {"step": "first_notice", "decision": "approve", "date": "2019-03-05", "start": "2019-03-05",
                             "end": "2019-03-08"}).content.decode()  # fmt: skip
    assert "公示期不少于 7 天：结束日期最早为 2019-03-12" in page
    assert Notice.objects.count() == 0
    client.post(url, {"step": "first_notice", "decision": "approve", "date": "2019-03-05", "start": "2019-03-05",
                      "end": "2019-03-12"})  # fmt: skip
    assert Notice.objects.count() == 1
    client.force_login(users["township_reviewer"])
    page = client.post(url, {"step": "township_review", "decision": "approve", "date": "2019-03-10"}).content.decode()
    assert "公示至 2019-03-12 结束，结束前不能办理下一步" in page and "请在公示期结束后再办理下一步" in page


def test_objections_are_recorded_and_resolved_on_the_procedure_page(client, users, household):
    procedure = open_identification(users, household)
    advance(users, procedure, until="township_review", start=D(2019, 3, 2))
    notice = Notice.objects.get()
    client.force_login(users["village_team"])
    url = f"/procedures/{procedure.pk}/"
    page = client.post(f"{url}objections/", {"objection-lodged_on": "2020-01-01", "objection-lodged_by": "李四",
                                             "objection-content": "收入不实"}).content.decode()  # fmt: skip
    assert "异议须在公示期内" in page and Objection.objects.count() == 0
    client.post(f"{url}objections/", {"objection-lodged_on": notice.start.isoformat(), "objection-lodged_by": "李四",
                                      "objection-content": "收入不实"})  # fmt: skip
    objection = Objection.objects.get()
    client.force_login(users["township_reviewer"])
    page = client.post(url, {"step": "township_review", "decision": "approve", "date": notice.end.isoformat()}).content.decode()
    assert "公示期间的异议尚未处理完毕" in page
    resolve = f"{url}objections/{objection.pk}/resolve/"
    assert client.post(resolve, {f"resolve-{objection.pk}-outcome": "dismissed"}).status_code == 403  # the village's notice
    client.force_login(users["village_team"])
    page = client.post(resolve, {f"resolve-{objection.pk}-outcome": "dismissed",
                                 f"resolve-{objection.pk}-date": notice.end.isoformat()}).content.decode()  # fmt: skip
    assert "处理说明" in page and 'id="error-summary"' in page
    objection.refresh_from_db()
    assert objection.outcome == ""
    client.post(resolve, {f"resolve-{objection.pk}-outcome": "dismissed", f"resolve-{objection.pk}-date": notice.end.isoformat(),
                          f"resolve-{objection.pk}-resolution": "经核实收入属实"})  # fmt: skip
    objection.refresh_from_db()
    assert objection.outcome == "dismissed"
    assert "异议不成立" in client.get(url).content.decode()


def test_maker_checker_is_shown_as_a_sentence(client, users, household):
    county = users["county_officer"]
    procedure = lifecycle.procedure_open(user=county, household=household, kind="identification", on=D(2019, 3, 1))
    advance(users, procedure, until="county_approval", start=D(2019, 3, 2))
    client.force_login(county)
    url = f"/procedures/{procedure.pk}/"
    assert 'id="step-form"' in client.get(url).content.decode()
    page = client.post(url, {"step": "county_approval", "decision": "approve", "date": "2019-05-01"}).content.decode()
    assert "提出或核实本程序的人员不能审核或审定本程序" in page and "请由未参与提出或核实本程序的另一位人员" in page
    assert Procedure.objects.get().state == "open"


def test_an_exit_that_fails_a_check_shows_which_and_writes_nothing(client, users, household):
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 4, 1))
    services.annual_record_upsert(
        user=users["superuser"], household=household, year=2016,
        data={"wages": Decimal("20000"), "food_secure": True, "clothing_secure": True, "housing_grade": "C",
              "water_safe": True, "water_access_ok": True},
    )  # fmt: skip
    household.members.update(medical_insurance=True, serious_illness_insurance=True)
    client.force_login(users["village_team"])
    page = client.get(new_url(household, "exit")).content.decode()
    assert 'data-check="housing" data-result="fail"' in page and 'data-check="income" data-result="pass"' in page
    assert "所用标准" in page and "贫困线" in page and "{&#x27;" not in page
    before = written()
    page = client.post(new_url(household, "exit"), {"date": "2017-03-01", "year": "2016"}).content.decode()
    assert "退出评估未通过：housing" in page or "退出评估未通过" in page
    assert "请补录或更正该户的年度信息" in page
    assert written() == before


def test_query_counts_are_pinned(client, users, household, django_assert_num_queries):
    """The procedure page costs the same with 1 objection or 20, the start page whatever the household holds."""
    procedure = open_identification(users, household)
    client.force_login(users["village_team"])
    url = f"/procedures/{procedure.pk}/"
    with django_assert_num_queries(6):  # session, user, grants, procedure, steps, notices (none yet)
        assert client.get(url).status_code == 200
    with django_assert_num_queries(6):  # session, user, grants, household, open procedure, latest record year
        assert client.get(new_url(household, "monitoring")).status_code == 200
    advance(users, procedure, until="township_review", start=D(2019, 3, 2))
    notice = Notice.objects.get()

    def objections(n):
        for i in range(n):
            Objection.objects.create(notice=notice, lodged_on=notice.start, lodged_by=f"村民{i}", content="异议",
                                     recorded_by=users["village_team"])  # fmt: skip

    objections(1)
    with django_assert_num_queries(7):  # + the notices' objections
        page = client.get(url).content.decode()
    assert page.count("resolve-button") == 1
    objections(19)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert page.count("resolve-button") == 20


@pytest.mark.parametrize("rows", [2, 20])
def test_the_notices_page_costs_the_same_for_any_number_of_notices(client, users, rows, django_assert_num_queries):
    village = Region.objects.get(code=VILLAGE_A1)
    today = timezone.localdate()
    for n in range(rows):
        household = make_household(village=village, user=users["superuser"], members=[head(100 + n), spouse(100 + n)])
        procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="monitoring",
                                             on=today - datetime.timedelta(days=20), monitoring_type="marginal",
                                             data={"source": "cadre_screening"})  # fmt: skip
        advance(users, procedure, until="township_review", start=today - datetime.timedelta(days=5 if n % 2 else 15))
        notice = Notice.objects.get(procedure=procedure)
        Objection.objects.create(notice=notice, lodged_on=notice.start, lodged_by="王五", content="异议",
                                 recorded_by=users["village_team"])  # fmt: skip
    client.force_login(users["village_team"])
    client.get("/notices/")
    # session, user, grants, villages, current notices, their objections, past page (keyset: no count), its objections
    with django_assert_num_queries(8):
        page = client.get("/notices/").content.decode()
    assert page.count('class="list-group-item objection-line"') == rows
    assert client.get(f"/notices/?village={VILLAGE_A1}").status_code == 200
    assert client.get("/notices/?village=220822100201").status_code == 404


def test_the_village_board_still_prints_and_is_scoped(client, users, household):
    client.force_login(users["village_team"])
    page = client.get(f"/villages/{VILLAGE_A1}/notices/").content.decode()
    assert 'id="no-notices"' in page and "data-print" in page and "onclick" not in page
