"""The programs pages (/programs/, /programs/<pk>/, /cooperatives/, /projects/): scope as the API, figures from the
selectors, benefits recorded through the service one household at a time, bad input, pinned query counts."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from programs import selectors, services
from programs.models import Benefit, Cooperative, CooperativeMembership, Dividend, PairingProject, Program
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.households import builders as b
from tests.plans import assert_one_page_plan, list_query
from tests.programs.conftest import give, join, make_cooperative, make_home, make_program

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def health_program(tree):
    """A county health program of 2016–2018 whose targeting rule names households with a seriously ill member."""
    return make_program(
        tree, name="大病救助", category="health", subtype="reimbursement", targeting_rule="serious_illness"
    )


def ill_home(tree, sequence, village=VILLAGE_A1):
    return make_home(
        tree, village=village, sequence=sequence, members=[b.head(sequence), b.spouse(sequence, health="serious_illness")]
    )


def benefits_of(program) -> list:
    return sorted(Benefit.objects.filter(program=program).values_list("household__number", "amount"))


def test_the_url_names_and_paths():
    assert reverse("programs") == "/programs/"
    assert reverse("program", args=[7]) == "/programs/7/"
    assert reverse("program-record", args=[7]) == "/programs/7/benefits/"
    assert reverse("program-export", args=[7]) == "/programs/7/beneficiaries.xlsx"
    assert (reverse("cooperatives"), reverse("cooperative", args=[3]), reverse("projects")) == (
        "/cooperatives/", "/cooperatives/3/", "/projects/"
    )  # fmt: skip


# The list -------------------------------------------------------------------------------------------------------


def test_the_list_shows_each_program_with_households_people_and_amount_of_my_region(client, users, tree):
    """A county officer sees the county's program with the year's figures of the county, money with separators and
    labels in Chinese; another county's program is not listed."""
    program = make_program(tree, start_year=2026, end_year=2026)
    make_program(tree, region=OTHER_COUNTY, name="邻县项目", start_year=2026, end_year=2026)
    day = datetime.date(2026, 3, 1)
    give(program, make_home(tree, sequence=1), on=day, amount="1234567.50")
    give(program, make_home(tree, sequence=2, village=VILLAGE_B1), on=day, amount="100.00")

    html = html_of(signed_in(client, users["county_officer"]).get(f"/programs/?region={COUNTY}&as_of=2026-06-30"))

    assert "庭院经济补贴" in html and "邻县项目" not in html
    assert "产业扶贫" in html and "县级" in html  # labels, never the codes
    assert "1,234,667.50" in html  # the two benefits, with separators
    row = html.split(f'<tr data-program="{program.pk}">')[1].split("</tr>")[0]
    assert '<td class="text-end households">2</td>' in row
    assert '<td class="text-end people">6</td>' in row  # household basis: 3 members each on the day


def test_the_figures_follow_the_chosen_region(client, users, tree):
    """Choosing town A counts only its households' benefits."""
    program = make_program(tree, start_year=2026, end_year=2026)
    day = datetime.date(2026, 3, 1)
    give(program, make_home(tree, sequence=1), on=day, amount="10.00")
    give(program, make_home(tree, sequence=2, village=VILLAGE_B1), on=day, amount="100.00")

    html = html_of(signed_in(client, users["county_officer"]).get(f"/programs/?region={TOWN_A}&as_of=2026-06-30"))

    row = html.split(f'<tr data-program="{program.pk}">')[1].split("</tr>")[0]
    assert '<td class="text-end amount">10.00</td>' in row and '<td class="text-end households">1</td>' in row


def test_a_village_team_sees_the_county_program_and_another_countys_region_is_404(client, users, tree):
    make_program(tree)
    team = signed_in(client, users["village_team"])
    assert "庭院经济补贴" in html_of(team.get("/programs/"))
    assert team.get(f"/programs/?region={OTHER_COUNTY}").status_code == 404
    assert team.get(f"/programs/?region={COUNTY}").status_code == 404  # above the team's village


