"""Department comparisons (数据比对): keeping an upload, matching it in one statement, veto and removal, the API.

Uploads go through checks.comparisons.comparison_upload (the service) or POST /api/v1/comparisons/ (multipart).
Households are registered through the register's services; their registry status is written as a dated status
change, as the lifecycle does.
"""

import datetime
import hashlib
import importlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone, translation

from checks import catalog
from checks import comparisons as services
from checks.findings import finding_resolve
from checks.models import CategorySetting, Comparison, ComparisonMatchCount, ComparisonRow, Finding
from checks.selectors import match_counts
from core.errors import DomainError
from core.models import PersonalDataAccess
from households.models import Household, Member
from lifecycle import services as lifecycle
from lifecycle.models import Procedure
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory
from tests.households import builders as b

pytestmark = pytest.mark.django_db

COMPARISONS = "/api/v1/comparisons/"
CATEGORIES = "/api/v1/comparison-categories/"
D = datetime.date
DEPARTMENT = "县公安局"


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def county(tree):
    return tree[COUNTY]


def register(tree, users, *, village=VILLAGE_A1, sequence=1, status="poor") -> Household:
    """A household of three (ID sequence `sequence`) with this registry status ('' = not yet decided)."""
    household = b.make_household(village=tree[village], user=users["superuser"], members=b.family(sequence))
    if status:
        lifecycle.status_record(user=users["superuser"], household=household, status=status, on=D(2016, 3, 1))
        household.refresh_from_db()
    return household


def head_of(household: Household) -> Member:
    return household.members.get(relation="01", left_on__isnull=True)


def csv_list(*rows, header=("证件号码", "类别", "说明")) -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload(user, content: bytes, *, region, name="list.csv", department=DEPARTMENT):
    return services.comparison_upload(user=user, region=region, department=department, file_name=name, content=content)


def written() -> dict:
    """What a refused upload must leave unchanged."""
    return {
        "comparisons": Comparison.objects.count(),
        "rows": ComparisonRow.objects.count(),
        "findings": Finding.objects.count(),
        "procedures": Procedure.objects.count(),
    }


def ext_findings():
    """Findings raised by comparisons (opening a procedure also runs the register rules, which raise their own)."""
    return Finding.objects.filter(source="comparison")


def veto(region, category):
    CategorySetting.objects.create(region=region, category=category, veto=True)


# Keeping the upload -------------------------------------------------------------------------------------------


def test_an_upload_is_kept_with_who_when_digest_and_rows(tree, users, officer, county):
    """The comparison records region, department, file name, SHA-256 digest, row count and uploader; rows by line."""
    content = csv_list(
        (b.resident_id(birth_date=D(1962, 3, 8), sex="male", sequence=9), "vehicle", "吉G12345"),
        (b.resident_id(birth_date=D(1964, 5, 20), sex="female", sequence=9), "deceased", ""),
    )
    result = upload(officer, content, region=county, name="C:\\data\\公安局名单.csv")

    comparison = Comparison.objects.get()
    assert (comparison.region_id, comparison.department, comparison.file_name, comparison.rows) == (
        COUNTY, DEPARTMENT, "公安局名单.csv", 2)  # fmt: skip
    assert comparison.digest == hashlib.sha256(content).hexdigest()
    assert comparison.uploaded_by == officer and comparison.uploaded_at is not None
    assert list(comparison.lines.values_list("line", "category", "detail")) == [
        (2, "vehicle", "吉G12345"), (3, "deceased", "")]  # fmt: skip
    assert result.opened == 0 and comparison.matched == 0


def test_details_with_tabs_line_breaks_and_backslashes_survive_copy(users, officer, county):
    """COPY's text format escapes are applied: the stored detail is the detail read."""
    number = b.resident_id(birth_date=D(1962, 3, 8), sex="male", sequence=9)
    content = f'id_number,category,detail\n{number},other,"a\tb\\c\r\nd"\n'.encode()
    upload(officer, content, region=county)
    assert ComparisonRow.objects.get().detail == "a\tb\\c\r\nd"


def test_the_same_file_again_for_the_same_region_is_409_and_writes_nothing(tree, users, officer, county):
    """A file whose digest was already uploaded for the region is refused as a conflict."""
    register(tree, users)
    content = csv_list((b.head(1)["id_number"], "vehicle", ""))
    upload(officer, content, region=county)
    before = written()
    with pytest.raises(DomainError) as caught:
        upload(officer, content, region=county, name="renamed.csv")
    assert (caught.value.code, caught.value.status) == ("conflict", 409)
    assert written() == before


