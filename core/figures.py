"""Rates as every figure of the product shows them (docs/reports.md, Summaries): one definition.

A rate is numerator ÷ denominator rounded half-up to 4 places, None when the denominator is 0. Summaries,
programs and cadres figures give it as a JSON number (`rate`); campaign reports keep the exact decimal
(`exact_rate`) because their thresholds are compared in decimals.
"""

from decimal import ROUND_HALF_UP, Decimal

RATE_PLACES = Decimal("0.0001")


def exact_rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator as a Decimal of 4 places, rounded half-up; None when the denominator is 0."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def rate(numerator: int, denominator: int) -> float | None:
    """The same rate as a float, for JSON figures (0.7799, never 0.77985)."""
    value = exact_rate(numerator, denominator)
    return None if value is None else float(value)