def test_a_bad_day_is_said_beside_the_field(client, users, tree):
    html = html_of(signed_in(client, users["county_officer"]).get("/programs/?as_of=2026-02-31"))
    assert 'id="id_as_of_error"' in html


def test_the_people_of_every_program_at_once_equal_each_programs_own_count(tree):
    """beneficiary_people_by_program gives program_beneficiaries' people for both bases, in two queries."""
    whole = make_program(tree, name="按户", start_year=2017, end_year=2017)
    named = make_program(tree, name="按人", people_basis="member", start_year=2017, end_year=2017)
    one, two = make_home(tree, sequence=1), make_home(tree, sequence=2)
    give(whole, one, on=datetime.date(2017, 2, 1))
    give(whole, one, on=datetime.date(2017, 3, 1))
    give(whole, two, on=datetime.date(2017, 3, 1))
    member = one.members.order_by("id").first()
    give(named, one, on=datetime.date(2017, 3, 1), member=member)
    give(named, one, on=datetime.date(2017, 4, 1), member=member)
    give(named, two, on=datetime.date(2017, 4, 1))
    since, until = datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)

    people = selectors.beneficiary_people_by_program(region_code=COUNTY, since=since, until=until)

    for program in (whole, named):
        expected = selectors.program_beneficiaries(program=program, since=since, until=until)["beneficiary_people"]
        assert people.get(program.pk, 0) == expected
    assert people == {whole.pk: 6, named.pk: 1}


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_programs(client, users, tree, how_many, django_assert_num_queries):
    """Session, user, grants, regions, the page (keyset: no count), totals, people, the region's figures (3), the
    menu."""
    for n in range(how_many):
        make_program(tree, name=f"项目{n:02d}")
    officer = signed_in(client, users["county_officer"])
    with django_assert_num_queries(11):
        html = html_of(officer.get("/programs/"))
    assert html.count('class="card mb-2 program-card"') == min(how_many, 30)


# One program ----------------------------------------------------------------------------------------------------


def test_a_program_shows_its_figures_and_beneficiaries(client, users, tree, program):
    """The year's households, people and amount (program_beneficiaries), and each household reached with its
    benefits, people and amount."""
    home = make_home(tree, sequence=1)
    give(program, home, on=datetime.date(2017, 5, 1), amount="1500.00")
    give(program, home, on=datetime.date(2017, 6, 1), amount="500.00")

    html = html_of(signed_in(client, users["county_officer"]).get(f"/programs/{program.pk}/?year=2017"))

    assert 'id="figure-households">1<' in html and 'id="figure-people">3<' in html
    assert 'id="figure-amount">2,000.00<' in html
    row = html.split(f'<tr data-household="{home.pk}">')[1].split("</tr>")[0]
    assert home.number in row and "王建国" in row and "2,000.00" in row and "2017年6月1日" in row
    names = row.split('class="d-block text-muted people-names">')[1].split("<")[0]
    assert names.split("、") == [m.name for m in home.members.order_by("birth_date", "id")]


def test_a_program_of_another_county_is_404_and_a_year_outside_it_too(client, users, tree, program):
    other = make_program(tree, region=OTHER_COUNTY, name="邻县项目")
    officer = signed_in(client, users["county_officer"])
    assert officer.get(f"/programs/{other.pk}/").status_code == 404
    assert officer.post(f"/programs/{other.pk}/benefits/", {"numbers": "x"}).status_code == 404
    assert officer.get(f"/programs/{program.pk}/?year=2019").status_code == 404
    assert officer.get(f"/programs/{program.pk}/?year=abc").status_code == 404


def test_a_village_team_sees_only_its_villages_beneficiaries(client, users, tree, program):
    mine, theirs = make_home(tree, sequence=1), make_home(tree, sequence=2, village=VILLAGE_A2)
    give(program, mine)
    give(program, theirs)
    html = html_of(signed_in(client, users["village_team"]).get(f"/programs/{program.pk}/?year=2017"))
    assert f'data-household="{mine.pk}"' in html and f'data-household="{theirs.pk}"' not in html


