"""The village page (/villages/<code>/): scope, the profile by year, households by status, the exit evaluation in words,
and the village exit procedure taken form by form through the services, with refusals said and nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from households import services
from households.models import Household
from lifecycle import services as lifecycle
from lifecycle.models import VillageExit, VillageExitObjection, VillageExitStep
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory
from tests.households.builders import head, spouse
from villages.models import Region, VillageProfile, VillageYear

pytestmark = pytest.mark.django_db
D = datetime.date
URL = f"/villages/{VILLAGE_A1}/"
PROPOSED, REVIEWED, NOTICE_START, NOTICE_END, ANNOUNCED = (
    D(2017, 1, 6), D(2017, 1, 13), D(2017, 1, 15), D(2017, 1, 22), D(2017, 1, 27),
)  # fmt: skip


def signed_in(client, user):
    client.force_login(user)
    return client


def add_household(users, sequence: int, status: str | None = "poor", village=VILLAGE_A1):
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=village),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(sequence), spouse(sequence)],
    )  # fmt: skip
    if status:
        lifecycle.status_record(user=users["superuser"], household=household, status=status, on=D(2014, 5, 1))
    return household


@pytest.fixture
def poverty_village(users):
    """A poverty village of 2014 with one poor household of two people (2 ÷ 101 < 2 %) and its 2016 figures."""
    VillageProfile.objects.create(village_id=VILLAGE_A1, poverty_status="poverty", identified_year=2014)
    add_household(users, 1)
    VillageYear.objects.create(
        village_id=VILLAGE_A1, year=2016, rural_population=101, hardened_road=True, safe_water=True, power_grid=True,
        broadband=True, clinic=True, culture_room=None, collective_income=Decimal("52000.00"),
    )  # fmt: skip


@pytest.fixture
def head_of_county(tree):
    """A second county officer: the announcement is not taken by the reviewer."""
    return UserFactory(username="county_head", grants=[("county_officer", COUNTY)])


def exit_of_village():
    return VillageExit.objects.filter(village_id=VILLAGE_A1).order_by("-id").first()


def steps_taken() -> list[str]:
    return list(VillageExitStep.objects.filter(village_exit__village_id=VILLAGE_A1).order_by("id").values_list("step", flat=True))


def propose(users):
    return lifecycle.village_exit_propose(
        user=users["township_reviewer"], village=Region.objects.get(code=VILLAGE_A1), year=2016, on=PROPOSED
    )


def to_notice(users):
    village_exit = propose(users)
    lifecycle.village_exit_step(
        user=users["county_officer"], village_exit=village_exit, step="county_review", decision="approve", on=REVIEWED
    )
    lifecycle.village_exit_step(
        user=users["village_team"], village_exit=village_exit, step="notice", decision="approve", on=NOTICE_START,
        data={"start": NOTICE_START, "end": NOTICE_END},
    )  # fmt: skip
    return VillageExit.objects.get(pk=village_exit.pk)


def test_the_url_name_is_village():
    assert reverse("village", args=[VILLAGE_A1]) == URL


# Scope ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "code", "status"),
    [
        ("village_team", VILLAGE_A1, 200),
        ("village_team", VILLAGE_A2, 404),  # another village of the same township
        ("township_reviewer", VILLAGE_B1, 404),  # another township's village
        ("county_officer", "220822100201", 404),  # another county's village
        ("county_officer", TOWN_A, 404),  # a township is not a village
        ("county_officer", "nonsense", 404),
        ("api_client", VILLAGE_A1, 404),  # reads figures, not the register
        ("nobody", VILLAGE_A1, 404),
        ("inspector", VILLAGE_A1, 200),
    ],
)
def test_only_a_village_whose_register_the_user_reads_exists(client, users, role, code, status):
    assert signed_in(client, users[role]).get(f"/villages/{code}/").status_code == status


def test_posting_to_a_village_out_of_scope_is_404_and_writes_nothing(client, users, poverty_village):
    reviewer_b = UserFactory(username="town_b", grants=[("township_reviewer", "220821101000")])
    response = signed_in(client, reviewer_b).post(
        URL, {"form": "proposal", "proposal-year": "2016", "proposal-date": PROPOSED.isoformat()}
    )
    assert response.status_code == 404
    assert not VillageExit.objects.exists()


def test_a_village_never_described_is_not_a_poverty_village_and_offers_no_proposal(client, users):
    html = signed_in(client, users["township_reviewer"]).get(URL).content.decode()
    assert "非贫困村" in html and "本村不是贫困村，没有出列程序" in html
    assert 'id="exit-proposal-form"' not in html


def test_signed_out_is_sent_to_sign_in(client, tree):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


# What the page shows ---------------------------------------------------------------------------------------------------


def test_the_profile_of_a_year_is_in_words_with_money_separated(client, users, poverty_village):
    html = signed_in(client, users["inspector"]).get(f"{URL}?year=2016").content.decode()
    assert "贫困村" in html and "识别为贫困村" in html and "2014 年" in html
    assert "户籍农业人口" in html and "101 人" in html
    assert "通硬化路" in html and "文化活动室" in html and "未登记" in html
    assert "52,000.00 元" in html
    assert 'id="no-village-year"' not in html


def test_a_year_without_figures_says_so_and_a_bad_year_is_said_not_500(client, users, poverty_village):
    reader = signed_in(client, users["inspector"])
    html = reader.get(f"{URL}?year=2015").content.decode()
    assert 'id="no-village-year"' in html and "没有 2015 年村年度数据" in html
    response = reader.get(f"{URL}?year=１９x")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="year-message"' in html and "下面显示的是 2016 年度" in html  # the latest year with figures


def test_households_by_status_link_to_the_register_filtered(client, users, poverty_village):
    add_household(users, 2, status="exited")
    add_household(users, 3, status=None)
    html = signed_in(client, users["village_team"]).get(URL).content.decode()
    assert f'href="/households/?region={VILLAGE_A1}&amp;status=poor"' in html
    assert f'href="/households/?region={VILLAGE_A1}&amp;status=exited"' in html
    assert "一般农户" in html and "贫困户（未脱贫）" in html and "已脱贫" in html
    # the link gives the list the page counted
    listed = client.get(f"/households/?region={VILLAGE_A1}&status=exited").content.decode()
    assert listed.count("已脱贫") >= 1


def test_the_evaluation_shows_incidence_as_a_percentage_and_each_check_in_words(client, users, poverty_village):
    html = signed_in(client, users["inspector"]).get(f"{URL}?year=2016").content.decode()
    assert "1.98%" in html and "低于 2.00%" in html
    for label in ("贫困发生率", "通硬化路", "安全饮水", "通动力电", "通宽带", "标准化卫生室", "村集体经济收入"):
        assert label in html
    assert 'data-check="incidence" data-result="pass"' in html
    assert "贫困村出列须贫困发生率低于 2.00%" in html  # the standard used, in words
    assert '"checks"' not in html  # never raw JSON


def test_links_to_the_notice_board_and_from_the_household_card_and_notice_board(client, users, poverty_village):
    reader = signed_in(client, users["village_team"])
    assert f'href="/villages/{VILLAGE_A1}/notices/"' in reader.get(URL).content.decode()
    assert f'href="{URL}"' in reader.get(f"/villages/{VILLAGE_A1}/notices/").content.decode()
    assert f'href="{URL}"' in reader.get(f"/notices/?village={VILLAGE_A1}").content.decode()
    card = reader.get(f"/households/{Household.objects.get().pk}/").content.decode()
    assert f'href="{URL}"' in card


# The procedure through the page -----------------------------------------------------------------------------------------


def test_the_township_proposes_through_the_page(client, users, poverty_village):
    reviewer = signed_in(client, users["township_reviewer"])
    assert 'id="exit-proposal-form"' in reviewer.get(URL).content.decode()
    response = reviewer.post(
        URL, {"form": "proposal", "proposal-year": "2016", "proposal-date": PROPOSED.isoformat(), "proposal-note": "达标"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2016#village-exit")
    village_exit = exit_of_village()
    assert (village_exit.year, village_exit.opened_on, village_exit.state) == (2016, PROPOSED, "open")
    assert steps_taken() == ["proposal"]
    html = reviewer.get(response["Location"]).content.decode()
    assert "已提出 2016 年度贫困村出列" in html and "下一步：县级审核" in html
    assert 'id="exit-proposal-form"' not in html and 'id="exit-step-form"' not in html  # the county's step now


def test_a_failing_evaluation_is_refused_in_words_with_what_to_do_and_the_form_keeps_what_was_typed(
    client, users, poverty_village
):
    VillageYear.objects.filter(year=2016).update(rural_population=50, broadband=False)  # 2 ÷ 50 = 4 %
    response = signed_in(client, users["township_reviewer"]).post(
        URL, {"form": "proposal", "proposal-year": "2016", "proposal-date": PROPOSED.isoformat(), "proposal-note": "请审核"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "贫困村出列评估未通过" in html and "贫困发生率（" in html and "通宽带（" in html
    assert "请先补录或更正该村该年度的村年度数据" in html
    assert "请审核" in html and 'value="2017-01-06"' in html  # nothing typed lost
    assert not VillageExit.objects.exists()


def test_bad_input_is_beside_the_field_and_writes_nothing(client, users, poverty_village):
    reviewer = signed_in(client, users["township_reviewer"])
    html = reviewer.post(URL, {"form": "proposal", "proposal-year": "19", "proposal-date": "2999-01-01"}).content.decode()
    assert 'id="id_proposal-year_error"' in html
    html = reviewer.post(URL, {"form": "proposal", "proposal-year": "2016", "proposal-date": "2999-01-01"}).content.decode()
    assert 'id="id_proposal-date_error"' in html and "日期不能晚于今天" in html  # the service's rule, beside the field
    assert not VillageExit.objects.exists()


def test_an_unknown_form_is_400_and_another_roles_form_is_403(client, users, poverty_village):
    assert signed_in(client, users["township_reviewer"]).post(URL, {"form": "other"}).status_code == 400
    team = signed_in(client, users["village_team"])
    response = team.post(URL, {"form": "proposal", "proposal-year": "2016", "proposal-date": PROPOSED.isoformat()})
    assert response.status_code == 403
    assert not VillageExit.objects.exists()


def test_the_county_reviews_and_the_proposer_cannot(client, users, poverty_village):
    propose(users)
    officer = signed_in(client, users["county_officer"])
    html = officer.get(URL).content.decode()
    assert 'id="exit-step-form"' in html and "下一步：县级审核" in html
    bad = officer.post(URL, {"form": "step", "step-step": "county_review", "step-decision": "reject", "step-date": "2017-01-13"})
    assert "不通过须填写原因" in bad.content.decode()
    assert steps_taken() == ["proposal"]
    response = officer.post(
        URL, {"form": "step", "step-step": "county_review", "step-decision": "approve", "step-date": REVIEWED.isoformat()}
    )
    assert response.status_code == 302
    assert steps_taken() == ["proposal", "county_review"]


def test_a_step_before_the_previous_ones_date_is_refused_beside_the_date(client, users, poverty_village):
    propose(users)
    html = signed_in(client, users["county_officer"]).post(
        URL, {"form": "step", "step-step": "county_review", "step-decision": "approve", "step-date": "2017-01-01"}
    ).content.decode()
    assert 'id="id_step-date_error"' in html and "日期不能早于上一步" in html
    assert steps_taken() == ["proposal"]


def test_a_stale_page_is_said_not_applied_twice(client, users, poverty_village, head_of_county):
    """The review was taken meanwhile: posting it again from the old page writes nothing and says so, whoever posts."""
    propose(users)
    officer = signed_in(client, users["county_officer"])
    data = {"form": "step", "step-step": "county_review", "step-decision": "approve", "step-date": REVIEWED.isoformat()}
    officer.post(URL, data)
    response = signed_in(client, head_of_county).post(URL, data)
    assert response.status_code == 302
    assert "已有新进展" in client.get(response["Location"]).content.decode()
    assert steps_taken() == ["proposal", "county_review"]
    response = signed_in(client, users["township_reviewer"]).post(
        URL, {"form": "proposal", "proposal-year": "2016", "proposal-date": PROPOSED.isoformat()}
    )
    assert response.status_code == 302 and VillageExit.objects.count() == 1  # one is open already


def test_the_village_team_gives_notice_with_at_least_the_standards_days(client, users, poverty_village):
    village_exit = propose(users)
    lifecycle.village_exit_step(
        user=users["county_officer"], village_exit=village_exit, step="county_review", decision="approve", on=REVIEWED
    )
    team = signed_in(client, users["village_team"])
    html = team.get(URL).content.decode()
    assert "发布村内公示" in html and 'name="step-decision"' not in html  # a notice is only held
    short = {"form": "step", "step-step": "notice", "step-date": "2017-01-15", "step-start": "2017-01-15", "step-end": "2017-01-18"}
    html = team.post(URL, short).content.decode()
    assert 'id="id_step-end_error"' in html and "公示期不少于 7 天" in html
    assert steps_taken() == ["proposal", "county_review"]
    response = team.post(URL, {**short, "step-end": NOTICE_END.isoformat()})
    assert response.status_code == 302
    village_exit.refresh_from_db()
    assert (village_exit.notice_start, village_exit.notice_end) == (NOTICE_START, NOTICE_END)


def test_objections_are_lodged_and_resolved_and_the_announcement_exits_the_village(
    client, users, poverty_village, head_of_county
):
    to_notice(users)
    team = signed_in(client, users["village_team"])
    html = team.get(URL).content.decode()
    assert 'id="exit-objection-form"' in html and "2017年1月15日" in html
    response = team.post(
        URL, {"form": "objection", "objection-lodged_on": "2017-01-17", "objection-lodged_by": "张某", "objection-content": "路未通"}
    )
    assert response.status_code == 302
    objection = VillageExitObjection.objects.get()
    # the announcement waits for the objection
    head = signed_in(client, head_of_county)
    announce = {"form": "step", "step-step": "announcement", "step-decision": "approve", "step-date": ANNOUNCED.isoformat()}
    html = head.post(URL, announce).content.decode()
    assert "公示期间的异议尚未处理完毕" in html and "请先在下方处理每一条异议" in html
    team = signed_in(client, users["village_team"])
    response = team.post(URL, {
        "form": "resolve", "objection": str(objection.pk), f"resolve-{objection.pk}-outcome": "dismissed",
        f"resolve-{objection.pk}-date": "2017-01-23", f"resolve-{objection.pk}-resolution": "已核实路已通",
    })  # fmt: skip
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == "dismissed"
    response = signed_in(client, head_of_county).post(URL, announce)
    assert response.status_code == 302
    profile = VillageProfile.objects.get(village_id=VILLAGE_A1)
    assert (profile.poverty_status, profile.exit_year) == ("exited", 2016)
    html = client.get(response["Location"]).content.decode()
    assert "已出列" in html and 'id="exit-state"' in html and "已审定" in html


def test_an_upheld_objection_sends_the_exit_back_to_the_county_review(client, users, poverty_village):
    village_exit = to_notice(users)
    objection = lifecycle.village_exit_objection_lodge(
        user=users["village_team"], village_exit=village_exit, lodged_on=D(2017, 1, 17), lodged_by="张某", content="漏报一户"
    )
    team = signed_in(client, users["village_team"])
    assert "异议成立，退回县级审核" in team.get(URL).content.decode()
    response = team.post(URL, {
        "form": "resolve", "objection": str(objection.pk), f"resolve-{objection.pk}-outcome": "upheld",
        f"resolve-{objection.pk}-date": "2017-01-23", f"resolve-{objection.pk}-resolution": "",
    })  # fmt: skip
    assert f'id="id_resolve-{objection.pk}-resolution_error"' in response.content.decode()  # a note is needed
    objection.refresh_from_db()
    assert objection.outcome == ""
    team.post(URL, {
        "form": "resolve", "objection": str(objection.pk), f"resolve-{objection.pk}-outcome": "upheld",
        f"resolve-{objection.pk}-date": "2017-01-23", f"resolve-{objection.pk}-resolution": "重新审核",
    })  # fmt: skip
    html = signed_in(client, users["county_officer"]).get(URL).content.decode()
    assert "下一步：县级审核" in html and 'id="exit-step-form"' in html


def test_a_rejected_review_ends_the_exit_and_a_new_proposal_may_follow(client, users, poverty_village):
    propose(users)
    officer = signed_in(client, users["county_officer"])
    officer.post(URL, {
        "form": "step", "step-step": "county_review", "step-decision": "reject", "step-date": REVIEWED.isoformat(),
        "step-note": "集体经济收入来源不稳定",
    })  # fmt: skip
    assert exit_of_village().state == "rejected"
    html = signed_in(client, users["township_reviewer"]).get(URL).content.decode()
    assert "集体经济收入来源不稳定" in html and "未通过" in html
    assert 'id="exit-proposal-form"' in html  # a new proposal may follow


def test_an_inspector_reads_everything_and_is_offered_no_form(client, users, poverty_village):
    to_notice(users)
    inspector = signed_in(client, users["inspector"])
    html = inspector.get(URL).content.decode()
    assert 'id="exit-steps"' in html and '<form method="post"' not in html and 'id="exit-waiting"' in html
    response = inspector.post(URL, {"form": "objection", "objection-lodged_on": "2017-01-17"})
    assert response.status_code == 403


def test_the_reviewer_may_not_announce(client, users, poverty_village):
    to_notice(users)
    html = signed_in(client, users["county_officer"]).post(
        URL, {"form": "step", "step-step": "announcement", "step-decision": "approve", "step-date": ANNOUNCED.isoformat()}
    ).content.decode()
    assert "提出或审核本出列程序的人员不能再审核或公告本程序" in html and "另一位县扶贫办人员" in html
    assert exit_of_village().state == "open"


def test_resolving_an_objection_of_another_village_is_404(client, users, poverty_village):
    to_notice(users)
    response = signed_in(client, users["village_team"]).post(
        URL, {"form": "resolve", "objection": "999999", "resolve-999999-outcome": "dismissed"}
    )
    assert response.status_code == 404


def test_the_work_queue_links_to_the_village_when_its_exit_step_is_due(client, users, poverty_village, head_of_county):
    """县级审核 waits for the county office, 村内公示 for the village team, the announcement for the county once the
    notice has ended; the township has nothing of it once it has proposed."""
    village_exit = propose(users)
    link = f'href="{URL}#village-exit"'
    assert link in signed_in(client, users["county_officer"]).get("/").content.decode()
    assert "县级审核" in client.get("/").content.decode()
    assert link not in signed_in(client, users["village_team"]).get("/").content.decode()
    assert link not in signed_in(client, users["township_reviewer"]).get("/").content.decode()
    lifecycle.village_exit_step(
        user=users["county_officer"], village_exit=village_exit, step="county_review", decision="approve", on=REVIEWED
    )
    assert link in signed_in(client, users["village_team"]).get("/").content.decode()
    assert link not in signed_in(client, users["county_officer"]).get("/").content.decode()
    to_notice_step = {"start": NOTICE_START, "end": NOTICE_END}
    lifecycle.village_exit_step(
        user=users["village_team"], village_exit=village_exit, step="notice", decision="approve", on=NOTICE_START,
        data=to_notice_step,
    )  # fmt: skip
    page = signed_in(client, head_of_county).get("/").content.decode()  # the notice ended in 2017
    assert link in page and "县级公告" in page


# Pinned queries --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_page_costs_the_same_queries_for_3_and_30_households(
    client, users, poverty_village, how_many, django_assert_num_queries
):
    for n in range(how_many - 1):
        add_household(users, 10 + n, status=("poor", "exited", None)[n % 3])
    VillageYear.objects.filter(year=2016).update(rural_population=10_000)  # still below 2 % with 30 households
    to_notice(users)
    team = signed_in(client, users["village_team"])
    with django_assert_num_queries(12):
        response = team.get(f"{URL}?year=2016")
    assert response.status_code == 200
    assert 'data-status="poor"' in response.content.decode()
