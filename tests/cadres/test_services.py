"""The cadres services against the database: validation, constraints turned into errors, handover, visits."""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres import services
from cadres.models import Pairing, TeamMembership
from core.errors import DomainError
from tests.cadres.conftest import cadre_id, counts, make_cadre, make_household, make_unit, pair, visit
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def error_codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


# Units and cadres ---------------------------------------------------------------------------------


def test_a_unit_name_is_unique_in_its_region(tree):
    """A second unit of the same name in the same region is refused on name; another region may have it."""
    make_unit(tree, "县教育局")
    with pytest.raises(ValidationError) as refused:
        make_unit(tree, "县教育局")
    assert error_codes(refused.value) == {"name": ["invalid"]}
    make_unit(tree, "县教育局", region=TOWN_A, level="township")


def test_a_unit_outside_the_callers_region_is_refused(tree, users):
    """A county officer of Zhenlai cannot register a unit of the neighbouring county (403)."""
    with pytest.raises(DomainError) as refused:
        services.unit_create(
            user=users["county_officer"], data={"name": "某局", "level": "county", "region": tree[OTHER_COUNTY]}
        )
    assert refused.value.status == 403


def test_a_cadres_id_number_is_checked_like_a_members(tree, unit):
    """A wrong check digit is invalid_id_number on id_number; a sex the number contradicts is on sex."""
    correct = cadre_id(1)
    wrong = correct[:17] + ("1" if correct[17] == "0" else "0")
    data = {"name": "张三", "sex": "male", "id_number": wrong, "unit": unit, "region": tree[COUNTY]}
    with pytest.raises(ValidationError) as bad_digit:
        services.cadre_create(user=None, data=data)
    assert error_codes(bad_digit.value) == {"id_number": ["invalid_id_number"]}
    with pytest.raises(ValidationError) as bad_sex:
        services.cadre_create(user=None, data={**data, "id_number": cadre_id(1, "female")})
    assert error_codes(bad_sex.value) == {"sex": ["invalid_id_number"]}


def test_a_lower_case_x_is_stored_upper_case(tree, unit):
    """The ID number is normalised as members' are (trailing x → X)."""
    number = next(cadre_id(n) for n in range(500) if cadre_id(n).endswith("X"))
    cadre = services.cadre_create(
        user=None, data={"name": "李四", "sex": "male", "id_number": number.lower(), "unit": unit, "region": tree[COUNTY]}
    )
    assert cadre.id_number == number


def test_a_cadres_id_number_is_unique(tree, unit):
    """The same ID number for a second cadre is duplicate_id_number, and nothing is written."""
    make_cadre(tree, unit, 1)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        make_cadre(tree, unit, 1, name="另一人")
    assert error_codes(refused.value) == {"id_number": ["duplicate_id_number"]}
    assert counts() == before


def test_one_cadre_per_login(tree, unit):
    """A login linked to one cadre cannot be linked to another."""
    login = UserFactory(username="cadre-login")
    make_cadre(tree, unit, 1, user=login)
    with pytest.raises(ValidationError) as refused:
        make_cadre(tree, unit, 2, user=login)
    assert error_codes(refused.value) == {"user": ["invalid"]}


def test_cadre_update_changes_facts_and_bumps_the_version(tree, unit):
    """Changing a cadre's title saves it through the service; the version moves on."""
    cadre = make_cadre(tree, unit, 1)
    updated = services.cadre_update(user=None, cadre=cadre, data={"title": "副局长"})
    assert (updated.title, updated.version) == ("副局长", cadre.version + 1)


# Work teams ---------------------------------------------------------------------------------------


def team_data(tree, unit, starts_on=D(2016, 1, 1), ends_on=D(2018, 1, 1), village=VILLAGE_A1):
    return {"village": tree[village], "unit": unit, "starts_on": starts_on, "ends_on": ends_on}