def test_the_same_file_for_another_region_is_kept(tree, users, county):
    """The digest is unique per region: another county may upload the same list."""
    content = csv_list((b.head(1)["id_number"], "vehicle", ""))
    upload(users["superuser"], content, region=county)
    upload(users["superuser"], content, region=tree[OTHER_COUNTY])
    assert Comparison.objects.count() == 2


def test_one_bad_row_refuses_the_upload_whole(tree, users, officer, county):
    """A list with one malformed ID number is refused (400 invalid_upload, the line named) and nothing is written."""
    register(tree, users)
    content = csv_list((b.head(1)["id_number"], "vehicle", ""), ("22082119620308001", "vehicle", ""))
    before = written()
    with pytest.raises(DomainError) as caught:
        upload(officer, content, region=county)
    assert (caught.value.code, caught.value.status) == ("invalid_upload", 400)
    assert list(caught.value.errors) == ["rows.3"]
    assert written() == before


def test_only_the_county_office_uploads(tree, users, county):
    """A township reviewer or an inspector may not upload (403)."""
    content = csv_list((b.head(1)["id_number"], "vehicle", ""))
    for role in ("township_reviewer", "inspector", "village_team"):
        with pytest.raises(DomainError) as caught:
            upload(users[role], content, region=county)
        assert caught.value.status == 403
    assert Comparison.objects.count() == 0


# Matching ---------------------------------------------------------------------------------------------------


def test_a_listed_member_of_a_poor_household_gets_a_warning(tree, users, officer, county):
    """A non-veto category opens a warning on the member: key, village, household, comparison and the facts."""
    household = register(tree, users)
    head = head_of(household)
    result = upload(officer, csv_list((head.id_number, "vehicle", "吉G12345")), region=county)

    finding = ext_findings().get()
    assert (finding.rule, finding.severity, finding.source, finding.status) == ("EXT-VEHICLE", "warning", "comparison", "open")
    assert (finding.key, finding.village_id, finding.household_id, finding.member_id) == (
        f"member:{head.pk}", VILLAGE_A1, household.pk, head.pk)  # fmt: skip
    assert finding.comparison == result.comparison
    assert finding.detail == {
        "name": head.name, "department": DEPARTMENT, "category": "vehicle", "detail": "吉G12345", "line": 2,
        "comparison": result.comparison.pk, "veto": False,
    }  # fmt: skip
    assert result.comparison.matched == 1 and result.opened == 1
    assert not Procedure.objects.filter(kind="removal").exists()


def test_the_message_names_the_category_in_words_and_no_id_number(tree, users, officer, county):
    """The finding's message is rendered from its detail: the category as words, never the ID number."""
    household = register(tree, users)
    head = head_of(household)
    upload(officer, csv_list((head.id_number, "property", "")), region=county)
    finding = ext_findings().get()
    message = catalog.message(finding.rule, finding.detail)
    assert message == f"{head.name}：{DEPARTMENT}数据显示拥有商品房或门市（—）"
    assert head.id_number not in str(finding.detail)


def test_a_number_not_in_the_register_matches_nothing(tree, users, officer, county):
    register(tree, users)
    stranger = b.resident_id(birth_date=D(1970, 1, 1), sex="male", sequence=42)
    result = upload(officer, csv_list((stranger, "vehicle", "")), region=county)
    assert result.comparison.matched == 0 and not ext_findings().exists()


def test_a_member_who_left_is_not_matched(tree, users, officer, county):
    """Only active members are matched: a son who moved out is not."""
    household = register(tree, users)
    son = household.members.get(relation="03")
    Member.objects.filter(pk=son.pk).update(left_on=D(2016, 5, 1), left_reason="moved_out")
    result = upload(officer, csv_list((son.id_number, "vehicle", "")), region=county)
    assert result.comparison.matched == 0 and not ext_findings().exists()


@pytest.mark.parametrize("status", ["removed", "closed", "rejected"])
def test_a_household_out_of_the_register_is_not_matched(tree, users, officer, county, status):
    """Removed, closed and rejected households are not matched."""
    household = register(tree, users, status=status)
    result = upload(officer, csv_list((head_of(household).id_number, "vehicle", "")), region=county)
    assert result.comparison.matched == 0 and not ext_findings().exists()


@pytest.mark.parametrize("status", ["", "candidate", "exited"])
def test_candidate_undecided_and_exited_households_are_matched(tree, users, officer, county, status):
    household = register(tree, users, status=status)
    result = upload(officer, csv_list((head_of(household).id_number, "business", "")), region=county)
    assert result.comparison.matched == 1
    assert ext_findings().get().household_id == household.pk


