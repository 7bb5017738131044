"""The cadres rules without a database: periods, work teams, pairings, handover, visits, rates."""

from datetime import date as D

import pytest

from cadres import rules
from cadres.rules import MembershipFacts, PairingFacts

TODAY = D(2018, 6, 1)


def member(cadre_id, role="member", resident=True, starts_on=D(2016, 1, 1), ends_on=None):
    return MembershipFacts(cadre_id=cadre_id, role=role, resident=resident, starts_on=starts_on, ends_on=ends_on)


def codes(warnings):
    return [w.code for w in warnings]


# Periods -----------------------------------------------------------------------------------------


def test_a_period_must_end_after_it_starts():
    """An end on or before the start is a violation on ends_on; an open end or a later one is fine."""
    assert rules.period_violation(D(2016, 1, 1), None) is None
    assert rules.period_violation(D(2016, 1, 1), D(2016, 1, 2)) is None
    for end in (D(2016, 1, 1), D(2015, 12, 31)):
        violation = rules.period_violation(D(2016, 1, 1), end)
        assert (violation.field, violation.code) == ("ends_on", "invalid")


def test_periods_are_half_open():
    """[start, end) covers its start and not its end; an open end runs for ever."""
    assert rules.active_on(D(2016, 1, 1), D(2017, 1, 1), D(2016, 1, 1))
    assert rules.active_on(D(2016, 1, 1), D(2017, 1, 1), D(2016, 12, 31))
    assert not rules.active_on(D(2016, 1, 1), D(2017, 1, 1), D(2017, 1, 1))
    assert not rules.active_on(D(2016, 1, 1), None, D(2015, 12, 31))
    assert rules.active_on(D(2016, 1, 1), None, D(2099, 1, 1))


def test_touching_periods_do_not_overlap():
    """A period ending on D and the next starting on D leave no gap and no overlap."""
    assert not rules.overlaps(D(2016, 1, 1), D(2017, 1, 1), D(2017, 1, 1), None)
    assert rules.overlaps(D(2016, 1, 1), D(2017, 1, 2), D(2017, 1, 1), None)
    assert rules.overlaps(D(2016, 1, 1), None, D(2020, 1, 1), None)
    assert not rules.overlaps(D(2018, 1, 1), None, D(2016, 1, 1), D(2018, 1, 1))


def test_add_years_keeps_the_day_and_moves_29_february():
    """Two years after 2016-02-29 is 2018-02-28; other days keep their day."""
    assert rules.add_years(D(2016, 2, 29), 2) == D(2018, 2, 28)
    assert rules.add_years(D(2015, 3, 1), 2) == D(2017, 3, 1)
    assert rules.add_years(D(9999, 1, 1), 2) == D.max


def test_a_day_is_clamped_into_a_period():
    """Before the period: its first day; after it: its last day; inside: the day itself."""
    assert rules.clamp_to_period(D(2015, 1, 1), D(2016, 1, 1), D(2018, 1, 1)) == D(2016, 1, 1)
    assert rules.clamp_to_period(D(2019, 1, 1), D(2016, 1, 1), D(2018, 1, 1)) == D(2017, 12, 31)
    assert rules.clamp_to_period(D(2017, 1, 1), D(2016, 1, 1), None) == D(2017, 1, 1)


# Work teams ---------------------------------------------------------------------------------------


def test_a_team_of_three_with_a_two_year_term_has_no_warnings():
    """Three active members and a term of exactly two years: nothing to say."""
    found = rules.team_warnings(
        starts_on=D(2016, 1, 1), ends_on=D(2018, 1, 1), memberships=[member(1), member(2), member(3)], today=D(2017, 1, 1)
    )
    assert found == []


def test_fewer_than_three_active_members_is_a_warning():
    """Two active members (a third has left) warn too_few_members, counted on today."""
    memberships = [member(1), member(2), member(3, ends_on=D(2016, 6, 1))]
    found = rules.team_warnings(starts_on=D(2016, 1, 1), ends_on=None, memberships=memberships, today=TODAY)
    assert codes(found) == ["too_few_members"]
    assert "2" in str(found[0].message)