def test_a_team_with_three_members_and_two_years_has_no_warnings(tree, unit, cadres):
    """A team created with first secretary, leader and member for two years: saved, no warnings."""
    roles = ["first_secretary", "leader", "member"]
    members = [{"cadre": c, "role": r, "resident": True} for c, r in zip(cadres, roles, strict=True)]
    team, warnings = services.work_team_create(user=None, data=team_data(tree, unit), members=members)
    assert warnings == []
    assert sorted(team.memberships.values_list("role", "starts_on")) == sorted((r, D(2016, 1, 1)) for r in roles)


def test_a_small_team_with_a_short_term_is_saved_with_warnings(tree, unit, cadres):
    """One member and a one-year term: the team is saved; too_few_members and short_term are returned."""
    team, warnings = services.work_team_create(
        user=None, data=team_data(tree, unit, ends_on=D(2017, 1, 1)), members=[{"cadre": cadres[0], "role": "leader"}]
    )
    assert team.pk is not None
    assert [w["code"] for w in warnings] == ["too_few_members", "short_term"]
    assert all(w["detail"] for w in warnings)


def test_a_team_must_be_sent_to_a_village(tree, unit):
    """A township as the team's village is refused on village."""
    with pytest.raises(ValidationError) as refused:
        services.work_team_create(user=None, data={**team_data(tree, unit), "village": tree[TOWN_A]})
    assert error_codes(refused.value) == {"village": ["invalid"]}


def test_a_bad_member_refuses_the_whole_team(tree, unit, cadres):
    """A member starting before the team: the error names members.1.starts_on and no team is written."""
    before = counts()
    members = [{"cadre": cadres[0]}, {"cadre": cadres[1], "starts_on": D(2015, 1, 1)}]
    with pytest.raises(ValidationError) as refused:
        services.work_team_create(user=None, data=team_data(tree, unit), members=members)
    assert "members.1.starts_on" in refused.value.error_dict
    assert counts() == before


def test_a_team_ending_before_it_starts_is_refused(tree, unit):
    """ends_on before starts_on is refused on ends_on."""
    with pytest.raises(ValidationError) as refused:
        services.work_team_create(user=None, data=team_data(tree, unit, ends_on=D(2015, 1, 1)))
    assert error_codes(refused.value) == {"ends_on": ["invalid"]}


def test_overlapping_memberships_of_one_cadre_in_a_team_are_refused(tree, unit, cadres):
    """Adding the same cadre again while the first membership runs is overlapping_period; after it ends, fine."""
    team, _ = services.work_team_create(user=None, data=team_data(tree, unit, ends_on=None), members=[{"cadre": cadres[0]}])
    with pytest.raises(ValidationError) as refused:
        services.team_member_add(user=None, team=team, cadre=cadres[0], data={"starts_on": D(2017, 1, 1)})
    assert error_codes(refused.value) == {"starts_on": ["overlapping_period"]}
    first = team.memberships.get()
    services.team_member_update(user=None, membership=first, data={"ends_on": D(2017, 1, 1)})
    services.team_member_add(user=None, team=team, cadre=cadres[0], data={"starts_on": D(2017, 1, 1), "role": "leader"})
    assert team.memberships.count() == 2


def test_the_membership_constraint_backs_the_rule(tree, unit, cadres):
    """Two overlapping memberships written past the service hit the exclusion constraint."""
    team, _ = services.work_team_create(user=None, data=team_data(tree, unit), members=[{"cadre": cadres[0]}])
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(team=team, cadre=cadres[0], starts_on=D(2016, 6, 1))


def test_a_cadre_is_resident_in_one_village_at_a_time(tree, unit, cadres):
    """Resident in A1's team, the cadre cannot be resident in A2's at the same time; non-resident is fine."""
    services.work_team_create(user=None, data=team_data(tree, unit), members=[{"cadre": cadres[0], "resident": True}])
    other, _ = services.work_team_create(user=None, data=team_data(tree, unit, village=VILLAGE_A2))
    with pytest.raises(ValidationError) as refused:
        services.team_member_add(user=None, team=other, cadre=cadres[0], data={"resident": True})
    assert error_codes(refused.value) == {"resident": ["overlapping_period"]}
    services.team_member_add(user=None, team=other, cadre=cadres[0], data={"resident": False})


