"""The accounts page (/users/): the county office's users, creating one in its own county only, a reset password
changed at the next sign-in, disabling; a village team never sees it; every change in the history."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AccountState, RoleGrant, SignInLock
from tests.conftest import COUNTY, OTHER_VILLAGE, VILLAGE_A1
from tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

URL = "/users/"
NEW_PASSWORD = "Qiu-shui-2024!"


def officer(client, users):
    client.force_login(users["county_officer"])
    return client


def test_the_url_name_is_users():
    assert reverse("users") == URL


def test_the_list_shows_the_countys_users_with_roles_and_lockout_but_not_another_countys(client, users, tree):
    stranger = UserFactory(username="stranger", grants=[("village_team", OTHER_VILLAGE)])
    SignInLock.objects.create(
        username="team", address="10.0.0.1", failures=5, locked_until="2999-01-01T00:00:00Z"
    )
    html = officer(client, users).get(URL).content.decode()
    assert 'data-user="team"' in html and 'data-user="town"' in html
    assert "驻村工作队" in html and "登录失败已锁定" in html
    assert f'data-user="{stranger.username}"' not in html


def test_a_county_officer_creates_a_user_in_the_county(client, users, tree):
    response = officer(client, users).post(
        URL, {"username": "wang", "password": NEW_PASSWORD, "role": "village_team", "region": VILLAGE_A1}
    )
    assert response.status_code == 302
    created = get_user_model().objects.get(username="wang")
    assert list(RoleGrant.objects.filter(user=created).values_list("role", "region_id")) == [("village_team", VILLAGE_A1)]
    assert AccountState.objects.get(user=created).must_change_password
    assert AccountState.pgh_event_model.objects.filter(pgh_obj_id=created.account_state.pk).exists()


def test_a_county_officer_cannot_create_a_user_outside_the_county(client, users, tree):
    """Another county's village is not a choice: refused with a message, nothing written."""
    response = officer(client, users).post(
        URL, {"username": "li", "password": NEW_PASSWORD, "role": "village_team", "region": OTHER_VILLAGE}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not get_user_model().objects.filter(username="li").exists()


def test_a_weak_password_or_a_taken_name_is_refused_and_nothing_written(client, users, tree):
    client = officer(client, users)
    response = client.post(URL, {"username": "zhao", "password": "123", "role": "village_team", "region": VILLAGE_A1})
    assert response.status_code == 200 and 'id="id_password_error"' in response.content.decode()
    assert not get_user_model().objects.filter(username="zhao").exists()
    response = client.post(URL, {"username": "team", "password": NEW_PASSWORD, "role": "inspector", "region": COUNTY})
    assert "该用户名已被使用" in response.content.decode()
    assert not RoleGrant.objects.filter(user=users["village_team"], role="inspector").exists()


def test_a_village_team_sees_no_menu_item_and_gets_403_and_no_account_exists_for_it(client, users, tree):
    client.force_login(users["village_team"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"username": "x"}).status_code == 403
    assert f'href="{URL}"' not in client.get("/").content.decode()
    # It administers nobody: no account exists for it (404, the scope answers before the right), and none changes.
    assert client.post(f"/users/{users['township_reviewer'].pk}/active/", {"active": "0"}).status_code == 404
    users["township_reviewer"].refresh_from_db()
    assert users["township_reviewer"].is_active


def test_another_countys_user_is_404(client, users, tree):
    stranger = UserFactory(username="stranger", grants=[("village_team", OTHER_VILLAGE)])
    client = officer(client, users)
    assert client.get(f"/users/{stranger.pk}/password/").status_code == 404
    assert client.post(f"/users/{stranger.pk}/active/", {"active": "0"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_a_reset_password_must_be_changed_at_the_next_sign_in(client, users, tree):
    team = users["village_team"]
    response = officer(client, users).post(f"/users/{team.pk}/password/", {"password": NEW_PASSWORD})
    assert response.status_code == 302
    client.logout()
    response = client.post("/login/", {"username": "team", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/password/"
    response = client.post(
        "/password/",
        {"old_password": NEW_PASSWORD, "new_password1": "Chun-feng-2025!", "new_password2": "Chun-feng-2025!"},
    )
    assert response.status_code == 302
    assert not AccountState.objects.get(user=team).must_change_password


def test_disabling_an_account_stops_its_sign_in_and_is_recorded(client, users, tree):
    team = users["village_team"]
    assert officer(client, users).post(f"/users/{team.pk}/active/", {"active": "0"}).status_code == 302
    team.refresh_from_db()
    assert not team.is_active
    state = AccountState.objects.get(user=team)
    assert state.disabled and state.changed_by == users["county_officer"]
    assert AccountState.pgh_event_model.objects.filter(pgh_obj_id=state.pk, disabled=True).exists()


@pytest.mark.parametrize("how_many", [2, 20])
def test_the_list_costs_the_same_queries_for_2_and_20_users(client, users, tree, how_many, django_assert_num_queries):
    for n in range(how_many):
        UserFactory(username=f"u{n}", grants=[("village_team", VILLAGE_A1)])
        if n % 2:
            TOTPDevice.objects.create(user=User.objects.get(username=f"u{n}"), name="authenticator", confirmed=True)
    client = officer(client, users)
    with django_assert_num_queries(8):
        page = client.get(URL).content.decode()
    # Who has a second factor shows on every row (half of these have one).
    assert page.count("account-second-factor") == how_many // 2


def test_the_list_is_paged_by_user_name_and_the_next_page_shows_the_rest(client, users, tree):
    """Keyset pages of 50 accounts by user name: the first page links to the next, which holds the rest and links
    back; no count of the accounts is shown."""
    for n in range(55):
        UserFactory(username=f"p{n:02d}", grants=[("village_team", VILLAGE_A1)])
    client = officer(client, users)
    first = client.get(URL).content.decode()
    next_url = re.search(r'href="(\?after=[^"]+)" rel="next"', first).group(1)
    second = client.get(URL + next_url.replace("&amp;", "&")).content.decode()
    on_first, on_second = (re.findall(r'data-user="([^"]+)"', html) for html in (first, second))
    assert len(on_first) == 50 and on_first == sorted(on_first)
    assert set(on_first).isdisjoint(on_second)
    assert {f"p{n:02d}" for n in range(55)} <= set(on_first) | set(on_second)
    assert 'rel="prev"' in second and "个账号" not in first
