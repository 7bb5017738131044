"""Findings and rule runs through the API, the admin and the command.

GET/PATCH findings/ (scope by the finding's village, filters, ordering, masking, closing through finding_resolve
with ETag/If-Match), POST checks/run/ and GET checks/runs/ (scope, bad input that writes nothing), pinned query
counts, the admin's scoped list and closing form, and `manage.py run_checks`.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from checks.findings import finding_raise, finding_resolve
from checks.models import Finding, RuleRun
from checks.register_rules import RULES, run_rules
from households.models import Member
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import PASSWORD
from tests.households import builders as b

pytestmark = pytest.mark.django_db

FINDINGS = "/api/v1/findings/"
RUN = "/api/v1/checks/run/"
RUNS = "/api/v1/checks/runs/"


def raise_id_error(household, *, part="check_digit") -> Finding:
    """An ID-1 finding on the household's head, as the rule writes it (number masked)."""
    head = household.members.get(relation="01")
    masked = head.id_number[:6] + "********" + head.id_number[-4:]
    finding, _created = finding_raise(
        rule="ID-1", key=f"member:{head.pk}", village_id=household.village_id, household_id=household.pk,
        member_id=head.pk, detail={"name": head.name, "id_type": "resident_id", "id_number": masked, "part": part,
                                   "expected": "X", "actual": "1"},
    )  # fmt: skip
    return finding


def raise_warning(household) -> Finding:
    return finding_raise(
        rule="HH-8", key=f"household:{household.pk}", village_id=household.village_id, household_id=household.pk,
        detail={},
    )[0]


@pytest.fixture
def homes(tree, users, home):
    """A household in A1 (`home`), A2, B1 and the other county's village."""
    made = {VILLAGE_A1: home}
    for sequence, code in enumerate((VILLAGE_A2, VILLAGE_B1, OTHER_VILLAGE), start=2):
        made[code] = b.make_household(village=tree[code], user=users["superuser"], members=b.family(sequence))
    return made


@pytest.fixture
def findings(homes):
    """An ID-1 error and an HH-8 warning in A1, an ID-1 error in A2, B1 and the other county."""
    return {
        "a1_error": raise_id_error(homes[VILLAGE_A1]),
        "a1_warning": raise_warning(homes[VILLAGE_A1]),
        "a2_error": raise_id_error(homes[VILLAGE_A2]),
        "b1_error": raise_id_error(homes[VILLAGE_B1]),
        "other_error": raise_id_error(homes[OTHER_VILLAGE]),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# ---------------------------------------------------------------------------------------------------------------------
# GET findings/
# ---------------------------------------------------------------------------------------------------------------------


def test_each_role_sees_the_findings_of_its_scope(api, users, findings):
    """A village team its village, a township reviewer its township, the county office and inspectors the county."""
    f = findings
    assert ids(api(users["village_team"]).get(FINDINGS)) == {f["a1_error"].pk, f["a1_warning"].pk}
    assert ids(api(users["township_reviewer"]).get(FINDINGS)) == {f["a1_error"].pk, f["a1_warning"].pk, f["a2_error"].pk}
    county = {f["a1_error"].pk, f["a1_warning"].pk, f["a2_error"].pk, f["b1_error"].pk}
    assert ids(api(users["county_officer"]).get(FINDINGS)) == county
    assert ids(api(users["inspector"]).get(FINDINGS)) == county
    assert ids(api(users["superuser"]).get(FINDINGS)) == {finding.pk for finding in f.values()}


def test_roles_that_may_not_read_the_register_are_refused(api, users, findings):
    assert_error(api(users["api_client"]).get(FINDINGS), 403, "permission_denied")
    assert_error(api(users["nobody"]).get(FINDINGS), 403, "permission_denied")
    assert_error(api().get(FINDINGS), 401, "not_authenticated")


def test_a_finding_reads_with_its_message_household_member_and_no_full_id_number(api, users, homes, findings, chinese):
    """The list row carries the rendered message, the household's number and the member's name; the ID number only
    masked, and the response is not cached."""
    response = api(users["village_team"]).get(FINDINGS, {"rule": "ID-1"})
    (row,) = response.json()["results"]
    head = homes[VILLAGE_A1].members.get(relation="01")
    assert row["rule"] == "ID-1" and row["title"] == "证件号码校验" and row["severity"] == "error"
    assert row["household_number"] == homes[VILLAGE_A1].number and row["member_name"] == head.name
    assert row["village"] == VILLAGE_A1 and row["status"] == "open" and row["resolved_by"] is None
    assert row["message"] == f"{head.name} 的证件号码 {head.id_number[:6]}********{head.id_number[-4:]} 有误：身份证号校验位错误：按前17位应为 X，实为 1"
    assert head.id_number not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rule": "HH-8"}, {"a1_warning"}),
        ({"rule": ["HH-8", "ID-1"]}, {"a1_warning", "a1_error", "a2_error", "b1_error"}),
        ({"severity": "error"}, {"a1_error", "a2_error", "b1_error"}),
        ({"status": "open", "source": "rule"}, {"a1_warning", "a1_error", "a2_error", "b1_error"}),
        ({"region": TOWN_A}, {"a1_warning", "a1_error", "a2_error"}),
        ({"region": VILLAGE_B1}, {"b1_error"}),
        ({"region": OTHER_VILLAGE}, set()),
    ],
)
def test_filters(api, users, findings, query, expected):
    response = api(users["county_officer"]).get(FINDINGS, query)
    assert ids(response) == {findings[name].pk for name in expected}


