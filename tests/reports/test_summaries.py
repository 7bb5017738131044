"""GET /api/v1/summaries/{code}/?as_of=YYYY-MM-DD (docs/reports.md, Summaries) through the API on a constructed county.

The county (Zhenlai, 220821) has three townships: A (villages A1, A2), B (villages B1, B2) and C (no villages at all);
a neighbouring county has one poor household that must never be counted. Villages (profile; rural population by year):

    A1  poverty village identified 2014, exited 2016        2014: 1000, 2017: 950
    A2  non-poverty village                                 2014: 600
    B1  poverty village identified 2014, exited 2017        2014: 400
    B2  poverty village identified 2015, not exited         2015: 300  (no population on record for 2014)

Households (identified poor on 2014-04-02 unless said otherwise; cause / attribute):

    h1  A1  poor throughout; head, spouse, son (left 2016-03-01), daughter-in-law (joined 2018-03-01); illness/general
    h2  A1  exited 2016-10-15; three members; under monitoring from 2017-03-01; disability/dibao
    h3  A2  a widower alone, died 2017-05-01, closed that day; lack_labour/tekun
    h4  B1  removed (清退) 2017-09-01; three members; lack_funds/general
    h5  B1  exited 2016-10-15, returned poor 2017-08-01; head and spouse; illness/general
    h6  B2  identified 2015-05-01; three members; monitored 2016-05-01, risk eliminated 2017-06-01; schooling/general
    h7  B2  never registered; head and spouse; monitored (marginal) from 2017-04-01
    h8  A2  rejected at identification 2014-04-02; three members
    far the other county: poor, monitored; outside every figure

Cadres and programs: a work team in A1 pairing h1 and h2, a 2017 benefit to h1 and a cooperative in B1 with h5.
"""

import datetime
import json
from datetime import date as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import Cadre
from cadres.selectors import cadre_figures
from households import services as household_services
from households.choices import HouseholdAttribute, PovertyCause
from households.models import Member
from lifecycle import services as lifecycle
from lifecycle.models import MonitoringChange
from programs.selectors import program_figures
from reports import selectors
from reports.models import KeptSummary, MarkHorizon, RegionMark, WriteMark
from tests.assertions import assert_error
from tests.cadres.conftest import make_cadre, make_unit, pair
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory, make_region
from tests.households import builders as b
from tests.programs.conftest import give, join, make_cooperative, make_program
from villages.models import Region, VillageProfile, VillageYear

pytestmark = pytest.mark.django_db

VILLAGE_B2 = "220821101202"
TOWN_C = "220821102000"  # a township with nothing in it
IDENTIFIED = D(2014, 4, 2)
EXITED = D(2016, 10, 15)

AS_OF = D(2017, 12, 31)  # after every change
PAST = D(2015, 12, 31)  # before any exit, closing, removal or monitoring

TOP_KEYS = {
    "region",
    "as_of",
    "households",
    "people",
    "exit_rate",
    "villages",
    "poverty_incidence",
    "on_register",
    "by_cause",
    "by_attribute",
    "cadres",
    "programs",
    "children",
}
CHILD_KEYS = {"region", "households", "people", "exit_rate", "villages", "poverty_incidence", "on_register"}
STATUS_KEYS = ["registered", "poor", "exited", "closed", "removed", "monitored"]


def url(code: str, as_of: datetime.date | str | None = None) -> str:
    query = "" if as_of is None else f"?as_of={as_of}"
    return f"/api/v1/summaries/{code}/{query}"


def get_summary(client, code: str, as_of: datetime.date | str | None = None) -> dict:
    response = client.get(url(code, as_of))
    assert response.status_code == 200, response.content
    return response.json()


def statuses(registered, poor, exited, closed, removed, monitored) -> dict:
    return dict(zip(STATUS_KEYS, (registered, poor, exited, closed, removed, monitored), strict=True))


def by_value(values, **given) -> dict:
    """{value: {"households", "people"}} for every coded value: the given (households, people), zeros elsewhere."""
    return {v: dict(zip(("households", "people"), given.get(v, (0, 0)), strict=True)) for v in values}


def village(code, *, status="non_poverty", identified=None, exited=None, populations=()):
    """A village with its profile and its yearly rural populations ({year: population})."""
    make_region(code)
    VillageProfile.objects.create(village_id=code, poverty_status=status, identified_year=identified, exit_year=exited)
    for year, population in dict(populations).items():
        VillageYear.objects.create(village_id=code, year=year, rural_population=population)


def home(regions, user, code, members, *, changes=(), **fields):
    """A household registered through the service with its members, then its dated status changes, each
    (status, day) or (status, day, returned), recorded by lifecycle.status_record."""
    household = b.make_household(village=regions[code], user=user, members=members, **fields)
    for status, day, *returned in changes:
        lifecycle.status_record(user=user, household=household, status=status, on=day, returned=bool(returned))
    household.refresh_from_db()
    return household


def monitor(household, status, day, kind="marginal"):
    """A monitoring change (防返贫监测) as lifecycle.monitoring_record writes it at the end of a procedure."""
    return MonitoringChange.objects.create(household=household, monitoring_type=kind, status=status, effective_on=day)


