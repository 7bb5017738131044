"""Input that used to reach the code as a 500: deep JSON, NUL and control characters, full-width digits, far dates;
free text with control or bidi characters; bank accounts that are not numbers."""

import pytest

from core import validators
from households.models import Household, PolicyStandard
from tests.assertions import assert_error
from tests.conftest import COUNTY, TOWN_B, VILLAGE_A1
from tests.factories import UserFactory
from tests.households import builders as b
from tests.lifecycle.test_services import identify, take

pytestmark = pytest.mark.django_db


def test_json_nested_5000_deep_is_400_invalid(api, users):
    """The decoder's RecursionError is the client's error, not a 500; nothing is written."""
    before = b.counts()
    body = '{"village": ' + "[" * 5000 + "]" * 5000 + "}"
    response = api(users["village_team"]).post("/api/v1/households/", body, content_type="application/json")
    assert_error(response, 400, "invalid")
    assert b.counts() == before


@pytest.mark.parametrize("url", ["/api/v1/standards/?region=%00", "/api/v1/findings/?rule=ID-1%00", "/api/v1/households/?q=%00"])
def test_a_nul_in_any_query_parameter_is_400_naming_it(api, users, url):
    """A NUL reaching PostgreSQL (a CharFilter, a hand-read parameter) raised ValueError: now 400 before any view."""
    body = assert_error(api(users["county_officer"]).get(url), 400, "invalid")
    assert set(body["errors"]) == {url.split("?")[1].split("=")[0]}


def test_control_and_bidi_characters_in_query_parameters_are_refused(api, users):
    client = api(users["county_officer"])
    assert_error(client.get("/api/v1/households/", {"q": "王\u202e"}), 400, "invalid")
    assert_error(client.get("/api/v1/regions/", {"q": "a\x1bb"}), 400, "invalid")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/standards/?year=２０１７", "year"),
        ("/api/v1/reports/220821000000/annual/?year=２０１７", "year"),
        ("/api/v1/summaries/220821000000/?as_of=9999-12-31", "as_of"),
        ("/api/v1/notices/?on=2017-W52-7", "on"),
        ("/api/v1/notices/?region=２２０８２１００００００", "region"),
    ],
)
def test_numbers_are_ascii_digits_and_days_are_in_range(api, users, url, name):
    """'２０１７' is a digit string to str.isdigit(); every parameter goes through core.api.params."""
    body = assert_error(api(users["county_officer"]).get(url), 400, "invalid")
    assert set(body["errors"]) == {name}


def test_a_body_day_outside_1900_2100_is_400(api, users):
    """Every date a serializer takes is bounded (core.api.fields.DayField), model serializers' too."""
    client = api(users["village_team"])
    payload = b.household_payload(VILLAGE_A1)
    payload["members"][0]["birth_date"] = "1899-12-31"
    before = b.counts()
    body = assert_error(client.post("/api/v1/households/", payload, format="json"), 400, "invalid")
    assert "members.0.birth_date" in body["errors"]
    assert b.counts() == before


def test_a_notice_starting_more_than_a_year_after_its_step_is_refused(api, users, tree):
    """A notice near 9999-12-31 overflowed (500); a notice a year ahead is refused with a stable code."""
    household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"])
    pid = identify(api, users, household, until="first_notice")
    team = api(users["village_team"])
    far = take(team, pid, "first_notice", "2014-03-09", start="9999-12-25", end="9999-12-31")
    assert_error(far, 400, "invalid")
    late = take(team, pid, "first_notice", "2014-03-09", start="2015-03-10", end="2015-03-17")
    body = assert_error(late, 400, "notice_too_late")
    assert "start" in body["errors"]
    assert not household.procedures.get().notices.exists()


# Free text and bank accounts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        *(("address", text) for text in ["一组\u202e21号", "一组\x00号", "一组\x1b号", "一组\u2066号", "一组\x85号"]),
        *(
            ("bank_account", text)
            for text in ["6228-4801-2345", "62284801234567890１", "1234567", "1" * 31, "账号6228480123456789"]
        ),
    ],
)
def test_bad_free_text_and_bank_accounts_are_refused_through_the_api(api, users, field, bad):
    """Addresses hold no control or bidi character; a bank account is 8–30 ASCII digits. Nothing is written."""
    before = b.counts()
    response = api(users["village_team"]).post(
        "/api/v1/households/", b.household_payload(VILLAGE_A1, **{field: bad}), format="json"
    )
    body = assert_error(response, 400, "invalid")
    assert field in body["errors"]
    assert b.counts() == before


