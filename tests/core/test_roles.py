"""Roles and capabilities as data: the table of docs/api.md (Roles and scope), without a database."""

import pytest

from core.roles import ROLE_CAPABILITIES, Capability, Role, code_in_prefixes, minimal_prefixes, prefixes_for, role_has

C = Capability


@pytest.mark.parametrize(
    ("capability", "allowed"),
    [
        (C.READ_REGISTER, {"village_team", "township_reviewer", "county_officer", "inspector"}),
        (C.READ_FIGURES, {"village_team", "township_reviewer", "county_officer", "inspector", "api_client"}),
        (C.EDIT_REGISTER, {"village_team", "county_officer"}),
        (C.VILLAGE_STEPS, {"village_team", "county_officer"}),
        (C.TOWNSHIP_REVIEW, {"township_reviewer"}),
        (C.COUNTY_ADMINISTRATION, {"county_officer"}),
        (C.RECORD_ACTIVITY, {"village_team", "township_reviewer", "county_officer"}),
        (C.SEE_PERSONAL_DATA, {"village_team", "township_reviewer", "county_officer"}),
    ],
)
def test_each_capability_belongs_to_the_roles_of_the_contract(capability, allowed):
    """Each row of the docs/api.md table maps to exactly the roles marked "yes"."""
    assert {role for role in Role.values if role_has(role, capability)} == allowed


def test_every_role_has_an_entry():
    assert set(ROLE_CAPABILITIES) == set(Role.values)


def test_unknown_role_has_no_capability():
    assert not role_has("mayor", C.READ_FIGURES)


def test_minimal_prefixes_drops_covered_prefixes():
    """A grant on a county makes grants on its townships and villages redundant."""
    assert minimal_prefixes(["220821100", "220821", "220821101201", "220822"]) == ("220821", "220822")


def test_prefixes_for_keeps_only_grants_with_the_capability():
    grants = [("inspector", "220821"), ("village_team", "220822100201")]
    assert prefixes_for(grants, C.READ_REGISTER) == ("220821", "220822100201")
    assert prefixes_for(grants, C.EDIT_REGISTER) == ("220822100201",)
    assert prefixes_for(grants, C.COUNTY_ADMINISTRATION) == ()


def test_code_in_prefixes():
    assert code_in_prefixes("220821100201", ("220821100",))
    assert not code_in_prefixes("220822100201", ("220821",))