def test_a_household_outside_the_comparison_region_is_not_matched(tree, users, county):
    """A county's list is matched in that county only."""
    household = register(tree, users, village=OTHER_VILLAGE)
    result = upload(users["superuser"], csv_list((head_of(household).id_number, "vehicle", "")), region=county)
    assert result.comparison.matched == 0 and not ext_findings().exists()


def test_a_legacy_number_in_the_list_matches_the_member(tree, users, officer, county):
    """A 15-digit number in the list is upgraded and matches the member's 18-digit number."""
    household = register(tree, users)
    head = head_of(household)
    legacy = head.id_number[:6] + head.id_number[8:17]
    result = upload(officer, csv_list((legacy, "vehicle", "")), region=county)
    assert result.comparison.matched == 1
    assert ext_findings().get().member_id == head.pk


def test_a_member_registered_under_a_legacy_number_is_matched(tree, users, officer, county):
    """A member still recorded under a 15-digit number (an old import) matches the 18-digit number it upgrades to."""
    household = register(tree, users)
    head = head_of(household)
    legacy = head.id_number[:6] + head.id_number[8:17]
    Member.objects.filter(pk=head.pk).update(id_number=legacy, person_number=legacy)
    result = upload(officer, csv_list((head.id_number, "vehicle", "")), region=county)
    assert result.comparison.matched == 1
    assert ext_findings().get().member_id == head.pk


def test_several_rows_of_one_member_and_category_open_one_finding(tree, users, officer, county):
    """Two cars of the same person: one EXT-VEHICLE finding (the first line); another category is another finding."""
    household = register(tree, users)
    number = head_of(household).id_number
    result = upload(
        officer, csv_list((number, "vehicle", "一号车"), (number, "vehicle", "二号车"), (number, "business", "")),
        region=county,
    )
    assert result.comparison.matched == 1
    assert sorted(ext_findings().values_list("rule", "detail__line")) == [("EXT-BUSINESS", 4), ("EXT-VEHICLE", 2)]


def test_an_open_finding_is_not_duplicated_by_a_later_list(tree, users, officer, county):
    """A second list naming the same member keeps the open finding; it still counts the person as matched."""
    household = register(tree, users)
    number = head_of(household).id_number
    first = upload(officer, csv_list((number, "vehicle", "一号车")), region=county)
    second = upload(officer, csv_list((number, "vehicle", "二号车")), region=county)
    assert ext_findings().get().comparison == first.comparison
    assert (second.opened, second.comparison.matched) == (0, 1)


def test_a_finding_confirmed_correct_is_not_raised_again(tree, users, officer, county):
    """Once the village confirmed a match correct (e.g. a tractor), the same code is not raised for that member."""
    household = register(tree, users)
    number = head_of(household).id_number
    upload(officer, csv_list((number, "vehicle", "拖拉机")), region=county)
    ext_findings().update(status="confirmed_correct", resolution="农用拖拉机", resolved_at=datetime.datetime.now(datetime.UTC))
    second = upload(officer, csv_list((number, "vehicle", "拖拉机 ")), region=county)
    assert second.opened == 0 and ext_findings().count() == 1


# Severity, veto and removal ---------------------------------------------------------------------------------


def test_deceased_is_an_error_but_not_a_removal(tree, users, officer, county):
    """A death recorded elsewhere is an error finding on a poor household and opens no removal."""
    household = register(tree, users)
    upload(officer, csv_list((household.members.get(relation="02").id_number, "deceased", "2016-08-01")), region=county)
    finding = ext_findings().get()
    assert (finding.rule, finding.severity) == ("EXT-DEATH", "error")
    assert not Procedure.objects.filter(kind="removal").exists()


@pytest.mark.parametrize("status", ["poor", "exited"])
def test_a_veto_match_is_an_error_and_opens_a_removal_proposal(tree, users, officer, county, status):
    """A category the county marks veto gives an error and a removal proposal with the category as reason."""
    veto(county, "public_employee")
    household = register(tree, users, status=status)
    result = upload(officer, csv_list((head_of(household).id_number, "public_employee", "县教育局")), region=county)

    finding = ext_findings().get()
    assert (finding.rule, finding.severity, finding.detail["veto"]) == ("EXT-EMPLOYEE", "error", True)
    procedure = Procedure.objects.get(household=household, kind="removal")
    assert (procedure.state, procedure.reason, procedure.opened_on) == ("open", "public_employee", datetime.date.today())
    step = procedure.steps.get()
    assert (step.step, step.acted_by) == ("proposal", officer)
    assert DEPARTMENT in step.note
    assert result.removals == [procedure.pk] and result.removals_refused == []


