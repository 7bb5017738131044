"""Rates, one definition for every figure (no database)."""

from decimal import Decimal

from core.figures import exact_rate, rate


def test_a_rate_rounds_half_up_to_four_places():
    """1 ÷ 8 = 0.125; 1 ÷ 3 → 0.3333; 2 ÷ 3 → 0.6667; 1 ÷ 20000 = 0.00005 → 0.0001; 0.77985 → 0.7799."""
    assert [exact_rate(1, 8), exact_rate(1, 3), exact_rate(2, 3), exact_rate(1, 20000), exact_rate(15597, 20000)] == [
        Decimal("0.1250"), Decimal("0.3333"), Decimal("0.6667"), Decimal("0.0001"), Decimal("0.7799"),
    ]  # fmt: skip


def test_the_json_rate_is_the_same_number_as_a_float():
    assert [rate(2, 3), rate(1, 8), rate(15597, 20000), rate(0, 5)] == [0.6667, 0.125, 0.7799, 0.0]


def test_no_denominator_no_rate():
    """Nothing counted is unknown, not zero."""
    assert exact_rate(3, 0) is None
    assert rate(0, 0) is None