def test_beneficiaries_come_in_keyset_pages(client, users, tree, program):
    """25 households a page; the next page starts after the last number of this one."""
    homes = [make_home(tree, sequence=n + 1) for n in range(27)]
    for home in homes:
        give(program, home)
    officer = signed_in(client, users["county_officer"])
    first = html_of(officer.get(f"/programs/{program.pk}/?year=2017"))
    numbers = sorted(h.number for h in homes)
    assert f"after={numbers[24]}" in first and numbers[25] not in first
    second = html_of(officer.get(f"/programs/{program.pk}/?year=2017&after={numbers[24]}"))
    assert numbers[25] in second and numbers[26] in second and numbers[0] not in second.split('id="beneficiaries"')[1]


def test_a_beneficiary_page_costs_one_page_of_rows(client, users, tree, program):
    """The page's statement reads households through the number index under its Limit and aggregates nothing over
    the region (the per-household counts are correlated subplans)."""
    for n in range(3):
        give(program, make_home(tree, sequence=n + 1))
    with CaptureQueriesContext(connection) as captured:
        html_of(signed_in(client, users["county_officer"]).get(f"/programs/{program.pk}/?year=2017&after=1"))
    statements = [q for q in captured.captured_queries if "benefit_count" in q["sql"]]
    assert_one_page_plan(list_query(statements, "households_household"), "households_household")


@pytest.mark.parametrize("how_many", [3, 30])
def test_a_program_page_costs_the_same_for_3_or_30_households(
    client, users, tree, health_program, how_many, django_assert_num_queries
):
    """Session, user, grants, program, figures (1: the kept ProgramYear), the beneficiary page and its people, the gap
    list (its count only past 50)."""
    homes = [ill_home(tree, n + 1) for n in range(how_many * 2)]
    for home in homes[:how_many]:
        give(health_program, home)
    officer = signed_in(client, users["county_officer"])
    with django_assert_num_queries(8):
        html = html_of(officer.get(f"/programs/{health_program.pk}/?year=2017"))
    assert html.count('class="list-group-item gap-row"') == how_many


def test_the_gap_list_names_the_targeted_households_not_yet_reached(client, users, tree, health_program):
    reached, missed = ill_home(tree, 1), ill_home(tree, 2)
    healthy = make_home(tree, sequence=3)
    give(health_program, reached)
    html = html_of(signed_in(client, users["county_officer"]).get(f"/programs/{health_program.pk}/?year=2017"))
    gaps = html.split('id="gaps"')[1].split("</section>")[0]
    assert missed.number in gaps and reached.number not in gaps and healthy.number not in gaps
    assert "有大病患者" in gaps and "1 户" in gaps


# Recording ------------------------------------------------------------------------------------------------------


def test_a_batch_records_each_household_and_refuses_one_outside_the_program(client, users, tree):
    """A town A program; three ticked households, one in town B: two recorded, one refused with the reason and what
    to do, untouched."""
    program = make_program(tree, region=TOWN_A, targeting_rule="serious_illness", category="health", subtype="")
    homes = [ill_home(tree, 1), ill_home(tree, 2), ill_home(tree, 3, village=VILLAGE_B1)]
    response = signed_in(client, users["county_officer"]).post(
        f"/programs/{program.pk}/benefits/?year=2017",
        {"households": [h.pk for h in homes], "date": "2017-05-01", "amount": "800", "quantity": "1"},
    )
    html = html_of(response)
    assert "已登记 2 户，未登记 1 户" in html
    refused = html.split(f'data-number="{homes[2].number}"')[1].split("</li>")[0]
    assert "不在项目" in refused and "请选择项目覆盖区划内的户" in refused
    assert benefits_of(program) == sorted([(homes[0].number, Decimal("800.00")), (homes[1].number, Decimal("800.00"))])


