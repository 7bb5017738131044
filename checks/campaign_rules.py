"""Pure rules of cross-check campaigns (交叉互检): rotation of villages to teams, sample sizes and the rates.

No database access: facts in, verdicts out. The services (checks.campaigns) read the facts, call these and
write; the sample itself is drawn in SQL by the same ordering that `sample_order` gives here, so a test can
compare the two.

Rotation (交叉分组). Every village of the region goes to a work team from another village, never its own.
Loads are even: with V villages and T teams each team takes ⌊V/T⌋ or ⌈V/T⌉ villages (0 or 1 when there are
more teams than villages). Among the assignments that satisfy both, we take one with the fewest teams
checking a village of their own township: that minimum is Σ max(0, n_a + q_a − V) over townships a (n_a its
villages, q_a the villages its teams take), reached by a greedy pass and 2-swaps (see `rotate`). Everything
is ordered by keys hashed from the seed, so the same seed and the same facts give the same assignment.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from core.figures import exact_rate

TOWNSHIP_DIGITS = 9  # a village code's first 9 digits name its township (乡镇)

# The figures a county is judged by (docs/checks.md, Campaigns): exit requires 错退率 < 2 %, 漏评率 < 2 %, 认可度 ≥ 90 %.
WRONG_EXIT_LIMIT = Decimal("0.02")
MISSED_LIMIT = Decimal("0.02")
APPROVAL_FLOOR = Decimal("0.90")

POOR, EXITED, NON_REGISTERED = "poor", "exited", "non_registered"
GROUPS = (POOR, EXITED, NON_REGISTERED)

# A discrepancy that only makes sense for households of some sample groups (the rates divide by these groups):
# a wrong exit (错退) is found among exited households, a missed household (漏评) among non-registered ones,
# a wrong inclusion (错评) among registered ones, and "should exit" among households still poor.
DISCREPANCY_GROUPS = {
    "wrongly_exited": frozenset({EXITED}),
    "missed": frozenset({NON_REGISTERED}),
    "wrongly_included": frozenset({POOR, EXITED}),
    "should_exit": frozenset({POOR}),
}


class CannotRotate(ValueError):
    """The region cannot be cross-checked: no village, or fewer than two villages with a work team."""

    def __init__(self, reason: str, **facts):
        super().__init__(reason)
        self.reason = reason
        self.facts = facts


def township_of(village_code: str) -> str:
    return village_code[:TOWNSHIP_DIGITS]


def seeded_key(seed: int, *parts) -> str:
    """A stable pseudo-random sort key for the parts under this seed (sha256, the same on every machine)."""
    text = ":".join(str(part) for part in (seed, *parts))
    return hashlib.sha256(text.encode()).hexdigest()


def team_quotas(*, villages: Iterable[str], teams: Mapping[int, str], seed: int) -> dict[int, int]:
    """How many villages each team takes: ⌊V/T⌋ or ⌈V/T⌉, or at most one when teams outnumber villages.

    The extra villages of an uneven division go first to teams of townships with the least pressure (their
    villages plus their teams' base load), so that the busiest township can look outward as much as possible.
    """
    villages = list(villages)
    base, extra = divmod(len(villages), len(teams))
    if base == 0:
        return dict.fromkeys(teams, 1)  # capacity; loads end 0 or 1 whatever is chosen
    villages_in = Counter(township_of(code) for code in villages)
    teams_in = Counter(township_of(home) for home in teams.values())

    def pressure(team: int):
        township = township_of(teams[team])
        return (villages_in[township] + base * teams_in[township], seeded_key(seed, "quota", team))

    quotas = dict.fromkeys(teams, base)
    for team in sorted(teams, key=pressure)[:extra]:
        quotas[team] += 1
    return quotas


def rotate(*, villages: Iterable[str], teams: Mapping[int, str], seed: int) -> dict[str, int]:
    """Give every village to a team from another village (交叉分组): {village code: team id}.

    `villages` are the codes of the region's villages; `teams` maps each work team active on the campaign's
    start to its own village. CannotRotate when there is no village or fewer than two villages have a team
    (some village's only possible team would be its own).
    """
    villages = sorted(set(villages))
    teams = dict(teams)
    if not villages:
        raise CannotRotate("no_villages")
    homes = set(teams.values())
    if len(homes) < 2:
        raise CannotRotate("one_team_village", teams=len(teams), team_villages=sorted(homes))
    remaining = team_quotas(villages=villages, teams=teams, seed=seed)
    same = {team: township_of(home) for team, home in teams.items()}  # the team's township

    villages_in = Counter(township_of(code) for code in villages)
    teams_in = Counter(same.values())
    # The busiest townships choose first, each village in a seeded order.
    order = sorted(
        villages,
        key=lambda v: (-(villages_in[township_of(v)] + teams_in[township_of(v)]), seeded_key(seed, "village", v)),
    )
    team_order = sorted(teams, key=lambda t: seeded_key(seed, "team", t))
    open_teams = [t for t in team_order if remaining[t] > 0]  # teams with capacity left, in the seeded order
    assignment: dict[str, int] = {}
    stuck: list[str] = []
    for village in order:
        team = _first_fit(village, open_teams, teams=teams, same=same, start=int(seeded_key(seed, village)[:8], 16))
        if team is None:
            stuck.append(village)
            continue
        assignment[village] = team
        remaining[team] -= 1
        if not remaining[team]:
            open_teams.remove(team)

    # A village left with only its own team's capacity swaps with a village holding another village's team:
    # it takes that team and the other village takes its team (never the other village's own).
    for village in stuck:
        own = min((t for t in team_order if remaining[t] > 0), key=lambda t: seeded_key(seed, village, t))
        partners = [u for u in sorted(assignment, key=lambda u: seeded_key(seed, "swap", village, u))
                    if teams[assignment[u]] != village]  # fmt: skip
        partner = min(
            partners,
            key=lambda u: (same[assignment[u]] == township_of(village)) + (same[own] == township_of(u)),
        )
        assignment[village], assignment[partner] = assignment[partner], own
        remaining[own] -= 1

    _cross_townships(assignment, teams=teams, same=same, remaining=remaining, seed=seed)
    return assignment


def _first_fit(village: str, open_teams: list[int], *, teams: Mapping, same: Mapping, start: int) -> int | None:
    """From a seeded place in the open teams, the first one of another township, else of another village."""
    township = township_of(village)
    fallback = None
    count = len(open_teams)
    for step in range(count):
        team = open_teams[(start + step) % count]
        if same[team] != township:
            return team
        if fallback is None and teams[team] != village:
            fallback = team
    return fallback


def _cross_townships(assignment: dict, *, teams: Mapping, same: Mapping, remaining: dict, seed: int) -> None:
    """Improve in place until no village checked by a team of its own township can look outward.

    A village v of township a held by a team of a moves to a free team outside a when one has capacity left
    (teams outnumber villages), or swaps with an assignment u → t' where neither u nor t' is in a. Each step
    lowers the number of same-township assignments, keeps loads, and never gives a village its own team. When
    no step applies, every assignment touches a, so a keeps only n_a + q_a − V of its own: the minimum.
    """
    order = sorted(assignment, key=lambda v: seeded_key(seed, "improve", v))
    improved = True
    while improved:
        improved = False
        for village in order:
            township = township_of(village)
            if same[assignment[village]] != township:
                continue
            free = sorted(
                (t for t, left in remaining.items() if left > 0 and same[t] != township),
                key=lambda t: seeded_key(seed, "free", village, t),
            )
            if free:
                remaining[assignment[village]] += 1
                assignment[village] = free[0]
                remaining[free[0]] -= 1
                improved = True
                continue
            for other in order:
                if township_of(other) != township and same[assignment[other]] != township:
                    assignment[village], assignment[other] = assignment[other], assignment[village]
                    improved = True
                    break


def same_township_minimum(*, villages: Iterable[str], loads: Mapping[int, int], teams: Mapping[int, str]) -> int:
    """The fewest same-township assignments any rotation with these loads can have: Σ max(0, n_a + q_a − V)."""
    villages = list(villages)
    villages_in = Counter(township_of(code) for code in villages)
    load_in: Counter = Counter()
    for team, load in loads.items():
        load_in[township_of(teams[team])] += load
    return sum(max(0, villages_in[t] + load_in[t] - len(villages)) for t in set(villages_in) | set(load_in))


# Samples (抽样) -----------------------------------------------------------------------------------------------------


def sample_size(rate: Decimal, population: int) -> int:
    """⌈rate × n⌉ households of a group in a village (exact decimal arithmetic, as the SQL's numeric ceil)."""
    if population <= 0:
        return 0
    return int((Decimal(rate) * population).to_integral_value(rounding=ROUND_CEILING))


def sample_order(seed: int, household_id: int) -> str:
    """The key the sample is drawn by within a village and group: md5('<seed>:<household id>'), as in the SQL."""
    return hashlib.md5(f"{seed}:{household_id}".encode(), usedforsecurity=False).hexdigest()


def sample_group(status: str) -> str | None:
    """The sample group of a household by its current registry status; None for households not sampled."""
    if status in (POOR, EXITED):
        return status
    if status in ("", "rejected"):  # recorded but never registered: checked for missed households (漏评)
        return NON_REGISTERED
    return None


def pick_sample(*, seed: int, rate: Decimal, households: Iterable[tuple[int, str, str]]) -> dict[int, tuple[str, str]]:
    """The households drawn, {id: (village, group)}, from (id, village code, registry status) facts.

    Per village and group the first ⌈rate × n⌉ households by `sample_order` (ties by id).
    """
    cells: dict[tuple[str, str], list[int]] = defaultdict(list)
    for household_id, village, status in households:
        group = sample_group(status)
        if group is not None:
            cells[(village, group)].append(household_id)
    drawn = {}
    for (village, group), ids in cells.items():
        ids.sort(key=lambda i: (sample_order(seed, i), i))
        for household_id in ids[: sample_size(rate, len(ids))]:
            drawn[household_id] = (village, group)
    return drawn


def discrepancy_group_problems(*, group: str, discrepancies: Iterable[str]) -> list[str]:
    """The discrepancies that cannot be found in a household of this sample group (see DISCREPANCY_GROUPS)."""
    return [d for d in discrepancies if d in DISCREPANCY_GROUPS and group not in DISCREPANCY_GROUPS[d]]


# Rates (识别准确率, 错退率, 漏评率, 群众认可度) ------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignCounts:
    """What a region's verifications add up to, in households and (for 错退率, 漏评率) in people.

    People of a sampled household are its members on the verification day. `poor_people` are the people of the
    region's households still poor on the campaign's last day (not counted again when a verification found them
    wrongly exited or missed); `rural_population` sums the villages' 户籍农业人口 of the campaign year (latest year up
    to it), `villages` the villages and `villages_with_population` those with a population on record.
    """

    sampled: int = 0
    verified: int = 0
    accurate: int = 0
    approves: int = 0
    exited_verified: int = 0
    wrongly_exited: int = 0
    non_registered_verified: int = 0
    missed: int = 0
    exited_people_verified: int = 0
    wrongly_exited_people: int = 0
    non_registered_people_verified: int = 0
    missed_people: int = 0
    poor_people: int = 0
    rural_population: int = 0
    villages: int = 0
    villages_with_population: int = 0
    open_rectifications: int = 0

    def __add__(self, other: "CampaignCounts") -> "CampaignCounts":
        return CampaignCounts(**{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__})


def _below(numerator: int, denominator: int, limit: Decimal) -> bool | None:
    # Exact: compared before rounding, so 0.019996 (shown 0.0200) still meets "< 2 %".
    return None if not denominator else Decimal(numerator) < limit * denominator


def comprehensive_incidence(counts: CampaignCounts) -> Decimal | None:
    """综合贫困发生率 = (remaining poor + missed + wrongly exited people) ÷ rural population (docs/checks.md).

    None unless every village of the region has a rural population on record (a partial sum would overstate it),
    and when that population is 0.
    """
    if not counts.villages or counts.villages_with_population != counts.villages:
        return None
    people = counts.poor_people + counts.missed_people + counts.wrongly_exited_people
    return exact_rate(people, counts.rural_population)


def campaign_rates(counts: CampaignCounts) -> dict:
    """The rates of a region and whether it meets the exit thresholds.

    accuracy = accurate ÷ verified and approval = approving ÷ verified count households; wrong exit = people of
    wrongly exited households ÷ people of exited households verified, missed = people of missed households ÷
    people of non-registered households verified count people (the county-exit assessment's definition); each
    None when its denominator is 0. `meets` says per threshold True/False, None when nothing was verified to
    judge it by; `all` is False when any is False, None when nothing was verified at all, True otherwise.
    """
    approval_ok = None if not counts.verified else Decimal(counts.approves) >= APPROVAL_FLOOR * counts.verified
    meets = {
        "wrong_exit": _below(counts.wrongly_exited_people, counts.exited_people_verified, WRONG_EXIT_LIMIT),
        "missed": _below(counts.missed_people, counts.non_registered_people_verified, MISSED_LIMIT),
        "approval": approval_ok,
    }
    verdicts = list(meets.values())
    meets["all"] = False if False in verdicts else (None if approval_ok is None else True)
    return {
        "accuracy_rate": exact_rate(counts.accurate, counts.verified),
        "wrong_exit_rate": exact_rate(counts.wrongly_exited_people, counts.exited_people_verified),
        "missed_rate": exact_rate(counts.missed_people, counts.non_registered_people_verified),
        "approval_rate": exact_rate(counts.approves, counts.verified),
        "comprehensive_incidence": comprehensive_incidence(counts),
        "meets": meets,
    }
