"""Region codes (统计用区划代码) and levels: the grammar every scope check reads, pure functions, no database.

They live in core because scope (core.scope) is built on code prefixes; the region tree itself
(villages.models.Region) is one floor up.

A code has 12 digits: 2 province, 2 city, 2 county, 3 township, 3 village. A region's level is
the last non-zero part; its subtree is every code starting with its significant prefix.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """Administrative level 行政级别 of a region."""

    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("行政村")

# (level, digits significant at that level), from the top.
LEVELS = (
    (RegionLevel.PROVINCE, 2),
    (RegionLevel.CITY, 4),
    (RegionLevel.COUNTY, 6),
    (RegionLevel.TOWNSHIP, 9),
    (RegionLevel.VILLAGE, 12),
)
PREFIX_LENGTH = dict(LEVELS)


class RegionCodeError(ValueError):
    """A code that is not a valid 12-digit region code; the message says what is wrong."""


def level_of(code: str) -> RegionLevel:
    """The level a 12-digit code stands for; RegionCodeError for anything else.

    Every part after the level's own must be zero, and every part before it non-zero.
    """
    if not isinstance(code, str) or len(code) != 12 or not code.isascii() or not code.isdigit():
        raise RegionCodeError(f"region code {code!r} must be exactly 12 digits")
    start = 0
    for index, (level, end) in enumerate(LEVELS):
        part = code[start:end]
        rest = code[end:]
        if set(part) == {"0"}:
            names = ("province", "city", "county", "township", "village")
            raise RegionCodeError(
                f"region code {code} has a zero {names[index]} part ({part}) before non-zero digits"
                if rest.strip("0")
                else f"region code {code} has a zero {names[index]} part ({part})"
            )
        if not rest.strip("0"):
            return level
        start = end
    raise AssertionError("unreachable")  # pragma: no cover


def significant_prefix(code: str) -> str:
    """The digits that every code in this region's subtree starts with."""
    return code[: PREFIX_LENGTH[level_of(code)]]


def parent_code(code: str) -> str | None:
    """The code of the region one level up, None for a province."""
    level = level_of(code)
    lengths = [length for _level, length in LEVELS]
    index = lengths.index(PREFIX_LENGTH[level])
    if index == 0:
        return None
    keep = lengths[index - 1]
    return code[:keep] + "0" * (12 - keep)


def region_and_ancestor_codes(code: str) -> list[str]:
    """The code and the codes of every region above it, nearest first (a village, its township … its province)."""
    codes = [code]
    while (parent := parent_code(codes[-1])) is not None:
        codes.append(parent)
    return codes


def child_level(level: str) -> RegionLevel | None:
    order = [lvl for lvl, _length in LEVELS]
    position = order.index(level)
    return order[position + 1] if position + 1 < len(order) else None


def smallest_common_region(codes) -> str:
    """The code of the smallest region holding every one of these regions ("" for none).

    >>> smallest_common_region(["220821100201", "220821100202"])
    '220821100000'
    >>> smallest_common_region(["220821100201"])
    '220821100201'
    """
    prefixes = {significant_prefix(code) for code in codes if code}
    if not prefixes:
        return ""
    shared = min(prefixes, key=len)
    for prefix in prefixes:
        while not prefix.startswith(shared):
            shared = shared[:-1]
    length = max((end for _level, end in LEVELS if end <= len(shared)), default=0)
    return shared[:length] + "0" * (12 - length) if length else ""
