"""Scope: one function narrows any registry queryset to the regions a user's roles cover."""

import pytest

from core.models import RoleGrant
from core.roles import Capability
from core.scope import has_capability, restrict_to_scope
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory
from villages.models import Region

pytestmark = pytest.mark.django_db

VILLAGES = {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, OTHER_VILLAGE}


def visible_villages(user, capability=Capability.READ_REGISTER):
    qs = restrict_to_scope(Region.objects.filter(level="village"), user, capability)
    return set(qs.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("village_team", {VILLAGE_A1}),
        ("township_reviewer", {VILLAGE_A1, VILLAGE_A2}),
        ("county_officer", {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1}),
        ("inspector", {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1}),
        ("api_client", set()),  # reads figures, never the register
        ("nobody", set()),
        ("superuser", VILLAGES),
    ],
)
def test_register_scope_of_each_role(users, role, expected):
    assert visible_villages(users[role]) == expected


def test_api_client_reads_figures_of_its_county(users):
    assert visible_villages(users["api_client"], Capability.READ_FIGURES) == {VILLAGE_A1, VILLAGE_A2, VILLAGE_B1}


def test_editing_scope_excludes_read_only_roles(users):
    assert visible_villages(users["inspector"], Capability.EDIT_REGISTER) == set()
    assert visible_villages(users["township_reviewer"], Capability.EDIT_REGISTER) == set()
    assert visible_villages(users["village_team"], Capability.EDIT_REGISTER) == {VILLAGE_A1}


def test_several_grants_add_up(tree):
    user = UserFactory(username="two", grants=[("village_team", VILLAGE_A1), ("village_team", OTHER_VILLAGE)])
    assert visible_villages(user) == {VILLAGE_A1, OTHER_VILLAGE}


def test_inactive_and_anonymous_users_see_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    county = users["county_officer"]
    county.is_active = False
    assert visible_villages(county) == set()
    assert visible_villages(AnonymousUser()) == set()


def test_scope_filter_is_one_query_on_any_queryset(users, django_assert_num_queries):
    user = users["township_reviewer"]
    with django_assert_num_queries(3):  # the user's grants once, then each list
        list(restrict_to_scope(Region.objects.all(), user))
        list(restrict_to_scope(RoleGrant.objects.all(), user))
    with django_assert_num_queries(1):  # grants are cached on the user
        list(restrict_to_scope(Region.objects.all(), user))


def test_has_capability_over_a_region(users):
    team = users["village_team"]
    assert has_capability(team, Capability.EDIT_REGISTER, VILLAGE_A1)
    assert not has_capability(team, Capability.EDIT_REGISTER, VILLAGE_A2)
    assert not has_capability(users["township_reviewer"], Capability.COUNTY_ADMINISTRATION)
    assert has_capability(users["county_officer"], Capability.COUNTY_ADMINISTRATION, TOWN_A)
    assert not has_capability(users["county_officer"], Capability.COUNTY_ADMINISTRATION, OTHER_VILLAGE)
    assert has_capability(users["superuser"], Capability.COUNTY_ADMINISTRATION, OTHER_VILLAGE)
    assert has_capability(users["inspector"], Capability.READ_REGISTER, COUNTY)
