"""Rules of the help side (帮扶力量): periods, work teams, pairings and visits. Pure functions, no database.

Periods are half-open, [starts_on, ends_on): a period ending on D and the next starting on D leave
no gap and no overlap; an open end (None) runs for ever. Facts go in, verdicts come out; the
services turn verdicts into errors and the selectors into figures.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

OVERLAP_CODE = "overlapping_period"
MIN_TEAM_MEMBERS = 3  # a work team has at least three members (docs/programs-cadres.md, Cadres)
USUAL_TERM_YEARS = 2  # a term of at least two years is usual
# Households that may be paired (结对帮扶): those in the register as poor or exited (帮扶 continues after
# exit, 脱贫不脱帮扶), and any household under monitoring (防返贫监测对象). A candidate, rejected, removed
# or closed household, or one never identified, is not in the register and is not paired.
PAIRABLE_STATUSES = frozenset({"poor", "exited"})
MONITORED = "monitored"


@dataclass(frozen=True)
class Violation:
    """One broken rule: the field to report it on, its stable code and the Chinese sentence."""

    field: str
    code: str
    message: object


@dataclass(frozen=True)
class TeamWarning:
    """A warning about a saved row (提示): reported, never blocking."""

    code: str
    message: object

    def as_dict(self) -> dict:
        return {"code": self.code, "detail": str(self.message)}


# Periods ---------------------------------------------------------------------------------------


def period_violation(starts_on: datetime.date, ends_on: datetime.date | None, *, field: str = "ends_on") -> Violation | None:
    """A period must end after it starts ([starts_on, ends_on) is empty otherwise)."""
    if ends_on is not None and ends_on <= starts_on:
        return Violation(
            field,
            "invalid",
            _("结束日期（%(end)s）须晚于开始日期（%(start)s）") % {"end": ends_on.isoformat(), "start": starts_on.isoformat()},
        )
    return None


def active_on(starts_on: datetime.date, ends_on: datetime.date | None, day: datetime.date) -> bool:
    """Whether a period [starts_on, ends_on) covers the day."""
    return starts_on <= day and (ends_on is None or day < ends_on)


def overlaps(
    a_start: datetime.date, a_end: datetime.date | None, b_start: datetime.date, b_end: datetime.date | None
) -> bool:
    """Whether two half-open periods share a day (touching ends do not)."""
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year; past year 9999,
    the last day there is."""
    if day.year + years > datetime.MAXYEAR:
        return datetime.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def clamp_to_period(day: datetime.date, starts_on: datetime.date, ends_on: datetime.date | None) -> datetime.date:
    """The day moved into [starts_on, ends_on): a period not begun is seen on its first day, an ended one on its last."""
    if day < starts_on:
        return starts_on
    if ends_on is not None and day >= ends_on:
        return ends_on - datetime.timedelta(days=1)
    return day


# Work teams (驻村工作队) -------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipFacts:
    """What the team rules need to know about one membership (工作队成员)."""

    cadre_id: int
    role: str
    resident: bool
    starts_on: datetime.date
    ends_on: datetime.date | None


def membership_violations(
    *, team_starts_on: datetime.date, team_ends_on: datetime.date | None, membership: MembershipFacts
) -> list[Violation]:
    """A membership's period is a real period and lies within the team's term."""
    found = []
    if (violation := period_violation(membership.starts_on, membership.ends_on)) is not None:
        return [violation]
    if membership.starts_on < team_starts_on:
        found.append(
            Violation(
                "starts_on",
                "invalid",
                _("成员开始日期不能早于工作队派驻开始（%(date)s）") % {"date": team_starts_on.isoformat()},
            )
        )
    if team_ends_on is not None and (membership.ends_on is None or membership.ends_on > team_ends_on):
        found.append(
            Violation(
                "ends_on",
                "invalid",
                _("成员结束日期不能晚于工作队派驻结束（%(date)s）") % {"date": team_ends_on.isoformat()},
            )
        )
    return found


def team_term_violations(
    *, starts_on: datetime.date, ends_on: datetime.date | None, memberships: list[MembershipFacts]
) -> list[Violation]:
    """A team's term is a real period and still holds every membership (when the term is changed)."""
    if (violation := period_violation(starts_on, ends_on)) is not None:
        return [violation]
    outside = [
        m for m in memberships if m.starts_on < starts_on or (ends_on is not None and (m.ends_on is None or m.ends_on > ends_on))
    ]
    if outside:
        return [
            Violation(
                "starts_on" if any(m.starts_on < starts_on for m in outside) else "ends_on",
                "invalid",
                _("有 %(count)s 名成员的任期超出新的派驻期，请先调整成员任期") % {"count": len(outside)},
            )
        ]
    return []


