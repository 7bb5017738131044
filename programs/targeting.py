"""Targeting rules (对象规则): who a program should reach, as set-based querysets over the register.

Each rule is a small named predicate (programs.rules holds its per-household form) that narrows a
queryset of households: `select(households, year=…, as_of=…)`. `as_of` is the day the register is
read on (members active then, status then); `year` is the year the program's help is counted in,
from 1 January to `as_of`. The registry maps each name of `choices.TargetingRule` to its rule;
`targeted_households` adds the statuses a rule looks at, and the gap list (programs.selectors)
subtracts the households the program has already reached.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from households.choices import ENTITLED_STATUSES
from households.models import AnnualRecord, Household, Member
from lifecycle.selectors import status_as_of
from programs import rules
from programs.choices import TargetingRule
from programs.models import Benefit, CooperativeMembership


def year_start(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def with_status(households: QuerySet, *, statuses, day: datetime.date) -> QuerySet:
    """Households whose status as of the day is one of these."""
    return households.annotate(status_as_of=status_as_of(day)).filter(status_as_of__in=list(statuses))


def _members_on(day: datetime.date):
    return Member.objects.active_on(day).filter(household=OuterRef("pk"))


def housing_cd_not_renovated(households: QuerySet, *, year: int, as_of: datetime.date) -> QuerySet:
    """The latest annual record up to the year grades the house C or D and names no renovation year."""
    latest = AnnualRecord.objects.filter(household=OuterRef("pk"), year__lte=year).order_by("-year")
    return households.annotate(
        latest_housing_grade=Subquery(latest.values("housing_grade")[:1]),
        latest_renovation_year=Subquery(latest.values("renovation_year")[:1]),
    ).filter(latest_housing_grade__in=sorted(rules.DILAPIDATED_GRADES), latest_renovation_year__isnull=True)


def vocational_students(households: QuerySet, *, year: int, as_of: datetime.date) -> QuerySet:
    """A member, in the household on the day, in secondary or higher vocational school (中职、高职)."""
    return households.filter(Exists(_members_on(as_of).filter(school_status__in=sorted(rules.VOCATIONAL_SCHOOL))))


def college_students(households: QuerySet, *, year: int, as_of: datetime.date) -> QuerySet:
    """A member, in the household on the day, at college or university (大专及以上在校生)."""
    return households.filter(Exists(_members_on(as_of).filter(school_status__in=sorted(rules.COLLEGE))))


def serious_illness(households: QuerySet, *, year: int, as_of: datetime.date) -> QuerySet:
    """A member, in the household on the day, with a serious illness (大病)."""
    return households.filter(Exists(_members_on(as_of).filter(health=rules.SERIOUS_ILLNESS)))


def industry_covered_expression(*, start: datetime.date, end: datetime.date, household_ref: str = "pk"):
    """True for the outer household when it has an industry or asset-income benefit dated in [start, end],
    or a cooperative membership active on some day of it (产业覆盖)."""
    benefit = Benefit.objects.filter(
        household=OuterRef(household_ref),
        program__category__in=sorted(rules.INDUSTRY_CATEGORIES),
        date__gte=start,
        date__lte=end,
    )
    membership = CooperativeMembership.objects.filter(household=OuterRef(household_ref), joined__lte=end).exclude(
        left__lte=start
    )
    return Exists(benefit) | Exists(membership)


def no_industry_coverage(households: QuerySet, *, year: int, as_of: datetime.date) -> QuerySet:
    """No industry or asset-income benefit and no cooperative membership from 1 January of the year to the day."""
    return households.exclude(industry_covered_expression(start=year_start(year), end=as_of))


@dataclass(frozen=True)
class Rule:
    """A named targeting rule: its label, the statuses (as of the day) it looks at, and its predicate."""

    name: str
    label: str
    statuses: frozenset[str]
    select: Callable[..., QuerySet]


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(TargetingRule.HOUSING_CD_NOT_RENOVATED, _("C/D级危房未改造"), ENTITLED_STATUSES, housing_cd_not_renovated),
        Rule(TargetingRule.VOCATIONAL_STUDENTS, _("有中职或高职在校生"), ENTITLED_STATUSES, vocational_students),
        Rule(TargetingRule.COLLEGE_STUDENTS, _("有大专及以上在校生"), ENTITLED_STATUSES, college_students),
        Rule(TargetingRule.SERIOUS_ILLNESS, _("有大病患者"), ENTITLED_STATUSES, serious_illness),
        Rule(TargetingRule.NO_INDUSTRY_COVERAGE, _("未覆盖产业项目的未脱贫户"), frozenset({rules.POOR}), no_industry_coverage),
    )
}


def targeted_households(
    *, rule: str, households: QuerySet | None = None, year: int, as_of: datetime.date
) -> QuerySet:
    """The households (of `households`, all by default) the named rule says should be reached in the year."""
    chosen = RULES[rule]
    base = Household.objects.all() if households is None else households
    return chosen.select(with_status(base, statuses=chosen.statuses, day=as_of), year=year, as_of=as_of)


def as_of_for_year(year: int, today: datetime.date) -> datetime.date:
    """The day a year is read on: its last day, or today while the year runs."""
    return today if today.year == year else datetime.date(year, 12, 31)