def test_typed_numbers_are_recorded_and_an_unknown_one_is_reported(client, users, tree, program):
    home = make_home(tree, sequence=1)
    other = make_home(tree, sequence=2, village=VILLAGE_A2)
    html = html_of(
        signed_in(client, users["village_team"]).post(
            f"/programs/{program.pk}/benefits/?year=2017",
            {"numbers": f"{home.number}，{other.number} 999", "date": "2017-05-01", "amount": "20.5", "quantity": "2"},
        )
    )
    assert "已登记 1 户，未登记 2 户" in html
    assert "在您负责的范围内没有这个户编号" in html  # the other village's household is not the team's to know
    assert benefits_of(program) == [(home.number, Decimal("20.50"))]
    assert Benefit.objects.get().recorded_by == users["village_team"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "12.345", "金额最多两位小数"),
        ("amount", "1e3", "金额须为十进制数字"),
        ("amount", "-5", "金额不能为负数"),
        ("date", "2019-01-01", "帮扶日期须在项目年度"),
        ("date", "2017-02-30", ""),
        ("quantity", "-1", ""),
    ],
)
def test_bad_input_is_said_beside_its_field_nothing_written_and_nothing_typed_lost(
    client, users, tree, program, field, value, message
):
    home = make_home(tree, sequence=1)
    data = {"numbers": home.number, "date": "2017-05-01", "amount": "300", "quantity": "1", "note": "第一批", field: value}
    html = html_of(signed_in(client, users["county_officer"]).post(f"/programs/{program.pk}/benefits/?year=2017", data))
    error = html.split(f'id="id_{field}_error"')[1].split("</div>")[0]
    assert message in error
    assert Benefit.objects.count() == 0
    assert home.number in html and 'value="第一批"' in html and f'value="{value}"' in html


def test_nothing_chosen_is_an_error_beside_the_numbers(client, users, tree, program):
    html = html_of(
        signed_in(client, users["county_officer"]).post(
            f"/programs/{program.pk}/benefits/?year=2017", {"date": "2017-05-01", "amount": "1", "quantity": "1"}
        )
    )
    assert "请勾选至少一户，或填写户编号" in html.split('id="id_numbers_error"')[1]


def test_a_ticked_household_outside_my_scope_is_404_and_nothing_is_written(client, users, tree, program):
    mine, theirs = make_home(tree, sequence=1), make_home(tree, sequence=2, village=VILLAGE_A2)
    response = signed_in(client, users["village_team"]).post(
        f"/programs/{program.pk}/benefits/?year=2017",
        {"households": [mine.pk, theirs.pk], "date": "2017-05-01", "amount": "1", "quantity": "1"},
    )
    assert response.status_code == 404
    assert Benefit.objects.count() == 0


def test_an_inspector_reads_but_may_not_record(client, users, tree, program):
    home = make_home(tree, sequence=1)
    inspector = signed_in(client, users["inspector"])
    assert 'id="record-form"' not in html_of(inspector.get(f"/programs/{program.pk}/"))
    response = inspector.post(f"/programs/{program.pk}/benefits/", {"numbers": home.number, "date": "2017-05-01", "amount": "1"})
    assert response.status_code == 403
    assert Benefit.objects.count() == 0


def test_a_recorded_benefit_shows_on_the_household_card(client, users, tree, program):
    home = make_home(tree, sequence=1)
    officer = signed_in(client, users["county_officer"])
    officer.post(
        f"/programs/{program.pk}/benefits/?year=2017",
        {"numbers": home.number, "date": "2017-05-01", "amount": "4321", "quantity": "1", "note": "种苗"},
    )
    card = html_of(officer.get(f"/households/{home.pk}/")).split('id="card-benefits"')[1]
    assert "庭院经济补贴" in card and "4,321.00" in card and "种苗" in card


# Export ---------------------------------------------------------------------------------------------------------