def test_filter_by_household_and_status(api, users, homes, findings):
    finding_resolve(user=users["village_team"], finding=findings["a1_warning"], status="fixed", resolution="已结对")
    client = api(users["county_officer"])
    assert ids(client.get(FINDINGS, {"household": homes[VILLAGE_A1].pk})) == {
        findings["a1_error"].pk, findings["a1_warning"].pk,
    }  # fmt: skip
    assert ids(client.get(FINDINGS, {"status": "fixed"})) == {findings["a1_warning"].pk}


@pytest.mark.parametrize("query", [{"region": "2208"}, {"severity": "fatal"}, {"rule": "XX-9"}, {"status": "closed"}])
def test_a_bad_filter_is_400(api, users, findings, query):
    assert_error(api(users["county_officer"]).get(FINDINGS, query), 400, "invalid")


def test_ordering(api, users, findings):
    rows = api(users["county_officer"]).get(FINDINGS, {"ordering": "rule,id"}).json()["results"]
    assert [row["rule"] for row in rows] == ["HH-8", "ID-1", "ID-1", "ID-1"]
    assert [row["id"] for row in rows][1:] == sorted(row["id"] for row in rows[1:])


@pytest.mark.parametrize("how_many", [1, 3])
def test_list_query_count_is_pinned(api, users, tree, how_many, django_assert_num_queries):
    """Token, grants and one page (a cursor: no count): the same three queries for one row or three."""
    for sequence in range(how_many):
        household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(10 + sequence))
        raise_id_error(household)
    client = api(users["county_officer"])
    with django_assert_num_queries(3):
        response = client.get(FINDINGS)
    assert len(response.json()["results"]) == how_many


def test_detail_has_an_etag_and_is_404_outside_scope(api, users, findings):
    finding = findings["a1_error"]
    response = api(users["village_team"]).get(f"{FINDINGS}{finding.pk}/")
    assert response.status_code == 200 and response["ETag"] == f'"{finding.version}"'
    assert response.json()["id"] == finding.pk
    assert_error(api(users["village_team"]).get(f"{FINDINGS}{findings['a2_error'].pk}/"), 404, "not_found")


# ---------------------------------------------------------------------------------------------------------------------
# PATCH findings/{id}/: closing (整改)
# ---------------------------------------------------------------------------------------------------------------------


def patch(client, finding, body, **headers):
    return client.patch(f"{FINDINGS}{finding.pk}/", body, format="json", **headers)


def test_the_village_team_closes_a_finding_of_its_village(api, users, findings):
    finding = findings["a1_error"]
    response = patch(
        api(users["village_team"]), finding, {"status": "fixed", "resolution": "已按户口簿更正"},
        HTTP_IF_MATCH=f'"{finding.version}"',
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["resolution"], body["resolved_by"]) == ("fixed", "已按户口簿更正", "team")
    assert body["resolved_at"] is not None and response["ETag"] == f'"{finding.version + 1}"'
    finding.refresh_from_db()
    assert (finding.status, finding.resolved_by.username) == ("fixed", "team")


