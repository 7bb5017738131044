"""Loading regions: the checks a region file must pass (pure functions, no database)."""

from core.regions import PREFIX_LENGTH, RegionCodeError, RegionLevel, level_of, parent_code


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