@pytest.fixture
def county(tree, users):
    """The constructed county of the module docstring; returns its households."""
    su = users["superuser"]
    make_region(TOWN_C, "空乡")
    regions = {**tree, VILLAGE_B2: make_region(VILLAGE_B2)}
    village(VILLAGE_A1, status="exited", identified=2014, exited=2016, populations={2014: 1000, 2017: 950})
    village(VILLAGE_A2, populations={2014: 600})
    village(VILLAGE_B1, status="exited", identified=2014, exited=2017, populations={2014: 400})
    village(VILLAGE_B2, status="poverty", identified=2015, populations={2015: 300})
    village(OTHER_VILLAGE, status="poverty", identified=2014, populations={2014: 5000})

    h = {}
    h[1] = home(regions, su, VILLAGE_A1, b.family(1), changes=[("poor", IDENTIFIED)])
    son = h[1].members.get(relation="03")
    household_services.member_update(user=su, member=son, data={"left_on": D(2016, 3, 1), "left_reason": "moved_out"})
    household_services.member_add(
        user=su,
        household=h[1],
        data=b.member(
            name="赵丽", sex="female", birth_date=D(1990, 7, 7), relation="05", sequence=1,
            joined_on=D(2018, 3, 1), join_reason="marriage",
        ),
    )  # fmt: skip
    h[2] = home(
        regions, su, VILLAGE_A1, b.family(2), changes=[("poor", IDENTIFIED), ("exited", EXITED)],
        main_cause="disability", attribute="dibao",
    )  # fmt: skip
    monitor(h[2], "monitored", D(2017, 3, 1), kind="unstable_exited")
    h[3] = home(regions, su, VILLAGE_A2, [b.head(3)], changes=[("poor", IDENTIFIED)], main_cause="lack_labour",
                attribute="tekun")  # fmt: skip
    widower = h[3].members.get()
    household_services.member_update(
        user=su, member=widower, data={"left_on": D(2017, 5, 1), "left_reason": "deceased"}
    )
    lifecycle.status_record(user=su, household=h[3], status="closed", on=D(2017, 5, 1))
    h[4] = home(
        regions, su, VILLAGE_B1, b.family(4), changes=[("poor", IDENTIFIED), ("removed", D(2017, 9, 1))],
        main_cause="lack_funds", other_causes=["illness"],
    )  # fmt: skip
    h[5] = home(
        regions, su, VILLAGE_B1, [b.head(5), b.spouse(5)],
        changes=[("poor", IDENTIFIED), ("exited", EXITED), ("poor", D(2017, 8, 1), True)],
    )  # fmt: skip
    h[6] = home(regions, su, VILLAGE_B2, b.family(6), changes=[("poor", D(2015, 5, 1))], main_cause="schooling")
    monitor(h[6], "monitored", D(2016, 5, 1))
    monitor(h[6], "risk_eliminated", D(2017, 6, 1))
    h[7] = home(regions, su, VILLAGE_B2, [b.head(7), b.spouse(7)])
    monitor(h[7], "monitored", D(2017, 4, 1))
    h[8] = home(regions, su, VILLAGE_A2, b.family(8), changes=[("rejected", IDENTIFIED)])
    h["far"] = home(regions, su, OTHER_VILLAGE, b.family(9), changes=[("poor", IDENTIFIED)])
    monitor(h["far"], "monitored", D(2017, 3, 1))

    unit = make_unit(tree)
    cadres = [make_cadre(tree, unit, n) for n in range(2)]
    cadre_services.work_team_create(
        user=None,
        data={"village": tree[VILLAGE_A1], "unit": unit, "starts_on": D(2016, 1, 1), "ends_on": None},
        members=[
            {"cadre": cadres[0], "role": "first_secretary", "resident": True},
            {"cadre": cadres[1], "resident": False},
        ],
    )
    pair(cadres[0], h[1], D(2016, 1, 1))
    pair(cadres[1], h[2], D(2016, 1, 1))
    give(make_program(tree), h[1], amount="1234.56", on=D(2017, 5, 1))
    join(make_cooperative(tree, village=VILLAGE_B1), h[5], joined=D(2016, 4, 1))
    for household in h.values():
        household.refresh_from_db()
    return h


@pytest.fixture
def officer(api, users):
    return api(users["county_officer"])


# The figures on the day after every change -------------------------------------------------------------------------


def test_every_key_of_the_contract_is_present(county, officer):
    """Given the county, when its summary is read, then the body has exactly the keys of docs/reports.md (Summaries), and so has every
    child, the region block and each status block."""
    body = get_summary(officer, COUNTY, AS_OF)
    assert set(body) == TOP_KEYS
    assert body["region"] == {"code": COUNTY, "name": f"区划{COUNTY}", "level": "county"}
    assert body["as_of"] == "2017-12-31"
    for block in (body, *body["children"]):
        assert set(block) >= CHILD_KEYS
        assert list(block["households"]) == STATUS_KEYS and list(block["people"]) == STATUS_KEYS
        assert set(block["exit_rate"]) == {"households", "people"}
        assert set(block["villages"]) == {"total", "poverty", "exited", "exit_rate"}
        assert set(block["region"]) == {"code", "name", "level"}
        assert list(block["on_register"]) == ["households", "people"]
    assert all(set(child) == CHILD_KEYS for child in body["children"])
    assert set(body["cadres"]) == {"work_teams", "resident_cadres", "pairing_cadres", "paired_households",
                                   "pairing_coverage"}  # fmt: skip
    assert set(body["programs"]) == {"benefit_amount", "benefited_households", "industry_coverage", "cooperatives",
                                     "cooperative_households", "cooperative_people"}  # fmt: skip


def test_households_and_people_by_status_after_every_change(county, officer):
    """Given the county on 2017-12-31, when its summary is read, then households are poor h1 h5 h6, exited h2, closed
    h3 (registered 5), removed h4 beside, monitored h2 and h7 (h6's risk eliminated, far outside); people count the
    members on the day: h1 2 (the son left, the daughter-in-law not yet in), h5 2, h6 3 poor, h2 3 exited, the closed
    h3 none, the removed h4 3, monitored h2 3 + h7 2."""
    body = get_summary(officer, COUNTY, AS_OF)
    assert body["households"] == statuses(registered=5, poor=3, exited=1, closed=1, removed=1, monitored=2)
    assert body["people"] == statuses(registered=10, poor=7, exited=3, closed=0, removed=3, monitored=5)
    assert body["exit_rate"] == {"households": 0.2, "people": 0.3}
    # Still on the register: poor + exited (the closed h3 has left it; `registered` keeps it).
    assert body["on_register"] == {"households": 4, "people": 10}


