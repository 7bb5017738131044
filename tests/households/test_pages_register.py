"""The register's pages: the list of my scope (filters, search, keyset pages, the ID-number lookup) and the card."""

import datetime
import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from checks.findings import finding_raise
from households.models import Member
from lifecycle import services as lifecycle
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b

LIST = "/households/"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def make(tree, users, sequence: int, *, village=VILLAGE_A1, members=None, status="poor"):
    household = b.make_household(
        village=tree[village], user=users["superuser"], members=members if members is not None else b.family(sequence)
    )
    if status:
        lifecycle.status_record(user=users["superuser"], household=household, status=status, on=datetime.date(2014, 4, 1))
        household.refresh_from_db()
    return household


def family_of_six(sequence: int) -> list[dict]:
    return [
        *b.family(sequence),
        b.daughter(sequence),
        b.member(name="王小宝", sex="male", birth_date=datetime.date(2010, 1, 5), relation="07", sequence=sequence),
        b.member(name="王小花", sex="female", birth_date=datetime.date(2012, 6, 9), relation="08", sequence=sequence),
    ]


def signed_in(client, user):
    client.force_login(user)
    return client


def query_count(client, path, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **kwargs)
    assert response.status_code == 200
    return len(queries)


def test_list_shows_my_villages_households_with_status_words(client, tree, users):
    """The village team sees its village's households (status in words, head, members, village), not the other
    township's."""
    mine = make(tree, users, 1)
    other = make(tree, users, 2, village=VILLAGE_B1)
    body = signed_in(client, users["village_team"]).get(LIST).content.decode()
    assert mine.number in body and other.number not in body
    assert "贫困户（未脱贫）" in body and "王建国" in body and tree[VILLAGE_A1].name in body


def test_a_user_without_the_register_is_refused(client, tree, users):
    assert signed_in(client, users["api_client"]).get(LIST).status_code == 403


def test_member_count_is_right_under_search(client, tree, users):
    """Searching by the head's name does not multiply the member count: a household of six shows 6, not 36."""
    household = make(tree, users, 1, members=family_of_six(1))
    response = signed_in(client, users["village_team"]).get(LIST, {"q": "王建国"})
    assert [row.member_count for row in response.context["page"]["rows"]] == [6]
    assert household.number in response.content.decode()
    assert '<td class="text-end member-count">6</td>' in response.content.decode()


def test_filters_and_open_findings(client, tree, users):
    """Status and "has an open finding" filter the list; the open findings are counted per row."""
    poor = make(tree, users, 1)
    candidate = make(tree, users, 2, status="candidate")
    finding_raise(rule="HH-10", key=f"household:{poor.pk}", village_id=VILLAGE_A1, detail={}, household_id=poor.pk)
    client = signed_in(client, users["village_team"])
    rows = client.get(LIST, {"status": "candidate"}).context["page"]["rows"]
    assert [h.pk for h in rows] == [candidate.pk]
    rows = client.get(LIST, {"has_open_finding": "true"}).context["page"]["rows"]
    assert [(h.pk, h.open_findings) for h in rows] == [(poor.pk, 1)]
    rows = client.get(LIST, {"has_open_finding": "false"}).context["page"]["rows"]
    assert [h.pk for h in rows] == [candidate.pk]


def test_a_bad_filter_is_explained_not_a_500(client, tree, users):
    make(tree, users, 1)
    response = signed_in(client, users["village_team"]).get(LIST, {"region": "12ab", "stars": "9"})
    assert response.status_code == 200
    assert response.context["page"]["rows"] == []
    assert "筛选条件有误" in response.content.decode() and "error-summary" in response.content.decode()


def test_keyset_pages(client, tree, users):
    """27 households: a first page of 25 with a next link, a second of 2 with a previous link back."""
    households = [make(tree, users, n, status=None) for n in range(1, 28)]
    numbers = sorted(h.number for h in households)
    client = signed_in(client, users["village_team"])
    first = client.get(LIST)
    assert [h.number for h in first.context["page"]["rows"]] == numbers[:25]
    second = client.get(LIST + first.context["next_url"])
    assert [h.number for h in second.context["page"]["rows"]] == numbers[25:]
    assert second.context["next_url"] is None
    back = client.get(LIST + second.context["previous_url"])
    assert [h.number for h in back.context["page"]["rows"]] == numbers[:25]
    assert back.context["previous_url"] is None


