"""create_user: operators create users and grant roles; bad input is one clear error, nothing written."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import RoleGrant
from tests.conftest import COUNTY, VILLAGE_A1, VILLAGE_A2

pytestmark = pytest.mark.django_db
User = get_user_model()
PW = "Zhenlai-2017-strong"


def grants_of(username):
    return sorted(RoleGrant.objects.filter(user__username=username).values_list("role", "region_id"))


def test_creates_a_user_with_several_grants(tree, capsys):
    call_command(
        "create_user", "--username", "li", "--password", PW,
        "--role", "village_team", "--region", VILLAGE_A1,
        "--role", "inspector", "--region", COUNTY,
    )  # fmt: skip
    user = User.objects.get(username="li")
    assert user.check_password(PW)
    assert not user.is_superuser
    assert grants_of("li") == [("inspector", COUNTY), ("village_team", VILLAGE_A1)]
    assert "created user li" in capsys.readouterr().out


def test_running_again_adds_grants_and_keeps_the_password(tree):
    call_command("create_user", "--username", "li", "--password", PW, "--role", "village_team", "--region", VILLAGE_A1)
    call_command("create_user", "--username", "li", "--role", "village_team", "--region", VILLAGE_A2)
    call_command("create_user", "--username", "li", "--role", "village_team", "--region", VILLAGE_A2)
    assert grants_of("li") == [("village_team", VILLAGE_A1), ("village_team", VILLAGE_A2)]
    assert User.objects.get(username="li").check_password(PW)


def test_superuser_flag(tree):
    call_command("create_user", "--username", "admin", "--password", PW, "--superuser")
    user = User.objects.get(username="admin")
    assert user.is_superuser and user.is_staff


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "mayor", "--region", COUNTY], "unknown role 'mayor'; choose one of: village_team, township_reviewer"),
        (["--role", "inspector", "--region", "220899000000"], "unknown region '220899000000'"),
        (["--role", "inspector", "--region", "22"], "unknown region '22'"),
        (["--role", "inspector"], "give one --region for each --role (1 role(s), 0 region(s))"),
        (["--password", "123", "--role", "inspector", "--region", COUNTY], "This password is too short"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(tree, args, message):
    base = ["--username", "wang"] + ([] if "--password" in args else ["--password", PW])
    with pytest.raises(CommandError) as info:
        call_command("create_user", *base, *args)
    assert message in str(info.value)
    assert not User.objects.filter(username="wang").exists()
    assert RoleGrant.objects.count() == 0


def test_a_new_user_needs_a_password(tree):
    with pytest.raises(CommandError, match="a new user needs --password"):
        call_command("create_user", "--username", "wang", "--role", "inspector", "--region", COUNTY)
    assert not User.objects.filter(username="wang").exists()