def test_the_export_is_an_xlsx_of_the_years_beneficiaries_with_chinese_headers(client, users, tree, program):
    home = make_home(tree, sequence=1)
    give(program, home, amount="1200.50")
    give(program, make_home(tree, sequence=2), on=datetime.date(2018, 1, 1))
    response = signed_in(client, users["county_officer"]).get(f"/programs/{program.pk}/beneficiaries.xlsx?year=2017")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("户编号", "户主", "乡镇")
    assert len(rows) == 2
    assert rows[1][0] == home.number and rows[1][1] == "王建国" and rows[1][4] == 1 and Decimal(str(rows[1][5])) == Decimal("1200.5")


def test_the_export_of_another_countys_program_is_404_and_api_client_403(client, users, tree, program):
    other = make_program(tree, region=OTHER_COUNTY, name="邻县项目")
    assert signed_in(client, users["county_officer"]).get(f"/programs/{other.pk}/beneficiaries.xlsx").status_code == 404
    client.logout()
    assert signed_in(client, users["api_client"]).get(f"/programs/{program.pk}/beneficiaries.xlsx").status_code == 403


# Cooperatives and projects --------------------------------------------------------------------------------------


def test_cooperatives_list_members_and_dividends(client, users, tree):
    cooperative = make_cooperative(tree)
    home = make_home(tree, sequence=1)
    membership = join(cooperative, home, shares="2.50")
    services.dividend_create(user=None, membership=membership, year=2017, amount="1300.00")
    officer = signed_in(client, users["county_officer"])
    listing = html_of(officer.get("/cooperatives/"))
    assert "丰收种植合作社" in listing and "种植" in listing and "现有入社户 1 户" in listing
    html = html_of(officer.get(f"/cooperatives/{cooperative.pk}/"))
    member = html.split(f'data-household="{home.pk}"')[1].split("</div>\n    </div>")[0]
    assert home.number in html and "王建国" in member and "2.50 股" in member and "2017年 1,300.00 元" in member
    assert "2016年1月1日入社" in member


def test_another_countys_cooperative_is_404(client, users, tree):
    other = make_cooperative(tree, village=OTHER_VILLAGE, name="邻县合作社")
    officer = signed_in(client, users["county_officer"])
    assert officer.get(f"/cooperatives/{other.pk}/").status_code == 404
    assert "邻县合作社" not in html_of(officer.get("/cooperatives/"))


@pytest.mark.parametrize("how_many", [3, 30])
def test_a_cooperative_costs_the_same_for_3_or_30_members(client, users, tree, how_many, django_assert_num_queries):
    """Session, user, grants, the cooperative, memberships, dividends (the totals by year are summed from them)."""
    cooperative = make_cooperative(tree)
    for n in range(how_many):
        membership = join(cooperative, make_home(tree, sequence=n + 1))
        services.dividend_create(user=None, membership=membership, year=2017, amount="10.00")
    officer = signed_in(client, users["county_officer"])
    with django_assert_num_queries(6):
        html = html_of(officer.get(f"/cooperatives/{cooperative.pk}/"))
    assert html.count('class="list-group-item member-row"') == how_many
    assert f"2017年 {how_many * 10:,}.00 元" in html


def test_projects_list_funds_and_the_households_they_benefited(client, users, tree, unit):
    home, elsewhere = make_home(tree, sequence=1), make_home(tree, sequence=2, village=VILLAGE_A2)
    services.project_create(
        user=None,
        data={"unit": unit, "village": tree[VILLAGE_A1], "name": "光伏电站", "year": 2017,
              "funds_invested": Decimal("1500000.00"), "trainings": 40},
        beneficiaries=[home],
    )  # fmt: skip
    services.project_create(
        user=None, data={"unit": unit, "village": tree[VILLAGE_A2], "name": "邻村项目", "year": 2017},
        beneficiaries=[elsewhere],
    )  # fmt: skip
    html = html_of(signed_in(client, users["village_team"]).get("/projects/"))
    assert "光伏电站" in html and "省财政厅" in html and "1,500,000.00" in html and "40 人次" in html
    assert home.number in html and "邻村项目" not in html