def test_list_query_count_does_not_grow_with_rows(client, tree, users):
    client = signed_in(client, users["village_team"])
    make(tree, users, 1)
    make(tree, users, 2)
    two = query_count(client, LIST, data={"q": "王"})
    for n in range(3, 21):
        make(tree, users, n)
    assert query_count(client, LIST, data={"q": "王"}) == two == 5  # session, user, grants, regions of the filter, the page


def test_id_lookup_by_post_finds_the_household(client, tree, users):
    """The ID number goes in a POST body; the answer names the person and links to the household's card."""
    household = make(tree, users, 1)
    number = b.family(1)[2]["id_number"]
    response = signed_in(client, users["village_team"]).post(LIST, {"id_number": number})
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert f"/households/{household.pk}/" in body and "王小军" in body and number in body


def test_id_lookup_is_masked_for_an_inspector(client, tree, users):
    make(tree, users, 1)
    number = b.family(1)[2]["id_number"]
    body = signed_in(client, users["inspector"]).post(LIST, {"id_number": number}).content.decode()
    body = body[body.index('id="lookup-results"') :]  # the form keeps what was typed; the answer is masked
    assert "王小军" in body and number not in body and number[:6] + "********" + number[-4:] in body


def test_id_lookup_names_a_wrong_check_digit_and_finds_nobody_outside_scope(client, tree, users):
    make(tree, users, 2, village=VILLAGE_B1)
    number = b.family(2)[0]["id_number"]
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    client = signed_in(client, users["village_team"])
    body = client.post(LIST, {"id_number": wrong}).content.decode()
    assert "校验位错误" in body and "lookup-results" not in body
    body = client.post(LIST, {"id_number": number}).content.decode()
    assert "没有这个证件号码的人" in body


# The household card ---------------------------------------------------------------------------------------------


def test_card_out_of_scope_is_404(client, tree, users):
    other = make(tree, users, 2, village=VILLAGE_B1)
    assert signed_in(client, users["village_team"]).get(f"/households/{other.pk}/").status_code == 404


def test_card_shows_the_handbook_in_words(client, tree, users):
    """Status episodes, members, the checklist, procedures, findings and the timeline, in Chinese words: no field
    names, no codes, no Python dicts."""
    household = make(tree, users, 1)
    head = household.members.get(relation="01")
    from households import services

    services.member_update(user=users["superuser"], member=head, data={"health": "serious_illness"}, new_head=None)
    finding_raise(rule="HH-10", key=f"household:{household.pk}", village_id=VILLAGE_A1, detail={}, household_id=household.pk)
    response = signed_in(client, users["village_team"]).get(f"/households/{household.pk}/")
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    for words in ("基本情况", "家庭成员", "两不愁三保障", "登记状态", "贫困户（未脱贫）", "疑点", "怎么整改", "变更记录",
                  "将健康状况由“健康”改为", "data-print", "程序与公示"):  # fmt: skip
        assert words in body, words
    timeline = body[body.index('id="timeline"') :]
    for internal in ("serious_illness", "health", "{'", "None"):
        assert internal not in timeline, internal


def test_card_masks_personal_data_for_an_inspector(client, tree, users):
    household = make(tree, users, 1)
    number = b.family(1)[0]["id_number"]
    body = signed_in(client, users["inspector"]).get(f"/households/{household.pk}/").content.decode()
    assert number not in body and number[:6] + "********" + number[-4:] in body
    assert "1962年3月8日" not in body  # the birth date: the age only