def test_villages_and_poverty_incidence_after_every_change(county, officer):
    """Given the county on 2017-12-31, when its summary is read, then villages are 4 administrative, 3 poverty (A1,
    B1, B2), 2 exited (A1 in 2016, B1 in 2017 counted on its last day): 0.6667; incidence is the 7 poor people over
    the latest populations up to 2017 (950 + 600 + 400 + 300 = 2250): 0.0031."""
    body = get_summary(officer, COUNTY, AS_OF)
    assert body["villages"] == {"total": 4, "poverty": 3, "exited": 2, "exit_rate": 0.6667}
    assert body["poverty_incidence"] == 0.0031


def test_a_village_exited_in_a_year_counts_from_the_years_last_day(county, officer):
    """Given B1 exited in 2017, when the county summary is read on 2017-12-30 and on 2017-12-31, then B1 counts as
    exited only on the 31st (villages exited 1 → 2), and A1 (exited 2016) on both days; on 2016-12-30 A1 is not yet
    exited."""
    before = get_summary(officer, COUNTY, "2017-12-30")["villages"]
    on_the_day = get_summary(officer, COUNTY, "2017-12-31")["villages"]
    assert before == {"total": 4, "poverty": 3, "exited": 1, "exit_rate": 0.3333}
    assert on_the_day == {"total": 4, "poverty": 3, "exited": 2, "exit_rate": 0.6667}
    assert get_summary(officer, COUNTY, "2016-12-30")["villages"]["exited"] == 0
    assert get_summary(officer, COUNTY, "2016-12-31")["villages"]["exited"] == 1


def test_by_cause_and_by_attribute_count_poor_and_exited(county, officer):
    """Given the county on 2017-12-31, when its summary is read, then by_cause and by_attribute count the poor and
    exited households (h1, h5 illness; h6 schooling; h2 disability/dibao) with their people, every coded value
    present, and neither the closed h3 (tekun) nor the removed h4 (lack_funds) nor h7, h8."""
    body = get_summary(officer, COUNTY, AS_OF)
    assert body["by_cause"] == by_value(PovertyCause.values, illness=(2, 4), schooling=(1, 3), disability=(1, 3))
    assert list(body["by_cause"]) == list(PovertyCause.values)
    assert body["by_attribute"] == by_value(HouseholdAttribute.values, general=(3, 7), dibao=(1, 3))
    assert list(body["by_attribute"]) == list(HouseholdAttribute.values)


def test_one_child_per_township_with_its_own_figures(county, officer):
    """Given the county on 2017-12-31, when its summary is read, then children are the three townships in code order:
    A (h1 poor, h2 exited and monitored, h3 closed; 2 poor people over 950 + 600), B (h5, h6 poor, h4 removed, h7
    monitored; 5 poor people over 400 + 300) and the empty C with zeros, None rates and no incidence."""
    children = get_summary(officer, COUNTY, AS_OF)["children"]
    assert [child["region"] for child in children] == [
        {"code": TOWN_A, "name": f"区划{TOWN_A}", "level": "township"},
        {"code": TOWN_B, "name": f"区划{TOWN_B}", "level": "township"},
        {"code": TOWN_C, "name": "空乡", "level": "township"},
    ]
    town_a, town_b, town_c = children
    assert {k: v for k, v in town_a.items() if k != "region"} == {
        "households": statuses(registered=3, poor=1, exited=1, closed=1, removed=0, monitored=1),
        "people": statuses(registered=5, poor=2, exited=3, closed=0, removed=0, monitored=3),
        "exit_rate": {"households": 0.3333, "people": 0.6},
        "villages": {"total": 2, "poverty": 1, "exited": 1, "exit_rate": 1.0},
        "poverty_incidence": 0.0013,  # 2 ÷ 1550
        "on_register": {"households": 2, "people": 5},  # registered 3 less the closed h3
    }
    assert {k: v for k, v in town_b.items() if k != "region"} == {
        "households": statuses(registered=2, poor=2, exited=0, closed=0, removed=1, monitored=1),
        "people": statuses(registered=5, poor=5, exited=0, closed=0, removed=3, monitored=2),
        "exit_rate": {"households": 0.0, "people": 0.0},
        "villages": {"total": 2, "poverty": 2, "exited": 1, "exit_rate": 0.5},
        "poverty_incidence": 0.0071,  # 5 ÷ 700
        "on_register": {"households": 2, "people": 5},
    }
    assert {k: v for k, v in town_c.items() if k != "region"} == {
        "households": statuses(0, 0, 0, 0, 0, 0),
        "people": statuses(0, 0, 0, 0, 0, 0),
        "exit_rate": {"households": None, "people": None},
        "villages": {"total": 0, "poverty": 0, "exited": 0, "exit_rate": None},
        "poverty_incidence": None,
        "on_register": {"households": 0, "people": 0},
    }


@pytest.mark.parametrize("day", ["2014-12-31", "2015-12-31", "2016-10-14", "2016-10-15", "2017-06-30", "2017-12-31"])
def test_children_add_up_to_the_region(county, officer, day):
    """Given the county on any day, when its summary is read, then the children's households and people of every
    status, and their villages' counts, add up to the county's."""
    body = get_summary(officer, COUNTY, day)
    for key in ("households", "people"):
        for status in STATUS_KEYS:
            assert sum(child[key][status] for child in body["children"]) == body[key][status], (key, status)
    for key in ("total", "poverty", "exited"):
        assert sum(child["villages"][key] for child in body["children"]) == body["villages"][key], key


