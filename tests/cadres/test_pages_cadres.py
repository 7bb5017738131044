"""/cadres/…: cadres, units, work teams with their warnings, a cadre's portfolio, and the handover page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadres import services
from cadres.models import Pairing
from tests.cadres.conftest import counts, make_cadre, make_household, make_unit, pair, visit
from tests.conftest import OTHER_COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_B1


def measured(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def team(tree, unit, cadres, village=VILLAGE_A1, starts_on=datetime.date(2016, 1, 1)):
    members = [
        {"cadre": cadre, "role": "first_secretary" if n == 0 else "member", "starts_on": starts_on, "resident": True}
        for n, cadre in enumerate(cadres)
    ]
    created, _ = services.work_team_create(
        user=None,
        data={"village": tree[village], "unit": unit, "starts_on": starts_on, "ends_on": starts_on.replace(year=2030)},
        members=members,
    )
    return created


# The cadre list ------------------------------------------------------------------------------------------------


def test_the_county_office_finds_a_cadre_by_name_and_unit(client, tree, users, unit, cadres, household):
    other_unit = make_unit(tree, name="县教育局")
    make_cadre(tree, other_unit, 7, name="钱老师")
    pair(cadres[1], household)
    client.force_login(users["county_officer"])
    body = client.get("/cadres/").content.decode()
    assert all(c.name in body for c in cadres) and "钱老师" in body
    body = client.get("/cadres/", {"q": "钱"}).content.decode()
    assert "钱老师" in body and "干部0" not in body
    body = client.get("/cadres/", {"unit": unit.pk}).content.decode()
    assert "钱老师" not in body and "干部1" in body and "包保 1 户" in body


def test_a_unit_outside_my_regions_is_404(client, tree, users, unit):
    foreign = make_unit(tree, name="外县单位", region=OTHER_COUNTY)
    client.force_login(users["county_officer"])
    assert client.get("/cadres/", {"unit": foreign.pk}).status_code == 404
    assert client.get("/cadres/", {"unit": "x"}).status_code == 404


def test_a_cadre_of_another_county_is_not_listed_and_is_404(client, tree, users, unit):
    foreign = make_cadre(tree, make_unit(tree, name="外县单位", region=OTHER_COUNTY), 9, name="外县干部", region=OTHER_COUNTY)
    client.force_login(users["county_officer"])
    assert "外县干部" not in client.get("/cadres/").content.decode()
    assert client.get(f"/cadres/{foreign.pk}/").status_code == 404


def test_the_list_costs_the_same_for_three_cadres_or_thirty(client, tree, users, unit, household):
    client.force_login(users["county_officer"])
    for n in range(3):
        pair(make_cadre(tree, unit, n), household)
    few = measured(client, "/cadres/")
    for n in range(3, 30):
        make_cadre(tree, unit, n)
    assert measured(client, "/cadres/") == few


def test_units_show_their_cadres_and_teams(client, tree, users, unit, cadres):
    team(tree, unit, cadres)
    client.force_login(users["county_officer"])
    body = client.get("/cadres/units/").content.decode()
    assert unit.name in body and "干部 3 人" in body and "在岗工作队 1 个" in body


# Work teams -----------------------------------------------------------------------------------------------------


def test_a_team_of_two_is_warned_and_a_team_of_three_is_not(client, tree, users, unit, cadres):
    full = team(tree, unit, cadres)
    short = team(tree, unit, [make_cadre(tree, unit, n) for n in (5, 6)], village=VILLAGE_B1)
    client.force_login(users["county_officer"])
    body = client.get("/cadres/teams/").content.decode()
    assert body.count('class="small text-warning-emphasis team-warning"') == len(services.team_warnings(team=short)) > 0
    assert not services.team_warnings(team=full)
    detail = client.get(f"/cadres/teams/{short.pk}/").content.decode()
    assert all(w["detail"] in detail for w in services.team_warnings(team=short))
    assert "干部5" in detail and "第一书记" in detail


def test_a_township_sees_only_its_villages_teams(client, tree, users, unit, cadres):
    mine = team(tree, unit, cadres)
    other = team(tree, unit, [make_cadre(tree, unit, n) for n in (5, 6, 7)], village=VILLAGE_B1)
    client.force_login(users["township_reviewer"])
    body = client.get("/cadres/teams/").content.decode()
    assert f"/cadres/teams/{mine.pk}/" in body and f"/cadres/teams/{other.pk}/" not in body
    assert client.get(f"/cadres/teams/{other.pk}/").status_code == 404


def test_the_team_list_costs_the_same_for_three_teams_or_twelve(client, tree, users, unit):
    client.force_login(users["county_officer"])
    sequence = iter(range(100))

    def add_teams(n):
        for _ in range(n):
            team(tree, unit, [make_cadre(tree, unit, next(sequence)) for _ in range(3)])

    add_teams(1)
    one = measured(client, "/cadres/teams/?all=1")
    add_teams(1)
    assert measured(client, "/cadres/teams/?all=1") == one


# A cadre's portfolio ---------------------------------------------------------------------------------------------


def test_the_portfolio_shows_the_last_visit_and_marks_the_overdue(client, tree, users, unit, cadres):
    visited = make_household(tree, users, 1)
    forgotten = make_household(tree, users, 2)
    pair(cadres[0], visited)
    pair(cadres[0], forgotten)
    today = timezone.localdate()
    visit(cadres[0], visited, today - datetime.timedelta(days=3))
    client.force_login(users["county_officer"])
    body = client.get(f"/cadres/{cadres[0].pk}/").content.decode()
    assert "包保户（2 户）" in body and body.count("visit-due") == 1 and "还没有走访" in body
    assert "交接给其他干部" in body


def test_a_township_reviewer_reads_a_portfolio_but_may_not_hand_over(client, tree, users, unit, cadres, household):
    """A cadre of the township is the township's to read (a county cadre lies outside it: 404, as in the API)."""
    township_cadre = make_cadre(tree, unit, 8, name="乡干部", region=TOWN_A)
    pairing = pair(township_cadre, household)
    client.force_login(users["township_reviewer"])
    assert client.get(f"/cadres/{cadres[0].pk}/").status_code == 404
    body = client.get(f"/cadres/{township_cadre.pk}/").content.decode()
    assert household.number in body and "交接给其他干部" not in body
    assert client.get(f"/cadres/pairings/{pairing.pk}/handover/").status_code == 403