def test_a_non_veto_match_opens_no_proposal(tree, users, officer, county):
    veto(county, "public_employee")
    household = register(tree, users)
    upload(officer, csv_list((head_of(household).id_number, "vehicle", "")), region=county)
    assert ext_findings().get().severity == "warning"
    assert not Procedure.objects.filter(kind="removal").exists()


def test_the_nearest_setting_up_the_tree_decides(tree, users, county):
    """The county marks vehicles veto, township A does not: A's household gets a warning, B's an error."""
    veto(county, "vehicle")
    CategorySetting.objects.create(region=tree[TOWN_A], category="vehicle", veto=False)
    in_a = register(tree, users, village=VILLAGE_A2, sequence=1)
    in_b = register(tree, users, village=VILLAGE_B1, sequence=2)
    content = csv_list((head_of(in_a).id_number, "vehicle", ""), (head_of(in_b).id_number, "vehicle", ""))
    result = upload(users["superuser"], content, region=county)
    severities = dict(ext_findings().values_list("household_id", "severity"))
    assert severities == {in_a.pk: "warning", in_b.pk: "error"}
    assert list(Procedure.objects.filter(kind="removal").values_list("household_id", flat=True)) == [in_b.pk]
    assert len(result.removals) == 1


def test_a_household_with_a_procedure_under_way_gets_no_proposal_and_the_error_holds_it(api, tree, users, officer, county):
    """An exited household with a return under way: no removal is proposed, and the return's next step is refused."""
    veto(county, "vehicle")
    household = register(tree, users, status="exited")
    procedure = lifecycle.procedure_open(user=officer, household=household, kind="return", on=D(2017, 3, 1), note="因病返贫")
    result = upload(officer, csv_list((head_of(household).id_number, "vehicle", "")), region=county)

    assert result.removals == [] and ext_findings().get().severity == "error"
    assert list(Procedure.objects.filter(household=household).values_list("kind", flat=True)) == ["return"]
    response = api(users["village_team"]).post(
        f"/api/v1/procedures/{procedure.pk}/steps/",
        {"step": "verification", "decision": "approve", "date": "2017-03-05"}, format="json",
    )  # fmt: skip
    body = assert_error(response, 409, "finding_open")
    assert "EXT-VEHICLE" in body["detail"]


def test_a_veto_finding_blocks_a_candidates_next_identification_step(api, tree, users, county):
    """A candidate's identification stops at its next step (409 finding_open) while the veto finding is open."""
    veto(county, "vehicle")
    household = register(tree, users, status="")
    team = api(users["village_team"])
    opened = team.post(
        f"/api/v1/households/{household.pk}/procedures/", {"kind": "identification", "date": "2017-03-01"}, format="json"
    )
    assert opened.status_code == 201, opened.json()
    household.refresh_from_db()
    assert household.status == "candidate"

    result = upload(users["county_officer"], csv_list((head_of(household).id_number, "vehicle", "")), region=county)
    assert result.removals == []  # a candidate is not in the register: nothing to remove

    response = team.post(
        f"/api/v1/procedures/{opened.json()['id']}/steps/",
        {"step": "appraisal", "decision": "approve", "date": "2017-03-05", "votes_for": 30, "votes_against": 1},
        format="json",
    )
    assert_error(response, 409, "finding_open")
    assert Procedure.objects.get(pk=opened.json()["id"]).position == 1


def test_category_settings_are_saved_once_per_region_and_category(users, officer, county):
    """Saving again changes the setting; deceased cannot be veto; other roles are refused."""
    setting, created = services.category_setting_save(user=officer, region=county, category="vehicle", veto=True)
    again, created_again = services.category_setting_save(user=officer, region=county, category="vehicle", veto=False)
    assert (created, created_again, again.pk, again.veto) == (True, False, setting.pk, False)
    with pytest.raises(Exception) as caught:
        services.category_setting_save(user=officer, region=county, category="deceased", veto=True)
    assert "category" in caught.value.message_dict
    with pytest.raises(DomainError):
        services.category_setting_save(user=users["township_reviewer"], region=county, category="vehicle", veto=True)


# The API ----------------------------------------------------------------------------------------------------


def post_list(client, content: bytes, *, name="list.csv", region=COUNTY, department=DEPARTMENT):
    return client.post(
        COMPARISONS,
        {"file": SimpleUploadedFile(name, content), "department": department, "region": region},
        format="multipart",
    )


