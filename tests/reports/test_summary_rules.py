"""The summary's counting rules (docs/reports.md, Summaries) as pure functions: reports.summary.Counts, no database.

registered = poor + exited + closed (removed beside it, not inside); people likewise; exit rates exited ÷ registered
rounded half-up to 4 places (None on a zero denominator); by_cause and by_attribute over poor and exited only, every
coded value present; totals add groups; poverty incidence only when every village has a rural population.
"""

import pytest

from households.choices import HouseholdAttribute, PovertyCause
from reports.summary import KEYS, Counts

ZERO_STATUSES = dict.fromkeys(KEYS, 0)


def counts(*rows, monitored=(), villages=None) -> Counts:
    """Counts from (status, cause, attribute, households, people) rows, (households, people) monitored pairs and one
    add_villages call (a dict of its keyword arguments)."""
    result = Counts()
    for status, cause, attribute, households, people in rows:
        result.add_households(status=status, cause=cause, attribute=attribute, households=households, people=people)
    for households, people in monitored:
        result.add_monitored(households=households, people=people)
    if villages is not None:
        result.add_villages(**villages)
    return result


# One group of each registry status (the raw rows the SQL gives), with distinct figures so sums are unambiguous.
MIXED = (
    ("poor", "illness", "general", 7, 20),
    ("poor", "lack_funds", "dibao", 3, 5),
    ("exited", "illness", "general", 11, 30),
    ("closed", "illness", "tekun", 2, 0),
    ("removed", "lack_funds", "general", 4, 13),
)


def test_registered_households_are_poor_exited_and_closed_with_removed_beside():
    """Given poor, exited, closed and removed households, when the figures are made, then registered = poor + exited
    + closed (10 + 11 + 2) and the 4 removed are reported beside it, not inside."""
    households = counts(*MIXED).figures()["households"]
    assert households == {"registered": 23, "poor": 10, "exited": 11, "closed": 2, "removed": 4, "monitored": 0}


def test_on_register_is_poor_and_exited_beside_registered():
    """Given poor, exited, closed and removed households, when the figures are made, then the households still on the
    register are poor + exited (10 + 11, people 25 + 30): the 2 closed ones count in registered (23), not on it."""
    figures = counts(*MIXED).figures()
    assert figures["on_register"] == {"households": 21, "people": 55}
    assert figures["households"]["registered"] - figures["households"]["closed"] == 21


def test_registered_people_follow_the_same_rule():
    """Given the people of poor, exited, closed and removed households, when the figures are made, then registered
    people = poor + exited + closed people (25 + 30 + 0) and the 13 people of removed households stay outside."""
    people = counts(*MIXED).figures()["people"]
    assert people == {"registered": 55, "poor": 25, "exited": 30, "closed": 0, "removed": 13, "monitored": 0}


def test_the_figures_carry_exactly_the_keys_of_the_contract():
    """Given any counts, when the figures are made, then they hold households, people, exit_rate, villages,
    poverty_incidence and on_register with the sub-keys of docs/reports.md, in the order the contract lists the
    statuses."""
    figures = counts(*MIXED).figures()
    assert list(figures) == ["households", "people", "exit_rate", "villages", "poverty_incidence", "on_register"]
    assert list(figures["households"]) == list(KEYS) == list(figures["people"])
    assert KEYS == ("registered", "poor", "exited", "closed", "removed", "monitored")
    assert list(figures["exit_rate"]) == ["households", "people"]
    assert list(figures["villages"]) == ["total", "poverty", "exited", "exit_rate"]


def test_rows_of_the_same_status_add_up():
    """Given two rows of one status (two causes), when the figures are made, then that status holds their sum."""
    figures = counts(("poor", "illness", "general", 1, 2), ("poor", "disaster", "general", 3, 4)).figures()
    assert (figures["households"]["poor"], figures["people"]["poor"]) == (4, 6)


def test_exit_rates_are_exited_over_registered():
    """Given 11 exited of 23 registered households and 30 exited of 55 registered people, when the figures are made,
    then the exit rates are 0.4783 and 0.5455 (removed households are in neither numerator nor denominator)."""
    assert counts(*MIXED).figures()["exit_rate"] == {"households": 0.4783, "people": 0.5455}


@pytest.mark.parametrize(
    ("exited", "registered", "rate"),
    [
        (1, 20000, 0.0001),  # 0.00005 exactly: half-up gives 0.0001 (half-even would give 0.0)
        (2469, 20000, 0.1235),  # 0.12345 exactly: half-up 0.1235 (half-even 0.1234)
        (3, 80000, 0.0),  # 0.0000375: below the half
        (1, 3, 0.3333),
        (2, 3, 0.6667),
        (5, 5, 1.0),
        (0, 7, 0.0),
    ],
)
def test_exit_rates_round_half_up_to_four_places(exited, registered, rate):
    """Given exited and poor households and people, when the figures are made, then exited ÷ registered is rounded
    half-up to 4 places."""
    figures = counts(
        ("exited", "illness", "general", exited, exited),
        ("poor", "illness", "general", registered - exited, registered - exited),
    ).figures()
    assert figures["exit_rate"] == {"households": rate, "people": rate}