def test_a_township_summary_has_its_villages_as_children(county, officer):
    """Given township A on 2017-12-31, when its summary is read, then its figures are those of child A of the county
    and its children are villages A1 (h1 poor with 2 people, h2 exited) and A2 (h3 closed; h8 rejected not counted)."""
    body = get_summary(officer, TOWN_A, AS_OF)
    county_child = get_summary(officer, COUNTY, AS_OF)["children"][0]
    assert {k: body[k] for k in CHILD_KEYS} == county_child
    assert [(c["region"]["code"], c["region"]["level"]) for c in body["children"]] == [
        (VILLAGE_A1, "village"),
        (VILLAGE_A2, "village"),
    ]
    a1, a2 = body["children"]
    assert a1["households"] == statuses(registered=2, poor=1, exited=1, closed=0, removed=0, monitored=1)
    assert a1["people"] == statuses(registered=5, poor=2, exited=3, closed=0, removed=0, monitored=3)
    assert a1["villages"] == {"total": 1, "poverty": 1, "exited": 1, "exit_rate": 1.0}
    assert a1["poverty_incidence"] == 0.0021  # 2 ÷ 950
    assert a2["households"] == statuses(registered=1, poor=0, exited=0, closed=1, removed=0, monitored=0)
    assert a2["villages"] == {"total": 1, "poverty": 0, "exited": 0, "exit_rate": None}
    assert a2["poverty_incidence"] == 0.0


def test_a_village_summary_has_no_children(county, officer):
    """Given village B2 on 2017-12-31, when its summary is read, then it has its own figures (h6 poor with 3 people,
    h7 monitored with 2; 3 ÷ 300 = 0.01) and an empty list of children."""
    body = get_summary(officer, VILLAGE_B2, AS_OF)
    assert body["region"] == {"code": VILLAGE_B2, "name": f"区划{VILLAGE_B2}", "level": "village"}
    assert body["children"] == []
    assert body["households"] == statuses(registered=1, poor=1, exited=0, closed=0, removed=0, monitored=1)
    assert body["people"] == statuses(registered=3, poor=3, exited=0, closed=0, removed=0, monitored=2)
    assert body["villages"] == {"total": 1, "poverty": 1, "exited": 0, "exit_rate": 0.0}
    assert body["poverty_incidence"] == 0.01


# Point in time -----------------------------------------------------------------------------------------------------


def test_a_past_day_gives_the_figures_of_that_day(county, officer):
    """Given the county, when its summary is read as of 2015-12-31, then it shows that day's register, not today's:
    all six registered households poor (h6 identified 2015), h1 with its son (3 people), the widower alive, nothing
    exited, closed, removed or monitored; A1 not yet exited; populations of 2014/2015 (1000 + 600 + 400 + 300)."""
    body = get_summary(officer, COUNTY, PAST)
    assert body["as_of"] == "2015-12-31"
    assert body["households"] == statuses(registered=6, poor=6, exited=0, closed=0, removed=0, monitored=0)
    assert body["people"] == statuses(registered=15, poor=15, exited=0, closed=0, removed=0, monitored=0)
    assert body["exit_rate"] == {"households": 0.0, "people": 0.0}
    assert body["villages"] == {"total": 4, "poverty": 3, "exited": 0, "exit_rate": 0.0}
    assert body["poverty_incidence"] == 0.0065  # 15 ÷ 2300
    assert body["by_cause"] == by_value(
        PovertyCause.values, illness=(2, 5), disability=(1, 3), lack_labour=(1, 1), lack_funds=(1, 3), schooling=(1, 3)
    )
    assert body["by_attribute"] == by_value(HouseholdAttribute.values, general=(4, 11), dibao=(1, 3), tekun=(1, 1))
    town_a, town_b, town_c = body["children"]
    assert town_a["households"] == statuses(registered=3, poor=3, exited=0, closed=0, removed=0, monitored=0)
    assert town_b["people"] == statuses(registered=8, poor=8, exited=0, closed=0, removed=0, monitored=0)
    assert town_c["households"]["registered"] == 0


def test_in_2014_an_unknown_population_leaves_incidence_null(county, officer):
    """Given the county as of 2014-12-31, when its summary is read, then B2 is not yet a poverty village (identified
    2015) and has no population for 2014, so the county's and township B's incidence are null while township A's is
    7 poor people ÷ 1600 = 0.0044 (half-up of 0.004375); h6 is not yet registered."""
    body = get_summary(officer, COUNTY, "2014-12-31")
    assert body["households"] == statuses(registered=5, poor=5, exited=0, closed=0, removed=0, monitored=0)
    assert body["people"]["poor"] == 12
    assert body["villages"] == {"total": 4, "poverty": 2, "exited": 0, "exit_rate": 0.0}
    assert body["poverty_incidence"] is None
    town_a, town_b, _town_c = body["children"]
    assert (town_a["poverty_incidence"], town_b["poverty_incidence"]) == (0.0044, None)


def test_before_any_identification_everything_is_zero(county, officer):
    """Given the county as of 2014-04-01 (the day before identification), when its summary is read, then no household
    is registered, every rate over households is null, but the villages and their populations are there."""
    body = get_summary(officer, COUNTY, "2014-04-01")
    assert body["households"] == statuses(0, 0, 0, 0, 0, 0) and body["people"] == statuses(0, 0, 0, 0, 0, 0)
    assert body["exit_rate"] == {"households": None, "people": None}
    assert body["villages"] == {"total": 4, "poverty": 2, "exited": 0, "exit_rate": 0.0}
    assert body["poverty_incidence"] is None  # B2 has no 2014 population
    assert all(v == {"households": 0, "people": 0} for v in body["by_cause"].values())