def test_upload_through_the_api_round_trip(api, tree, users, officer, county):
    """POST a list: 201 with the comparison, findings by category and severity; GET it back; the findings exist."""
    veto(county, "public_employee")
    poor = register(tree, users, sequence=1)
    exited = register(tree, users, village=VILLAGE_A2, sequence=2, status="exited")
    content = csv_list(
        (head_of(poor).id_number, "车辆", "吉G12345"),
        (head_of(exited).id_number, "财政供养", "县教育局"),
        (exited.members.get(relation="03").id_number, "deceased", ""),
        (b.resident_id(birth_date=D(1970, 1, 1), sex="male", sequence=42), "vehicle", ""),
    )
    response = post_list(api(officer), content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["rows"], body["matched"], body["findings_opened"], body["region"], body["uploaded_by"]) == (
        4, 3, 3, COUNTY, "county")  # fmt: skip
    assert [(m["category"], m["rule"], m["severity"], m["findings"]) for m in body["matches"]] == [
        ("deceased", "EXT-DEATH", "error", 1),
        ("vehicle", "EXT-VEHICLE", "warning", 1),
        ("public_employee", "EXT-EMPLOYEE", "error", 1),
    ]
    removal = Procedure.objects.get(kind="removal")
    assert (body["removals"], body["removals_refused"], removal.household_id) == ([removal.pk], [], exited.pk)
    assert response["Cache-Control"] == "no-store"

    detail = api(users["inspector"]).get(f"{COMPARISONS}{body['id']}/")
    assert detail.status_code == 200
    assert detail.json()["matches"] == body["matches"]
    assert ext_findings().filter(comparison_id=body["id"]).count() == 3


def test_a_bad_upload_through_the_api_is_400_by_line_and_writes_nothing(api, tree, users, officer):
    """The documented error format: invalid_upload, errors under rows.<line>, the ID number masked."""
    register(tree, users)
    bad = b.head(1)["id_number"][:17] + ("0" if b.head(1)["id_number"][17] != "0" else "1")
    before = written()
    response = post_list(api(officer), csv_list((b.head(1)["id_number"], "vehicle", ""), (bad, "boat", "")))
    body = assert_error(response, 400, "invalid_upload")
    assert list(body["errors"]) == ["rows.3"]
    assert [e["code"] for e in body["errors"]["rows.3"]] == ["invalid_id_number", "invalid"]
    assert bad not in response.content.decode() and f"{bad[:6]}********{bad[-4:]}" in body["errors"]["rows.3"][0]["detail"]
    assert written() == before


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"department": DEPARTMENT, "region": COUNTY}, "file"),
        ({"file": b"x", "region": COUNTY}, "department"),
        ({"file": b"x", "department": DEPARTMENT, "region": OTHER_COUNTY}, "region"),
        ({"file": b"x", "department": DEPARTMENT, "region": "nonsense"}, "region"),
    ],
)
def test_bad_form_fields_are_400_and_write_nothing(api, officer, payload, field):
    """A missing file or department, or a region outside the county office's scope, is a field error."""
    data = {k: SimpleUploadedFile("list.csv", v) if k == "file" else v for k, v in payload.items()}
    response = api(officer).post(COMPARISONS, data, format="multipart")
    body = assert_error(response, 400, "invalid")
    assert field in body["errors"]
    assert written()["comparisons"] == 0


def test_an_empty_or_wrong_file_through_the_api_is_400_invalid_upload(api, officer):
    for name, content in (("list.csv", b""), ("list.pdf", b"%PDF-1.4")):
        body = assert_error(post_list(api(officer), content, name=name), 400, "invalid_upload")
        assert list(body["errors"]) == ["file"]
    assert written()["comparisons"] == 0


def test_a_json_body_is_415(api, officer):
    response = api(officer).post(COMPARISONS, {"department": DEPARTMENT, "region": COUNTY}, format="json")
    assert_error(response, 415, "unsupported_media_type")


def test_the_same_file_through_the_api_is_409(api, tree, users, officer):
    content = csv_list((b.head(1)["id_number"], "vehicle", ""))
    assert post_list(api(officer), content).status_code == 201
    assert_error(post_list(api(officer), content, name="again.csv"), 409, "conflict")
    assert Comparison.objects.count() == 1


@pytest.mark.parametrize("role", ["village_team", "township_reviewer", "inspector", "api_client", "nobody"])
def test_other_roles_may_not_upload(api, users, role):
    response = post_list(api(users[role]), csv_list((b.head(1)["id_number"], "vehicle", "")))
    assert_error(response, 403, "permission_denied")
    assert Comparison.objects.count() == 0


def make_comparison(user, region, number: int) -> Comparison:
    content = csv_list((b.resident_id(birth_date=D(1970, 1, 1), sex="male", sequence=number), "vehicle", f"#{number}"))
    return upload(user, content, region=region).comparison


