"""The benchmark's one table (quality.md: metric, value, baseline, ratio, target, verdict) and its JSON.

A row holds the application's figure, the same-run baseline beside it and the target it is held to. The target
is a limit on the value or on the ratio to the baseline (`on`), an upper one unless `at_least`; a row without a
limit is `reported`, a row that was not measured is `not run` with its reason in the note.
"""

import datetime
import json
from dataclasses import asdict, dataclass
from pathlib import Path

MET, NOT_MET, REPORTED, NOT_RUN = "met", "not met", "reported", "not run"


@dataclass
class Row:
    metric: str
    value: float | None
    baseline: float | None = None
    unit: str = "ms"
    target: str = ""
    limit: float | None = None
    on: str = "value"  # "value" or "ratio": what the limit bounds
    at_least: bool = False  # the limit is a floor (req/s), not a ceiling
    note: str = ""
    skipped: bool = False

    @property
    def ratio(self) -> float | None:
        """value ÷ baseline, None without a baseline (or a zero one)."""
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def verdict(self) -> str:
        if self.skipped or self.value is None:
            return NOT_RUN
        if self.limit is None:
            return REPORTED
        measured = self.ratio if self.on == "ratio" else self.value
        if measured is None:
            return NOT_MET
        return MET if (measured >= self.limit if self.at_least else measured <= self.limit) else NOT_MET

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "verdict": self.verdict}


def not_run(metric: str, *, reason: str, target: str = "") -> Row:
    return Row(metric=metric, value=None, target=target, note=reason, skipped=True)


def number(value: float | None, unit: str = "") -> str:
    """A figure for the table: 3 significant digits below 100, whole numbers above; "—" for none."""
    if value is None:
        return "—"
    if unit in ("queries", "errors", "endpoints", "nodes") or abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".rstrip()


COLUMNS = ("metric", "value", "baseline", "ratio", "target", "verdict")


def cells(row: Row) -> list[str]:
    ratio = row.ratio
    return [
        row.metric,
        number(row.value, row.unit),
        number(row.baseline, row.unit),
        "—" if ratio is None else f"{ratio:.2f} ×",
        row.target,
        row.verdict,
    ]


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (readable in a terminal, pasted as it is into bench/README.md), then the notes."""
    lines = [cells(row) for row in rows]
    widths = [max(len(COLUMNS[i]), *(len(line[i]) for line in lines)) for i in range(len(COLUMNS))]
    out = ["| " + " | ".join(name.ljust(widths[i]) for i, name in enumerate(COLUMNS)) + " |"]
    out.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    out.extend("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) + " |" for line in lines)
    notes = [f"- {row.metric}: {row.note}" for row in rows if row.note]
    if notes:
        out.extend(["", "Notes:", *notes])
    return "\n".join(out)


def document(rows: list[Row], *, meta: dict) -> dict:
    """The JSON of a run: what was measured where (`meta`) and every row with its ratio and verdict."""
    return {**meta, "rows": [row.as_dict() for row in rows]}


def write(rows: list[Row], *, meta: dict, directory: Path, now: datetime.datetime | None = None) -> Path:
    """bench/results/bench-<scale>-<UTC time>.json; returns its path."""
    now = now or datetime.datetime.now(datetime.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-{meta.get('scale', 'run')}-{now:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(document(rows, meta=meta), indent=2, ensure_ascii=False, default=str) + "\n")
    return path