def test_a_status_change_counts_from_its_effective_day(county, officer):
    """Given h2 and h5 exiting on 2016-10-15, when the summary is read on 2016-10-14 and 2016-10-15, then they are
    poor the day before and exited on the day (5 people of 13 exited), and h6 is monitored on both days."""
    before = get_summary(officer, COUNTY, "2016-10-14")
    on_the_day = get_summary(officer, COUNTY, "2016-10-15")
    assert before["households"] == statuses(registered=6, poor=6, exited=0, closed=0, removed=0, monitored=1)
    assert on_the_day["households"] == statuses(registered=6, poor=4, exited=2, closed=0, removed=0, monitored=1)
    # h1 lost its son on 2016-03-01: 2 + 3 + 1 + 3 + 2 + 3 = 14 people, 5 of them in h2 and h5.
    assert on_the_day["people"] == statuses(registered=14, poor=9, exited=5, closed=0, removed=0, monitored=3)
    assert on_the_day["exit_rate"] == {"households": 0.3333, "people": 0.3571}


def test_a_monitoring_change_counts_from_its_effective_day(county, officer):
    """Given h6 monitored from 2016-05-01 until its risk is eliminated on 2017-06-01 and h2 monitored from 2017-03-01,
    when the summary is read around those days, then monitored follows the latest monitoring change of each day."""
    monitored = {
        day: get_summary(officer, COUNTY, day)["households"]["monitored"]
        for day in ("2016-04-30", "2016-05-01", "2017-02-28", "2017-03-01", "2017-04-01", "2017-05-31", "2017-06-01")
    }
    assert monitored == {
        "2016-04-30": 0,
        "2016-05-01": 1,  # h6
        "2017-02-28": 1,
        "2017-03-01": 2,  # h6, h2
        "2017-04-01": 3,  # h6, h2, h7 (never registered)
        "2017-05-31": 3,
        "2017-06-01": 2,  # h6's risk eliminated
    }


def test_members_joining_and_leaving_move_the_people_counts(county, officer):
    """Given h1's son leaving on 2016-03-01 and its daughter-in-law joining on 2018-03-01, when the summary is read
    as of 2016-02-29, 2016-03-01, 2018-02-28 and 2018-03-01, then h1's village counts 3, 2, 2 and 3 poor people."""
    poor_in_a1 = {
        day: get_summary(officer, VILLAGE_A1, day)["people"]["poor"]
        for day in ("2016-02-29", "2016-03-01", "2018-02-28", "2018-03-01")
    }
    assert poor_in_a1 == {"2016-02-29": 6, "2016-03-01": 5, "2018-02-28": 2, "2018-03-01": 3}  # h2 poor until exit


def test_a_later_correction_on_the_same_day_wins(county, officer, users):
    """Given h4's removal corrected back to poor by a county officer with the same effective day, when the summary is
    read, then h4 is poor (the change recorded last on the day wins) and counted among the registered."""
    h4 = county[4]
    removal = h4.status_changes.get(status="removed")
    lifecycle.status_correct(user=users["county_officer"], change=removal, status="poor", reason="清退依据有误")
    body = get_summary(officer, COUNTY, AS_OF)
    assert body["households"] == statuses(registered=6, poor=4, exited=1, closed=1, removed=0, monitored=2)
    assert body["people"]["poor"] == 10


def test_without_as_of_the_summary_is_of_today(county, officer):
    """Given no as_of, when the county summary is read, then as_of is today (Asia/Shanghai) and the figures are those
    of today's register, the same as naming today."""
    body = get_summary(officer, COUNTY)
    today = timezone.localdate().isoformat()
    assert body["as_of"] == today
    assert body == get_summary(officer, COUNTY, today)
    assert body["households"]["registered"] == 5


# Cadres and programs -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [AS_OF, PAST, D(2017, 5, 1)])
def test_cadres_and_programs_blocks_are_the_selectors_figures(county, officer, day):
    """Given the county's team, pairings, benefit and cooperative, when its summary is read on a day, then its
    `cadres` and `programs` blocks equal cadres.selectors.cadre_figures and programs.selectors.program_figures for
    the same region and day."""
    body = get_summary(officer, COUNTY, day)
    assert body["cadres"] == cadre_figures(region_code=COUNTY, as_of=day)
    assert body["programs"] == program_figures(region_code=COUNTY, as_of=day)


def test_cadres_and_programs_blocks_are_not_empty_on_the_constructed_county(county, officer):
    """Given the county on 2017-12-31, when its summary is read, then the blocks carry the constructed figures: one
    team with one resident, two pairing cadres covering h1 of the poor h1 h5 h6, 1234.56 to h1, one cooperative
    with h5 (2 people)."""
    body = get_summary(officer, COUNTY, AS_OF)
    assert body["cadres"] == {
        "work_teams": 1,
        "resident_cadres": 1,
        "pairing_cadres": 2,
        "paired_households": 2,
        "pairing_coverage": 0.3333,
    }
    assert body["programs"]["benefit_amount"] == "1234.56"
    assert (body["programs"]["cooperatives"], body["programs"]["cooperative_households"]) == (1, 1)
    assert body["programs"]["cooperative_people"] == 2


# Scope -------------------------------------------------------------------------------------------------------------


def test_a_township_reviewer_reads_its_township_only(county, api, users):
    """Given a township reviewer granted over township A, when it reads summaries, then the county and township B are
    404 (not revealed) and township A and its village A1 are 200 with the same figures the county officer gets."""
    client = api(users["township_reviewer"])
    assert_error(client.get(url(COUNTY, AS_OF)), 404, "not_found")
    assert_error(client.get(url(TOWN_B, AS_OF)), 404, "not_found")
    assert_error(client.get(url(VILLAGE_B1, AS_OF)), 404, "not_found")
    assert get_summary(client, TOWN_A, AS_OF) == get_summary(api(users["county_officer"]), TOWN_A, AS_OF)
    assert get_summary(client, VILLAGE_A1, AS_OF)["households"]["registered"] == 2


def test_a_village_team_of_another_county_gets_404(county, api):
    """Given a village team over the other county's village, when it reads this county's summary, then it is 404,
    while its own village answers (with the one poor household there)."""
    client = api(UserFactory(username="far_team", grants=[("village_team", OTHER_VILLAGE)]))
    assert_error(client.get(url(COUNTY, AS_OF)), 404, "not_found")
    assert_error(client.get(url(VILLAGE_A1, AS_OF)), 404, "not_found")
    assert get_summary(client, OTHER_VILLAGE, AS_OF)["households"] == statuses(1, 1, 0, 0, 0, 1)