def test_the_county_office_confirms_a_finding_correct(api, users, findings):
    response = patch(api(users["county_officer"]), findings["b1_error"], {"status": "confirmed_correct", "resolution": "核对原件无误"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed_correct"


@pytest.mark.parametrize(("role", "status"), [("inspector", 403), ("township_reviewer", 403)])
def test_roles_that_read_but_may_not_edit_are_403(api, users, findings, role, status):
    finding = findings["a1_error"]
    assert_error(patch(api(users[role]), finding, {"status": "fixed", "resolution": "x"}), status, "permission_denied")
    finding.refresh_from_db()
    assert finding.status == "open"


def test_a_finding_of_another_village_is_404(api, users, findings):
    assert_error(
        patch(api(users["village_team"]), findings["a2_error"], {"status": "fixed", "resolution": "x"}), 404, "not_found"
    )


def test_closing_a_closed_finding_is_409(api, users, findings):
    finding = findings["a1_error"]
    finding_resolve(user=users["village_team"], finding=finding, status="fixed", resolution="已更正")
    response = patch(api(users["village_team"]), finding, {"status": "confirmed_correct", "resolution": "再次"})
    assert_error(response, 409, "transition_not_allowed")
    finding.refresh_from_db()
    assert (finding.status, finding.resolution) == ("fixed", "已更正")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "open", "resolution": "x"}, "status"),
        ({"status": "closed", "resolution": "x"}, "status"),
        ({"status": "fixed"}, "resolution"),
        ({"status": "fixed", "resolution": "   "}, "resolution"),
        ({}, "status"),
    ],
)
def test_bad_input_is_400_and_writes_nothing(api, users, findings, body, field):
    finding = findings["a1_error"]
    response = patch(api(users["village_team"]), finding, body)
    assert field in assert_error(response, 400, "invalid")["errors"]
    refreshed = Finding.objects.get(pk=finding.pk)
    assert (refreshed.status, refreshed.version, refreshed.resolution) == ("open", finding.version, "")


def test_a_stale_if_match_is_412_and_writes_nothing(api, users, findings):
    finding = findings["a1_error"]
    response = patch(api(users["village_team"]), finding, {"status": "fixed", "resolution": "x"}, HTTP_IF_MATCH='"99"')
    assert_error(response, 412, "precondition_failed")
    finding.refresh_from_db()
    assert finding.status == "open"


def test_put_and_delete_are_not_allowed(api, users, findings):
    client = api(users["superuser"])
    url = f"{FINDINGS}{findings['a1_error'].pk}/"
    assert_error(client.put(url, {"status": "fixed", "resolution": "x"}, format="json"), 405, "method_not_allowed")
    assert_error(client.delete(url), 405, "method_not_allowed")


# ---------------------------------------------------------------------------------------------------------------------
# POST checks/run/, GET checks/runs/
# ---------------------------------------------------------------------------------------------------------------------


def test_the_village_team_runs_the_rules_over_its_village(api, users, home):
    response = api(users["village_team"]).post(RUN, {"region": VILLAGE_A1}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["region"], body["trigger"], body["started_by"]) == (VILLAGE_A1, "api", "team")
    assert body["rules"] == list(RULES) and set(body["counts"]) == set(RULES)
    assert body["counts"]["HH-2"]["opened"] == 1 and body["duration_ms"] >= 0
    assert Finding.objects.get(rule="HH-2").run_id == body["id"]


