"""Pure rules of cross-check campaigns, without the database: rotation, sample sizes and picks, the rates.

The rotation is checked property-style over many seeds and region shapes (townships, villages, teams per village):
never a team's own village, even loads, reproducible from the seed, and the fewest same-township assignments.
"""

import random
from collections import Counter
from decimal import Decimal

import pytest

from checks import campaign_rules as rules


def region(shape: list[int], *, county: str = "220821") -> list[str]:
    """Village codes of a county with len(shape) townships, shape[i] villages in township i."""
    return [f"{county}{100 + t:03d}{201 + v:03d}" for t, count in enumerate(shape) for v in range(count)]


def teams_for(villages: list[str], *, rng: random.Random, coverage: float = 1.0, doubles: float = 0.0) -> dict:
    """Team ids → home village: a team in each village with probability `coverage`, a second one with `doubles`."""
    teams = {}
    for code in villages:
        if rng.random() < coverage:
            teams[len(teams) + 1] = code
            if rng.random() < doubles:
                teams[len(teams) + 1] = code
    return teams


def random_case(n: int):
    """A region shape and its teams, drawn from case number n (the same n, the same case)."""
    rng = random.Random(n)
    shape = [rng.randint(1, 12) for _ in range(rng.randint(1, 6))]
    villages = region(shape)
    teams = {}
    while len(set(teams.values())) < 2:  # a region that can rotate
        teams = teams_for(villages, rng=rng, coverage=rng.choice([1.0, 1.0, 0.7, 0.3]), doubles=rng.choice([0, 0, 0.3]))
        if len(villages) < 2:
            villages = region([1, 1])
    return villages, teams


def loads_of(assignment: dict, teams: dict) -> dict:
    counts = Counter(assignment.values())
    return {team: counts.get(team, 0) for team in teams}


CASES = range(400)  # region shapes: 1–6 townships of 1–12 villages, teams in all, most or few villages


def test_rotation_never_gives_a_village_its_own_team_and_covers_every_village():
    """Given any region that can rotate, every village gets exactly one team, and never a team of its own."""
    for case in CASES:
        villages, teams = random_case(case)

        assignment = rules.rotate(villages=villages, teams=teams, seed=case)

        assert sorted(assignment) == sorted(villages), case
        assert all(teams[team] != village for village, team in assignment.items()), case


def test_rotation_spreads_villages_evenly():
    """Team loads differ by at most one (teams outnumbering villages take one village or none)."""
    for case in CASES:
        villages, teams = random_case(case)

        loads = loads_of(rules.rotate(villages=villages, teams=teams, seed=case), teams)

        assert max(loads.values()) - min(loads.values()) <= 1, case


def test_rotation_is_reproducible_from_the_seed_whatever_the_input_order():
    """The same seed and facts give the same assignment, even when villages and teams come in another order."""
    for case in range(0, 300, 3):
        villages, teams = random_case(case)
        shuffled_villages = list(reversed(villages))
        shuffled_teams = dict(reversed(list(teams.items())))

        first = rules.rotate(villages=villages, teams=teams, seed=42)
        second = rules.rotate(villages=shuffled_villages, teams=shuffled_teams, seed=42)

        assert first == second, case


def test_different_seeds_give_different_rotations():
    """Across seeds the rotation varies (it is drawn, not fixed by the order of the codes)."""
    villages = region([6, 6, 6])
    teams = {i + 1: code for i, code in enumerate(villages)}

    results = {tuple(sorted(rules.rotate(villages=villages, teams=teams, seed=seed).items())) for seed in range(10)}

    assert len(results) >= 5


def test_rotation_keeps_same_township_assignments_to_the_minimum():
    """Same-township assignments number exactly Σ max(0, n_a + q_a − V): none when no township dominates."""
    for case in CASES:
        villages, teams = random_case(case)

        assignment = rules.rotate(villages=villages, teams=teams, seed=case)

        same = sum(rules.township_of(v) == rules.township_of(teams[t]) for v, t in assignment.items())
        minimum = rules.same_township_minimum(villages=villages, loads=loads_of(assignment, teams), teams=teams)
        assert same == minimum, case


def test_balanced_townships_check_each_other_only():
    """Given three townships of five villages with a team each, no team checks a village of its own township."""
    villages = region([5, 5, 5])
    teams = {i + 1: code for i, code in enumerate(villages)}

    for seed in range(20):
        assignment = rules.rotate(villages=villages, teams=teams, seed=seed)
        assert all(rules.township_of(v) != rules.township_of(teams[t]) for v, t in assignment.items())


