"""My work queue 待办 at `/`: what waits for each role, each line linking to where the work is done, pinned queries."""

import datetime

import pytest
from django.utils import timezone

from cadres.models import Cadre, Pairing, Unit, Visit
from lifecycle import services as lifecycle
from lifecycle.models import Notice, Objection
from tests.conftest import VILLAGE_A1
from tests.factories import UserFactory
from tests.households.builders import head, make_household, spouse
from tests.lifecycle.steps import advance
from villages.models import Region

pytestmark = pytest.mark.django_db
D = datetime.date


def households(users, n, start=0):
    village = Region.objects.get(code=VILLAGE_A1)
    return [
        make_household(village=village, user=users["superuser"], members=[head(start + i), spouse(start + i)])
        for i in range(n)
    ]


def identification(users, household, until):
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="identification",
                                         on=D(2019, 3, 1))  # fmt: skip
    advance(users, procedure, until=until, start=D(2019, 3, 2))
    return procedure


def queue_lines(page: str) -> str:
    return page.split('id="work-queue"')[1].split('id="my-roles"')[0]


def test_the_village_team_sees_the_steps_due_by_it_with_links(client, users):
    first, second = households(users, 2)
    waiting = identification(users, first, "appraisal")
    identification(users, second, "township_review")  # the township's turn, not the team's
    client.force_login(users["village_team"])
    page = queue_lines(client.get("/").content.decode())
    assert "民主评议 · 贫困识别" in page and f'href="/procedures/{waiting.pk}/"' in page
    assert "乡镇审核" not in page
    assert "queue-items" not in page.split('id="queue-checks"')[1]  # counts without lines show no empty list
    assert "我的角色与区划" in client.get("/").content.decode()  # my roles, below the queue


def test_the_township_and_the_county_see_their_reviews_and_maker_checker_is_respected(client, users):
    (household,) = households(users, 1)
    procedure = lifecycle.procedure_open(user=users["county_officer"], household=household, kind="identification",
                                         on=D(2019, 3, 1))  # fmt: skip
    advance(users, procedure, until="township_review", start=D(2019, 3, 2))
    client.force_login(users["township_reviewer"])
    page = queue_lines(client.get("/").content.decode())
    assert "乡镇审核 · 贫困识别" in page and 'href="/reviews/"' in page
    advance(users, procedure, until="county_approval", start=D(2019, 4, 1))
    client.force_login(users["county_officer"])  # proposed it: not theirs to approve
    assert "县级审定公告" not in queue_lines(client.get("/").content.decode())
    second = UserFactory(username="county2", grants=[("county_officer", "220821000000")])
    client.force_login(second)
    assert "县级审定公告 · 贫困识别" in queue_lines(client.get("/").content.decode())


def test_notices_objections_risk_reviews_records_findings_and_visits(client, users):
    today = timezone.localdate()
    noticed, monitored, paired = households(users, 3)
    procedure = lifecycle.procedure_open(user=users["village_team"], household=noticed, kind="monitoring",
                                         on=today - datetime.timedelta(days=6), monitoring_type="marginal",
                                         data={"source": "self_report"})  # fmt: skip
    advance(users, procedure, until="township_review", start=today - datetime.timedelta(days=5))
    notice = Notice.objects.get()
    Objection.objects.create(notice=notice, lodged_on=notice.start, lodged_by="李四", content="收入不实",
                             recorded_by=users["village_team"])  # fmt: skip
    included = lifecycle.procedure_open(user=users["village_team"], household=monitored, kind="monitoring",
                                        on=D(2025, 1, 6), monitoring_type="marginal", data={"source": "self_report"})
    advance(users, included)
    unit = Unit.objects.create(name="县农业局", level="county", region_id="220821000000")
    cadre = Cadre.objects.create(name="赵干部", sex="male", id_number="220821198001010011", unit=unit,
                                 region_id="220821000000", user=users["village_team"])  # fmt: skip
    Pairing.objects.create(cadre=cadre, household=paired, starts_on=D(2024, 1, 1))
    client.force_login(users["village_team"])
    page = queue_lines(client.get("/").content.decode())
    assert "3 天内结束的公示" in page and "待处理的异议" in page and "李四：收入不实" in page
    assert "监测满半年、待风险评估的监测对象" in page
    assert f'href="/households/{monitored.pk}/procedures/new/?kind=risk_elimination"' in page
    assert f"{today.year} 年度信息未录入的户" in page and f'href="/households/{monitored.pk}/records/{today.year}/"' in page
    assert "待整改的错误（阻止办理程序）" in page and 'href="/findings/?severity=error"' in page
    assert "我结对的户本季度尚未走访" in page
    Visit.objects.create(cadre=cadre, household=paired, date=today)
    page = queue_lines(client.get("/").content.decode())
    assert page.split("我结对的户本季度尚未走访")[0].rsplit('data-count="', 1)[1].startswith("0")


def test_a_user_without_roles_has_nothing_waiting(client, users):
    client.force_login(users["nobody"])
    page = client.get("/").content.decode()
    assert 'id="queue-empty"' in page and 'id="no-grants"' in page


@pytest.mark.parametrize("rows", [2, 20])
def test_the_queue_costs_the_same_whatever_the_data(client, users, rows, django_assert_num_queries):
    for household in households(users, rows):
        identification(users, household, "appraisal")
    client.force_login(users["village_team"])
    client.get("/")
    # session, user, my grants (roles section), grants (scope), steps due, village exits due, notices ending,
    # objections, risk reviews, missing records, findings, visits
    with django_assert_num_queries(12):
        page = client.get("/").content.decode()
    assert f'data-count="{rows}" data-step="appraisal"' in page