def test_the_other_county_sees_only_its_own(county, officer, api, users):
    """Given the neighbouring county, when a superuser reads it, then it holds only its own household and never this
    county's; this county's figures never include it."""
    body = get_summary(api(users["superuser"]), OTHER_COUNTY, AS_OF)
    assert body["households"] == statuses(registered=1, poor=1, exited=0, closed=0, removed=0, monitored=1)
    assert body["villages"] == {"total": 1, "poverty": 1, "exited": 0, "exit_rate": 0.0}
    assert body["poverty_incidence"] == 0.0006  # 3 ÷ 5000


def test_a_user_without_grants_gets_403(county, api, users):
    """Given a signed-in user with no role grant at all, when it reads the county summary, then it is 403
    permission_denied, as every read route answers a user without the capability anywhere (tests/households)."""
    assert_error(api(users["nobody"]).get(url(COUNTY, AS_OF)), 403, "permission_denied")


def test_anonymous_is_401(county, api):
    """Given no credentials, when the county summary is read, then it is 401 not_authenticated."""
    assert_error(api().get(url(COUNTY, AS_OF)), 401, "not_authenticated")


@pytest.mark.parametrize("role", ["api_client", "inspector", "village_team"])
def test_figure_readers_get_the_same_figures(county, api, users, role):
    """Given an api_client and an inspector over the county and a village team over A1, when they read a summary in
    their scope, then they get 200 and the same body as the county officer."""
    code = VILLAGE_A1 if role == "village_team" else COUNTY
    assert get_summary(api(users[role]), code, AS_OF) == get_summary(api(users["county_officer"]), code, AS_OF)


def test_an_api_client_gets_figures_without_names_or_id_numbers(county, api, users):
    """Given an api_client over the county, when it reads the county summary on several days, then the JSON text
    holds none of the members' or cadres' names, ID numbers (full or masked) or household numbers."""
    client = api(users["api_client"])
    texts = [client.get(url(COUNTY, day)).content.decode() for day in (AS_OF, PAST, "2016-10-15")]
    assert all(json.loads(text)["households"] for text in texts)
    personal = set()
    for name, id_number in Member.objects.values_list("name", "id_number"):
        personal |= {name, id_number, f"{id_number[:6]}********{id_number[-4:]}"}
    for name, id_number in Cadre.objects.values_list("name", "id_number"):
        personal |= {name, id_number}
    personal |= {h.number for h in county.values()}
    assert "王建国" in personal and len(personal) > 20
    for text in texts:
        assert [p for p in personal if p in text] == []


# Bad input ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2017-13-01", "abc", "2017-02-30", "2017-12-31T00:00", "17-12-31"])
def test_a_malformed_as_of_is_400_naming_it(county, officer, value):
    """Given a malformed day, when the summary is read with it, then it is 400 `invalid` with a field error on
    as_of."""
    body = assert_error(officer.get(url(COUNTY, value)), 400, "invalid")
    assert list(body["errors"]) == ["as_of"]
    assert body["errors"]["as_of"] and all(set(e) == {"code", "detail"} for e in body["errors"]["as_of"])


@pytest.mark.parametrize("value", ["20171231", "2017-W52-7"])
def test_as_of_in_another_iso_form_is_400(county, officer, value):
    """Given an as_of in an ISO 8601 form other than YYYY-MM-DD, when the summary is read with it, then it is 400
    `invalid` naming as_of."""
    body = assert_error(officer.get(url(COUNTY, value)), 400, "invalid")
    assert list(body["errors"]) == ["as_of"]


@pytest.mark.parametrize("code", ["22082100000", "2208210000001", "22082100000a", "abc"])
def test_a_code_that_is_not_twelve_digits_is_404(county, officer, code):
    """Given a code that is not 12 digits, when its summary is read, then it is 404 not_found in the API's format."""
    assert_error(officer.get(url(code, AS_OF)), 404, "not_found")


def test_an_unknown_twelve_digit_code_is_404(county, officer):
    """Given a 12-digit code of no region in the register, when its summary is read, then it is 404."""
    assert_error(officer.get(url("220821199000", AS_OF)), 404, "not_found")


def test_the_summary_is_read_only(county, officer):
    """Given the summary route, when it is written to, then it is 405 method_not_allowed."""
    assert_error(officer.post(url(COUNTY), {}, format="json"), 405, "method_not_allowed")


# Cost --------------------------------------------------------------------------------------------------------------

SMALL_COUNTY, LARGE_COUNTY = "220831000000", "220832000000"


def populate(user, county_code: str, townships: int, households: int, first_sequence: int) -> None:
    """A county of `townships` townships with one poverty village each (profile and population), a work team, and
    `households` households spread over them: identified 2014, every second one exited 2016, every third monitored,
    each paired and benefited."""
    area = county_code[:6]
    villages = [make_region(f"{area}{100 + t:03d}201") for t in range(townships)]
    regions = {county_code: make_region(county_code), **{v.code: v for v in villages}}
    for v in villages:
        VillageProfile.objects.create(village=v, poverty_status="exited", identified_year=2014, exit_year=2016)
        VillageYear.objects.create(village=v, year=2016, rural_population=500)
    unit = make_unit(regions, name=f"{area}单位", region=county_code)
    cadre = make_cadre(regions, unit, first_sequence, region=county_code)
    cadre_services.work_team_create(
        user=None,
        data={"village": villages[0], "unit": unit, "starts_on": D(2016, 1, 1), "ends_on": None},
        members=[{"cadre": cadre, "resident": True}],
    )
    program = make_program(regions, region=county_code)
    for n in range(households):
        sequence = first_sequence + n
        changes = [("poor", IDENTIFIED)] + ([("exited", EXITED)] if n % 2 else [])
        household = home(regions, user, villages[n % townships].code, b.family(sequence), changes=changes)
        if n % 3 == 0:
            monitor(household, "monitored", D(2017, 1, 1))
        pair(cadre, household, D(2016, 1, 1))
        give(program, household, amount="10.00")