def test_ending_a_member_returns_the_teams_warnings(tree, unit, cadres):
    """Ending one of three members makes the team too small from that day: the warning comes back."""
    team, _ = services.work_team_create(
        user=None, data=team_data(tree, unit, ends_on=None), members=[{"cadre": c} for c in cadres]
    )
    membership = team.memberships.first()
    _, warnings = services.team_member_update(user=None, membership=membership, data={"ends_on": D(2017, 1, 1)})
    assert [w["code"] for w in warnings] == ["too_few_members"]


def test_members_serving_to_the_teams_end_follow_a_new_term(tree, unit, cadres):
    """Setting an open team's end to 2020: the member serving to the end follows, one with an own end keeps it."""
    team, _ = services.work_team_create(
        user=None,
        data=team_data(tree, unit, ends_on=None),
        members=[{"cadre": cadres[0]}, {"cadre": cadres[1], "ends_on": D(2019, 1, 1)}],
    )
    services.work_team_update(user=None, team=team, data={"ends_on": D(2020, 1, 1)})
    ends = dict(team.memberships.values_list("cadre_id", "ends_on"))
    assert ends == {cadres[0].pk: D(2020, 1, 1), cadres[1].pk: D(2019, 1, 1)}


def test_a_team_term_cannot_be_cut_below_its_members(tree, unit, cadres):
    """Moving the team's end before a member's own end is refused and nothing changes."""
    team, _ = services.work_team_create(
        user=None, data=team_data(tree, unit, ends_on=None), members=[{"cadre": cadres[0], "ends_on": D(2019, 1, 1)}]
    )
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.work_team_update(user=None, team=team, data={"ends_on": D(2018, 1, 1)})
    assert "ends_on" in refused.value.error_dict
    assert counts() == before


# Pairings -----------------------------------------------------------------------------------------


def test_pairing_a_poor_household(cadres, household):
    """A county cadre is paired with a poor household of the county from a day."""
    pairing = pair(cadres[0], household, D(2016, 1, 1))
    assert (pairing.cadre_id, pairing.household_id, pairing.starts_on, pairing.ends_on) == (
        cadres[0].pk,
        household.pk,
        D(2016, 1, 1),
        None,
    )


def test_an_overlapping_pairing_of_the_same_cadre_is_refused_and_writes_nothing(cadres, household):
    """A second pairing of the same cadre and household while the first runs: overlapping_period, nothing written."""
    pair(cadres[0], household, D(2016, 1, 1), D(2018, 1, 1))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        pair(cadres[0], household, D(2017, 6, 1))
    assert error_codes(refused.value) == {"starts_on": ["overlapping_period"]}
    assert counts() == before


def test_a_touching_pairing_is_accepted(cadres, household):
    """A pairing starting on the day the last one ended is no overlap."""
    pair(cadres[0], household, D(2016, 1, 1), D(2018, 1, 1))
    pair(cadres[0], household, D(2018, 1, 1))
    assert Pairing.objects.count() == 2


def test_the_exclusion_constraint_is_turned_into_the_documented_error(cadres, household, monkeypatch):
    """When the check is raced past (simulated), the constraint fires and the service still answers
    overlapping_period; nothing is written."""
    pair(cadres[0], household, D(2016, 1, 1))
    monkeypatch.setattr(services, "_check_overlap", lambda **kwargs: None)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        pair(cadres[0], household, D(2017, 1, 1))
    assert error_codes(refused.value) == {"starts_on": ["overlapping_period"]}
    assert counts() == before


@pytest.mark.parametrize("status", [None, "candidate", "rejected", "removed", "closed"])
def test_a_household_not_in_the_register_cannot_be_paired(tree, users, cadres, status):
    """Never identified, candidate, rejected, removed or closed: refused as a conflict, nothing written."""
    household = make_household(tree, users, 2, status=status)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        pair(cadres[0], household)
    assert refused.value.code == "conflict"
    assert counts() == before


def test_an_exited_household_may_be_paired(tree, users, cadres):
    """Help goes on after exit (脱贫不脱帮扶): an exited household is paired."""
    household = make_household(tree, users, 2, status="exited", on=D(2016, 11, 1))
    assert pair(cadres[0], household).pk


