"""Entry pages of the register (新建户 /households/new/, 修改户 /households/<id>/edit/) through the client."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages

from households import hooks, services
from households.models import Household, Member
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.households.builders import counts, family, head, make_household, member, resident_id, son, spouse

pytestmark = pytest.mark.django_db

NEW = "/households/new/"


def _member_fields(prefix: str, data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, date):
            value = value.isoformat()
        out[f"{prefix}-{key}"] = "" if value is None else value
    return out


def new_payload(members: list[dict], **household) -> dict:
    """The POST body of the new-household page: the household, then the formset of members."""
    data = {
        "village": VILLAGE_A1,
        "address": "一组12号",
        "identification_standard": "national",
        "attribute": "general",
        "main_cause": "illness",
        "other_causes": ["lack_funds"],
        "stars": "2",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "30",
    }
    data.update(household)
    for index, person in enumerate(members):
        data.update(_member_fields(f"members-{index}", person))
    return data


def edit_payload(household: Household) -> dict:
    """The edit page's POST body as the page shows it (read back from the rendered form's initial values)."""
    household.refresh_from_db()
    members = list(household.members.active().order_by("relation", "birth_date", "id"))
    data = {
        "version": str(household.version),
        "address": household.address,
        "identification_standard": household.identification_standard,
        "attribute": household.attribute,
        "main_cause": household.main_cause,
        "other_causes": list(household.other_causes),
        "stars": str(household.stars or ""),
        "relocated": "on" if household.relocated else "",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "30",
    }
    for index, m in enumerate(members):
        prefix = f"members-{index}"
        data[f"{prefix}-id"] = str(m.pk)
        data[f"{prefix}-version"] = str(m.version)
        for name in ("name", "relation", "id_type", "id_number", "sex", "birth_date", "ethnicity", "education",
                     "school_status", "health", "labour", "migrant_work", "migrant_months", "join_reason"):  # fmt: skip
            value = getattr(m, name)
            data[f"{prefix}-{name}"] = value.isoformat() if isinstance(value, date) else str(value)
    return {k: v for k, v in data.items() if v != ""}


def wrong_check(number: str) -> str:
    """The same number with a wrong check character."""
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


@pytest.fixture
def team(client, users):
    client.force_login(users["village_team"])
    return client


# New household ----------------------------------------------------------------------------------


def test_new_page_shows_the_three_sections_and_one_member_row(team, django_assert_num_queries):
    with django_assert_num_queries(6):  # session, user, grants (menu and scope), villages, villager groups
        response = team.get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("户基本信息", "家庭成员", "生产生活条件"):
        assert title in html
    assert 'id="id_members-0-id_number"' in html and 'id="id_members-1-id_number"' not in html
    assert 'id="add-member"' in html
    assert "<label" in html and "证件号码" in html and "与户主关系" in html  # Chinese labels, not field names
    assert "Ethnicity" not in html and "id_number</label>" not in html


def test_a_wrong_id_is_reported_beside_its_field_even_when_the_member_lacks_a_name(team):
    """Three members; the spouse's number has a wrong check character and her name is missing: both are
    reported beside their fields and in the summary, nothing is written, and everything typed is kept."""
    before = counts()
    bad = wrong_check(spouse()["id_number"])
    response = team.post(NEW, new_payload([head(), spouse(id_number=bad, name=""), son()], address="三组7号"))
    html = response.content.decode()
    assert response.status_code == 400
    assert counts() == before
    # Beside the field: the error block has the field's id and the input points to it.
    error = re.search(r'id="id_members-1-id_number_error"[^>]*>(.*?)</div>', html, re.S)
    assert error and "校验位错误" in error.group(1)
    assert 'aria-describedby="id_members-1-id_number_error"' in html
    assert re.search(r'id="id_members-1-name_error"[^>]*>[^<]*该字段是必填项', html)
    # In the summary at the top, linking to the field.
    summary = html[html.index('id="error-summary"') : html.index('id="household-form"')]
    assert 'href="#id_members-1-id_number"' in summary and "成员 2 · 证件号码" in summary
    assert 'href="#id_members-1-name"' in summary
    # Nothing typed is lost: the household and every row, the wrong number included.
    assert 'value="三组7号"' in html
    assert f'value="{bad}"' in html
    assert f'value="{son()["id_number"]}"' in html and 'value="王小军"' in html
    assert 'name="members-TOTAL_FORMS" value="3"' in html


def test_a_household_of_three_is_saved_and_the_card_follows(team):
    response = team.post(NEW, new_payload(family()))
    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/households/{household.pk}/"
    assert household.village_id == VILLAGE_A1 and household.other_causes == ["lack_funds"]
    assert sorted(household.members.values_list("name", flat=True)) == ["李秀兰", "王小军", "王建国"]
    assert any(household.number in str(m) for m in get_messages(response.wsgi_request))


def test_days_are_accepted_as_people_write_them(team):
    people = [head(birth_date="1962/03/08"), spouse(birth_date="1964年5月20日"), son(birth_date=" 1988-09-01 ")]
    response = team.post(NEW, new_payload(people))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(Member.objects.values_list("birth_date", flat=True)) == [
        date(1962, 3, 8), date(1964, 5, 20), date(1988, 9, 1)
    ]  # fmt: skip


def test_a_day_written_otherwise_is_explained(team):
    response = team.post(NEW, new_payload([head(birth_date="08.03.1962")]))
    assert response.status_code == 400
    assert "请按 2017-12-31、2017/12/31 或 2017年12月31日 填写日期" in response.content.decode()


def test_service_refusals_land_beside_their_fields(team, users, tree):
    """ID-2 (the number is active in another household) and HH-1 (two heads) come from the services."""
    make_household(village=tree[VILLAGE_A1], user=users["village_team"], members=[head(5)])
    before = counts()
    response = team.post(NEW, new_payload([head(), head(5, relation="03")]))
    html = response.content.decode()
    assert response.status_code == 400 and counts() == before
    assert re.search(r'id="id_members-1-id_number_error"[^>]*>[^<]*该证件号已在户', html)


def test_composition_refusal_is_shown_above_the_members(team):
    before = counts()
    response = team.post(NEW, new_payload([head(), son(relation="01")]))
    html = response.content.decode()
    assert response.status_code == 400 and counts() == before
    assert "户内有 2 名户主" in html and 'id="members-errors"' in html


def test_a_removed_new_row_is_not_saved(team):
    data = new_payload(family())
    data["members-2-DELETE"] = "on"
    response = team.post(NEW, data)
    assert response.status_code == 302
    assert Member.objects.count() == 2


def test_an_untouched_added_row_is_ignored(team):
    data = new_payload([*family(), {}])
    data["members-TOTAL_FORMS"] = "4"
    # A blank row as the page renders it: the defaults selected, nothing typed.
    data.update({"members-3-id_type": "resident_id", "members-3-ethnicity": "han", "members-3-school_status": "not_in_school",
                 "members-3-health": "healthy", "members-3-migrant_work": "none", "members-3-migrant_months": "0",
                 "members-3-join_reason": "registration"})  # fmt: skip
    response = team.post(NEW, data)
    assert response.status_code == 302 and Member.objects.count() == 3


def test_the_add_member_button_fetches_a_row_with_the_next_prefix(team):
    response = team.get("/households/new/member-row/?index=3")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="members-3-id_number"' in html and 'name="members-3-DELETE"' in html
    assert team.get("/households/new/member-row/?index=x").status_code == 404


def test_the_id_number_is_checked_by_the_server_as_typed(team):
    number = head()["id_number"]
    ok = team.post("/households/new/id-check/", {"row": "members-0", "members-0-id_number": number})
    assert "1962年3月8日" in ok.content.decode() and "男" in ok.content.decode()
    bad = team.post("/households/new/id-check/", {"row": "members-0", "members-0-id_number": wrong_check(number)})
    assert "校验位错误" in bad.content.decode()
    assert team.get("/households/new/id-check/").status_code == 405  # never in a URL


def test_a_reader_gets_403_and_writes_nothing(client, users):
    client.force_login(users["inspector"])
    before = counts()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, new_payload(family())).status_code == 403
    assert client.post("/households/new/id-check/", {"row": "x"}).status_code == 403
    assert counts() == before


def test_finding_messages_come_through_the_hook(team):
    """The page says what the save opened, through households.hooks (the checks register in ready())."""
    seen = []

    def provider(*, household, user):
        seen.append(household.pk)
        return ["保存后发现 1 个问题"]

    hooks.register_after_save(provider)
    try:
        response = team.post(NEW, new_payload(family()))
    finally:
        hooks._after_save_providers.remove(provider)
    assert seen == [Household.objects.get().pk]
    assert "保存后发现 1 个问题" in [str(m) for m in get_messages(response.wsgi_request)]


def test_the_checks_are_registered_after_save():
    from checks.after_save import findings_opened_by_save

    assert findings_opened_by_save in hooks._after_save_providers


# Edit -------------------------------------------------------------------------------------------


@pytest.fixture
def household(users, tree):
    return make_household(village=tree[VILLAGE_A1], user=users["village_team"])


def test_edit_changes_the_household_and_adds_a_member(team, household):
    data = edit_payload(household)
    data["address"] = "二组3号"
    data["members-TOTAL_FORMS"] = "4"
    data.update(_member_fields("members-3", member(name="王小花", sex="female", birth_date=date(2010, 6, 1),
                                                   relation="04", health="healthy", labour="none",
                                                   education="", school_status="primary")))  # fmt: skip
    response = team.post(f"/households/{household.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    household.refresh_from_db()
    assert household.address == "二组3号"
    assert household.members.active().count() == 4


def test_edit_keeps_unchanged_members_untouched(team, household):
    versions = dict(household.members.values_list("pk", "version"))
    data = edit_payload(household)
    data["phone"] = "13800000000"
    assert team.post(f"/households/{household.pk}/edit/", data).status_code == 302
    assert dict(household.members.values_list("pk", "version")) == versions


def test_a_wrong_id_on_edit_is_refused_beside_the_field(team, household):
    before = counts()
    data = edit_payload(household)
    data["members-1-id_number"] = wrong_check(data["members-1-id_number"])
    data["members-1-name"] = ""
    response = team.post(f"/households/{household.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 400 and counts() == before
    assert re.search(r'id="id_members-1-id_number_error"[^>]*>[^<]*校验位错误', html)
    assert "该字段是必填项" in html


def test_a_stale_edit_is_refused_with_the_other_persons_changes(team, household, users):
    data = edit_payload(household)  # the page as opened
    # Someone else saves first: another address, and the son's ethnicity.
    services.household_update(user=users["county_officer"], household=household, data={"address": "五组1号"})
    the_son = household.members.get(relation="03")
    services.member_update(user=users["county_officer"], member=the_son, data={"ethnicity": "mongol"})
    data["address"] = "二组3号"
    response = team.post(f"/households/{household.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 409
    stale = html[html.index('id="stale-edit"') : html.index("</div>", html.index('id="stale-edit"'))]
    assert "住址" in stale and "五组1号" in stale and "二组3号" in stale
    assert "王小军" in stale and "民族" in stale and "蒙古族" in stale and "汉族" in stale
    household.refresh_from_db()
    assert household.address == "五组1号"  # nothing of mine was written
    assert 'value="二组3号"' in html  # what I typed is still there
    # The page now carries the current versions: saving again is deliberate and goes through.
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert version == str(household.version)
    data["version"] = version
    data["members-2-version"] = str(Member.objects.get(pk=the_son.pk).version)
    assert data["members-2-id"] == str(the_son.pk)
    assert team.post(f"/households/{household.pk}/edit/", data).status_code == 302
    household.refresh_from_db()
    assert household.address == "二组3号"


def test_edit_out_of_scope_is_404(team, users, tree):
    other = make_household(village=tree[VILLAGE_B1], user=users["county_officer"], members=[head(7)])
    before = counts()
    assert team.get(f"/households/{other.pk}/edit/").status_code == 404
    assert team.post(f"/households/{other.pk}/edit/", edit_payload(other)).status_code == 404
    assert team.get("/households/999999/edit/").status_code == 404
    assert counts() == before


def test_edit_by_a_reader_is_403(client, users, household):
    client.force_login(users["inspector"])
    data = edit_payload(household)
    data["address"] = "X"
    assert client.get(f"/households/{household.pk}/edit/").status_code == 403
    assert client.post(f"/households/{household.pk}/edit/", data).status_code == 403
    household.refresh_from_db()
    assert household.address == "一组12号"


@pytest.mark.parametrize("size", [2, 20])
def test_the_edit_page_costs_the_same_queries_for_2_and_20_members(team, users, tree, size, django_assert_num_queries):
    people = [head(3)] + [
        member(name=f"子{i}", sex="male", birth_date=date(1990, 1, 1 + i), relation="03", sequence=3)
        for i in range(size - 1)
    ]
    household = make_household(village=tree[VILLAGE_A1], user=users["village_team"], members=people)
    with django_assert_num_queries(6):  # session, user, household, grants, villager groups, members
        response = team.get(f"/households/{household.pk}/edit/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card mb-3 member-row"') == size


def test_ids_in_the_builders_are_valid():
    assert resident_id(birth_date=date(1990, 1, 1), sex="male", sequence=3) != resident_id(
        birth_date=date(1990, 1, 2), sex="male", sequence=3
    )


def test_a_finding_opened_by_the_save_is_said_on_the_next_page(team):
    """HH-4 (a healthy 38-year-old registered as unable to work) is opened by the register rules the save runs."""
    from checks.models import Finding

    response = team.post(NEW, new_payload([head(), spouse(), son(labour="lost")]))
    assert response.status_code == 302
    household = Household.objects.get()
    opened = list(Finding.objects.filter(household=household, status="open").values_list("rule", flat=True))
    assert "HH-4" in opened
    assert f"保存后发现 {len(opened)} 个问题，请在户卡的“核查问题”中查看并整改。" in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
