"""Household exports (exports/households.csv and .xlsx): the import layout, scoped, masked by role, logged, streamed.

The pure parts (layout, formatting, masking, the CSV formula guard) are tested without a database; the
endpoints through the API client with token auth against PostgreSQL.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from openpyxl import load_workbook

from core.models import PersonalDataAccess
from households import services
from households.choices import NATIONAL_FIELDS
from lifecycle import services as lifecycle
from reports import exports
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_B1
from tests.factories import UserFactory
from tests.households import builders as b
from villages.models import VillagerGroup

CSV_URL = "/api/v1/exports/households.csv"
XLSX_URL = "/api/v1/exports/households.xlsx"
BANK_ACCOUNT = "6228480402564890018"
BANK_ACCOUNT_MASKED = "622848*********0018"


def masked_id(number: str) -> str:
    return f"{number[:6]}********{number[-4:]}"


def read_csv_text(content: str) -> list[dict]:
    """CSV text as dicts (BOM checked and dropped)."""
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


def read_csv(response) -> list[dict]:
    """The streamed CSV as dicts."""
    return read_csv_text(b"".join(response.streaming_content).decode("utf-8"))


def read_xlsx(response) -> list[dict]:
    """The XLSX workbook as dicts, empty cells as ""."""
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.active.iter_rows(values_only=True)
    return [{name: "" if value is None else value for name, value in zip(header, row, strict=True)} for row in rows]


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


# The layout and the formatting (no database) --------------------------------------------------------------------


def test_the_layout_holds_every_field_an_import_needs_once():
    """Every input field of a household and of a member (what the services take) is a column, and no name repeats."""
    names = set(exports.HEADER)
    assert len(names) == len(exports.HEADER)
    assert set(services.HOUSEHOLD_FIELDS) <= names
    assert set(services.MEMBER_FIELDS) <= names
    assert {"household_number", "village", "status", "returned"} <= names
    assert exports.HEADER[:2] == ("household_number", "village")


def test_a_row_is_formatted_as_text_with_personal_data_masked_unless_allowed():
    """Dates ISO, booleans true/false, None empty, lists joined with ";", ID numbers and accounts masked on demand."""
    raw = {column.name: None for column in exports.HOUSEHOLD_COLUMNS}
    raw.update(
        household_number="2208211002010001", village=VILLAGE_A1, other_causes=["lack_funds", "lack_skills"], stars=2,
        relocated=False, bank_account=BANK_ACCOUNT, returned=None, birth_date=date(1962, 3, 8), relation="01",
        id_number="22082119620308001X", dropout=True, migrant_months=0,
    )  # fmt: skip
    values = [raw[name] for name in exports.HEADER]

    full = dict(zip(exports.HEADER, exports.format_row(values, full_personal_data=True), strict=True))
    masked = dict(zip(exports.HEADER, exports.format_row(values, full_personal_data=False), strict=True))

    assert (full["other_causes"], full["stars"], full["relocated"], full["returned"]) == (
        "lack_funds;lack_skills", "2", "false", "")  # fmt: skip
    assert (full["birth_date"], full["relation"], full["dropout"], full["migrant_months"]) == (
        "1962-03-08", "01", "true", "0")  # fmt: skip
    assert (full["id_number"], full["bank_account"]) == ("22082119620308001X", BANK_ACCOUNT)
    assert (masked["id_number"], masked["bank_account"]) == ("220821********001X", BANK_ACCOUNT_MASKED)
    assert masked["birth_date"] == "1962"  # the year only: with the full date the masked number could be rebuilt
    changed = {*exports.PERSONAL_FIELDS, "birth_date"}
    assert {k: v for k, v in masked.items() if k not in changed} == {k: v for k, v in full.items() if k not in changed}


def test_free_text_that_a_spreadsheet_would_run_is_made_inert_and_restored_by_the_import():
    """=, +, -, @, tab and CR at the start get an apostrophe; ordinary text and escaped text round-trip unchanged."""
    for text in ('=HYPERLINK("http://x")', "+86 139", "-1", "@SUM(A1)", "\tx", "\r=1"):
        escaped = exports.neutralise_formula(text)
        assert escaped == "'" + text
        assert exports.csv_unescape_formula(escaped) == text
    for text in ("一组12号", "'quoted", "13912345678", ""):
        assert exports.neutralise_formula(text) == text
        assert exports.csv_unescape_formula(text) == text


def test_numbers_are_not_neutralised():
    """Only text is guarded: a negative number, a decimal and a boolean stay what they are."""
    for value in (-1, -0.5, Decimal("-12.30"), 0, True, None):
        assert exports.neutralise_formula(value) is value


def test_every_text_column_of_the_household_export_is_guarded_in_csv_and_xlsx():
    """Not only the free-text columns: any cell starting with a formula trigger is inert in both files."""
    row = ["-x" if column.name == "relocation_site" else "" for column in exports.HOUSEHOLD_COLUMNS]
    row[exports.HEADER.index("name")] = "@cmd"
    written = b"".join(exports.csv_chunks([row])).decode("utf-8")
    [parsed] = read_csv_text(written)
    assert (parsed["relocation_site"], parsed["name"]) == ("'-x", "'@cmd")
    out = io.BytesIO()
    exports.write_xlsx([row], out)
    header, cells = load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True)
    by_name = dict(zip(header, cells, strict=True))
    assert (by_name["relocation_site"], by_name["name"]) == ("'-x", "'@cmd")


def test_personal_data_is_revealed_in_a_region_when_a_grant_covers_it_or_lies_inside_it():
    """None (a superuser) sees everywhere; a county grant covers its villages; a village grant reveals part of a county."""
    assert exports.reveals_in_region(None, "220821")
    assert exports.reveals_in_region(("220821",), "220821100201")
    assert exports.reveals_in_region(("220821100201",), "220821")
    assert not exports.reveals_in_region(("220821100201",), "220821101")
    assert not exports.reveals_in_region((), "220821")


# Through the API ------------------------------------------------------------------------------------------------


@pytest.fixture
def household(db, tree, users):
    """Village A1, group 一组: head 王建国 and his spouse, who left in 2018; poor from 2014-04-01, exited 2016-11-01."""
    group = VillagerGroup.objects.create(village=tree[VILLAGE_A1], name="一组")
    household = b.make_household(
        village=tree[VILLAGE_A1], user=users["superuser"], members=[b.head(1), b.spouse(1)], villager_group=group,
        phone="13912345678", bank_name="农村信用社", bank_account=BANK_ACCOUNT,
    )  # fmt: skip
    spouse = household.members.get(relation="02")
    services.member_update(
        user=users["superuser"], member=spouse, data={"left_on": date(2018, 5, 1), "left_reason": "deceased"}
    )
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=date(2014, 4, 1))
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=date(2016, 11, 1))
    return household


@pytest.mark.django_db
def test_the_csv_has_the_header_and_one_row_per_member_former_members_included(api, users, household):
    """Header = the layout; the head first, then the spouse who left, with the household's columns on both rows."""
    response = api(users["county_officer"]).get(f"{CSV_URL}?region={VILLAGE_A1}&as_of=2017-12-31")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="households-{VILLAGE_A1}-2017-12-31.csv"'
    assert response["Cache-Control"] == "no-store"
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.splitlines()[0] == "\ufeff" + ",".join(exports.HEADER)
    head, spouse = read_csv_text(content)
    head_id, spouse_id = b.head(1)["id_number"], b.spouse(1)["id_number"]
    for row in (head, spouse):
        assert {k: row[k] for k in exports.HEADER[:18]} == {
            "household_number": household.number, "village": VILLAGE_A1, "villager_group": "一组",
            "address": "一组12号", "phone": "13912345678", "identification_standard": "national",
            "attribute": "general", "main_cause": "illness", "other_causes": "lack_funds", "stars": "2",
            "relocated": "false", "relocation_mode": "", "relocation_placement": "", "relocation_site": "",
            "bank_name": "农村信用社", "bank_account": BANK_ACCOUNT, "status": "exited", "returned": "false",
        }  # fmt: skip
    assert (head["name"], head["sex"], head["birth_date"], head["relation"], head["id_type"], head["id_number"]) == (
        "王建国", "male", "1962-03-08", "01", "resident_id", head_id)  # fmt: skip
    assert (head["ethnicity"], head["education"], head["school_status"], head["health"], head["labour"]) == (
        "han", "primary", "not_in_school", "healthy", "ordinary")  # fmt: skip
    # The builder enters no insurance flag: not entered is an empty cell, never "false" (issue 14).
    assert (head["migrant_work"], head["migrant_months"], head["medical_insurance"], head["join_reason"]) == (
        "none", "0", "", "registration")  # fmt: skip
    assert (head["left_on"], head["left_reason"], head["disability_grade"]) == ("", "", "")
    assert (spouse["name"], spouse["relation"], spouse["id_number"], spouse["left_on"], spouse["left_reason"]) == (
        "李秀兰", "02", spouse_id, "2018-05-01", "deceased")  # fmt: skip