def test_rates_are_none_when_the_denominator_is_zero():
    """Given nothing at all, when the figures are made, then every count is 0 and every rate (exit rates, village exit
    rate, poverty incidence) is None."""
    assert Counts().figures() == {
        "households": ZERO_STATUSES,
        "people": ZERO_STATUSES,
        "exit_rate": {"households": None, "people": None},
        "villages": {"total": 0, "poverty": 0, "exited": 0, "exit_rate": None},
        "poverty_incidence": None,
        "on_register": {"households": 0, "people": 0},
    }


def test_only_removed_households_leave_the_exit_rate_undefined():
    """Given only removed households, when the figures are made, then registered is 0 and the exit rates are None
    (a removed household is not a denominator)."""
    figures = counts(("removed", "illness", "general", 3, 9)).figures()
    assert (figures["households"]["registered"], figures["households"]["removed"]) == (0, 3)
    assert figures["exit_rate"] == {"households": None, "people": None}


def test_exit_rates_of_households_and_people_are_independent():
    """Given exited households whose members all left (0 people) beside poor people, when the figures are made, then
    the household rate is defined and the people rate is 0 ÷ people registered."""
    figures = counts(("exited", "illness", "general", 1, 0), ("poor", "illness", "general", 1, 4)).figures()
    assert figures["exit_rate"] == {"households": 0.5, "people": 0.0}


def test_by_cause_counts_poor_and_exited_only_with_every_cause_present():
    """Given poor, exited, closed and removed households, when counted by main cause, then only poor and exited ones
    count (illness 7 + 11 households, 20 + 30 people; lack_funds 3 and 5) and every coded cause is a key, in the
    coded order, 0 where there is none."""
    by_cause = counts(*MIXED).by("cause", PovertyCause.values)
    assert list(by_cause) == list(PovertyCause.values)
    expected = {value: {"households": 0, "people": 0} for value in PovertyCause.values}
    expected["illness"] = {"households": 18, "people": 50}
    expected["lack_funds"] = {"households": 3, "people": 5}
    assert by_cause == expected


def test_by_attribute_counts_poor_and_exited_only_with_every_attribute_present():
    """Given the same households, when counted by attribute, then general has 7 + 11 households (20 + 30 people),
    dibao 3 (5), and tekun — only a closed household — 0: closed and removed households are not counted."""
    by_attribute = counts(*MIXED).by("attribute", HouseholdAttribute.values)
    assert by_attribute == {
        "general": {"households": 18, "people": 50},
        "dibao": {"households": 3, "people": 5},
        "tekun": {"households": 0, "people": 0},
    }
    assert list(by_attribute) == list(HouseholdAttribute.values)


def test_by_cause_and_by_attribute_of_nothing_are_all_zero():
    """Given no households, when counted by cause and by attribute, then every coded value is present with zeros."""
    empty = Counts()
    assert empty.by("cause", PovertyCause.values) == {
        value: {"households": 0, "people": 0} for value in PovertyCause.values
    }
    assert empty.by("attribute", HouseholdAttribute.values) == {
        value: {"households": 0, "people": 0} for value in HouseholdAttribute.values
    }


def test_by_cause_sums_to_poor_plus_exited():
    """Given mixed households, when counted by cause and by attribute, then each sums to poor + exited households and
    people."""
    whole = counts(*MIXED)
    figures = whole.figures()
    for kind, values in (("cause", PovertyCause.values), ("attribute", HouseholdAttribute.values)):
        by = whole.by(kind, values)
        for key in ("households", "people"):
            assert sum(v[key] for v in by.values()) == figures[key]["poor"] + figures[key]["exited"], (kind, key)


def test_monitored_households_and_people_are_counted_apart():
    """Given monitored households (2 with 5 people, then 1 with 3) beside poor ones, when the figures are made, then
    monitored is 3 households and 8 people and neither registered nor by_cause changes."""
    whole = counts(("poor", "illness", "general", 4, 10), monitored=[(2, 5), (1, 3)])
    figures = whole.figures()
    assert figures["households"] == {"registered": 4, "poor": 4, "exited": 0, "closed": 0, "removed": 0, "monitored": 3}
    assert figures["people"] == {"registered": 10, "poor": 10, "exited": 0, "closed": 0, "removed": 0, "monitored": 8}
    assert whole.by("cause", PovertyCause.values)["illness"] == {"households": 4, "people": 10}


def test_monitored_alone_registers_nothing():
    """Given only monitored households (never registered poor), when the figures are made, then monitored is counted
    and registered stays 0 with undefined exit rates."""
    figures = counts(monitored=[(1, 2)]).figures()
    assert (figures["households"]["monitored"], figures["people"]["monitored"]) == (1, 2)
    assert figures["households"]["registered"] == 0 and figures["exit_rate"]["households"] is None