def test_reading_is_scoped_out_of_scope_is_404_and_other_roles_403(api, tree, users, county):
    """Readers see comparisons of regions in their scope; another county's is 404; an API client gets 403."""
    ours = make_comparison(users["superuser"], county, 1)
    theirs = make_comparison(users["superuser"], tree[OTHER_COUNTY], 2)
    inspector = api(users["inspector"])
    assert [c["id"] for c in inspector.get(COMPARISONS).json()["results"]] == [ours.pk]
    assert_error(inspector.get(f"{COMPARISONS}{theirs.pk}/"), 404, "not_found")
    assert_error(inspector.get(f"{COMPARISONS}{theirs.pk}/rows/"), 404, "not_found")
    # A village team's scope is its village: the county's list is not theirs.
    assert api(users["village_team"]).get(COMPARISONS).json()["results"] == []
    assert_error(api(users["village_team"]).get(f"{COMPARISONS}{ours.pk}/"), 404, "not_found")
    assert_error(api(users["api_client"]).get(COMPARISONS), 403, "permission_denied")
    assert_error(api(users["nobody"]).get(f"{COMPARISONS}{ours.pk}/"), 403, "permission_denied")


def test_the_list_filters_by_region(api, tree, users, county):
    ours = make_comparison(users["superuser"], county, 1)
    make_comparison(users["superuser"], tree[OTHER_COUNTY], 2)
    root = api(users["superuser"])
    assert [c["id"] for c in root.get(COMPARISONS, {"region": COUNTY}).json()["results"]] == [ours.pk]
    assert_error(root.get(COMPARISONS, {"region": "22"}), 400, "invalid")


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_query_count_is_pinned(api, users, county, count, django_assert_num_queries):
    """Token, grants and the page (a cursor: no count): the same number of queries for 1 and 3 comparisons."""
    for number in range(count):
        make_comparison(users["superuser"], county, number)
    client = api(users["inspector"])
    with django_assert_num_queries(3):
        response = client.get(COMPARISONS)
    assert len(response.json()["results"]) == count


def test_rows_are_masked_for_an_inspector_and_logged_for_the_county_office(api, users, county):
    """An inspector reads ID numbers masked; the county office reads them whole, and the read is logged."""
    number = b.resident_id(birth_date=D(1970, 1, 1), sex="male", sequence=5)
    comparison = make_comparison(users["superuser"], county, 5)
    url = f"{COMPARISONS}{comparison.pk}/rows/"

    masked = api(users["inspector"]).get(url)
    assert masked.status_code == 200
    assert masked.json()["results"][0]["id_number"] == f"{number[:6]}********{number[-4:]}"
    assert masked["Cache-Control"] == "no-store"
    assert not PersonalDataAccess.objects.exists()

    full = api(users["county_officer"]).get(url).json()["results"][0]
    assert (full["id_number"], full["line"], full["category"], full["category_label"], full["detail"]) == (
        number, 2, "vehicle", "车辆", "#5")  # fmt: skip
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.model, log.object_ids, log.fields) == (
        users["county_officer"], "checks.comparisonrow", [full["id"]], ["id_number"])  # fmt: skip


@pytest.mark.parametrize("count", [1, 3])
def test_the_rows_query_count_is_pinned(api, users, county, count, django_assert_num_queries):
    """Token, grants, the comparison, page and the personal-data log: the same for 1 and 3 rows (no count)."""
    content = csv_list(
        *[(b.resident_id(birth_date=D(1970, 1, 1), sex="male", sequence=n), "vehicle", "") for n in range(count)]
    )
    comparison = upload(users["superuser"], content, region=county).comparison
    client = api(users["county_officer"])
    with django_assert_num_queries(5):
        response = client.get(f"{COMPARISONS}{comparison.pk}/rows/")
    assert len(response.json()["results"]) == count


def test_detail_query_count_is_pinned(api, users, county, django_assert_num_queries):
    comparison = make_comparison(users["superuser"], county, 1)
    client = api(users["inspector"])
    with django_assert_num_queries(4):
        assert client.get(f"{COMPARISONS}{comparison.pk}/").status_code == 200


# Category settings through the API --------------------------------------------------------------------------


