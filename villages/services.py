"""Writes of regions: loading a region file, all or nothing."""

import contextlib
import csv
import io
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from core import regions
from villages import rules
from villages.models import Region


class RegionFileError(ValueError):
    """The file cannot be loaded; `errors` lists every problem by line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadResult:
    added: int
    unchanged: int


def read_region_csv(text: str) -> list[tuple[int, str, str]]:
    """(line, code, name) rows of a `code,name` CSV with that header; a BOM is allowed."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows or [cell.strip().lower() for cell in rows[0][:2]] != ["code", "name"]:
        raise RegionFileError(["line 1: the first line must be the header code,name"])
    out, errors = [], []
    for index, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            errors.append(f"line {index}: expected 2 columns (code,name), found {len(row)}")
            continue
        out.append((index, row[0], row[1]))
    if errors:
        raise RegionFileError(errors)
    return out


def regions_load(*, rows) -> LoadResult:
    """Add the regions of (line, code, name) rows; any bad row and nothing is written."""
    codes = {str(code).strip() for _line, code, _name in rows}
    parents = set()
    for code in codes:
        with contextlib.suppress(regions.RegionCodeError):  # reported with its line by check_region_rows
            parents.add(regions.parent_code(code))
    with transaction.atomic():
        existing = dict(Region.objects.filter(code__in=codes | parents).values_list("code", "name"))
        errors, new = rules.check_region_rows(rows, existing)
        if errors:
            raise RegionFileError(errors)
        try:
            with transaction.atomic():
                Region.objects.bulk_create(
                    [Region(code=code, name=name, level=level, parent_id=parent) for code, name, level, parent in new]
                )
        except IntegrityError as exc:
            raise RegionFileError(["another load added some of these regions at the same time; run again"]) from exc
    return LoadResult(added=len(new), unchanged=len(rows) - len(new))
