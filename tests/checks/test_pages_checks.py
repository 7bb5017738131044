"""The rule-run page 规则校验 (/checks/): past runs with counts by rule, running the rules for a region and seeing
what changed in words, scope as the API, bad input, pinned queries."""

import re

import pytest
from django.urls import reverse

from checks import register_rules
from checks.models import Finding, RuleRun
from households.models import Member
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_B, VILLAGE_A1, VILLAGE_A2
from tests.households import builders as b
from tests.lifecycle.reviewing import break_head_id

pytestmark = pytest.mark.django_db

URL = "/checks/"
RUN = "/checks/run/"


def test_the_url_names():
    assert reverse("checks") == URL and reverse("checks-run") == RUN


def test_running_the_rules_shows_the_findings_opened_in_words(client, users, home):
    """A village team runs the rules over its village: the run is recorded and the page names what it opened."""
    break_head_id(home)
    client.force_login(users["village_team"])
    response = client.post(RUN, {"region": VILLAGE_A1})
    assert response.status_code == 302
    run = RuleRun.objects.get(trigger="page")
    assert response["Location"] == f"{URL}?run={run.pk}#run-changes"
    assert run.region_id == VILLAGE_A1 and run.started_by == users["village_team"]
    opened = Finding.objects.get(run=run, rule="ID-1")
    page = client.get(response["Location"]).content.decode()
    assert f"新发现 {Finding.objects.filter(run=run).count()} 个问题，关闭 0 个已不成立的问题" in page
    assert 'class="mb-2 change-opened" data-rule="ID-1"' in page
    assert "证件号码校验" in page  # the rule's title in Chinese
    assert f'href="/households/{opened.household_id}/"' in page
    assert 'id="none-closed"' in page


def test_a_second_run_closes_what_no_longer_holds_and_says_so(client, users, home):
    """After the ID number is put right, the next run closes the finding and lists it as closed."""
    break_head_id(home)
    client.force_login(users["village_team"])
    client.post(RUN, {"region": VILLAGE_A1})
    head = home.members.get(relation="01")
    Member.objects.filter(pk=head.pk).update(id_number=b.family(1)[0]["id_number"])
    response = client.post(RUN, {"region": VILLAGE_A1, "rules": ["ID-1"]})
    second = RuleRun.objects.filter(trigger="page").order_by("-id").first()
    assert second.rules == ["ID-1"]
    assert Finding.objects.get(rule="ID-1").closed_by_run == second
    page = client.get(response["Location"]).content.decode()
    assert "新发现 0 个问题，关闭 1 个已不成立的问题" in page
    assert 'class="mb-2 change-closed" data-rule="ID-1"' in page


def test_the_list_shows_each_run_with_its_counts_by_rule(client, users, home):
    break_head_id(home)
    register_rules.run_rules(region_code=VILLAGE_A1, rules=["ID-1", "HH-1"], user=users["superuser"], trigger="api")
    client.force_login(users["county_officer"])
    page = client.get(URL).content.decode()
    assert page.count('class="list-group-item run-line"') == 1
    assert "新发现 1 · 关闭 0 · 仍存在 1" in page
    assert '<tr data-rule="ID-1"><td>证件号码校验' in page and 'data-rule="HH-1"' in page
    assert "接口运行" in page  # the trigger in words, not "api"


def test_runs_over_one_household_before_a_step_are_not_listed(client, users, home):
    register_rules.run_rules(region_code=VILLAGE_A1, household_ids=[home.pk], user=None, trigger="step")
    client.force_login(users["county_officer"])
    assert 'id="no-runs"' in client.get(URL).content.decode()


def test_a_region_outside_the_scope_does_not_exist_and_nothing_runs(client, users, tree):
    client.force_login(users["village_team"])
    assert client.post(RUN, {"region": OTHER_VILLAGE}).status_code == 404
    assert client.post(RUN, {"region": TOWN_B}).status_code == 404
    assert not RuleRun.objects.exists()


def test_a_region_read_but_not_edited_is_refused_beside_the_field(client, users, tree):
    """The township reviewer reads the runs but does not edit the register: no form, and a post is 403."""
    client.force_login(users["township_reviewer"])
    page = client.get(URL).content.decode()
    assert 'id="run-form"' not in page
    assert client.post(RUN, {"region": VILLAGE_A1}).status_code == 403
    assert not RuleRun.objects.exists()


def test_bad_input_keeps_the_choice_and_writes_nothing(client, users, tree):
    client.force_login(users["county_officer"])
    response = client.post(RUN, {"region": "", "rules": ["HH-8"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is-invalid" in html and 'id="error-summary"' in html
    assert re.search(r'value="HH-8"[^>]*checked', html)  # nothing typed lost
    response = client.post(RUN, {"region": VILLAGE_A2, "rules": ["XX-1"]})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not RuleRun.objects.exists()


def test_a_run_of_another_region_is_404(client, users, tree):
    far = register_rules.run_rules(region_code=OTHER_VILLAGE, user=None, trigger="command")
    near = register_rules.run_rules(region_code=COUNTY, user=None, trigger="command")
    client.force_login(users["village_team"])
    assert client.get(f"{URL}?run={far.pk}").status_code == 404
    assert client.get(f"{URL}?run={near.pk}").status_code == 404  # a county's run is wider than the team's village
    assert client.get(f"{URL}?run=abc").status_code == 404
    client.force_login(users["nobody"])
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("runs", [3, 30])
def test_the_page_costs_the_same_for_any_number_of_runs(client, users, tree, runs, django_assert_num_queries):
    run = None
    for _n in range(runs):
        run = register_rules.run_rules(region_code=VILLAGE_A1, rules=["HH-8"], user=users["superuser"], trigger="api")
    client.force_login(users["village_team"])
    client.get(URL)
    with django_assert_num_queries(5):  # session, user, grants, regions of the form, page of runs (no count)
        page = client.get(URL).content.decode()
    assert page.count('class="list-group-item run-line"') == min(runs, 20)
    with django_assert_num_queries(8):  # the same, plus the run, the findings it opened and those it closed
        client.get(f"{URL}?run={run.pk}")