def test_the_county_office_runs_chosen_rules_over_the_county(api, users, homes):
    response = api(users["county_officer"]).post(RUN, {"region": COUNTY, "rules": ["HH-2", "ID-1"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rules"] == ["ID-1", "HH-2"] and body["counts"]["HH-2"]["found"] == 3  # A1, A2, B1


@pytest.mark.parametrize(
    ("role", "region", "status", "code"),
    [
        ("inspector", COUNTY, 403, "permission_denied"),
        ("township_reviewer", TOWN_A, 403, "permission_denied"),
        ("api_client", COUNTY, 403, "permission_denied"),
        ("village_team", VILLAGE_A2, 404, "not_found"),
        ("village_team", TOWN_A, 404, "not_found"),
        ("county_officer", OTHER_VILLAGE, 404, "not_found"),
        ("county_officer", "220821100299", 404, "not_found"),
    ],
)
def test_a_run_outside_the_callers_rights_is_refused_and_writes_nothing(api, users, home, role, region, status, code):
    assert_error(api(users[role]).post(RUN, {"region": region}, format="json"), status, code)
    assert not RuleRun.objects.exists() and not Finding.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"region": VILLAGE_A1, "rules": ["ID-1", "XX-9"]}, "rules.1"),
        ({"region": VILLAGE_A1, "rules": []}, "rules"),
        ({"region": VILLAGE_A1, "rules": "ID-1"}, "rules"),
        ({"region": "2208211002"}, "region"),
        ({}, "region"),
    ],
)
def test_a_bad_run_request_is_400_and_writes_nothing(api, users, home, body, field):
    response = api(users["county_officer"]).post(RUN, body, format="json")
    assert field in assert_error(response, 400, "invalid")["errors"]
    assert not RuleRun.objects.exists() and not Finding.objects.exists()


def test_runs_are_listed_in_scope(api, users, home):
    village_run = run_rules(region_code=VILLAGE_A1, rules=["HH-10"], trigger="api")
    county_run = run_rules(region_code=COUNTY, rules=["HH-10"], trigger="command")
    assert ids(api(users["village_team"]).get(RUNS)) == {village_run.pk}
    assert ids(api(users["county_officer"]).get(RUNS)) == {village_run.pk, county_run.pk}
    assert ids(api(users["county_officer"]).get(RUNS, {"trigger": "command"})) == {county_run.pk}
    assert_error(api(users["village_team"]).get(f"{RUNS}{county_run.pk}/"), 404, "not_found")
    detail = api(users["county_officer"]).get(f"{RUNS}{county_run.pk}/").json()
    assert detail["counts"]["HH-10"]["found"] == 0 and detail["region"] == COUNTY


@pytest.mark.parametrize("how_many", [1, 3])
def test_runs_list_query_count_is_pinned(api, users, tree, how_many, django_assert_num_queries):
    for _ in range(how_many):
        run_rules(region_code=VILLAGE_A1, rules=["HH-10"], user=users["village_team"], trigger="api")
    client = api(users["county_officer"])
    with django_assert_num_queries(3):
        response = client.get(RUNS)
    assert len(response.json()["results"]) == how_many


# ---------------------------------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------------------------------