def test_card_query_count_is_pinned_whatever_the_rows(client, tree, users):
    """A household of 3 with nothing else and one of 6 with records, findings, visits and benefits cost the same."""
    from cadres.models import Cadre, Pairing, Unit, Visit

    small = make(tree, users, 1)
    big = make(tree, users, 2, members=family_of_six(2))
    for year in (2015, 2016, 2017):
        from households import services

        services.annual_record_upsert(user=users["superuser"], household=big, year=year, data={"wages": 5000})
    for rule in ("HH-10", "HH-8"):
        finding_raise(rule=rule, key=f"household:{big.pk}", village_id=VILLAGE_A1, detail={}, household_id=big.pk)
    unit = Unit.objects.create(name="县农业局", level="county", region=tree[VILLAGE_A1].parent.parent)
    cadre = Cadre.objects.create(name="赵干部", sex="male", id_number="220821198001010011", unit=unit, region=unit.region)
    Pairing.objects.create(cadre=cadre, household=big, starts_on=datetime.date(2017, 1, 1))
    for day in range(1, 6):
        Visit.objects.create(cadre=cadre, household=big, date=datetime.date(2018, 1, day))
    client = signed_in(client, users["village_team"])
    # session, user, grants, the household with its members, and each section's fixed reads (panels included)
    assert query_count(client, f"/households/{small.pk}/") == query_count(client, f"/households/{big.pk}/") == 25
    assert Member.objects.filter(household=big).count() == 6


def test_filters_answer_htmx_with_the_results_only(client, tree, users):
    make(tree, users, 1)
    response = signed_in(client, users["village_team"]).get(LIST, {"status": "poor"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith('<div id="register-results">') and "<html" not in body and "王建国" in body


def test_a_reader_sees_no_buttons_on_the_card(client, tree, users):
    """The inspector reads the card but is offered no edit, no visit and no procedure to start."""
    from cadres.models import Cadre, Pairing, Unit

    household = make(tree, users, 1)
    unit = Unit.objects.create(name="县农业局", level="county", region=tree[VILLAGE_A1].parent.parent)
    cadre = Cadre.objects.create(name="赵干部", sex="male", id_number="220821198001010011", unit=unit, region=unit.region)
    Pairing.objects.create(cadre=cadre, household=household, starts_on=datetime.date(2017, 1, 1))
    body = signed_in(client, users["inspector"]).get(f"/households/{household.pk}/").content.decode()
    assert "赵干部" in body
    for button in ('id="edit-household"', "record-visit", 'id="start-procedure"', 'id="annual-record-link"'):
        assert button not in body, button
    body = signed_in(client, users["village_team"]).get(f"/households/{household.pk}/").content.decode()
    for button in ('id="edit-household"', "record-visit", 'id="start-procedure"', 'id="annual-record-link"'):
        assert button in body, button


def test_card_shows_a_procedure_with_its_steps_and_the_timeline_in_words(client, tree, users):
    """An identification opened and appraised shows its steps (who, when, decision), the next step and a link to the
    procedure's page; the timeline says it in words, with no step or kind codes."""
    from tests.lifecycle.steps import advance

    household = make(tree, users, 1, status=None)
    procedure = lifecycle.procedure_open(
        user=users["village_team"], household=household, kind="identification", on=datetime.date(2019, 3, 1)
    )
    advance(users, procedure, until="verification")
    body = signed_in(client, users["village_team"]).get(f"/households/{household.pk}/").content.decode()
    procedures = body[body.index('id="card-procedures"') : body.index('id="card-findings"')]
    assert "贫困识别" in procedures and "农户申请" in procedures and "民主评议" in procedures and "team" in procedures
    assert "下一步：入户核实" in procedures and f"/procedures/{procedure.pk}/" in procedures
    timeline = body[body.index('id="timeline"') :]
    assert "贫困识别：民主评议，通过（2019年3月2日）" in timeline
    for code in ("identification", "appraisal", "approve"):
        assert code not in timeline, code


def test_a_full_page_of_the_list_and_a_card_of_six_weigh_under_100_kb_compressed(client, tree, users):
    """Issue 15's weight: a list page (25 rows, the most a page holds) and the card of a household of six are each
    under 100 KB of HTML once compressed as the server sends it (gzip)."""
    households = [make(tree, users, n, members=family_of_six(n)) for n in range(1, 27)]
    client = signed_in(client, users["village_team"])
    page = client.get(LIST)
    assert len(page.context["page"]["rows"]) == 25
    card = client.get(f"/households/{households[0].pk}/")
    for response in (page, card):
        assert response.status_code == 200
        assert len(gzip.compress(response.content)) < 100_000
        assert len(response.content) < 400_000  # and not absurd before compression either