def test_a_household_outside_the_cadres_region_is_refused(tree, users, unit, household):
    """A cadre of township A cannot be paired with a household of township B's village."""
    town_cadre = make_cadre(tree, unit, 5, region=TOWN_A)
    other = make_household(tree, users, 3, village="220821101201")
    pair(town_cadre, household)
    with pytest.raises(ValidationError) as refused:
        pair(town_cadre, other)
    assert error_codes(refused.value) == {"household": ["invalid"]}


def test_a_pairing_ending_before_it_starts_or_starting_in_the_future_is_refused(cadres, household):
    """ends_on on or before starts_on is refused on ends_on; a start after today on starts_on."""
    with pytest.raises(ValidationError) as backwards:
        pair(cadres[0], household, D(2017, 1, 1), D(2017, 1, 1))
    assert error_codes(backwards.value) == {"ends_on": ["invalid"]}
    with pytest.raises(ValidationError) as future:
        pair(cadres[0], household, D(2999, 1, 1))
    assert error_codes(future.value) == {"starts_on": ["invalid"]}


def test_a_village_team_may_not_pair(cadres, household, users):
    """Pairing is the county office's (403 for a village team)."""
    with pytest.raises(DomainError) as refused:
        services.pairing_create(user=users["village_team"], cadre=cadres[0], household=household, starts_on=D(2016, 1, 1))
    assert refused.value.status == 403