# Writing cooperatives, members and dividends (the county office) ------------------------------------------------


def test_the_county_office_registers_a_cooperative_and_bad_input_stays_typed(client, users, tree):
    officer = signed_in(client, users["county_officer"])
    bad = html_of(officer.post("/cooperatives/new/", {"name": "果蔬合作社", "village": VILLAGE_A1, "kind": "planting", "founded": "2015-02-30"}))
    assert 'id="id_founded_error"' in bad and 'value="果蔬合作社"' in bad
    response = officer.post("/cooperatives/new/", {"name": "果蔬合作社", "village": VILLAGE_A1, "kind": "planting", "founded": "2015-03-01"})
    cooperative = Cooperative.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cooperatives/{cooperative.pk}/"
    again = html_of(officer.post("/cooperatives/new/", {"name": "果蔬合作社", "village": VILLAGE_A1, "kind": "planting", "founded": "2015-03-01"}))
    assert "该村已有同名合作社" in again.split('id="id_name_error"')[1]
    assert Cooperative.objects.count() == 1


def test_a_village_outside_the_county_cannot_be_chosen(client, users, tree):
    officer = signed_in(client, users["county_officer"])
    html = html_of(officer.post("/cooperatives/new/", {"name": "邻县社", "village": OTHER_VILLAGE, "kind": "planting", "founded": "2015-03-01"}))
    assert 'id="id_village_error"' in html and not Cooperative.objects.exists()


def test_a_household_joins_and_receives_a_dividend(client, users, tree):
    cooperative = make_cooperative(tree)
    home = make_home(tree, sequence=1)
    officer = signed_in(client, users["county_officer"])
    url = f"/cooperatives/{cooperative.pk}/"
    assert officer.post(f"{url}members/", {"number": home.number, "joined": "2016-01-01", "shares": "2"}).status_code == 302
    membership = CooperativeMembership.objects.get()
    assert (membership.household_id, membership.shares) == (home.pk, Decimal("2.00"))
    early = html_of(officer.post(f"{url}dividends/", {"membership": membership.pk, "year": "2015", "amount": "10"}))
    assert "该年度该户不是合作社成员" in early.split('id="id_year_error"')[1]
    assert officer.post(f"{url}dividends/", {"membership": membership.pk, "year": "2017", "amount": "880.5"}).status_code == 302
    assert list(Dividend.objects.values_list("year", "amount")) == [(2017, Decimal("880.50"))]


def test_joining_before_the_founding_or_an_unknown_number_is_said_beside_the_field(client, users, tree):
    cooperative = make_cooperative(tree)
    home = make_home(tree, sequence=1)
    officer = signed_in(client, users["county_officer"])
    url = f"/cooperatives/{cooperative.pk}/members/"
    early = html_of(officer.post(url, {"number": home.number, "joined": "2014-01-01", "shares": "1"}))
    assert "入社日期不能早于合作社成立日期" in early.split('id="id_joined_error"')[1]
    unknown = html_of(officer.post(url, {"number": "9999", "joined": "2016-01-01", "shares": "1"}))
    assert "在您负责的范围内没有这个户编号" in unknown.split('id="id_number_error"')[1]
    assert not CooperativeMembership.objects.exists()


def test_a_village_team_may_not_add_members(client, users, tree):
    cooperative = make_cooperative(tree)
    home = make_home(tree, sequence=1)
    team = signed_in(client, users["village_team"])
    assert 'id="membership-form"' not in html_of(team.get(f"/cooperatives/{cooperative.pk}/"))
    response = team.post(f"/cooperatives/{cooperative.pk}/members/", {"number": home.number, "joined": "2016-01-01", "shares": "1"})
    assert response.status_code == 403 and not CooperativeMembership.objects.exists()


