"""The cadres figures the summaries use, on a constructed county: teams, resident members, pairing cadres,
paired households and pairing coverage with statuses as of a past date; per child region; visits per household."""

from datetime import date as D

import pytest

from cadres import selectors, services
from lifecycle import services as lifecycle
from tests.cadres.conftest import make_cadre, make_household, make_unit, pair, visit
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1

pytestmark = pytest.mark.django_db

AS_OF = D(2017, 6, 30)


@pytest.fixture
def county(tree, users):
    """The example (as of 2017-06-30):

    teams: A1 2016-01-01..2018-01-01 (c0 first secretary resident, c1 resident, c2 not resident, c3 resident until
    2017-01-01); B1 2016..2017-01-01, ended (c4 resident); A2 from 2017-03-01 (c5, c6 resident); the other
    county's village (its own cadre) — outside.
    households: h1 A1 poor, paired c0; h2 A1 poor (exits 2017-10-01, after the day), paired c1; h3 A2 exited
    2016-11-01, paired c0; h4 A2 poor, paired c2 until 2017-01-01; h5 B1 poor, paired c7 from 2017-07-01; h6 B1
    identified 2017-08-01 (not yet registered on the day), unpaired; h7 the other county, poor, paired.
    """
    su = users["superuser"]
    unit = make_unit(tree)
    c = [make_cadre(tree, unit, n) for n in range(8)]
    other_cadre = make_cadre(tree, make_unit(tree, "邻县单位", region=OTHER_COUNTY), 9, region=OTHER_COUNTY)

    def team(village, starts_on, ends_on, members, cadre_pool=c):
        t, _ = services.work_team_create(
            user=None,
            data={"village": tree[village], "unit": unit, "starts_on": starts_on, "ends_on": ends_on},
            members=[{"cadre": cadre_pool[i], "ends_on": ends_on, **extra} for i, extra in members],
        )
        return t

    team(VILLAGE_A1, D(2016, 1, 1), D(2018, 1, 1), [
        (0, {"role": "first_secretary", "resident": True}), (1, {"resident": True}), (2, {"resident": False}),
        (3, {"resident": True, "ends_on": D(2017, 1, 1)}),
    ])  # fmt: skip
    team(VILLAGE_B1, D(2016, 1, 1), D(2017, 1, 1), [(4, {"resident": True})])
    team(VILLAGE_A2, D(2017, 3, 1), None, [(5, {"resident": True}), (6, {"resident": True})])
    team(OTHER_VILLAGE, D(2016, 1, 1), None, [(0, {"resident": True})], cadre_pool=[other_cadre])

    h = {n: make_household(tree, users, n, village=v) for n, v in
         [(1, VILLAGE_A1), (2, VILLAGE_A1), (3, VILLAGE_A2), (4, VILLAGE_A2), (5, VILLAGE_B1)]}  # fmt: skip
    h[6] = make_household(tree, users, 6, village=VILLAGE_B1, on=D(2017, 8, 1))
    h[7] = make_household(tree, users, 7, village=OTHER_VILLAGE)
    lifecycle.status_record(user=su, household=h[2], status="exited", on=D(2017, 10, 1))
    lifecycle.status_record(user=su, household=h[3], status="exited", on=D(2016, 11, 1))
    for n in h:
        h[n].refresh_from_db()
    pair(c[0], h[1], D(2016, 1, 1))
    pair(c[1], h[2], D(2016, 1, 1))
    pair(c[0], h[3], D(2016, 1, 1))
    pair(c[2], h[4], D(2016, 1, 1), D(2017, 1, 1))
    pair(c[7], h[5], D(2017, 7, 1))
    pair(other_cadre, h[7], D(2016, 1, 1))
    visit(c[0], h[1], D(2016, 6, 1))
    visit(c[0], h[1], D(2017, 3, 1))
    visit(c[0], h[1], D(2017, 5, 1), kind="phone", found="缺资金", agreed="小额信贷", confirmed=True)
    visit(c[1], h[2], D(2017, 4, 1))
    visit(other_cadre, h[7], D(2017, 4, 1))
    return {"cadres": c, "households": h}


def test_county_figures_as_of_a_past_date(county):
    """Two teams active, four resident cadres, two pairing cadres, three paired households; coverage counts the
    poor of that day (h1, h2, h4, h5 — h2 exited only later): 2 of 4 paired."""
    assert selectors.cadre_figures(region_code=COUNTY, as_of=AS_OF) == {
        "work_teams": 2,
        "resident_cadres": 4,
        "pairing_cadres": 2,
        "paired_households": 3,
        "pairing_coverage": 0.5,
    }