def test_ending_a_pairing_before_its_visits_is_refused(cadres, household):
    """A pairing with a visit on 2017-03-01 cannot end on 2017-03-01 (the visit would fall outside)."""
    pairing = pair(cadres[0], household, D(2016, 1, 1))
    visit(cadres[0], household, D(2017, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.pairing_end(user=None, pairing=pairing, on=D(2017, 3, 1))
    assert error_codes(refused.value) == {"ends_on": ["invalid"]}
    assert services.pairing_end(user=None, pairing=pairing, on=D(2017, 3, 2)).ends_on == D(2017, 3, 2)


# Handover -----------------------------------------------------------------------------------------


def test_handover_leaves_no_gap_and_no_overlap(cadres, household):
    """The old pairing ends on the day and the new one starts on it: every day is covered by exactly one."""
    pair(cadres[0], household, D(2016, 1, 1))
    ended, started = services.pairing_handover(user=None, household=household, to_cadre=cadres[1], on=D(2017, 7, 1))
    assert (ended.cadre_id, ended.starts_on, ended.ends_on) == (cadres[0].pk, D(2016, 1, 1), D(2017, 7, 1))
    assert (started.cadre_id, started.starts_on, started.ends_on) == (cadres[1].pk, D(2017, 7, 1), None)
    for day in (D(2017, 6, 30), D(2017, 7, 1), D(2017, 7, 2)):
        active = Pairing.objects.filter(household=household, starts_on__lte=day).exclude(ends_on__lte=day)
        assert active.count() == 1


def test_handover_names_the_cadre_handing_over_when_there_are_several(cadres, household):
    """With two active pairings, naming from_cadre hands over that one; the other stays."""
    pair(cadres[0], household, D(2016, 1, 1))
    pair(cadres[1], household, D(2016, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.pairing_handover(user=None, household=household, to_cadre=cadres[2], on=D(2017, 1, 1))
    assert error_codes(refused.value) == {"from_cadre": ["invalid"]}
    ended, _ = services.pairing_handover(
        user=None, household=household, to_cadre=cadres[2], on=D(2017, 1, 1), from_cadre=cadres[1]
    )
    assert ended.cadre_id == cadres[1].pk
    assert Pairing.objects.get(cadre=cadres[0]).ends_on is None


def test_handover_is_atomic(cadres, household):
    """A handover to a cadre already paired with the household on the day is refused and ends nothing."""
    pair(cadres[0], household, D(2016, 1, 1))
    pair(cadres[1], household, D(2016, 1, 1))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.pairing_handover(user=None, household=household, to_cadre=cadres[1], on=D(2017, 1, 1), from_cadre=cadres[0])
    assert error_codes(refused.value) == {"to_cadre": ["overlapping_period"]}
    assert counts() == before


def test_handover_without_an_active_pairing_is_a_conflict(cadres, household):
    """No pairing to hand over on the day: a conflict, nothing written."""
    pair(cadres[0], household, D(2016, 1, 1), D(2016, 6, 1))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.pairing_handover(user=None, household=household, to_cadre=cadres[1], on=D(2017, 1, 1))
    assert refused.value.code == "conflict"
    assert counts() == before


def test_handover_before_the_old_cadres_last_visit_is_refused(cadres, household):
    """The old cadre visited on 2017-08-01: a handover on 2017-07-01 would strand the visit; refused."""
    pair(cadres[0], household, D(2016, 1, 1))
    visit(cadres[0], household, D(2017, 8, 1))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.pairing_handover(user=None, household=household, to_cadre=cadres[1], on=D(2017, 7, 1))
    assert error_codes(refused.value) == {"on": ["invalid"]}
    assert counts() == before


def test_handover_keeps_the_old_pairings_planned_end(cadres, household):
    """A pairing planned to end on 2020-01-01 hands over a new one ending then too."""
    pair(cadres[0], household, D(2016, 1, 1), D(2020, 1, 1))
    _, started = services.pairing_handover(user=None, household=household, to_cadre=cadres[1], on=D(2017, 1, 1))
    assert started.ends_on == D(2020, 1, 1)


# Visits -------------------------------------------------------------------------------------------


def test_a_visit_by_the_paired_cadre_is_recorded(cadres, household, users):
    """A visit within the pairing is saved with who recorded it."""
    pair(cadres[0], household, D(2016, 1, 1))
    saved = services.visit_create(
        user=users["village_team"],
        cadre=cadres[0],
        household=household,
        data={"date": D(2016, 5, 1), "kind": "phone", "found": "缺劳力", "agreed": "申请公益岗", "confirmed": True},
    )
    assert (saved.kind, saved.confirmed, saved.recorded_by) == ("phone", True, users["village_team"])


def test_a_visit_before_the_pairing_began_is_refused_and_writes_nothing(cadres, household):
    """A visit dated 2015-12-31 for a pairing from 2016-01-01: refused on date, nothing written."""
    pair(cadres[0], household, D(2016, 1, 1))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        visit(cadres[0], household, D(2015, 12, 31))
    assert error_codes(refused.value) == {"date": ["invalid"]}
    assert counts() == before


def test_a_visit_in_the_future_or_by_an_unpaired_cadre_is_refused(cadres, household):
    """After today: on date; a cadre not paired with the household: on cadre."""
    pair(cadres[0], household, D(2016, 1, 1))
    with pytest.raises(ValidationError) as future:
        visit(cadres[0], household, D(2999, 1, 1))
    assert error_codes(future.value) == {"date": ["invalid"]}
    with pytest.raises(ValidationError) as unpaired:
        visit(cadres[1], household, D(2017, 1, 1))
    assert error_codes(unpaired.value) == {"cadre": ["invalid"]}


def test_a_visit_outside_the_callers_villages_is_refused(cadres, tree, users):
    """A village team of A1 cannot record a visit in the other county's village (403)."""
    other_cadre = make_cadre(tree, make_unit(tree, "邻县单位", region=OTHER_COUNTY), 9, region=OTHER_COUNTY)
    household = make_household(tree, users, 4, village=OTHER_VILLAGE)
    pair(other_cadre, household)
    with pytest.raises(DomainError) as refused:
        services.visit_create(user=users["village_team"], cadre=other_cadre, household=household, data={"date": D(2017, 1, 1)})
    assert refused.value.status == 403


def test_a_visit_moved_before_the_pairing_is_refused(cadres, household):
    """Correcting a visit's date to before the pairing is refused like a new one."""
    pair(cadres[0], household, D(2016, 1, 1))
    saved = visit(cadres[0], household, D(2016, 5, 1))
    with pytest.raises(ValidationError) as refused:
        services.visit_update(user=None, visit=saved, data={"date": D(2015, 5, 1)})
    assert error_codes(refused.value) == {"date": ["invalid"]}