def test_villages_total_poverty_exited_and_exit_rate():
    """Given 5 villages of which 3 poverty villages, 2 exited, when the figures are made, then the villages block
    reads 5, 3, 2 and 2 ÷ 3 = 0.6667."""
    figures = counts(villages={"total": 5, "poverty": 3, "exited": 2, "population": 1000, "known": 5}).figures()
    assert figures["villages"] == {"total": 5, "poverty": 3, "exited": 2, "exit_rate": 0.6667}


def test_village_exit_rate_is_none_without_poverty_villages():
    """Given villages none of which is a poverty village, when the figures are made, then the village exit rate is
    None."""
    figures = counts(villages={"total": 2, "poverty": 0, "exited": 0, "population": 10, "known": 2}).figures()
    assert figures["villages"]["exit_rate"] is None


def test_poverty_incidence_is_poor_people_over_the_population():
    """Given 25 poor people (and 30 exited) in villages that all have a rural population (1000 in all), when the
    figures are made, then poverty incidence is 25 ÷ 1000 = 0.025: exited people are not poor."""
    figures = counts(*MIXED, villages={"total": 3, "poverty": 1, "exited": 0, "population": 1000, "known": 3}).figures()
    assert figures["poverty_incidence"] == 0.025


def test_poverty_incidence_rounds_half_up():
    """Given 1 poor person in a population of 20000 (0.00005), when the figures are made, then incidence is 0.0001."""
    figures = counts(
        ("poor", "illness", "general", 1, 1),
        villages={"total": 1, "poverty": 1, "exited": 0, "population": 20000, "known": 1},
    ).figures()
    assert figures["poverty_incidence"] == 0.0001


@pytest.mark.parametrize(
    ("villages", "known", "population"),
    [(3, 2, 900), (3, 0, 0), (0, 0, 0), (2, 2, 0)],
    ids=["one-village-unknown", "none-known", "no-villages", "zero-population"],
)
def test_poverty_incidence_is_none_unless_every_village_has_a_population(villages, known, population):
    """Given villages of which not all have a population on record (or none at all, or a population of 0), when the
    figures are made, then poverty incidence is None even though there are poor people."""
    figures = counts(
        *MIXED, villages={"total": villages, "poverty": 0, "exited": 0, "population": population, "known": known}
    ).figures()
    assert figures["poverty_incidence"] is None


def test_total_adds_every_group():
    """Given two groups (households, people, monitored, causes, attributes, villages), when totalled, then every count
    of the whole is the sum of the groups' and the rates are recomputed from the sums, not averaged."""
    first = counts(
        ("poor", "illness", "general", 1, 3),
        ("exited", "disaster", "dibao", 1, 2),
        monitored=[(1, 2)],
        villages={"total": 2, "poverty": 1, "exited": 1, "population": 400, "known": 2},
    )
    second = counts(
        ("poor", "illness", "tekun", 2, 2),
        ("removed", "illness", "general", 1, 4),
        ("closed", "other", "general", 1, 0),
        villages={"total": 1, "poverty": 1, "exited": 0, "population": 100, "known": 1},
    )
    whole = Counts.total([first, second])
    assert whole.figures() == {
        "households": {"registered": 5, "poor": 3, "exited": 1, "closed": 1, "removed": 1, "monitored": 1},
        "people": {"registered": 7, "poor": 5, "exited": 2, "closed": 0, "removed": 4, "monitored": 2},
        "exit_rate": {"households": 0.2, "people": 0.2857},
        "villages": {"total": 3, "poverty": 2, "exited": 1, "exit_rate": 0.5},
        "poverty_incidence": 0.01,  # 5 ÷ 500
        "on_register": {"households": 4, "people": 7},  # registered less the closed household
    }
    by_cause = whole.by("cause", PovertyCause.values)
    assert (by_cause["illness"], by_cause["disaster"], by_cause["other"]) == (
        {"households": 3, "people": 5},
        {"households": 1, "people": 2},
        {"households": 0, "people": 0},  # the closed household's cause is not counted
    )
    assert whole.by("attribute", HouseholdAttribute.values) == {
        "general": {"households": 1, "people": 3},
        "dibao": {"households": 1, "people": 2},
        "tekun": {"households": 2, "people": 2},
    }
    # The groups themselves are unchanged by totalling.
    assert first.figures()["households"]["registered"] == 2 and second.figures()["households"]["registered"] == 3


def test_total_needs_every_group_to_know_its_population():
    """Given one group with all populations known and one with a village unknown, when totalled, then the whole has
    no poverty incidence while the known group alone has one."""
    known = counts(
        ("poor", "illness", "general", 1, 4),
        villages={"total": 1, "poverty": 1, "exited": 0, "population": 100, "known": 1},
    )
    unknown = counts(villages={"total": 2, "poverty": 0, "exited": 0, "population": 50, "known": 1})
    assert known.figures()["poverty_incidence"] == 0.04
    assert Counts.total([known, unknown]).figures()["poverty_incidence"] is None


def test_total_of_no_groups_is_empty():
    """Given no groups, when totalled, then the figures are those of empty counts."""
    assert Counts.total([]).figures() == Counts().figures()