def test_the_query_count_does_not_grow_with_the_region(tree, users, api):
    """Given a county of 1 township and 1 household and one of 3 townships and 6 households, when each summary is
    read, then the whole request costs the same fixed number of queries, 14: the token, the caller's grants, the
    region (scoped), whether its year is published (Cache-Control, a past year), whether households lie outside the region, one pass over the households, monitoring, villages,
    the children, three for the cadres' own counts and two for the programs' (pghistory's context rides on one)."""
    populate(users["superuser"], SMALL_COUNTY, townships=1, households=1, first_sequence=100)
    populate(users["superuser"], LARGE_COUNTY, townships=3, households=6, first_sequence=200)
    client = api(UserFactory(username="two_counties", grants=[("api_client", SMALL_COUNTY),
                                                              ("api_client", LARGE_COUNTY)]))  # fmt: skip
    counted = {}
    for code in (SMALL_COUNTY, LARGE_COUNTY):
        with CaptureQueriesContext(connection) as queries:
            body = get_summary(client, code, AS_OF)
        counted[code] = len(queries.captured_queries)
        assert len(body["children"]) == (1 if code == SMALL_COUNTY else 3)
    assert get_summary(client, LARGE_COUNTY, AS_OF)["households"]["registered"] == 6
    assert counted == {SMALL_COUNTY: QUERIES, LARGE_COUNTY: QUERIES}


QUERIES = 12


def test_a_city_summary_has_its_counties_as_children(county, api, users):
    """Given the city holding this county and the neighbouring one, when a superuser reads its summary, then its
    children are the two counties, each with the figures of its own summary, adding up to the city's."""
    client = api(users["superuser"])
    city = get_summary(client, "220800000000", AS_OF)
    assert city["region"]["level"] == "city"
    assert [child["region"]["code"] for child in city["children"]] == [COUNTY, OTHER_COUNTY]
    for child in city["children"]:
        own = get_summary(client, child["region"]["code"], AS_OF)
        assert child == {key: own[key] for key in CHILD_KEYS}
    assert city["households"] == statuses(registered=6, poor=4, exited=1, closed=1, removed=1, monitored=3)
    assert city["villages"] == {"total": 5, "poverty": 4, "exited": 2, "exit_rate": 0.5}


# The summary export and the dashboard ------------------------------------------------------------------------------


def export_url(kind: str, code: str, as_of=AS_OF) -> str:
    return f"/api/v1/exports/summary.{kind}?region={code}&as_of={as_of}"


def test_the_summary_csv_is_the_summary_as_a_table(county, officer):
    """Given the county, when its summary is exported as CSV, then the file is a row for the county and one per
    township, with exactly the endpoint's figures under dotted keys."""
    import csv
    import io

    from reports.summary import summary_table

    response = officer.get(export_url("csv", COUNTY))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="summary-220821000000-2017-12-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    columns, table = summary_table(get_summary(officer, COUNTY, AS_OF))
    assert rows == [columns, *[["" if value is None else str(value) for value in row] for row in table]]
    assert [row[0] for row in rows[1:]] == [COUNTY, TOWN_A, TOWN_B, TOWN_C]
    assert rows[1][columns.index("households.registered")] == "5"


def test_the_summary_xlsx_holds_the_same_rows(county, officer):
    """Given the county, when its summary is exported as XLSX, then the workbook holds the CSV's header and codes."""
    import io

    from openpyxl import load_workbook

    response = officer.get(export_url("xlsx", COUNTY))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("code", "name", "level", "as_of")
    assert [row[0] for row in rows[1:]] == [COUNTY, TOWN_A, TOWN_B, TOWN_C]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [("", 400, "invalid"), ("region=2208", 400, "invalid"), ("region=220821000000&as_of=2017-13-01", 400, "invalid")],
)
def test_a_summary_export_without_a_good_region_or_day_is_400(county, officer, query, status, code):
    """Given a missing or malformed region or day, when the summary is exported, then it is 400 naming the field."""
    assert_error(officer.get(f"/api/v1/exports/summary.csv?{query}"), status, code)


def test_a_summary_export_out_of_scope_is_404_and_an_api_client_gets_it(county, api, users):
    """Given a township reviewer over A, when it exports the county's summary, then it is 404; an api_client over the
    county gets the file."""
    assert_error(api(users["township_reviewer"]).get(export_url("csv", COUNTY)), 404, "not_found")
    assert api(users["api_client"]).get(export_url("csv", COUNTY)).status_code == 200


def test_the_dashboard_shows_the_summary_figures_in_scope(county, client, users):
    """Given the county officer, when the dashboard of the county is opened, then it shows the summary's figures and
    a row per township; a township reviewer gets 404 for the county; anonymous is sent to sign in."""
    client.force_login(users["county_officer"])
    page = client.get(f"/regions/{COUNTY}/dashboard/?as_of={AS_OF}")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-figure="households.registered">5<' in text
    assert all(f'data-region="{code}"' in text for code in (TOWN_A, TOWN_B, TOWN_C))
    assert client.get(f"/regions/{COUNTY}/dashboard/?as_of=20171231").status_code == 404  # not YYYY-MM-DD
    client.force_login(users["township_reviewer"])
    assert client.get(f"/regions/{COUNTY}/dashboard/").status_code == 404
    client.logout()
    assert client.get(f"/regions/{COUNTY}/dashboard/").status_code == 302