@pytest.mark.django_db
def test_codes_national_writes_the_national_codes_in_the_coded_columns(api, users, household):
    """Given codes=national, the coded columns hold the national codes; the other columns are as without it."""
    url = f"{CSV_URL}?region={VILLAGE_A1}&as_of=2017-12-31"
    head, spouse = read_csv(api(users["county_officer"]).get(f"{url}&codes=national"))
    plain, _spouse = read_csv(api(users["county_officer"]).get(url))
    assert (head["identification_standard"], head["attribute"], head["main_cause"], head["other_causes"]) == (
        "1", "1", "01", "09")  # fmt: skip
    assert (head["sex"], head["relation"], head["ethnicity"], head["education"], head["school_status"]) == (
        "1", "01", "01", "02", "01")  # fmt: skip
    assert (head["health"], head["labour"], head["migrant_work"], spouse["sex"]) == ("1", "1", "1", "2")
    same = [name for name in exports.HEADER if name not in NATIONAL_FIELDS]
    assert {name: head[name] for name in same} == {name: plain[name] for name in same}


@pytest.mark.django_db
def test_an_unknown_codes_option_is_refused(api, users, household):
    """Given codes=chinese, the export is 400 `invalid` naming the parameter."""
    body = assert_error(api(users["county_officer"]).get(f"{CSV_URL}?region={VILLAGE_A1}&codes=chinese"), 400, "invalid")
    assert "codes" in body["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2014-03-31", ""), ("2014-04-01", "poor"), ("2016-10-31", "poor"), ("2016-11-01", "exited")],
)
def test_the_status_column_is_the_registry_status_as_of_the_day(api, users, household, as_of, status):
    """Before any decision it is empty; from each status change's effective day on, that change's status."""
    rows = read_csv(api(users["county_officer"]).get(f"{CSV_URL}?region={VILLAGE_A1}&as_of={as_of}"))
    assert {row["status"] for row in rows} == {status}


