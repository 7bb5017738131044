"""Writes of regions: loading a region file, all or nothing."""

import contextlib
import csv
import io
from dataclasses import dataclass

from django.db import IntegrityError, transaction

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
        with contextlib.suppress(rules.RegionCodeError):  # reported with its line by check_region_rows
            parents.add(rules.parent_code(code))
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


@transaction.atomic
def village_exit_decide(*, user, village: Region, year: int, on):
    """The county decides a poverty village's exit (贫困村出列) for a year; its evaluation must pass.

    Returns the evaluation it decided on. The profile keeps its identification year; its history
    (the trigger-recorded events) keeps the change.
    """
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from core.errors import DomainError
    from core.roles import Capability
    from core.scope import has_capability
    from households.selectors import village_exit_evaluation
    from villages.choices import PovertyVillageStatus
    from villages.models import VillageProfile

    if not has_capability(user, Capability.COUNTY_ADMINISTRATION, village.code):
        raise DomainError("permission_denied", _("只有县扶贫办可以决定贫困村出列"), status=403)
    profile = VillageProfile.objects.select_for_update().filter(village=village).first()
    if profile is None or profile.poverty_status != PovertyVillageStatus.POVERTY:
        raise DomainError("transition_not_allowed", _("只有未出列的贫困村可以出列"))
    if on > timezone.localdate() or on.year < year:
        raise DomainError("transition_not_allowed", _("出列决定日期不能早于评估年度，也不能晚于今天"))
    evaluation = village_exit_evaluation(village=village, year=year)
    if not evaluation.passed:
        raise DomainError(
            "eligibility_failed",
            _("贫困村出列评估未通过：%(checks)s") % {"checks": "、".join(evaluation.failing)},
            errors={"eligibility": evaluation.as_dict()["checks"]},
        )
    profile.poverty_status = PovertyVillageStatus.EXITED
    profile.exit_year = year
    profile.save()
    return evaluation
