"""The annual record page (/households/<id>/records/<year>/): totals and checklist live, save, scope, rights."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from households.models import AnnualRecord, PolicyStandard
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.households.builders import counts, head, make_household, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(users, tree):
    # The 2019 national line (seeded by a migration; a browser test's flush may have removed it).
    PolicyStandard.objects.update_or_create(
        year=2019, region=None, defaults={"poverty_line": Decimal("3747.00"), "kind": "national"}
    )
    return make_household(village=tree[VILLAGE_A1], user=users["village_team"])


def url(household, year=2019):
    return f"/households/{household.pk}/records/{year}/"


def record_payload(**overrides) -> dict:
    data = {
        "wages": "12000", "business_income": "3000", "business_cost": "1000", "dibao": "600",
        "food_secure": "true", "clothing_secure": "true", "housing_grade": "A", "water_safe": "true",
        "water_access_ok": "true",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def team(client, users):
    client.force_login(users["village_team"])
    return client


def test_the_page_shows_the_record_sections_totals_and_checklist(team, household):
    response = team.get(url(household))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("2019 年度信息", "工资性收入", "两不愁三保障", "人均纯收入", "不愁吃", "住房安全有保障"):
        assert text in html
    assert household.number in html and "王建国" in html
    assert 'id="save-record"' in html and 'hx-post="' in html


def test_the_totals_and_checklist_follow_what_is_typed_without_saving(team, household):
    before = counts()
    response = team.post(url(household), record_payload(), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # a partial
    assert counts() == before  # nothing saved
    # 12000 + 3000 - 1000 + 600 = 14600 for 3 members = 4866.67
    assert re.search(r'id="total-net">14,600.00<', html)
    assert re.search(r'id="total-per-capita">4,866.67<', html)
    assert re.search(r'data-check="收入" data-result="pass"', html)
    assert re.search(r'data-check="不愁吃" data-result="pass"', html)
    low = team.post(url(household), record_payload(wages="0", business_income="0", food_secure="false"), HTTP_HX_REQUEST="true")
    low_html = low.content.decode()
    assert re.search(r'data-check="收入" data-result="fail"', low_html)
    assert re.search(r'data-check="不愁吃" data-result="fail"', low_html)
    # A field being typed (not a number yet) does not stop the rest.
    half = team.post(url(household), record_payload(wages="12a"), HTTP_HX_REQUEST="true")
    assert half.status_code == 200 and 'id="total-net">2,600.00<' in half.content.decode()


def test_the_record_is_saved_through_the_service(team, household):
    response = team.post(url(household), record_payload())
    assert response.status_code == 302 and response["Location"] == url(household)
    record = AnnualRecord.objects.get(household=household, year=2019)
    assert record.net_income == Decimal("14600.00") and record.per_capita_income == Decimal("4866.67")
    assert record.food_secure is True and record.housing_grade == "A"
    # Opened again, the page shows it; saved again with the version it carries.
    html = team.get(url(household)).content.decode()
    assert 'value="12000.00"' in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert team.post(url(household), record_payload(wages="13000", version=version)).status_code == 302
    record.refresh_from_db()
    assert record.wages == Decimal("13000.00")


def test_a_stale_record_is_refused(team, household):
    team.post(url(household), record_payload())
    record = AnnualRecord.objects.get()
    response = team.post(url(household), record_payload(wages="1", version=str(record.version - 1)))
    assert response.status_code == 400 and "已有他人修改" in response.content.decode()
    record.refresh_from_db()
    assert record.wages == Decimal("12000.00")


def test_bad_input_is_refused_beside_the_field_and_nothing_written(team, household):
    before = counts()
    response = team.post(url(household), record_payload(wages="-5", renovation_year="abc"))
    html = response.content.decode()
    assert response.status_code == 400 and counts() == before
    assert 'id="id_wages_error"' in html and 'href="#id_wages"' in html
    assert 'value="-5"' in html


@pytest.mark.parametrize("year", [2012, timezone.localdate().year + 2])
def test_a_year_out_of_range_is_404(team, household, year):
    assert team.get(url(household, year)).status_code == 404


def test_out_of_scope_is_404(team, users, tree):
    other = make_household(village=tree[VILLAGE_B1], user=users["county_officer"], members=[head(7)])
    before = counts()
    assert team.get(url(other)).status_code == 404
    assert team.post(url(other), record_payload()).status_code == 404
    assert counts() == before


def test_a_reader_sees_no_button_and_gets_403(client, users, household):
    client.force_login(users["inspector"])
    response = client.get(url(household))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="save-record"' not in html and "hx-post" not in html
    before = counts()
    assert client.post(url(household), record_payload()).status_code == 403
    assert client.post(url(household), record_payload(), HTTP_HX_REQUEST="true").status_code == 403
    assert counts() == before


@pytest.mark.parametrize("size", [2, 20])
def test_the_page_costs_the_same_queries_for_2_and_20_members(team, users, tree, size, django_assert_num_queries):
    people = [head(3)] + [
        member(name=f"子{i}", sex="male", birth_date=date(1990, 1, 1 + i), relation="03", sequence=3)
        for i in range(size - 1)
    ]
    household = make_household(village=tree[VILLAGE_A1], user=users["village_team"], members=people)
    with django_assert_num_queries(7):  # session, user, household, grants, record, members, standard
        response = team.get(url(household))
    assert response.status_code == 200