def test_a_line_break_in_a_name_is_refused_but_allowed_in_a_note(api, users, tree):
    """Names and addresses are one line; notes, objections and resolutions may span lines (tab, LF, CR LF)."""
    client = api(users["village_team"])
    payload = b.household_payload(VILLAGE_A1)
    payload["members"][0]["name"] = "王\n建国"
    body = assert_error(client.post("/api/v1/households/", payload, format="json"), 400, "invalid")
    assert "members.0.name" in body["errors"]
    household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"])
    opened = client.post(
        f"/api/v1/households/{household.pk}/procedures/",
        {"kind": "identification", "date": "2014-03-01", "note": "第一行\r\n第二行\t完"},
        format="json",
    )
    assert opened.status_code == 201, opened.json()


def test_the_services_refuse_bidi_text_whatever_the_entry_path(users, tree):
    """The check lives in BaseModel.clean_fields: services, admin forms and commands all clean through it."""
    from django.core.exceptions import ValidationError

    before = b.counts()
    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], address="一组\u202e21号")
    assert "address" in caught.value.error_dict
    assert b.counts() == before


def test_spaces_in_a_bank_account_are_dropped(api, users):
    response = api(users["village_team"]).post(
        "/api/v1/households/", b.household_payload(VILLAGE_A1, bank_account="6228 4801 2345 6789 012"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert Household.objects.get(pk=response.json()["id"]).bank_account == "6228480123456789012"


def test_the_validators_themselves():
    """Pure checks: which characters each kind of text refuses."""
    assert validators.forbidden_character("第一行\n第二行\t", multiline=True) is None
    assert validators.forbidden_character("第一行\n第二行") == "\n"
    assert validators.forbidden_character("a\u2069", multiline=True) == "\u2069"
    assert validators.forbidden_character("王建国 · 一组") is None


# Policy standards in scope ---------------------------------------------------------------------


@pytest.fixture
def standards(tree):
    """Nationwide, the province, the county, a village of it, and another county's standard for 2030."""
    from villages.models import Region

    rows = {"nation": PolicyStandard.objects.get_or_create(year=2030, region=None)[0]}
    for key, code in {"province": "220000000000", "county": COUNTY, "village": VILLAGE_A1, "other": "220822000000"}.items():
        rows[key] = PolicyStandard.objects.create(year=2030, region=Region.objects.get(code=code))
    return rows


def test_standards_are_those_of_the_callers_regions_their_ancestors_and_descendants(api, users, standards):
    """Ancestors' standards apply below them (the nation's, the province's, the county's); a village's standard
    is seen by its township and county, not by another township; another county's by nobody here."""
    town_b = UserFactory(username="town_b", grants=[("township_reviewer", TOWN_B)])
    response = api(town_b).get("/api/v1/standards/", {"year": 2030})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()} == {standards[k].pk for k in ("nation", "province", "county")}
    town_a = {row["id"] for row in api(users["township_reviewer"]).get("/api/v1/standards/", {"year": 2030}).json()}
    assert town_a == {standards[k].pk for k in ("nation", "province", "county", "village")}
    county = {row["id"] for row in api(users["county_officer"]).get("/api/v1/standards/", {"year": 2030}).json()}
    assert county == {standards[k].pk for k in ("nation", "province", "county", "village")}


def test_another_countys_standard_is_404(api, users, standards):
    """Out of scope is 404, never 403 (an ancestor region's standards are in scope)."""
    client = api(users["county_officer"])
    assert_error(client.get(f"/api/v1/standards/{standards['other'].pk}/"), 404, "not_found")
    assert_error(client.get("/api/v1/standards/", {"region": "220822000000"}), 404, "not_found")
    assert client.get("/api/v1/standards/", {"region": "220000000000"}).status_code == 200