def test_run_checks_prints_what_each_rule_found(home):
    out = StringIO()
    call_command("run_checks", "--region", COUNTY, "--rule", "HH-2", "--rule", "HH-10", stdout=out)
    text = out.getvalue()
    assert "HH-2         1       1       0" in text and "HH-10        0       0       0" in text
    assert " in " in text and text.rstrip().endswith("s")
    assert RuleRun.objects.get().trigger == "command"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "2208"], "--region"),
        (["--region", "220821100299"], "no region"),
        (["--region", COUNTY, "--rule", "XX-1"], "unknown rule XX-1"),
    ],
)
def test_run_checks_refuses_bad_input_and_writes_nothing(home, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_checks", *args, stdout=StringIO())
    assert not RuleRun.objects.exists() and not Finding.objects.exists()


# ---------------------------------------------------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client):
    def sign_in(username):
        client.post("/admin/login/", {"username": username, "password": PASSWORD})
        return client

    return sign_in


def test_the_admin_lists_the_findings_of_the_users_scope(signed_in, users, findings, chinese):
    page = signed_in("team").get("/admin/checks/finding/")
    assert page.status_code == 200
    listed = set(page.context["cl"].result_list.values_list("pk", flat=True))
    assert listed == {findings["a1_error"].pk, findings["a1_warning"].pk}
    filtered = signed_in("team").get("/admin/checks/finding/", {"rule": "HH-8"})
    assert set(filtered.context["cl"].result_list.values_list("pk", flat=True)) == {findings["a1_warning"].pk}


def test_the_admin_closes_a_finding_through_the_service(signed_in, users, findings):
    finding = findings["a1_error"]
    url = f"/admin/checks/finding/{finding.pk}/change/"
    response = signed_in("team").post(url, {"status": "confirmed_correct", "resolution": "核对原件无误"})
    assert response.status_code == 302, response.content
    finding.refresh_from_db()
    assert (finding.status, finding.resolution, finding.resolved_by.username) == ("confirmed_correct", "核对原件无误", "team")
    again = signed_in("team").get(url)
    assert again.status_code == 200 and not again.context["has_change_permission"]


def test_the_admin_refuses_a_closing_without_resolution(signed_in, users, findings):
    finding = findings["a1_error"]
    response = signed_in("team").post(f"/admin/checks/finding/{finding.pk}/change/", {"status": "fixed", "resolution": ""})
    assert response.status_code == 200 and response.context["adminform"].form.errors
    finding.refresh_from_db()
    assert finding.status == "open"


def test_an_inspector_reads_findings_in_the_admin_but_cannot_close_them(signed_in, users, findings):
    finding = findings["a1_error"]
    url = f"/admin/checks/finding/{finding.pk}/change/"
    page = signed_in("inspector").get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    signed_in("inspector").post(url, {"status": "fixed", "resolution": "x"})
    finding.refresh_from_db()
    assert finding.status == "open"


def test_rule_runs_are_read_only_in_the_admin(signed_in, users, home):
    run = run_rules(region_code=VILLAGE_A1, rules=["HH-10"], trigger="api")
    client = signed_in("team")
    assert client.get("/admin/checks/rulerun/").status_code == 200
    page = client.get(f"/admin/checks/rulerun/{run.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.get("/admin/checks/rulerun/add/").status_code == 403


def test_member_names_of_findings_follow_the_member(api, users, homes, findings):
    """The list reads the member's current name (a join, not a copy)."""
    head = homes[VILLAGE_A1].members.get(relation="01")
    Member.objects.filter(pk=head.pk).update(name="王建民")
    rows = api(users["village_team"]).get(FINDINGS, {"rule": "ID-1"}).json()["results"]
    assert rows[0]["member_name"] == "王建民"


def raise_birth_mismatch(household) -> Finding:
    """An ID-1 finding quoting the birth date read from the head's number (as the rule writes it)."""
    head = household.members.get(relation="01")
    return finding_raise(
        rule="ID-1", key=f"member:{head.pk}", village_id=household.village_id, household_id=household.pk,
        member_id=head.pk, detail={"name": head.name, "id_type": "resident_id", "part": "birth_date_mismatch",
                                   "id_number": head.id_number[:6] + "********" + head.id_number[-4:],
                                   "id_birth_date": head.id_number[6:10] + "-" + head.id_number[10:12] + "-" + head.id_number[12:14]},
    )[0]  # fmt: skip


def test_a_birth_date_quoted_by_a_finding_is_its_year_for_those_who_may_not_see_personal_data(api, users, home, client, chinese):
    """Beside the masked number, the date read from it would give the hidden digits back: the inspector reads the
    year in the message, the facts, the admin and the household's history; the county officer the full date."""
    finding = raise_birth_mismatch(home)
    full = finding.detail["id_birth_date"]
    year = full[:4]

    inspector = api(users["inspector"]).get(f"{FINDINGS}{finding.pk}/").json()
    assert inspector["detail"]["id_birth_date"] == year and inspector["message"].endswith(f"身份证号为 {year}")
    officer = api(users["county_officer"]).get(f"{FINDINGS}{finding.pk}/").json()
    assert officer["detail"]["id_birth_date"] == full and officer["message"].endswith(f"身份证号为 {full}")

    history = api(users["inspector"]).get(f"/api/v1/households/{home.pk}/history/").content.decode()
    assert full not in history

    client.post("/admin/login/", {"username": "inspector", "password": PASSWORD})
    assert full not in client.get("/admin/checks/finding/").content.decode()
    page = client.get(f"/admin/checks/finding/{finding.pk}/change/").content.decode()
    assert full not in page and f"身份证号为 {year}" in page