def test_a_benefit_names_a_member_of_one_household(client, users, tree):
    """A member-basis program: the member's name for one household is recorded (and counted); a name the household
    lacks, or a name with several households, is said beside the field and nothing is written."""
    program = make_program(tree, name="雨露计划", category="education", subtype="yulu_plan", people_basis="member")
    home, other = make_home(tree, sequence=1), make_home(tree, sequence=2)
    member = home.members.order_by("id").last()
    officer = signed_in(client, users["county_officer"])
    url = f"/programs/{program.pk}/benefits/?year=2017"
    base = {"date": "2017-05-01", "amount": "1500", "quantity": "1"}
    several = html_of(officer.post(url, {**base, "numbers": f"{home.number} {other.number}", "member_name": member.name}))
    assert "只登记一户时才能指定受益成员" in several.split('id="id_member_name_error"')[1]
    unknown = html_of(officer.post(url, {**base, "numbers": home.number, "member_name": "无此人"}))
    assert "没有名为“无此人”的成员" in unknown.split('id="id_member_name_error"')[1]
    assert not Benefit.objects.exists()
    html = html_of(officer.post(url, {**base, "numbers": home.number, "member_name": member.name}))
    assert Benefit.objects.get().member == member
    assert 'id="figure-people">1<' in html
    row = html.split(f'<tr data-household="{home.pk}">')[1].split("</tr>")[0]
    assert row.split('people-names">')[1].split("<")[0] == member.name  # the named member only


def test_the_county_office_records_a_project_with_its_households(client, users, tree, unit):
    home, elsewhere = make_home(tree, sequence=1), make_home(tree, sequence=2, village=VILLAGE_A2)
    officer = signed_in(client, users["county_officer"])
    data = {
        "unit": unit.pk, "village": VILLAGE_A1, "name": "光伏电站", "year": "2017", "funds_invested": "1500000",
        "funds_coordinated": "0", "trainings": "40", "numbers": f"{home.number} {elsewhere.number}",
    }  # fmt: skip
    refused = html_of(officer.post("/projects/new/", data))
    assert "受益户须是项目村的户" in refused.split('id="id_numbers_error"')[1] and 'value="光伏电站"' in refused
    unknown = html_of(officer.post("/projects/new/", {**data, "numbers": "12345"}))
    assert "在您负责的范围内没有这些户编号：12345" in unknown
    bad_money = html_of(officer.post("/projects/new/", {**data, "numbers": home.number, "funds_invested": "1,5"}))
    assert 'id="id_funds_invested_error"' in bad_money
    assert not PairingProject.objects.exists()
    response = officer.post("/projects/new/", {**data, "numbers": home.number})
    assert response.status_code == 302
    project = PairingProject.objects.get()
    assert list(project.beneficiaries.values_list("pk", flat=True)) == [home.pk]


def test_a_township_reviewer_may_not_record_a_project(client, users, tree, unit):
    reviewer = signed_in(client, users["township_reviewer"])
    assert 'id="project-form"' not in html_of(reviewer.get("/projects/"))
    assert reviewer.post("/projects/new/", {"unit": unit.pk, "village": VILLAGE_A1, "name": "x", "year": "2017"}).status_code == 403
    assert not PairingProject.objects.exists()