def test_a_single_township_rotates_within_itself():
    """Given one township (a township-level campaign), villages are checked by teams of other villages in it."""
    villages = region([4])
    teams = {i + 1: code for i, code in enumerate(villages)}

    assignment = rules.rotate(villages=villages, teams=teams, seed=3)

    assert all(teams[t] != v for v, t in assignment.items())
    assert sorted(Counter(assignment.values()).values()) == [1, 1, 1, 1]


def test_two_villages_swap_teams():
    """Given two villages with a team each, each team checks the other village."""
    a, b = region([1, 1])

    assert rules.rotate(villages=[a, b], teams={1: a, 2: b}, seed=0) == {a: 2, b: 1}


def test_villages_without_teams_are_checked_too():
    """Given five villages of which two have teams, the teams take 3 and 2 villages, neither its own."""
    villages = region([5])
    teams = {1: villages[0], 2: villages[3]}

    assignment = rules.rotate(villages=villages, teams=teams, seed=11)

    assert sorted(Counter(assignment.values()).values()) == [2, 3]
    assert assignment[villages[0]] == 2 and assignment[villages[3]] == 1


def test_one_village_with_several_teams_and_another_with_one():
    """Given village A with three teams and village B with one, A is checked by B's team and B by one of A's."""
    a, b = region([1, 1])

    assignment = rules.rotate(villages=[a, b], teams={1: a, 2: a, 3: a, 4: b}, seed=5)

    assert assignment[a] == 4 and assignment[b] in {1, 2, 3}


@pytest.mark.parametrize(
    ("villages", "teams", "reason"),
    [
        ([], {}, "no_villages"),
        (region([3]), {}, "one_team_village"),
        (region([3]), {1: region([3])[0]}, "one_team_village"),
        (region([3]), {1: region([3])[0], 2: region([3])[0]}, "one_team_village"),
    ],
)
def test_a_region_that_cannot_rotate_is_refused(villages, teams, reason):
    """No village, no team, or teams in a single village: CannotRotate with the reason."""
    with pytest.raises(rules.CannotRotate) as refused:
        rules.rotate(villages=villages, teams=teams, seed=1)
    assert refused.value.reason == reason


# Samples -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "population", "size"),
    [
        ("1", 7, 7),
        ("0.5", 7, 4),
        ("0.15", 20, 3),
        ("0.15", 1, 1),
        ("0.1", 10, 1),
        ("0.1", 11, 2),
        ("0.0001", 3, 1),
        ("0.3", 0, 0),
    ],
)
def test_sample_size_is_the_ceiling_of_rate_times_households(rate, population, size):
    """⌈rate × n⌉ in exact decimals (0.1 × 10 is 1, not 1.0000000000000002 → 2)."""
    assert rules.sample_size(Decimal(rate), population) == size


def test_pick_sample_takes_the_ceiling_per_village_and_group_and_is_reproducible():
    """Per village and group the first ⌈rate × n⌉ by md5(seed:id); candidates, removed and closed are not drawn."""
    statuses = ["poor"] * 10 + ["exited"] * 5 + [""] * 3 + ["rejected"] + ["candidate", "removed", "closed"]
    households = [(i + 1, "220821100201", status) for i, status in enumerate(statuses)]

    drawn = rules.pick_sample(seed=7, rate=Decimal("0.25"), households=households)

    assert Counter(group for _village, group in drawn.values()) == {"poor": 3, "exited": 2, "non_registered": 1}
    assert drawn == rules.pick_sample(seed=7, rate=Decimal("0.25"), households=list(reversed(households)))
    assert drawn != rules.pick_sample(seed=8, rate=Decimal("0.25"), households=households)


def test_discrepancies_are_checked_against_the_sample_group():
    """A wrong exit is found among exited households, a missed one among non-registered, a wrong inclusion among
    registered ones; other discrepancies fit any group."""
    assert rules.discrepancy_group_problems(group="poor", discrepancies=["wrongly_exited", "other"]) == ["wrongly_exited"]
    assert rules.discrepancy_group_problems(group="exited", discrepancies=["wrongly_exited", "wrongly_included"]) == []
    assert rules.discrepancy_group_problems(group="non_registered", discrepancies=["missed", "id_error"]) == []
    assert rules.discrepancy_group_problems(group="non_registered", discrepancies=["wrongly_included"]) == [
        "wrongly_included"
    ]