def test_the_county_office_marks_a_category_veto_and_changes_it(api, officer):
    """POST creates (201), POST again changes (200), PATCH with the ETag changes; a stale If-Match is 412."""
    client = api(officer)
    created = client.post(CATEGORIES, {"region": COUNTY, "category": "vehicle", "veto": True}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["region"], body["category"], body["rule"], body["veto"]) == (COUNTY, "vehicle", "EXT-VEHICLE", True)
    again = client.post(CATEGORIES, {"region": COUNTY, "category": "vehicle", "veto": False}, format="json")
    assert (again.status_code, again.json()["id"], again.json()["veto"]) == (200, body["id"], False)

    url = f"{CATEGORIES}{body['id']}/"
    etag = client.get(url)["ETag"]
    patched = client.patch(url, {"veto": True}, format="json", HTTP_IF_MATCH=etag)
    assert patched.status_code == 200 and patched.json()["veto"] is True
    stale = client.patch(url, {"veto": False}, format="json", HTTP_IF_MATCH=etag)
    assert_error(stale, 412, "precondition_failed")
    assert CategorySetting.objects.get().veto is True


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"region": COUNTY, "category": "deceased", "veto": True}, "category"),
        ({"region": COUNTY, "category": "boats", "veto": True}, "category"),
        ({"region": OTHER_COUNTY, "category": "vehicle", "veto": True}, "region"),
        ({"region": COUNTY, "category": "vehicle"}, "veto"),
    ],
)
def test_bad_category_settings_are_400_and_write_nothing(api, officer, payload, field):
    body = assert_error(api(officer).post(CATEGORIES, payload, format="json"), 400, "invalid")
    assert field in body["errors"]
    assert not CategorySetting.objects.exists()


def test_category_settings_roles_and_scope(api, tree, users, county):
    """Readers in scope list settings; a township reviewer may not change them (403); another county's is 404."""
    ours = CategorySetting.objects.create(region=county, category="vehicle", veto=True)
    theirs = CategorySetting.objects.create(region=tree[OTHER_COUNTY], category="vehicle", veto=True)
    listed = api(users["inspector"]).get(CATEGORIES)
    assert [s["id"] for s in listed.json()] == [ours.pk]
    assert_error(api(users["inspector"]).get(f"{CATEGORIES}{theirs.pk}/"), 404, "not_found")
    assert_error(api(users["county_officer"]).patch(f"{CATEGORIES}{theirs.pk}/", {"veto": False}, format="json"), 404, "not_found")
    response = api(users["township_reviewer"]).post(CATEGORIES, {"region": TOWN_A, "category": "vehicle", "veto": True}, format="json")
    assert_error(response, 403, "permission_denied")
    assert_error(api(users["inspector"]).patch(f"{CATEGORIES}{ours.pk}/", {"veto": False}, format="json"), 403, "permission_denied")
    assert_error(api(users["api_client"]).get(CATEGORIES), 403, "permission_denied")
    assert CategorySetting.objects.get(pk=ours.pk).veto is True


def test_category_settings_filter(api, tree, users, county):
    CategorySetting.objects.create(region=county, category="vehicle", veto=True)
    CategorySetting.objects.create(region=tree[TOWN_A], category="business", veto=True)
    client = api(users["county_officer"])
    assert [s["category"] for s in client.get(CATEGORIES, {"region": TOWN_A}).json()] == ["business"]
    assert [s["region"] for s in client.get(CATEGORIES, {"category": "vehicle"}).json()] == [COUNTY]
    assert_error(client.get(CATEGORIES, {"category": "boats"}), 400, "invalid")


@pytest.mark.parametrize("count", [1, 3])
def test_category_settings_list_query_count_is_pinned(api, tree, users, county, count, django_assert_num_queries):
    for category in ["vehicle", "business", "property"][:count]:
        CategorySetting.objects.create(region=county, category=category, veto=True)
    client = api(users["inspector"])
    with django_assert_num_queries(3):
        assert len(client.get(CATEGORIES).json()) == count


def test_uploaders_outside_a_county_cannot_upload_into_it(api, tree):
    """A county officer of another county names this county: the region does not exist for them (400)."""
    stranger = UserFactory(username="other-county", grants=[("county_officer", OTHER_COUNTY)])
    body = assert_error(post_list(api(stranger), csv_list((b.head(1)["id_number"], "vehicle", ""))), 400, "invalid")
    assert "region" in body["errors"]
    assert Comparison.objects.count() == 0


