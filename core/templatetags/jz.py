"""Figures as people write them: 2017年12月31日, 77.98%, 1,234,567.00 元, 19,402."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import number_format

register = template.Library()

EMPTY = "—"


@register.filter
def day(value) -> str:
    """A date in the current language's long form (Chinese: 2017年12月31日); — when missing."""
    if not value:
        return EMPTY
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_filter(value, "DATE_FORMAT")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def percent(value, places: int = 2) -> str:
    """A rate (0.7798) as a percentage (77.98%); — when there is none (a rate of nothing)."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    quantum = Decimal(1).scaleb(-int(places))
    return f"{number_format((number * 100).quantize(quantum, ROUND_HALF_UP), int(places), use_l10n=True, force_grouping=True)}%"


@register.filter
def money(value) -> str:
    """An amount in yuan with separators and two decimals (1,234,567.00)."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    return number_format(number.quantize(Decimal("0.01"), ROUND_HALF_UP), 2, use_l10n=True, force_grouping=True)


@register.filter
def count(value) -> str:
    """A whole number with separators (19,402)."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    return number_format(int(number), 0, use_l10n=True, force_grouping=True)