# Rates ---------------------------------------------------------------------------------------------------------------


def test_campaign_rates_on_a_constructed_example():
    """Given 200 verified households (190 accurate, 183 approving), 80 exited households of 240 people of which one
    household of 3 wrongly exited, 40 non-registered of 150 people of which one household of 3 missed: accuracy 0.95,
    wrong exit 3 ÷ 240 = 0.0125, missed 3 ÷ 150 = 0.02 (fails < 2 %), approval 0.915."""
    counts = rules.CampaignCounts(
        sampled=210, verified=200, accurate=190, approves=183, exited_verified=80, wrongly_exited=1,
        non_registered_verified=40, missed=1, exited_people_verified=240, wrongly_exited_people=3,
        non_registered_people_verified=150, missed_people=3, open_rectifications=10,
    )  # fmt: skip

    rates = rules.campaign_rates(counts)

    assert rates["accuracy_rate"] == Decimal("0.9500")
    assert rates["wrong_exit_rate"] == Decimal("0.0125")
    assert rates["missed_rate"] == Decimal("0.0200")
    assert rates["approval_rate"] == Decimal("0.9150")
    assert rates["meets"] == {"wrong_exit": True, "missed": False, "approval": True, "all": False}


def test_wrong_exit_and_missed_rates_count_people_not_households():
    """One wrongly exited household of 6 people among 60 exited households of 120 people: 1 household in 60 is
    below 2 %, but 6 people in 120 is 5 % and fails; a missed household of 1 person among 10 of 100 people is 1 %
    in people (10 % in households) and passes."""
    counts = rules.CampaignCounts(
        verified=70, approves=70, exited_verified=60, wrongly_exited=1, exited_people_verified=120,
        wrongly_exited_people=6, non_registered_verified=10, missed=1, non_registered_people_verified=100,
        missed_people=1,
    )  # fmt: skip

    rates = rules.campaign_rates(counts)

    assert (rates["wrong_exit_rate"], rates["missed_rate"]) == (Decimal("0.0500"), Decimal("0.0100"))
    assert rates["meets"] == {"wrong_exit": False, "missed": True, "approval": True, "all": False}


def test_comprehensive_incidence_adds_missed_and_wrongly_exited_people_to_the_poor():
    """综合贫困发生率 = (12 poor + 3 missed + 5 wrongly exited people) ÷ 1000 rural people = 0.02; unknown (None) while
    a village has no rural population on record."""
    known = rules.CampaignCounts(poor_people=12, missed_people=3, wrongly_exited_people=5, rural_population=1000,
                                 villages=2, villages_with_population=2)  # fmt: skip
    partial = rules.CampaignCounts(**{**known.__dict__, "villages_with_population": 1})

    assert rules.campaign_rates(known)["comprehensive_incidence"] == Decimal("0.0200")
    assert rules.campaign_rates(partial)["comprehensive_incidence"] is None
    assert rules.campaign_rates(known + partial)["comprehensive_incidence"] is None


def test_rates_are_null_when_their_denominator_is_zero():
    """Nothing verified: every rate null and nothing judged."""
    rates = rules.campaign_rates(rules.CampaignCounts(sampled=12))

    keys = ("accuracy_rate", "wrong_exit_rate", "missed_rate", "approval_rate", "comprehensive_incidence")
    assert [rates[k] for k in keys] == [None] * 5
    assert rates["meets"] == {"wrong_exit": None, "missed": None, "approval": None, "all": None}


def test_thresholds_are_judged_exactly_before_rounding():
    """2 of 100 wrongly exited people is not below 2 %; 100 of 5001 rounds to 0.02 but is judged exact; 9 of 10
    households approving is 90 %."""
    at_limit = rules.campaign_rates(
        rules.CampaignCounts(verified=10, approves=9, exited_people_verified=100, wrongly_exited_people=2)
    )
    assert at_limit["meets"]["wrong_exit"] is False
    assert at_limit["meets"]["approval"] is True
    below = rules.campaign_rates(
        rules.CampaignCounts(verified=1, approves=1, exited_people_verified=5001, wrongly_exited_people=100)
    )
    assert below["wrong_exit_rate"] == Decimal("0.0200")  # 0.019996 shown rounded …
    assert below["meets"]["wrong_exit"] is True  # … but below 2 %
    assert below["meets"]["all"] is True  # nothing non-registered verified: the missed rate is not judged