def test_members_of_an_ended_team_are_counted_on_its_last_day():
    """A team that ended in 2017 is judged on 2017-12-31, when its three members were there."""
    memberships = [member(n, ends_on=D(2018, 1, 1)) for n in (1, 2, 3)]
    found = rules.team_warnings(starts_on=D(2016, 1, 1), ends_on=D(2018, 1, 1), memberships=memberships, today=TODAY)
    assert found == []


def test_a_term_shorter_than_two_years_is_a_warning():
    """A term of two years less a day warns short_term; an open term does not."""
    three = [member(1), member(2), member(3)]
    found = rules.team_warnings(starts_on=D(2016, 1, 1), ends_on=D(2017, 12, 31), memberships=three, today=D(2017, 1, 1))
    assert codes(found) == ["short_term"]
    assert rules.team_warnings(starts_on=D(2016, 1, 1), ends_on=None, memberships=three, today=D(2017, 1, 1)) == []


def test_two_first_secretaries_at_once_is_a_warning():
    """Two active first secretaries warn several_first_secretary."""
    memberships = [member(1, "first_secretary"), member(2, "first_secretary"), member(3, "leader")]
    found = rules.team_warnings(starts_on=D(2016, 1, 1), ends_on=None, memberships=memberships, today=TODAY)
    assert codes(found) == ["several_first_secretary"]


def test_a_membership_lies_within_the_team_term():
    """Starting before the team or running past its end are violations; a membership inside it is fine."""
    inside = member(1, starts_on=D(2016, 2, 1), ends_on=D(2017, 1, 1))
    assert rules.membership_violations(team_starts_on=D(2016, 1, 1), team_ends_on=D(2018, 1, 1), membership=inside) == []
    early = member(1, starts_on=D(2015, 12, 1), ends_on=None)
    fields = [
        v.field
        for v in rules.membership_violations(team_starts_on=D(2016, 1, 1), team_ends_on=D(2018, 1, 1), membership=early)
    ]
    assert fields == ["starts_on", "ends_on"]


def test_a_membership_ending_before_it_starts_is_one_violation():
    """The period error alone is reported."""
    bad = member(1, starts_on=D(2017, 1, 1), ends_on=D(2016, 1, 1))
    [violation] = rules.membership_violations(team_starts_on=D(2016, 1, 1), team_ends_on=None, membership=bad)
    assert violation.field == "ends_on"


def test_a_team_term_cannot_shrink_past_its_members():
    """Ending the team before a member's end is refused; a term that still holds them is fine."""
    memberships = [member(1, starts_on=D(2016, 1, 1), ends_on=D(2018, 1, 1))]
    assert rules.team_term_violations(starts_on=D(2016, 1, 1), ends_on=D(2018, 1, 1), memberships=memberships) == []
    [violation] = rules.team_term_violations(starts_on=D(2016, 1, 1), ends_on=D(2017, 1, 1), memberships=memberships)
    assert violation.field == "ends_on"


def test_a_cadre_is_resident_in_one_village_at_a_time():
    """A resident membership overlapping another resident one elsewhere is refused; a non-resident one is not."""
    other = [(D(2016, 1, 1), D(2018, 1, 1))]
    assert rules.resident_elsewhere(membership=member(1, starts_on=D(2017, 1, 1)), other_resident_periods=other)
    assert not rules.resident_elsewhere(membership=member(1, starts_on=D(2018, 1, 1)), other_resident_periods=other)
    assert not rules.resident_elsewhere(
        membership=member(1, resident=False, starts_on=D(2017, 1, 1)), other_resident_periods=other
    )


# Pairings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "monitoring", "allowed"),
    [
        ("poor", "", True),
        ("exited", "", True),
        ("", "monitored", True),
        ("rejected", "monitored", True),
        ("", "", False),
        ("candidate", "", False),
        ("rejected", "", False),
        ("removed", "", False),
        ("closed", "", False),
        ("", "risk_eliminated", False),
    ],
)
def test_who_may_be_paired(status, monitoring, allowed):
    """Poor and exited households and monitored ones may be paired; nobody else."""
    assert rules.may_pair(status=status, monitoring_status=monitoring) is allowed