@pytest.mark.django_db
def test_the_status_as_of_a_day_breaks_ties_by_recording_order(api, users, household):
    """Two changes effective the same day (a correction): the one recorded last counts, like statuses_as_of."""
    lifecycle.status_record(
        user=users["superuser"], household=household, status="poor", on=date(2017, 3, 1), returned=True
    )
    lifecycle.status_record(user=users["superuser"], household=household, status="removed", on=date(2017, 3, 1))
    rows = read_csv(api(users["county_officer"]).get(f"{CSV_URL}?region={VILLAGE_A1}&as_of=2017-03-01"))
    assert {(row["status"], row["returned"]) for row in rows} == {("removed", "false")}


@pytest.mark.django_db
def test_the_status_defaults_to_today(api, users, household):
    """Without as_of the file is named and read as of today."""
    response = api(users["county_officer"]).get(f"{CSV_URL}?region={VILLAGE_A1}")
    from django.utils import timezone

    assert f"-{timezone.localdate().isoformat()}.csv" in response["Content-Disposition"]
    assert {row["status"] for row in read_csv(response)} == {"exited"}


@pytest.mark.django_db
def test_an_inspector_gets_id_numbers_and_accounts_masked_and_nothing_is_logged(api, users, household):
    """The inspector may read the register but not full personal data: 220821********123X, no access log."""
    rows = read_csv(api(users["inspector"]).get(f"{CSV_URL}?region={COUNTY}"))
    assert [row["id_number"] for row in rows] == [
        masked_id(b.head(1)["id_number"]),
        masked_id(b.spouse(1)["id_number"]),
    ]
    assert {row["bank_account"] for row in rows} == {BANK_ACCOUNT_MASKED}
    assert [row["birth_date"] for row in rows] == [str(b.head(1)["birth_date"].year), str(b.spouse(1)["birth_date"].year)]
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_a_full_export_is_logged_once_against_the_region(api, users, household):
    """The county office sees full numbers; one PersonalDataAccess row names the region, the path and the fields."""
    response = api(users["county_officer"]).get(f"{CSV_URL}?region={COUNTY}")
    rows = read_csv(response)
    assert [row["id_number"] for row in rows] == [b.head(1)["id_number"], b.spouse(1)["id_number"]]

    [access] = PersonalDataAccess.objects.all()
    assert (access.user, access.model, access.object_ids, access.fields, access.path) == (
        users["county_officer"], "villages.region", [int(COUNTY)], ["bank_account", "id_number"], CSV_URL)  # fmt: skip
    assert access.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_masking_follows_the_village_of_each_row(api, users, tree, household):
    """An inspector of the county who is also the work team of A1 sees A1's numbers in full and B1's masked."""
    other = b.make_household(village=tree[VILLAGE_B1], user=users["superuser"], members=[b.head(2)])
    both = UserFactory(username="both", grants=[("inspector", COUNTY), ("village_team", VILLAGE_A1)])

    rows = read_csv(api(both).get(f"{CSV_URL}?region={COUNTY}"))

    by_household = {row["household_number"]: row["id_number"] for row in rows if row["relation"] == "01"}
    assert by_household == {household.number: b.head(1)["id_number"], other.number: masked_id(b.head(2)["id_number"])}
    births = {row["household_number"]: row["birth_date"] for row in rows if row["relation"] == "01"}
    assert births == {household.number: b.HEAD_BIRTH.isoformat(), other.number: str(b.HEAD_BIRTH.year)}
    assert PersonalDataAccess.objects.get().object_ids == [int(COUNTY)]


