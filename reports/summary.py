"""The summary's counting rules as pure functions (docs/reports.md, Summaries): raw counts in, the published figures out.

`registered` = `poor` + `exited` + `closed` (a removed household never qualified: `removed` is reported beside it);
`on_register` = `poor` + `exited`, households and people still on the register (a closed household has left it);
people are the members of those households on the day; `monitored` counts households under monitoring whatever
their registry status; `by_cause` and `by_attribute` count poor and exited households and their people, every coded
value present; rates are ratios rounded half-up to 4 places, None when the denominator is 0.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.figures import rate
from households.choices import REGISTERED_STATUSES

BY_STATUSES = frozenset({"poor", "exited"})
KEYS = ("registered", "poor", "exited", "closed", "removed", "monitored")


@dataclass
class Counts:
    """The raw counts of one group of villages (or of a whole region): households and people by registry status, by
    cause and by attribute, monitored households, villages and their rural population."""

    households: Counter = field(default_factory=Counter)
    people: Counter = field(default_factory=Counter)
    by_cause: Counter = field(default_factory=Counter)  # (cause, "households" | "people") → n
    by_attribute: Counter = field(default_factory=Counter)
    villages: Counter = field(default_factory=Counter)  # total, poverty, exited, population, population_known
    # Help reaching households (the cadres and programs figures that count households): paired (any status),
    # paired_poor, covered_poor (产业覆盖), cooperative_households and cooperative_people (registered ones).
    helped: Counter = field(default_factory=Counter)

    def add_households(
        self, *, status: str | None, cause: str, attribute: str, households: int, people: int,
        paired: int = 0, covered: int = 0, in_cooperative: int = 0, cooperative_people: int = 0,
    ) -> None:  # fmt: skip
        """One group of households (status None: no county decision yet) and the help that reached them."""
        self.helped["paired"] += paired
        if status == "poor":
            self.helped["paired_poor"] += paired
            self.helped["covered_poor"] += covered
        if status in REGISTERED_STATUSES:
            self.helped["cooperative_households"] += in_cooperative
            self.helped["cooperative_people"] += cooperative_people
        if status is None:
            return
        self.households[status] += households
        self.people[status] += people
        if status in BY_STATUSES:
            self.by_cause[(cause, "households")] += households
            self.by_cause[(cause, "people")] += people
            self.by_attribute[(attribute, "households")] += households
            self.by_attribute[(attribute, "people")] += people

    def add_benefits(self, *, households: int, amount) -> None:
        """Households with a benefit in the year up to the day, and the amount (the ledger carries them)."""
        self.helped["benefited"] += households
        self.helped["benefit_amount"] += amount

    def add_monitored(self, *, households: int, people: int) -> None:
        self.households["monitored"] += households
        self.people["monitored"] += people

    def add_villages(self, *, total: int, poverty: int, exited: int, population: int, known: int) -> None:
        self.villages.update(total=total, poverty=poverty, exited=exited, population=population, population_known=known)

    @classmethod
    def total(cls, groups: Iterable["Counts"]) -> "Counts":
        """The counts of a region from those of its groups (each household and village lies in one group)."""
        whole = cls()
        for group in groups:
            for name in ("households", "people", "by_cause", "by_attribute", "villages", "helped"):
                getattr(whole, name).update(getattr(group, name))
        return whole

    def _by_status(self, counter: Counter) -> dict[str, int]:
        figures = {key: counter[key] for key in KEYS if key != "registered"}
        return {"registered": sum(counter[key] for key in REGISTERED_STATUSES), **figures}

    def figures(self) -> dict:
        """`households`, `people`, `exit_rate`, `villages`, `poverty_incidence`, `on_register` of docs/reports.md."""
        households, people, villages = self._by_status(self.households), self._by_status(self.people), self.villages
        population_known = villages["total"] > 0 and villages["population_known"] == villages["total"]
        return {
            "households": households,
            "people": people,
            "exit_rate": {
                "households": rate(households["exited"], households["registered"]),
                "people": rate(people["exited"], people["registered"]),
            },
            "villages": {
                "total": villages["total"],
                "poverty": villages["poverty"],
                "exited": villages["exited"],
                "exit_rate": rate(villages["exited"], villages["poverty"]),
            },
            # Poverty incidence 贫困发生率: unknown (None) unless every village has a rural population on record.
            "poverty_incidence": rate(people["poor"], villages["population"]) if population_known else None,
            # Still on the register 在册 (poor + exited): not `registered`, which keeps the closed households too.
            "on_register": {
                "households": households["poor"] + households["exited"],
                "people": people["poor"] + people["exited"],
            },
        }

    def by(self, kind: str, values: Iterable[str]) -> dict[str, dict[str, int]]:
        """{value: {"households", "people"}} over poor and exited households, every coded value present."""
        counter = self.by_cause if kind == "cause" else self.by_attribute
        return {
            value: {"households": counter[(value, "households")], "people": counter[(value, "people")]}
            for value in values
        }


def _flatten(figures: dict, prefix: str = "") -> dict:
    """{"households": {"poor": 3}} → {"households.poor": 3}, in the order of the keys."""
    flat = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def summary_table(summary: dict) -> tuple[list[str], list[list]]:
    """The summary as one table (the summary export): a row for the region, then one per child region; columns
    `code`, `name`, `level`, `as_of`, then every figure by its dotted key (`households.registered`,
    `by_cause.illness.people`, `cadres.pairing_coverage` …). Children carry the figures docs/reports.md gives them; the other
    cells are None. The same numbers as the endpoint, because they are the endpoint's dict."""
    figures = {key: value for key, value in summary.items() if key not in ("region", "as_of", "children")}
    columns = ["code", "name", "level", "as_of", *_flatten(figures)]

    def row(region: dict, values: dict) -> list:
        flat = _flatten({key: value for key, value in values.items() if key != "region"})
        cells = {"code": region["code"], "name": region["name"], "level": region["level"], "as_of": summary["as_of"]}
        return [cells[column] if column in cells else flat.get(column) for column in columns]

    return columns, [row(summary["region"], figures)] + [row(child["region"], child) for child in summary["children"]]