def test_the_same_cadre_may_not_be_paired_twice_at_once():
    """An overlapping pairing of the same cadre is found; another cadre's or a touching one is not."""
    existing = [PairingFacts(1, 7, D(2016, 1, 1), D(2018, 1, 1))]
    assert rules.pairing_overlap(cadre_id=7, starts_on=D(2017, 1, 1), ends_on=None, existing=existing) == existing[0]
    assert rules.pairing_overlap(cadre_id=8, starts_on=D(2017, 1, 1), ends_on=None, existing=existing) is None
    assert rules.pairing_overlap(cadre_id=7, starts_on=D(2018, 1, 1), ends_on=None, existing=existing) is None


def test_handover_ends_the_pairing_active_on_the_day():
    """The pairing active on the day is the one handed over; ended ones are ignored."""
    old = PairingFacts(1, 7, D(2014, 1, 1), D(2016, 1, 1))
    current = PairingFacts(2, 8, D(2016, 1, 1), None)
    assert rules.handover_plan(pairings=[old, current], on=D(2017, 1, 1), to_cadre_id=9) == current


def test_handover_without_an_active_pairing_is_a_conflict():
    """No pairing on the day: refused as a conflict."""
    with pytest.raises(rules.HandoverRefused) as refused:
        rules.handover_plan(pairings=[PairingFacts(1, 7, D(2014, 1, 1), D(2016, 1, 1))], on=D(2017, 1, 1), to_cadre_id=9)
    assert refused.value.violation.code == "conflict"


def test_handover_with_two_active_pairings_needs_the_cadre_handing_over():
    """Two active pairings and no from_cadre: refused on from_cadre; naming one picks it."""
    pairings = [PairingFacts(1, 7, D(2016, 1, 1), None), PairingFacts(2, 8, D(2016, 1, 1), None)]
    with pytest.raises(rules.HandoverRefused) as refused:
        rules.handover_plan(pairings=pairings, on=D(2017, 1, 1), to_cadre_id=9)
    assert refused.value.violation.field == "from_cadre"
    assert rules.handover_plan(pairings=pairings, on=D(2017, 1, 1), to_cadre_id=9, from_cadre_id=8) == pairings[1]


def test_handover_to_the_same_cadre_or_on_the_first_day_is_refused():
    """Handing over to oneself, or on the day the pairing began (an empty period), is refused."""
    pairings = [PairingFacts(1, 7, D(2016, 1, 1), None)]
    with pytest.raises(rules.HandoverRefused) as same:
        rules.handover_plan(pairings=pairings, on=D(2017, 1, 1), to_cadre_id=7)
    assert same.value.violation.field == "to_cadre"
    with pytest.raises(rules.HandoverRefused) as first_day:
        rules.handover_plan(pairings=pairings, on=D(2016, 1, 1), to_cadre_id=9)
    assert first_day.value.violation.field == "on"


# Visits -------------------------------------------------------------------------------------------


def test_a_visit_within_a_pairing_is_fine():
    """A visit on a day the cadre's pairing covers passes."""
    pairings = [PairingFacts(1, 7, D(2016, 1, 1), D(2018, 1, 1))]
    assert rules.visit_violation(day=D(2016, 1, 1), today=TODAY, pairings=pairings) is None


def test_a_visit_before_the_pairing_began_is_refused():
    """A visit dated before the pairing began is refused on date, naming the pairing's start."""
    violation = rules.visit_violation(day=D(2015, 12, 31), today=TODAY, pairings=[PairingFacts(1, 7, D(2016, 1, 1), None)])
    assert (violation.field, violation.code) == ("date", "invalid")
    assert "2016-01-01" in str(violation.message)


def test_a_visit_after_the_pairing_ended_or_in_the_future_is_refused():
    """After the end (the end day itself included) and after today are refused on date."""
    pairings = [PairingFacts(1, 7, D(2016, 1, 1), D(2017, 1, 1))]
    assert rules.visit_violation(day=D(2017, 1, 1), today=TODAY, pairings=pairings).field == "date"
    assert rules.visit_violation(day=D(2018, 6, 2), today=TODAY, pairings=pairings).field == "date"


def test_a_visit_by_a_cadre_never_paired_is_refused_on_cadre():
    """No pairing of the cadre with the household: refused on cadre."""
    assert rules.visit_violation(day=D(2017, 1, 1), today=TODAY, pairings=[]).field == "cadre"


# Rates --------------------------------------------------------------------------------------------