def team_warnings(
    *, starts_on: datetime.date, ends_on: datetime.date | None, memberships: list[MembershipFacts], today: datetime.date
) -> list[TeamWarning]:
    """What is unusual about a team (warn, don't block): fewer than three members, a term shorter than two
    years, more than one first secretary or leader at once.

    Members are counted on today, or on the team's first or last day when the term has not begun or has ended.
    """
    day = clamp_to_period(today, starts_on, ends_on)
    active = [m for m in memberships if active_on(m.starts_on, m.ends_on, day)]
    found = []
    if len(active) < MIN_TEAM_MEMBERS:
        found.append(
            TeamWarning(
                "too_few_members",
                _("工作队在 %(day)s 只有 %(count)s 名在岗成员，通常至少 %(min)s 名")
                % {"day": day.isoformat(), "count": len(active), "min": MIN_TEAM_MEMBERS},
            )
        )
    if ends_on is not None and ends_on < add_years(starts_on, USUAL_TERM_YEARS):
        found.append(
            TeamWarning(
                "short_term",
                _("派驻期（%(start)s 至 %(end)s）短于 %(years)s 年")
                % {"start": starts_on.isoformat(), "end": ends_on.isoformat(), "years": USUAL_TERM_YEARS},
            )
        )
    for role, label in (("first_secretary", _("第一书记")), ("leader", _("队长"))):
        holders = {m.cadre_id for m in active if m.role == role}
        if len(holders) > 1:
            found.append(
                TeamWarning(
                    f"several_{role}",
                    _("工作队在 %(day)s 有 %(count)s 名%(role)s，通常只有一名")
                    % {"day": day.isoformat(), "count": len(holders), "role": label},
                )
            )
    return found


def resident_elsewhere(
    *, membership: MembershipFacts, other_resident_periods: list[tuple[datetime.date, datetime.date | None]]
) -> bool:
    """A cadre lives in one village at a time: a resident membership may not overlap another team's resident one."""
    if not membership.resident:
        return False
    return any(overlaps(membership.starts_on, membership.ends_on, s, e) for s, e in other_resident_periods)


# Pairings (结对帮扶) ------------------------------------------------------------------------------


def may_pair(*, status: str, monitoring_status: str) -> bool:
    """Whether a household is in the register in a way that calls for a pairing cadre (see PAIRABLE_STATUSES)."""
    return status in PAIRABLE_STATUSES or monitoring_status == MONITORED


@dataclass(frozen=True)
class PairingFacts:
    """One pairing of a household with a cadre."""

    id: int
    cadre_id: int
    starts_on: datetime.date
    ends_on: datetime.date | None


def pairing_overlap(
    *, cadre_id: int, starts_on: datetime.date, ends_on: datetime.date | None, existing: list[PairingFacts]
) -> PairingFacts | None:
    """The first existing pairing of the same cadre with the household that shares a day with the new period."""
    for pairing in existing:
        if pairing.cadre_id == cadre_id and overlaps(starts_on, ends_on, pairing.starts_on, pairing.ends_on):
            return pairing
    return None


class HandoverRefused(ValueError):
    """A handover (交接) that cannot be made as asked; `violation` says why."""

    def __init__(self, violation: Violation):
        super().__init__(str(violation.message))
        self.violation = violation


def handover_plan(
    *, pairings: list[PairingFacts], on: datetime.date, to_cadre_id: int, from_cadre_id: int | None = None
) -> PairingFacts:
    """The pairing a handover on `on` ends: the household's pairing active on that day (the one with
    `from_cadre_id` when given). HandoverRefused when there is none, several and no cadre named, it began on
    that very day, or the cadre taking over is the one handing over."""
    active = [p for p in pairings if active_on(p.starts_on, p.ends_on, on)]
    if from_cadre_id is not None:
        active = [p for p in active if p.cadre_id == from_cadre_id]
    if not active:
        raise HandoverRefused(
            Violation(
                "from_cadre" if from_cadre_id is not None else "household",
                "conflict",
                _("该户在 %(day)s 没有可交接的结对帮扶") % {"day": on.isoformat()},
            )
        )
    if len(active) > 1:
        raise HandoverRefused(
            Violation("from_cadre", "invalid", _("该户在 %(day)s 有多名结对干部，请指明交出的干部") % {"day": on.isoformat()})
        )
    [current] = active
    if current.cadre_id == to_cadre_id:
        raise HandoverRefused(Violation("to_cadre", "invalid", _("接手干部与交出干部是同一人")))
    if current.starts_on == on:
        raise HandoverRefused(
            Violation(
                "on",
                "invalid",
                _("该结对帮扶从 %(day)s 才开始，不能在同一天交接；请直接修改该结对") % {"day": on.isoformat()},
            )
        )
    return current


# Visits (走访记录) --------------------------------------------------------------------------------


def visit_violation(*, day: datetime.date, today: datetime.date, pairings: list[PairingFacts]) -> Violation | None:
    """A visit is not in the future and falls within a pairing of the visiting cadre with the household.

    `pairings` are the visiting cadre's pairings with the household. A visit before the first of them began, or
    between or after them, is refused with the dates that would be accepted.
    """
    if day > today:
        return Violation("date", "invalid", _("走访日期不能晚于今天"))
    if not pairings:
        return Violation("cadre", "invalid", _("该干部与该户没有结对帮扶关系"))
    if any(active_on(p.starts_on, p.ends_on, day) for p in pairings):
        return None
    first = min(p.starts_on for p in pairings)
    if day < first:
        return Violation(
            "date",
            "invalid",
            _("走访日期（%(day)s）早于结对帮扶开始（%(start)s）") % {"day": day.isoformat(), "start": first.isoformat()},
        )
    return Violation("date", "invalid", _("走访日期（%(day)s）不在该干部与该户的结对期内") % {"day": day.isoformat()})


# Figures -----------------------------------------------------------------------------------------


