"""Timing helpers of the benchmark: a warm-up, then repeated runs; medians (p50) and p99 in milliseconds.

Machines are shared and noisy, so a figure is the median of several runs after a warm-up that fills the caches,
never one run; a step that must not be timed (clearing a kept copy) goes in `before`.
"""

import math
import statistics
import time
from collections.abc import Callable


def median(values: list[float]) -> float:
    """The median (p50) of some values."""
    if not values:
        raise ValueError("the median of no values")
    return statistics.median(values)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at or above `share` (0–1) of the values (p99: 0.99)."""
    if not values:
        raise ValueError("a percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def samples(run: Callable[[], object], *, times: int, warmup: int = 1, before: Callable[[], object] | None = None):
    """Milliseconds of `times` runs of `run` after `warmup` untimed ones; `before` runs untimed before each."""
    for _ in range(warmup):
        if before:
            before()
        run()
    spent = []
    for _ in range(times):
        if before:
            before()
        started = time.perf_counter()
        run()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def p50(run: Callable[[], object], *, times: int, warmup: int = 1, before: Callable[[], object] | None = None) -> float:
    """The median in milliseconds of `times` runs of `run` after the warm-up."""
    return median(samples(run, times=times, warmup=warmup, before=before))


def once(run: Callable[[], object]) -> tuple[float, object]:
    """Seconds one run of `run` took, and its result (for the long steps: a build, an import)."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result
