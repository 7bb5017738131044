"""The year-end adjustment report (动态调整年度报告) as a pure function: episodes and membership dates in,
flows of the poor stock (未脱贫, returned households included) and of the households on the register (在册: poor +
exited, so removals and closings of exited households appear) out, with start + changes = end checked for both.

Conventions that make the balance exact: a household's status on a day is its latest status change
effective on or before that day; a member counts on a day when joined on or before it and not left by it
(left_on after it); a member's joining or leaving on a day is weighed against the household's status on
the day before (that day's decisions come after), and a decision on a day moves the members active that day.
"""

import base64
import binascii
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


# The two stocks the report follows (docs/reports.md): the poor stock 未脱贫 and the households still on the register
# 在册建档立卡户 (poor + exited; a removed or closed household has left it).
POOR_STOCK = frozenset({POOR})
ON_REGISTER = frozenset({POOR, "exited"})
_ENTERING_FROM = (None, "", "rejected", "candidate")  # a first identification (else: other_in)
HOUSEHOLD_KEYS = ("start", "identified", "returned", "other_in", "exited", "removed", "closed", "other_out", "end")
PEOPLE_KEYS = (
    *HOUSEHOLD_KEYS[:-1],
    "births", "married_in", "moved_in", "deaths", "married_out", "moved_out", "other_left", "end",
)  # fmt: skip
_IN = {"poor": ("identified", "returned", "other_in"), "on_register": ("identified", "other_in")}
_OUT = {"poor": ("exited", "removed", "closed", "other_out"), "on_register": ("removed", "closed", "other_out")}


def _flow(stock: frozenset, before: str | None, change: Change) -> str | None:
    """The bucket a status change counts in for a stock, or None when it does not touch it.

    Leaving the stock: exited (poor stock only), removed, closed, other_out; entering it: returned (poor stock only),
    identified (from never decided, candidate or rejected), other_in. For the households on the register an exit
    (poor → exited) and a return (exited → poor) are moves inside the stock: counted under `exited` and `returned`,
    outside its balance.
    """
    inside_before, inside_after = before in stock, change.status in stock
    if inside_after and not inside_before:
        if change.returned and stock == POOR_STOCK:
            return "returned"
        return "identified" if before in _ENTERING_FROM else "other_in"
    if inside_before and not inside_after:
        if change.status == "exited" and stock == POOR_STOCK:
            return "exited"
        return {"removed": "removed", "closed": "closed"}.get(change.status, "other_out")
    if inside_before and inside_after and before != change.status:
        return {"exited": "exited", POOR: "returned"}.get(change.status)
    return None


def _stock_flows(
    *, name: str, stock: frozenset, year: int, by_household: dict, members_of: dict, ids: dict | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """Households and people of one stock at the start and end of a year and every flow between, balanced; `ids`,
    when given, collects the households counted in each household figure ({key: set of household ids})."""
    start_day, end_day = datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31)
    h, p = dict.fromkeys(HOUSEHOLD_KEYS, 0), dict.fromkeys(PEOPLE_KEYS, 0)
    ids = ids if ids is not None else defaultdict(set)

    def inside(household_changes, day):
        status = _status_on(household_changes, day)
        return status is not None and status[0] in stock

    day_before = datetime.timedelta(days=1)
    for household_id in set(by_household) | set(members_of):
        household_changes = by_household.get(household_id, [])
        people = members_of.get(household_id, [])
        if inside(household_changes, start_day):
            h["start"] += 1
            ids["start"].add(household_id)
            p["start"] += sum(m.active_on(start_day) for m in people)
        if inside(household_changes, end_day):
            h["end"] += 1
            ids["end"].add(household_id)
            p["end"] += sum(m.active_on(end_day) for m in people)
        previous = None
        for change in household_changes:
            if change.effective_on.year == year:
                bucket = _flow(stock, previous, change)
                if bucket is not None:
                    h[bucket] += 1
                    ids[bucket].add(household_id)
                    p[bucket] += sum(m.active_on(change.effective_on) for m in people)
            previous = change.status
        for member in people:
            joined, left = member.joined_on, member.left_on
            if joined is not None and joined.year == year and inside(household_changes, joined - day_before):
                p[JOIN_BUCKETS.get(member.join_reason, "moved_in")] += 1
            if left is not None and left.year == year and inside(household_changes, left - day_before):
                p[LEAVE_BUCKETS.get(member.left_reason, "other_left")] += 1

    if h["start"] + sum(h[k] for k in _IN[name]) - sum(h[k] for k in _OUT[name]) != h["end"]:
        raise UnbalancedReport(f"{name} households: {h}")
    people_in = sum(p[k] for k in _IN[name]) + p["births"] + p["married_in"] + p["moved_in"]
    people_out = sum(p[k] for k in _OUT[name]) + p["deaths"] + p["married_out"] + p["moved_out"] + p["other_left"]
    if p["start"] + people_in - people_out != p["end"]:
        raise UnbalancedReport(f"{name} people: {p}")
    return h, p


