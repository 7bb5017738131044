"""Builders for campaign tests: work teams with a member linked to a login, households of given statuses.

Explicit and deterministic. Cadres' ID numbers come from `make_resident_id` with a counter, so they never collide.
"""

import itertools
from datetime import date

from cadres.choices import TeamRole, UnitLevel
from cadres.models import Cadre, TeamMembership, Unit, WorkTeam
from checks.models import Campaign, CampaignAssignment, CampaignSample, Finding, Verification
from households.rules import make_resident_id
from lifecycle import services as lifecycle
from tests.factories import UserFactory, make_region
from tests.households import builders as b

TEAM_START = date(2016, 1, 1)
_cadre_numbers = itertools.count()
_household_numbers = itertools.count(1)


def make_team(village_code: str, *, user=None, starts_on: date = TEAM_START, ends_on: date | None = None,
              member_from: date | None = None, member_until: date | None = None) -> WorkTeam:  # fmt: skip
    """A work team (驻村工作队) in the village, sent by a county unit, whose first secretary is linked to `user`."""
    village = make_region(village_code)
    county = make_region(village_code[:6] + "000000")
    unit, _ = Unit.objects.get_or_create(region=county, name=f"帮扶单位{village_code}", defaults={"level": UnitLevel.COUNTY})
    team = WorkTeam.objects.create(village=village, unit=unit, starts_on=starts_on, ends_on=ends_on)
    add_member(team, user=user, starts_on=member_from or starts_on, ends_on=member_until or ends_on)
    return team


def add_member(team: WorkTeam, *, user=None, role: str = TeamRole.FIRST_SECRETARY, starts_on: date = TEAM_START,
               ends_on: date | None = None) -> TeamMembership:  # fmt: skip
    number = next(_cadre_numbers)
    cadre = Cadre.objects.create(
        name=f"干部{number}", sex="male", unit=team.unit, region=team.unit.region, user=user,
        id_number=make_resident_id(area="220821", birth_date=date(1975, 1, 1 + number // 400), sequence=number % 400,
                                   sex="male"),
    )  # fmt: skip
    return TeamMembership.objects.create(team=team, cadre=cadre, role=role, starts_on=starts_on, ends_on=ends_on)


def team_user(username: str, village_code: str):
    """A login for a team member: a village team grant over the team's own village."""
    return UserFactory(username=username, grants=[("village_team", village_code)])


def make_households(village, statuses: list[str], *, user=None) -> list:
    """One single-member household per status in the village; '' stays unregistered, others get that status."""
    households = []
    for status in statuses:
        number = next(_household_numbers)
        household = b.make_household(village=village, user=user, members=[b.head(number % 500)], address=f"{number}号")
        if status:
            lifecycle.status_record(user=None, household=household, status=status, on=date(2016, 12, 1))
        households.append(household)
    return households


def written() -> dict:
    """What the campaign tables hold: the campaigns (id, state, version) and the count of each kind of row."""
    return {
        "campaigns": list(Campaign.objects.values_list("id", "state", "version")),
        "assignments": CampaignAssignment.objects.count(),
        "samples": CampaignSample.objects.count(),
        "verifications": Verification.objects.count(),
        "findings": Finding.objects.count(),
    }