def test_the_portfolio_costs_the_same_for_three_households_or_twelve(client, tree, users, unit, cadres):
    client.force_login(users["county_officer"])
    for n in range(3):
        pair(cadres[0], make_household(tree, users, n + 1))
    few = measured(client, f"/cadres/{cadres[0].pk}/")
    for n in range(3, 12):
        pair(cadres[0], make_household(tree, users, n + 1))
    assert measured(client, f"/cadres/{cadres[0].pk}/") == few


# The handover ------------------------------------------------------------------------------------------------------


def test_a_handover_ends_one_pairing_and_starts_the_next_on_the_same_day(client, tree, users, unit, cadres, household):
    pairing = pair(cadres[0], household)
    client.force_login(users["county_officer"])
    page = client.get(f"/cadres/pairings/{pairing.pk}/handover/", {"q": "干部2"}).content.decode()
    assert "干部2" in page and 'value="' + str(cadres[1].pk) + '"' not in page
    day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        f"/cadres/pairings/{pairing.pk}/handover/", {"q": "干部2", "to_cadre": cadres[2].pk, "on": day.isoformat()}
    )
    assert response.status_code == 302 and response["Location"] == f"/cadres/{cadres[2].pk}/"
    ended, started = Pairing.objects.filter(household=household).order_by("starts_on")
    assert (ended.cadre, ended.ends_on, started.cadre, started.starts_on, started.ends_on) == (
        cadres[0], day, cadres[2], day, None
    )


@pytest.mark.parametrize(
    "data, field_error",
    [
        ({}, "请先搜索并选中接手的干部"),
        ({"on": "2019-02-30"}, "有效的日期"),
        ({"on": "tomorrow"}, "交接日期不能晚于今天"),
        ({"to_cadre": "other county"}, "请从搜索结果中选择接手的干部"),
    ],
)
def test_a_refused_handover_says_why_keeps_the_input_and_writes_nothing(
    client, tree, users, unit, cadres, household, data, field_error
):
    pairing = pair(cadres[0], household)
    foreign = make_cadre(tree, make_unit(tree, name="外县单位", region=OTHER_COUNTY), 9, region=OTHER_COUNTY)
    posted = {"q": "干部", "to_cadre": cadres[1].pk, "on": timezone.localdate().isoformat(), **data}
    if posted["on"] == "tomorrow":
        posted["on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    if posted["to_cadre"] == "other county":
        posted["to_cadre"] = foreign.pk
    if not data:
        posted.pop("to_cadre")
    client.force_login(users["county_officer"])
    before = counts()
    response = client.post(f"/cadres/pairings/{pairing.pk}/handover/", posted)
    body = response.content.decode()
    assert response.status_code == 400 and field_error in body and "error-summary" in body
    assert f'value="{posted["on"]}"' in body or posted["on"] == "2019-02-30"
    assert counts() == before


def test_a_handover_of_another_countys_pairing_is_404(client, tree, users, unit):
    foreign_unit = make_unit(tree, name="外县单位", region=OTHER_COUNTY)
    foreign_cadre = make_cadre(tree, foreign_unit, 9, region=OTHER_COUNTY)
    foreign_household = make_household(tree, users, 5, village="220822100201")
    pairing = pair(foreign_cadre, foreign_household)
    client.force_login(users["county_officer"])
    assert client.get(f"/cadres/pairings/{pairing.pk}/handover/").status_code == 404
    assert client.post(f"/cadres/pairings/{pairing.pk}/handover/", {"to_cadre": foreign_cadre.pk}).status_code == 404
