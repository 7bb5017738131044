"""The findings page 疑点: open findings of my villages, the rule in words, the remedies, filters, scope, pinned queries."""

import datetime

import pytest

from checks.findings import finding_raise
from lifecycle import services as lifecycle
from tests.conftest import OTHER_VILLAGE, VILLAGE_A1, VILLAGE_A2
from tests.households import builders as b

pytestmark = pytest.mark.django_db


def raise_id_error(household):
    head = household.members.get(relation="01")
    return finding_raise(
        rule="ID-1", key=f"member:{head.pk}", village_id=household.village_id, household_id=household.pk,
        member_id=head.pk, detail={"name": head.name, "id_type": "resident_id", "id_number": head.id_number[:6] + "********"
                                   + head.id_number[-4:], "part": "check_digit", "expected": "X", "actual": "1"},
    )[0]  # fmt: skip


def raise_wrong_exit(household):
    return finding_raise(rule="HH-9", key=f"household:{household.pk}", village_id=household.village_id,
                         household_id=household.pk, detail={"year": 2016, "failing": ["housing"]})[0]  # fmt: skip


def raise_warning(household):
    return finding_raise(rule="HH-8", key=f"household:{household.pk}", village_id=household.village_id,
                         household_id=household.pk, detail={})[0]  # fmt: skip


def test_each_finding_reads_in_words_with_what_puts_it_right(client, users, home):
    lifecycle.status_record(user=users["superuser"], household=home, status="exited", on=datetime.date(2016, 11, 1))
    raise_id_error(home)
    raise_wrong_exit(home)
    client.force_login(users["village_team"])
    page = client.get("/findings/").content.decode()
    assert "证件号码校验" in page and "疑似错退" in page  # the rule titles, not only codes
    assert "的证件号码" in page and "有误" in page
    assert f'href="/households/{home.pk}/edit/"' in page and f'href="/households/{home.pk}/"' in page
    assert f'href="/households/{home.pk}/procedures/new/?kind=return"' in page
    assert f'href="/households/{home.pk}/procedures/new/?kind=monitoring"' in page
    assert "?kind=closing" not in page  # not a remedy of these rules
    assert "未整改前，该户不能办理" in page


def test_filters_by_rule_severity_and_village(client, users, tree, home):
    other = b.make_household(village=tree[VILLAGE_A2], user=users["superuser"], members=b.family(2))
    raise_id_error(home)
    raise_warning(home)
    raise_id_error(other)
    client.force_login(users["county_officer"])
    assert client.get("/findings/").content.decode().count('class="list-group-item finding-line"') == 3
    page = client.get("/findings/?severity=warning").content.decode()
    assert page.count('data-rule="HH-8"') == 1 and 'data-rule="ID-1"' not in page
    page = client.get("/findings/?rule=ID-1").content.decode()
    assert page.count('data-rule="ID-1"') == 2
    page = client.get(f"/findings/?village={VILLAGE_A2}").content.decode()
    assert page.count('class="list-group-item finding-line"') == 1
    page = client.get("/findings/?severity=bogus").content.decode()
    assert 'id="no-findings"' in page and "is-invalid" in page  # a bad filter is marked, and finds nothing


def test_scope(client, users, tree, home):
    far = b.make_household(village=tree[OTHER_VILLAGE], user=users["superuser"], members=b.family(3))
    raise_id_error(far)
    client.force_login(users["village_team"])
    assert 'id="no-findings"' in client.get("/findings/").content.decode()
    assert client.get(f"/findings/?village={OTHER_VILLAGE}").status_code == 404
    assert client.get(f"/findings/?village={VILLAGE_A2}").status_code == 404  # the team's scope is its own village
    client.force_login(users["nobody"])
    assert client.get("/findings/").status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_the_page_costs_the_same_for_any_number_of_findings(client, users, tree, rows, django_assert_num_queries):
    for n in range(rows):
        household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(10 + n))
        raise_id_error(household)
    client.force_login(users["village_team"])
    client.get("/findings/")
    with django_assert_num_queries(5):  # session, user, grants, villages, page (keyset: no count)
        page = client.get("/findings/").content.decode()
    assert page.count('class="list-group-item finding-line"') == rows