HOSTILE = ["\x00", "2017\x00", "9" * 300, "9999-12-31", "0001-01-01", "99999-01-01", "２０１７", "-1", "' OR 1=1 --"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_query_values_are_never_a_500(client, users, tree, program, value):
    """Every query parameter of the pages, one hostile value at a time: a page, a 400 or a 404, never a 500."""
    give(program, make_home(tree, sequence=1))
    officer = signed_in(client, users["county_officer"])
    for path, name in [
        ("/programs/", "region"), ("/programs/", "as_of"), ("/programs/", "after"), ("/programs/", "before"),
        (f"/programs/{program.pk}/", "year"), (f"/programs/{program.pk}/", "after"), (f"/programs/{program.pk}/", "before"),
        (f"/programs/{program.pk}/beneficiaries.xlsx", "year"), ("/cooperatives/", "after"), ("/projects/", "before"),
    ]:  # fmt: skip
        assert officer.get(path, {name: value}).status_code in (200, 400, 404), (path, name)  # 400: NUL, refused upstream


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "NaN"), ("amount", "Infinity"), ("amount", "1e999"), ("amount", "9" * 20), ("quantity", "99999999999"),
     ("date", "99999-01-01"), ("numbers", "9" * 5000), ("note", "备" * 300), ("households", "abc")],
)  # fmt: skip
def test_hostile_form_values_write_nothing_and_are_never_a_500(client, users, tree, program, field, value):
    home = make_home(tree, sequence=1)
    data = {"numbers": home.number, "date": "2017-05-01", "amount": "1", "quantity": "1", field: value}
    response = signed_in(client, users["county_officer"]).post(f"/programs/{program.pk}/benefits/?year=2017", data)
    assert response.status_code in (200, 404)
    assert not Benefit.objects.exists()


def test_the_list_filters_programs_with_the_apis_filterset(client, users, tree):
    """category, funding source and year narrow the list as the API's ProgramFilterSet does; a bad year is said beside
    the field and lists nothing."""
    make_program(tree, name="庭院经济补贴")
    make_program(tree, name="大病救助", category="health", subtype="", funding_source="central", start_year=2019, end_year=2020)
    officer = signed_in(client, users["county_officer"])
    health = html_of(officer.get("/programs/", {"category": "health"}))
    assert "大病救助" in health and "庭院经济补贴" not in health
    central_2019 = html_of(officer.get("/programs/", {"funding_source": "central", "year": "2019"}))
    assert "大病救助" in central_2019 and "庭院经济补贴" not in central_2019
    in_2017 = html_of(officer.get("/programs/", {"year": "2017"}))
    assert "庭院经济补贴" in in_2017 and "大病救助" not in in_2017.split('id="program-filters"')[1]
    bad = html_of(officer.get("/programs/", {"year": "abc"}))
    assert 'id="no-programs"' in bad


def test_the_county_office_sets_up_a_program_and_errors_stay_beside_their_fields(client, users, tree):
    officer = signed_in(client, users["county_officer"])
    assert 'id="new-program"' in html_of(officer.get("/programs/"))
    data = {
        "name": "光伏扶贫", "category": "industry", "subtype": "yulu_plan", "start_year": "2018", "end_year": "2017",
        "region": COUNTY, "funding_source": "county", "budget": "1,000", "unit": "yuan", "people_basis": "household",
    }  # fmt: skip
    html = html_of(officer.post("/programs/new/", data))
    assert "不属于类别" in html.split('id="id_subtype_error"')[1]
    assert 'value="光伏扶贫"' in html and not Program.objects.exists()
    fixed = {**data, "subtype": "photovoltaic", "end_year": "2020", "budget": "1000000"}
    response = officer.post("/programs/new/", fixed)
    program = Program.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/programs/{program.pk}/"
    assert (program.start_year, program.end_year, program.budget) == (2018, 2020, Decimal("1000000.00"))


def test_a_year_range_backwards_is_said_beside_the_end_year(client, users, tree):
    officer = signed_in(client, users["county_officer"])
    data = {
        "name": "光伏扶贫", "category": "industry", "start_year": "2018", "end_year": "2017", "region": TOWN_A,
        "funding_source": "county", "budget": "0", "unit": "yuan", "people_basis": "household",
    }  # fmt: skip
    assert "结束年度不能早于开始年度" in html_of(officer.post("/programs/new/", data)).split('id="id_end_year_error"')[1]
    assert not Program.objects.exists()


def test_only_the_county_office_sets_up_programs(client, users, tree):
    team = signed_in(client, users["village_team"])
    assert 'id="new-program"' not in html_of(team.get("/programs/"))
    assert team.get("/programs/new/").status_code == 403
    assert signed_in(client, users["county_officer"]).post("/programs/new/", {"region": OTHER_COUNTY}).status_code == 200
