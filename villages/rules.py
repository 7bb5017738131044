"""Region codes (统计用区划代码): pure functions, no database.

A code has 12 digits: 2 province, 2 city, 2 county, 3 township, 3 village. A region's level is
the last non-zero part; its subtree is every code starting with its significant prefix.
"""

from villages.choices import RegionLevel

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


def child_level(level: str) -> RegionLevel | None:
    order = [lvl for lvl, _length in LEVELS]
    position = order.index(level)
    return order[position + 1] if position + 1 < len(order) else None


def check_region_rows(rows, existing: dict[str, str]):
    """Validate (line, code, name) rows of a region file against each other and the register.

    `existing` maps codes already in the register to their names. Returns (errors, new) where
    errors are "line N: …" sentences and new are the (code, name, level, parent) rows to add,
    parents before children. A row naming an existing code with the same name is already loaded
    and skipped; with another name it is an error (renaming is not loading).
    """
    errors: list[str] = []
    seen: dict[str, int] = {}
    parsed: list[tuple[int, str, str, RegionLevel, str | None]] = []
    for line, code, name in rows:
        code = (code or "").strip()
        name = (name or "").strip()
        try:
            level = level_of(code)
        except RegionCodeError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        if not name:
            errors.append(f"line {line}: region {code} has no name")
            continue
        if len(name) > 100:
            errors.append(f"line {line}: the name of region {code} is longer than 100 characters")
            continue
        if code in seen:
            errors.append(f"line {line}: region {code} is a duplicate of line {seen[code]}")
            continue
        seen[code] = line
        if code in existing:
            if existing[code] != name:
                errors.append(f"line {line}: region {code} already exists as {existing[code]!r}, not {name!r}")
            continue
        parsed.append((line, code, name, level, parent_code(code)))
    for line, code, _name, _level, parent in parsed:
        if parent is not None and parent not in seen and parent not in existing:
            errors.append(f"line {line}: the parent {parent} of region {code} is neither in the file nor loaded")
    new = [(code, name, level, parent) for _line, code, name, level, parent in parsed]
    new.sort(key=lambda row: PREFIX_LENGTH[row[2]])
    return errors, new