@pytest.mark.django_db
def test_households_come_in_number_order_with_the_active_head_first(api, users, tree, household):
    """A head who left stays in the file after the new head; households of the subtree only, by number."""
    second = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(3))
    b.make_household(village=tree[OTHER_VILLAGE], user=users["superuser"], members=[b.head(4)])
    old_head, _spouse, son = second.members.order_by("id")
    services.member_update(
        user=users["superuser"], member=old_head, data={"left_on": date(2019, 1, 1), "left_reason": "deceased"},
        new_head=son,
    )  # fmt: skip

    rows = read_csv(api(users["superuser"]).get(f"{CSV_URL}?region={TOWN_A}"))

    assert [(row["household_number"], row["name"], row["relation"], row["left_on"]) for row in rows] == [
        (household.number, "王建国", "01", ""),
        (household.number, "李秀兰", "02", "2018-05-01"),
        (second.number, "王小军", "01", ""),
        (second.number, "王建国", "01", "2019-01-01"),
        (second.number, "李秀兰", "02", ""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
@pytest.mark.parametrize("region", [VILLAGE_B1, COUNTY, OTHER_VILLAGE, "220821100299"])
def test_a_region_outside_the_scope_or_unknown_is_404(api, users, household, url, region):
    """The township reviewer of A reads only town A: other regions, wider ones and unknown ones do not exist."""
    response = api(users["township_reviewer"]).get(f"{url}?region={region}")
    assert_error(response, 404, "not_found")
    assert response["Content-Type"] == "application/json"
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
@pytest.mark.parametrize(
    "query", ["", "?region=", "?region=2208211002", "?region=22082110020x", "?region=220821100000&x=1&as_of=2017-13-01"]
)
def test_a_missing_or_malformed_parameter_is_400_and_nothing_is_written(api, users, household, url, query):
    """No region, a short or non-numeric code, or a bad date: 400 invalid naming the field, and no access log."""
    response = api(users["county_officer"]).get(f"{url}{query}")
    body = assert_error(response, 400, "invalid")
    assert set(body["errors"]) == ({"as_of"} if "as_of" in query else {"region"})
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
@pytest.mark.parametrize("role", ["api_client", "nobody"])
def test_roles_that_may_not_read_the_register_cannot_export_it(api, users, household, url, role):
    """An API client reads figures only, a user without grants nothing: 403, before the region is even looked at."""
    assert_error(api(users[role]).get(f"{url}?region={COUNTY}"), 403, "permission_denied")
    assert_error(api().get(f"{url}?region={COUNTY}"), 401, "not_authenticated")


@pytest.mark.django_db
def test_the_files_ignore_the_accept_header(api, users, household):
    """The path names the format: a client asking for CSV gets it, errors stay JSON."""
    client = api(users["county_officer"])
    assert client.get(f"{CSV_URL}?region={VILLAGE_A1}", HTTP_ACCEPT="text/csv").status_code == 200
    error = client.get(f"{CSV_URL}?region=bad", HTTP_ACCEPT="text/csv")
    assert_error(error, 400, "invalid")


@pytest.mark.django_db
def test_the_xlsx_has_the_same_rows_as_the_csv(api, users, tree, household):
    """Header and every cell equal, as text (ID numbers keep their digits, codes their leading zeros)."""
    b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(3), address="=1+1")
    client = api(users["county_officer"])
    query = f"?region={VILLAGE_A1}&as_of=2017-12-31"
    csv_rows = read_csv(client.get(f"{CSV_URL}{query}"))

    response = client.get(f"{XLSX_URL}{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="households-{VILLAGE_A1}-2017-12-31.xlsx"'
    assert response["Cache-Control"] == "no-store"
    xlsx_rows = read_xlsx(response)

    assert len(xlsx_rows) == 5
    assert list(xlsx_rows[0]) == list(exports.HEADER)
    # Both files guard the formula-like address with an apostrophe.
    assert [row["address"] for row in csv_rows][2:] == ["'=1+1"] * 3
    assert [row["address"] for row in xlsx_rows][2:] == ["'=1+1"] * 3
    assert xlsx_rows == csv_rows
    assert PersonalDataAccess.objects.count() == 2  # one per export


@pytest.mark.django_db
def test_the_files_are_streamed(api, users, household):
    """CSV is a StreamingHttpResponse over the cursor; XLSX a FileResponse from a temporary file."""
    client = api(users["county_officer"])
    csv_response = client.get(f"{CSV_URL}?region={VILLAGE_A1}")
    xlsx_response = client.get(f"{XLSX_URL}?region={VILLAGE_A1}")
    assert isinstance(csv_response, StreamingHttpResponse)
    assert isinstance(xlsx_response, FileResponse)
    assert int(xlsx_response["Content-Length"]) > 0
    assert len(read_csv(csv_response)) == len(read_xlsx(xlsx_response)) == 2


def households_in_a1(tree, users, how_many: int) -> None:
    for n in range(how_many):
        household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(10 + n))
        lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=date(2014, 4, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
@pytest.mark.parametrize("how_many", [1, 5])
def test_the_query_count_is_pinned_and_does_not_grow(api, users, tree, url, how_many, django_assert_num_queries):
    """1 or 5 households cost the same five queries, the whole file read included."""
    households_in_a1(tree, users, how_many)
    client = api(users["county_officer"])

    # token + user, role grants, the region in scope, the personal-data log, the rows (one query, cursor)
    with django_assert_num_queries(5):
        response = client.get(f"{url}?region={VILLAGE_A1}")
        rows = read_csv(response) if url == CSV_URL else read_xlsx(response)
    assert len(rows) == 3 * how_many


@pytest.mark.django_db
def test_a_masked_export_costs_one_query_less(api, users, tree, django_assert_num_queries):
    """Without full personal data nothing is logged: token + user, role grants, the region, the rows."""
    households_in_a1(tree, users, 2)
    client = api(users["inspector"])
    with django_assert_num_queries(4):
        assert len(read_csv(client.get(f"{CSV_URL}?region={COUNTY}"))) == 6


@pytest.mark.django_db
def test_an_empty_region_gives_the_header_only(api, users, tree):
    """A region in scope without households: the header row, nothing else."""
    response = api(users["county_officer"]).get(f"{CSV_URL}?region={VILLAGE_A1}")
    assert b"".join(response.streaming_content).decode("utf-8") == "\ufeff" + ",".join(exports.HEADER) + "\r\n"


@pytest.mark.django_db
def test_the_summary_export_neutralises_formula_like_region_names_and_keeps_numbers(api, users, tree):
    """A region name starting with = or - is a text cell with a leading apostrophe in CSV and XLSX; figures stay
    numbers in the workbook (not text, not guarded)."""
    from villages.models import Region

    Region.objects.filter(code=TOWN_A).update(name='=HYPERLINK("http://x","y")')
    Region.objects.filter(code=TOWN_B).update(name="-1+2")
    client = api(users["county_officer"])
    query = f"?region={COUNTY}&as_of=2017-12-31"

    csv_rows = list(csv.reader(io.StringIO(client.get(f"/api/v1/exports/summary.csv{query}").content.decode("utf-8-sig"))))
    names = {row[0]: row[1] for row in csv_rows[1:]}
    assert (names[TOWN_A], names[TOWN_B]) == ('\'=HYPERLINK("http://x","y")', "'-1+2")

    sheet = load_workbook(io.BytesIO(client.get(f"/api/v1/exports/summary.xlsx{query}").content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert (by_code[TOWN_A]["name"], by_code[TOWN_B]["name"]) == ('\'=HYPERLINK("http://x","y")', "'-1+2")
    assert by_code[TOWN_A]["households.registered"] == 0 and isinstance(by_code[TOWN_A]["households.registered"], int)