def test_an_xlsx_upload_is_read_the_same_way(tree, users, officer, county):
    """The same list as XLSX matches the same member."""
    from openpyxl import Workbook

    household = register(tree, users)
    workbook = Workbook()
    workbook.active.append(["id_number", "category", "detail"])
    workbook.active.append([head_of(household).id_number, "vehicle", "吉G12345"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = upload(officer, buffer.getvalue(), region=county, name="list.xlsx")
    assert result.comparison.matched == 1 and ext_findings().get().rule == "EXT-VEHICLE"


# The admin --------------------------------------------------------------------------------------------------

ADMIN_ADD = "/admin/checks/comparison/add/"


def test_the_admin_upload_form_calls_the_service(client, tree, users, officer):
    """The county office uploads in the admin: the comparison is kept and matched like through the API."""
    household = register(tree, users)
    client.force_login(officer)
    content = csv_list((head_of(household).id_number, "vehicle", "吉G12345"))
    response = client.post(
        ADMIN_ADD, {"region": COUNTY, "department": DEPARTMENT, "file": SimpleUploadedFile("list.csv", content)}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    comparison = Comparison.objects.get()
    assert (comparison.uploaded_by, comparison.rows, comparison.matched) == (officer, 1, 1)
    assert ext_findings().get().comparison == comparison
    page = client.get(f"/admin/checks/comparison/{comparison.pk}/change/")
    assert page.status_code == 200 and DEPARTMENT in page.content.decode()


def test_the_admin_upload_form_shows_bad_rows_and_writes_nothing(client, tree, users, officer):
    client.force_login(officer)
    response = client.post(
        ADMIN_ADD,
        {"region": COUNTY, "department": DEPARTMENT, "file": SimpleUploadedFile("list.csv", csv_list(("12345", "boat", "")))},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert any("第 2 行" in error for error in errors)
    assert written() == {"comparisons": 0, "rows": 0, "findings": 0, "procedures": 0}


def test_the_admin_is_read_only_for_an_inspector(client, users, county):
    """An inspector lists comparisons in scope and may neither upload nor change."""
    comparison = make_comparison(users["superuser"], county, 1)
    client.force_login(users["inspector"])
    assert client.get("/admin/checks/comparison/").status_code == 200
    assert client.get(ADMIN_ADD).status_code == 403
    assert client.post(f"/admin/checks/comparison/{comparison.pk}/change/", {}).status_code == 403
    assert client.get("/admin/checks/categorysetting/add/").status_code == 403


def test_the_admin_saves_category_settings_through_the_service(client, users, officer):
    client.force_login(officer)
    response = client.post("/admin/checks/categorysetting/add/", {"region": COUNTY, "category": "vehicle", "veto": "on"})
    assert response.status_code == 302
    assert CategorySetting.objects.get().veto is True
    refused = client.post("/admin/checks/categorysetting/add/", {"region": COUNTY, "category": "deceased", "veto": "on"})
    assert refused.status_code == 200 and CategorySetting.objects.count() == 1


# The kept counts of a comparison's summary ----------------------------------------------------------------------


def counted_from_scratch(comparison) -> list[tuple]:
    """(rule, severity, findings, open) of the comparison's findings, counted from the findings themselves."""
    return list(
        Finding.objects.filter(comparison=comparison)
        .values("rule", "severity")
        .annotate(findings=Count("id"), open=Count("id", filter=Q(status="open")))
        .order_by("rule", "severity")
        .values_list("rule", "severity", "findings", "open")
    )


def test_the_kept_match_counts_follow_every_write_of_the_findings(tree, users, officer, county):
    """ComparisonMatchCount equals the comparison's findings counted from scratch after the upload, a finding closed
    through the service, a bulk close and reopen, a finding moved to another severity, one deleted; the migration's
    fill counts the same."""
    veto(county, "public_employee")
    homes = [register(tree, users, sequence=n) for n in (1, 2, 3)]
    rows = [(head_of(homes[0]).id_number, "public_employee", "县教育局")]
    rows += [(head_of(h).id_number, "vehicle", "吉G1234") for h in homes]
    comparison = upload(officer, csv_list(*rows), region=county).comparison
    assert match_counts(comparison) == counted_from_scratch(comparison) != []
    first, second, third = ext_findings().filter(rule="EXT-VEHICLE").order_by("id")
    finding_resolve(user=officer, finding=first, status="confirmed_correct", resolution="已核实")
    assert match_counts(comparison) == counted_from_scratch(comparison)
    Finding.objects.filter(pk=second.pk).update(status="fixed", resolved_at=timezone.now())
    Finding.objects.filter(pk=second.pk).update(status="open", resolved_at=None)
    Finding.objects.filter(pk=third.pk).update(severity="error")
    assert match_counts(comparison) == counted_from_scratch(comparison)
    Finding.objects.filter(pk=third.pk).delete()
    assert match_counts(comparison) == counted_from_scratch(comparison)
    assert ("EXT-VEHICLE", "warning", 2, 1) in match_counts(comparison)
    migration = importlib.import_module("checks.migrations.0002_comparison_match_counts")
    ComparisonMatchCount.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert match_counts(comparison) == counted_from_scratch(comparison)