def _grouped(changes: list[Change], members: list[Membership]) -> tuple[dict, dict]:
    by_household: dict[int, list[Change]] = defaultdict(list)
    for change in sorted(changes, key=lambda c: c.effective_on):  # stable: keeps recording order within a day
        by_household[change.household_id].append(change)
    members_of: dict[int, list[Membership]] = defaultdict(list)
    for member in members:
        members_of[member.household_id].append(member)
    return by_household, members_of


STOCKS = {"poor": POOR_STOCK, "on_register": ON_REGISTER}


def households_counted(*, year: int, changes: list[Change], stock: str, key: str) -> set[int]:
    """The households behind one household figure of the year's report (`stock` "poor" or "on_register", `key` one
    of HOUSEHOLD_KEYS): the very households annual_adjustment counts there (members do not move households)."""
    by_household, _members_of = _grouped(changes, [])
    ids: dict[str, set] = defaultdict(set)
    _stock_flows(name=stock, stock=STOCKS[stock], year=year, by_household=by_household, members_of={}, ids=ids)
    return ids[key]


def annual_adjustment(*, year: int, changes: list[Change], members: list[Membership]) -> dict:
    """The poor stock (`households`, `people`) and the households on the register (`on_register`: poor + exited) at
    the start and end of a year, and every flow between; start + changes = end checked for both."""
    by_household, members_of = _grouped(changes, members)
    common = {"year": year, "by_household": by_household, "members_of": members_of}
    h, p = _stock_flows(name="poor", stock=POOR_STOCK, **common)
    registered_h, registered_p = _stock_flows(name="on_register", stock=ON_REGISTER, **common)
    return {
        "year": year,
        "households": h,
        "people": p,
        "on_register": {"households": registered_h, "people": registered_p},
        "balanced": True,
    }


# The change feed's cursor (docs/api.md, Change feed) ---------------------------------------------------------------
# A position is (transaction id, event id): the events of finished transactions in that order. The cursor is opaque
# to clients: a versioned, URL-safe text, so its form may change within /api/v1/ without breaking anyone.
CURSOR_VERSION = "c1"
START = (0, 0)


def encode_cursor(position: tuple[int, int]) -> str:
    """The opaque cursor of a position."""
    txid, event = position
    raw = f"{CURSOR_VERSION}.{txid}.{event}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    """The position of a cursor; ValueError for a text no cursor of ours would be."""
    if not cursor or len(cursor) > 64 or not cursor.isascii():
        raise ValueError(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError(cursor) from error
    version, _, rest = raw.partition(".")
    txid, _, event = rest.partition(".")
    if version != CURSOR_VERSION or not (txid.isdigit() and event.isdigit() and txid.isascii() and event.isascii()):
        raise ValueError(cursor)
    position = int(txid), int(event)
    if max(position) >= 2**63:
        raise ValueError(cursor)
    return position
