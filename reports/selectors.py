"""Reads for reports: the rows the pure report functions need, for a region's subtree, in few queries."""

import datetime

from households.models import Member, StatusChange
from reports import rules
from villages import rules as region_rules


def annual_adjustment(*, region, year: int) -> dict:
    """The year-end adjustment report of a region (two queries, then reports.rules)."""
    prefix = region_rules.significant_prefix(region.code)
    end_day = datetime.date(year, 12, 31)
    changes = [
        rules.Change(*row)
        for row in StatusChange.objects.filter(household__village__code__startswith=prefix, effective_on__lte=end_day)
        .order_by("effective_on", "id")
        .values_list("household_id", "effective_on", "status", "returned")
    ]
    members = [
        rules.Membership(*row)
        for row in Member.objects.filter(household__village__code__startswith=prefix)
        .exclude(joined_on__gt=end_day)
        .values_list("household_id", "joined_on", "join_reason", "left_on", "left_reason")
    ]
    report = rules.annual_adjustment(year=year, changes=changes, members=members)
    report["region"] = {"code": region.code, "name": region.name, "level": region.level}
    return report