def test_figures_move_with_the_date(county):
    """On 2018-01-01 the A1 team has ended, h2 has exited and c7 pairs h5: one team, two residents, coverage of the
    poor h1, h4, h5 (h6 too, registered 2017-08-01) is 2 of 4."""
    assert selectors.cadre_figures(region_code=COUNTY, as_of=D(2018, 1, 1)) == {
        "work_teams": 1,
        "resident_cadres": 2,
        "pairing_cadres": 3,
        "paired_households": 4,
        "pairing_coverage": 0.5,
    }


def test_figures_per_child_region_in_one_pass(county):
    """Township A holds everything paired; township B has one poor household, unpaired on the day (coverage 0)."""
    assert selectors.cadre_figures_by_child(region_code=COUNTY, as_of=AS_OF) == {
        TOWN_A: {"work_teams": 2, "resident_cadres": 4, "pairing_cadres": 2, "paired_households": 3,
                 "pairing_coverage": 0.6667},
        TOWN_B: {"work_teams": 0, "resident_cadres": 0, "pairing_cadres": 0, "paired_households": 0,
                 "pairing_coverage": 0.0},
    }  # fmt: skip


def test_a_village_has_its_own_figures_and_no_children(county):
    """Village A2: the new team with two residents, h3 paired (exited) and h4 unpaired poor: coverage 0."""
    assert selectors.cadre_figures(region_code=VILLAGE_A2, as_of=AS_OF) == {
        "work_teams": 1,
        "resident_cadres": 2,
        "pairing_cadres": 1,
        "paired_households": 1,
        "pairing_coverage": 0.0,
    }
    assert selectors.cadre_figures_by_child(region_code=VILLAGE_A2, as_of=AS_OF) == {}


def test_coverage_is_none_without_poor_households(tree, users):
    """An empty region: every count 0, coverage None."""
    assert selectors.cadre_figures(region_code=COUNTY, as_of=AS_OF) == {
        "work_teams": 0,
        "resident_cadres": 0,
        "pairing_cadres": 0,
        "paired_households": 0,
        "pairing_coverage": None,
    }


@pytest.mark.parametrize("size", ["small", "large"])
def test_figures_cost_a_fixed_number_of_queries(tree, users, county, size, django_assert_num_queries):
    """Four queries for a region, five per child region (the children's list), however many rows there are."""
    if size == "large":
        extra = [make_household(tree, users, 20 + n, village=VILLAGE_B1) for n in range(3)]
        for household in extra:
            pair(county["cadres"][7], household, D(2016, 1, 1))
    with django_assert_num_queries(4):
        selectors.cadre_figures(region_code=COUNTY, as_of=AS_OF)
    with django_assert_num_queries(5):
        selectors.cadre_figures_by_child(region_code=COUNTY, as_of=AS_OF)


def test_visits_per_household_in_a_period(county):
    """2017: three visits in the county to two households; four households paired at some time in the year
    (h1, h2, h3, h5 — h4's pairing ended on its first day): 0.75."""
    assert selectors.visits_per_household(region_code=COUNTY, starts_on=D(2017, 1, 1), ends_on=D(2017, 12, 31)) == {
        "visits": 3,
        "visited_households": 2,
        "paired_households": 4,
        "visits_per_household": 0.75,
    }


def test_visits_per_household_per_child_region(county, django_assert_num_queries):
    """Per township in three queries: A has the visits; B has h5 paired and none visited."""
    with django_assert_num_queries(3):
        figures = selectors.visits_per_household_by_child(
            region_code=COUNTY, starts_on=D(2017, 1, 1), ends_on=D(2017, 12, 31)
        )
    assert figures == {
        TOWN_A: {"visits": 3, "visited_households": 2, "paired_households": 3, "visits_per_household": 1.0},
        TOWN_B: {"visits": 0, "visited_households": 0, "paired_households": 1, "visits_per_household": 0.0},
    }


def test_the_portfolio_gives_households_paired_on_the_day_with_the_last_visit(county, users):
    """c0's portfolio on 2017-06-30: h1 (last visit 2017-05-01) and h3 (never visited)."""
    c0 = county["cadres"][0]
    rows = selectors.portfolio(user=users["county_officer"], cadre=c0, as_of=AS_OF)
    h = county["households"]
    assert [(r.household_id, r.last_visit_on, r.head_name) for r in rows] == [
        (h[1].pk, D(2017, 5, 1), "王建国"),
        (h[3].pk, None, "王建国"),
    ]
    assert [r.household_id for r in selectors.portfolio(user=users["village_team"], cadre=c0, as_of=AS_OF)] == [h[1].pk]
