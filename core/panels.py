"""Panels: parts of a page that an app higher up contributes, without the page's app importing it.

The household card (households, the register) shows the pairing (cadres), benefits (programs),
findings (checks) and procedures (lifecycle); the work queue (core) counts what each app has waiting.
Imports point down only (docs/architecture.md), so the apps above register their panels in their
`AppConfig.ready()` and the page asks the registry:

    panels.register("household_card", cadres_panel, order=40)

A panel is `panel(request, **context) -> dict | None`: the dict is given to the panel's template
(its `template` key names it); None leaves the panel out (no right, nothing to show). Each panel
runs a fixed number of queries whatever the rows, so the page's query count stays pinned.
"""

from collections.abc import Callable
from dataclasses import dataclass

SLOTS = ("household_card", "work_queue")


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    panel: Callable


_registry: dict[str, list[_Entry]] = {slot: [] for slot in SLOTS}


def register(slot: str, panel: Callable, *, order: int = 50) -> None:
    """Add `panel` to the pages of `slot` (registered once, however often called)."""
    if slot not in _registry:
        raise ValueError(f"unknown panel slot {slot!r}; known: {', '.join(SLOTS)}")
    name = f"{panel.__module__}.{panel.__qualname__}"
    entries = _registry[slot]
    if any(entry.name == name for entry in entries):
        return
    entries.append(_Entry(order, name, panel))
    entries.sort(key=lambda entry: (entry.order, entry.name))


def render_context(slot: str, request, **context) -> list[dict]:
    """Every panel's context for this page, in order, leaving out the ones that return None."""
    results = []
    for entry in _registry[slot]:
        result = entry.panel(request, **context)
        if result is not None:
            results.append(result)
    return results
