"""The year-end adjustment report (动态调整年度报告) as a pure function: episodes and membership dates in,
flows of the poor stock (未脱贫, returned households included) out, with start + changes = end checked.

Conventions that make the balance exact: a household's status on a day is its latest status change
effective on or before that day; a member counts on a day when joined on or before it and not left by it
(left_on after it); a member's joining or leaving on a day is weighed against the household's status on
the day before (that day's decisions come after), and a decision on a day moves the members active that day.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

POOR = "poor"
JOIN_BUCKETS = {"birth": "births", "marriage": "married_in"}  # anything else joining: moved_in
LEAVE_BUCKETS = {"deceased": "deaths", "married_out": "married_out", "moved_out": "moved_out"}  # else: other_left


class UnbalancedReport(AssertionError):
    """start + changes ≠ end: a bug in the data or in this code, never to be shown as a report."""


@dataclass(frozen=True)
class Change:
    household_id: int
    effective_on: datetime.date
    status: str
    returned: bool


@dataclass(frozen=True)
class Membership:
    household_id: int
    joined_on: datetime.date | None
    join_reason: str
    left_on: datetime.date | None
    left_reason: str

    def active_on(self, day: datetime.date) -> bool:
        return (self.joined_on is None or self.joined_on <= day) and (self.left_on is None or self.left_on > day)


def _status_on(changes: list[Change], day: datetime.date) -> tuple[str, bool] | None:
    current = None
    for change in changes:  # ordered by effective_on, then recording order
        if change.effective_on <= day:
            current = (change.status, change.returned)
        else:
            break
    return current


def _flow(before: str | None, change: Change) -> tuple[str, str] | None:
    """(direction, bucket) of a status change for the poor stock, or None when it does not touch it."""
    if change.status == POOR and before != POOR:
        if change.returned:
            return "in", "returned"
        return ("in", "identified") if before in (None, "", "rejected", "candidate") else ("in", "other_in")
    if before == POOR and change.status != POOR:
        bucket = {"exited": "exited", "removed": "removed", "closed": "closed"}.get(change.status, "other_out")
        return "out", bucket
    return None


def annual_adjustment(*, year: int, changes: list[Change], members: list[Membership]) -> dict:
    """Households and people of the poor stock at the start and end of a year, and every flow between."""
    start_day, end_day = datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31)
    by_household: dict[int, list[Change]] = defaultdict(list)
    for change in sorted(changes, key=lambda c: c.effective_on):  # stable: keeps recording order within a day
        by_household[change.household_id].append(change)
    members_of: dict[int, list[Membership]] = defaultdict(list)
    for member in members:
        members_of[member.household_id].append(member)

    h = dict.fromkeys(
        ("start", "identified", "returned", "other_in", "exited", "removed", "closed", "other_out", "end"), 0
    )
    p = dict.fromkeys(
        (
            "start", "identified", "returned", "other_in", "exited", "removed", "closed", "other_out",
            "births", "married_in", "moved_in", "deaths", "married_out", "moved_out", "other_left", "end",
        ),
        0,
    )  # fmt: skip

    def is_poor(household_changes, day):
        status = _status_on(household_changes, day)
        return status is not None and status[0] == POOR

    for household_id in set(by_household) | set(members_of):
        household_changes = by_household.get(household_id, [])
        people = members_of.get(household_id, [])
        if is_poor(household_changes, start_day):
            h["start"] += 1
            p["start"] += sum(m.active_on(start_day) for m in people)
        if is_poor(household_changes, end_day):
            h["end"] += 1
            p["end"] += sum(m.active_on(end_day) for m in people)
        previous = None
        for change in household_changes:
            if change.effective_on.year == year:
                flow = _flow(previous, change)
                if flow is not None:
                    _direction, bucket = flow
                    h[bucket] += 1
                    p[bucket] += sum(m.active_on(change.effective_on) for m in people)
            previous = change.status
        day_before = datetime.timedelta(days=1)
        for member in people:
            joined, left = member.joined_on, member.left_on
            if joined is not None and joined.year == year and is_poor(household_changes, joined - day_before):
                p[JOIN_BUCKETS.get(member.join_reason, "moved_in")] += 1
            if left is not None and left.year == year and is_poor(household_changes, left - day_before):
                p[LEAVE_BUCKETS.get(member.left_reason, "other_left")] += 1

    households_in = h["identified"] + h["returned"] + h["other_in"]
    households_out = h["exited"] + h["removed"] + h["closed"] + h["other_out"]
    if h["start"] + households_in - households_out != h["end"]:
        raise UnbalancedReport(f"households: {h}")
    people_in = p["identified"] + p["returned"] + p["other_in"] + p["births"] + p["married_in"] + p["moved_in"]
    people_out = (
        p["exited"] + p["removed"] + p["closed"] + p["other_out"]
        + p["deaths"] + p["married_out"] + p["moved_out"] + p["other_left"]
    )  # fmt: skip
    if p["start"] + people_in - people_out != p["end"]:
        raise UnbalancedReport(f"people: {p}")
    return {"year": year, "households": h, "people": p, "balanced": True}