# Kept summaries (reports.models, reports.selectors.kept_region_summary) ---------------------------------------------
# A kept copy is served only while no write it could not see has committed, so every answer equals the summary
# computed at that moment, for any day. These tests commit (transaction=True): a copy is kept only outside an outer
# transaction.


def direct(as_of, code: str = COUNTY) -> dict:
    """The summary computed now, as JSON text would carry it."""
    summary = selectors.region_summary(region=Region.objects.get(code=code), as_of=as_of)
    return json.loads(json.dumps(summary, default=str))


def summary_queries(client, as_of, code: str = COUNTY) -> tuple[dict, int]:
    """The body of a summary request and how many of its queries computed it (read the ledger)."""
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url(code, as_of)).json()
    return body, sum("reports_ledgerrow" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_second_request_is_served_from_the_kept_copy(county, officer):
    """Given a summary just computed and kept, when it is asked for again with no write in between, then the same
    body comes back without reading the register again."""
    first, reads = summary_queries(officer, AS_OF)
    again, reads_again = summary_queries(officer, AS_OF)

    assert reads >= 1 and reads_again == 0
    assert again == first == direct(AS_OF)
    assert list(again) == list(first)  # the keys keep their order
    assert KeptSummary.objects.filter(code=COUNTY, as_of=AS_OF).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_backdated_status_change_is_in_the_next_answer_for_a_past_day(county, officer, users):
    """Given kept summaries of a past day and of the last day, when a status change effective in the past is
    recorded, then both are computed again and show it."""
    before_past, _ = summary_queries(officer, PAST)
    summary_queries(officer, AS_OF)
    household = county[1]
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=datetime.date(2015, 6, 1))

    after_past, reads = summary_queries(officer, PAST)
    assert reads >= 1
    assert after_past == direct(PAST) != before_past
    assert after_past["households"]["exited"] == before_past["households"]["exited"] + 1
    assert summary_queries(officer, AS_OF)[0] == direct(AS_OF)


@pytest.mark.django_db(transaction=True)
def test_a_change_in_one_township_sets_aside_only_the_copies_of_the_regions_containing_it(county, officer, users):
    """Given kept summaries of the county, both townships and a village of each, when a household of township A
    exits, then the county's, A's and A1's copies are computed again (and show it) while B's and B1's are served
    as kept: the ledger marks the village it moved, not every copy."""
    codes = (COUNTY, TOWN_A, VILLAGE_A1, TOWN_B, VILLAGE_B1)
    before = {code: summary_queries(officer, AS_OF, code)[0] for code in codes}
    lifecycle.status_record(user=users["superuser"], household=county[1], status="exited", on=D(2017, 11, 1))
    assert RegionMark.objects.filter(region=VILLAGE_A1).exists()

    after = {code: summary_queries(officer, AS_OF, code) for code in codes}
    for code in (COUNTY, TOWN_A, VILLAGE_A1):
        body, reads = after[code]
        assert reads >= 1 and body == direct(AS_OF, code) != before[code], code
        assert body["households"]["exited"] == before[code]["households"]["exited"] + 1
    for code in (TOWN_B, VILLAGE_B1):
        assert after[code] == (before[code], 0), code


@pytest.mark.django_db(transaction=True)
def test_any_write_to_a_source_table_sets_the_kept_copies_aside(county, officer):
    """Given a kept summary, when a village's population is saved (a bulk update, no ORM signal), then the next
    answer is computed again and equals the direct computation."""
    summary_queries(officer, AS_OF)
    VillageYear.objects.filter(village__code__startswith="220821").update(rural_population=10_000)

    body, reads = summary_queries(officer, AS_OF)
    assert reads >= 1 and body == direct(AS_OF)


@pytest.mark.django_db(transaction=True)
def test_every_write_marks_its_transaction_once(county):
    """Given a transaction writing two source tables in several statements, then one write mark names it."""
    before = WriteMark.objects.count()
    with transaction.atomic():
        VillageYear.objects.filter(village__code__startswith="220821").update(rural_population=1)
        Region.objects.filter(code=COUNTY).update(name="镇赉县")
    assert WriteMark.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_copy_reaching_below_the_pruning_horizon_is_not_served(county, officer):
    """Given a kept summary, when marks are pruned past its snapshot, then it is not trusted: the answer is
    computed again (and kept anew)."""
    summary_queries(officer, AS_OF)
    MarkHorizon.objects.update_or_create(id=1, defaults={"pruned_below": 2**62})

    body, reads = summary_queries(officer, AS_OF)
    assert reads >= 1 and body == direct(AS_OF)


@pytest.mark.django_db(transaction=True)
def test_pruning_keeps_the_answers_exact(county, officer, users, monkeypatch):
    """Given pruning after every kept summary, when summaries and writes alternate, then every answer equals the
    direct computation and the marks do not pile up."""
    monkeypatch.setattr(selectors, "PRUNE_EVERY", 1)
    for day in (PAST, AS_OF, PAST):
        summary_queries(officer, day)
        VillageYear.objects.filter(village__code__startswith="220821").update(rural_population=5_000 + day.year)
        body, _reads = summary_queries(officer, day)
        assert body == direct(day)
    horizon = MarkHorizon.objects.get(id=1).pruned_below
    assert horizon > 0 and not WriteMark.objects.filter(txid__lt=horizon).exists()
    assert not RegionMark.objects.filter(txid__lt=horizon).exists()


@pytest.mark.django_db(transaction=True)
def test_inside_an_outer_transaction_nothing_is_kept(county):
    """Given a caller's atomic block, when the summary is asked for, then it is computed and not kept (the
    snapshot of an outer transaction cannot be made repeatable)."""
    region = Region.objects.get(code=COUNTY)
    with transaction.atomic():
        summary = selectors.kept_region_summary(region=region, as_of=AS_OF)
    assert summary["households"] == selectors.region_summary(region=region, as_of=AS_OF)["households"]
    assert not KeptSummary.objects.exists()
