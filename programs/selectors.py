"""Reads of the programs app: scoped querysets for the API and the admin, and the figures a county reports.

Scope: benefits, memberships, dividends and project beneficiaries name households, so they are read
with READ_REGISTER in the household's village; programs, cooperatives and projects are figures
(READ_FIGURES). A program covers a region, and everyone working inside that region sees it: a
village team sees the county's programs (to record their benefits) as well as any of its own village.

Figures are a few grouped queries, for a region and per child region, read as of a day:
`program_figures`, `program_figures_by_child`, `program_beneficiaries`, `benefit_totals`,
`project_totals`. Money comes back as a decimal string, rates as ratios rounded to 4 places.
"""

import datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from core import regions as region_rules
from core import series
from core.figures import rate
from core.queries import count_of
from core.roles import Capability, code_in_prefixes
from core.scope import region_prefixes, restrict_to_scope
from households.choices import REGISTERED_STATUSES
from households.models import Household, Member
from households.selectors import head_name, number_in_prefixes
from lifecycle.selectors import latest_change_sql
from programs import rules, targeting
from programs.choices import PeopleBasis
from programs.models import (
    Benefit,
    Cooperative,
    CooperativeMembership,
    Dividend,
    PairingProject,
    Program,
    ProgramHouseholdYear,
    ProgramYear,
    ProjectBeneficiary,
)
from villages.models import Region

# Visibility of programs ---------------------------------------------------------------------------


def _ancestor_codes(prefix: str) -> list[str]:
    """The codes of the region a prefix stands for and of every region above it."""
    codes = [prefix.ljust(12, "0")]
    while (parent := region_rules.parent_code(codes[-1])) is not None:
        codes.append(parent)
    return codes


def programs_visible(*, user, capability: str = Capability.READ_FIGURES) -> QuerySet:
    """Programs whose region lies inside the caller's regions or contains one of them (a county's program is
    seen by the village teams of the county)."""
    queryset = Program.objects.select_related("region")
    prefixes = region_prefixes(user, capability)
    if prefixes is None:
        return queryset
    if not prefixes:
        return queryset.none()
    conditions = [Q(region__code__startswith=p) | Q(region_id__in=_ancestor_codes(p)) for p in prefixes]
    return queryset.filter(reduce(or_, conditions))


def program_visible_to(user, program: Program, capability: str = Capability.READ_FIGURES) -> bool:
    """Whether the program's region and the user's regions (with the capability) overlap."""
    prefixes = region_prefixes(user, capability)
    if prefixes is None:
        return True
    region_prefix = region_rules.significant_prefix(program.region_id)
    return code_in_prefixes(program.region_id, prefixes) or any(p.startswith(region_prefix) for p in prefixes)


# Scoped querysets -----------------------------------------------------------------------------------


def benefits_in_scope(*, user, capability: str = Capability.READ_REGISTER) -> QuerySet:
    return restrict_to_scope(
        Benefit.objects.select_related("program", "household", "member", "recorded_by"),  # for the names shown
        user,
        capability,
    )


def cooperatives_in_scope(*, user, capability: str = Capability.READ_FIGURES, on: datetime.date | None = None):
    """Cooperatives with the number of households that are members on the day (today by default)."""
    day = on or timezone.localdate()
    active = CooperativeMembership.objects.filter(cooperative=OuterRef("pk"), joined__lte=day).exclude(left__lte=day)
    return restrict_to_scope(
        Cooperative.objects.select_related("village").annotate(
            member_households=Coalesce(
                Subquery(active.values("cooperative").annotate(n=Count("household", distinct=True)).values("n")[:1]),
                0,
            )
        ),
        user,
        capability,
    )


def memberships_in_scope(*, user, capability: str = Capability.READ_REGISTER) -> QuerySet:
    return restrict_to_scope(
        CooperativeMembership.objects.select_related("cooperative", "household"), user, capability
    )


def dividends_in_scope(*, user, capability: str = Capability.READ_REGISTER) -> QuerySet:
    return restrict_to_scope(
        Dividend.objects.select_related("membership__cooperative", "membership__household"), user, capability
    )


def projects_in_scope(*, user, capability: str = Capability.READ_FIGURES) -> QuerySet:
    """Pairing-unit projects with the number of households each benefited."""
    return restrict_to_scope(
        PairingProject.objects.select_related("unit", "village").annotate(
            # Per row of the page (a correlated subquery), not a COUNT … GROUP BY over every project of the scope.
            beneficiary_households=count_of(ProjectBeneficiary.objects.filter(project=OuterRef("pk")))
        ),
        user,
        capability,
    )


def project_beneficiaries(*, project: PairingProject, user) -> QuerySet:
    """The households a project benefited, those the caller may read, with their heads' names."""
    households = Household.objects.filter(pk__in=ProjectBeneficiary.objects.filter(project=project).values("household"))
    return restrict_to_scope(households, user, Capability.READ_REGISTER).annotate(head_name=head_name()).order_by("number")


# The gap list -------------------------------------------------------------------------------------


def program_gaps(*, program: Program, user, year: int, as_of: datetime.date) -> QuerySet:
    """Households the program's targeting rule says it should reach in the year and that have no benefit of
    the program in that year: inside the program's region and the caller's scope, with the head's name and
    the status as of the day (`status_as_of`)."""
    prefix = region_rules.significant_prefix(program.region_id)
    base = restrict_to_scope(Household.objects.filter(village__code__startswith=prefix), user, Capability.READ_REGISTER)
    reached = Benefit.objects.filter(
        program=program, household=OuterRef("pk"), date__gte=datetime.date(year, 1, 1), date__lte=as_of
    )
    return (
        targeting.targeted_households(rule=program.targeting_rule, households=base, year=year, as_of=as_of)
        .exclude(Exists(reached))
        .select_related("village")
        .annotate(head_name=head_name())
        .order_by("number")
    )


# Program figures ----------------------------------------------------------------------------------


def program_beneficiaries(*, program: Program, since: datetime.date | None = None, until: datetime.date | None = None):
    """A program's reach (two queries): `beneficiary_households` (distinct households with a benefit),
    `benefit_amount` (the exact sum, a decimal string) and `beneficiary_people`, counted per the program's
    people basis: `member` counts the distinct members named on its benefits (benefits to a whole household
    add no one), `household` counts the distinct members of the benefited households who belonged to them on
    the day of a benefit."""
    benefits = Benefit.objects.filter(program=program)
    if since is not None:
        benefits = benefits.filter(date__gte=since)
    if until is not None:
        benefits = benefits.filter(date__lte=until)
    totals = benefits.aggregate(amount=Sum("amount"), households=Count("household", distinct=True))
    if program.people_basis == PeopleBasis.MEMBER:
        people = benefits.filter(member__isnull=False).aggregate(n=Count("member", distinct=True))["n"]
    else:
        on_benefit_day = benefits.filter(
            household=OuterRef("household_id"),
            date__gte=Coalesce(OuterRef("joined_on"), Value(datetime.date.min)),
            date__lt=Coalesce(OuterRef("left_on"), Value(datetime.date.max)),
        )
        people = Member.objects.filter(Exists(on_benefit_day)).count()
    return {
        "beneficiary_households": totals["households"],
        "beneficiary_people": people,
        "benefit_amount": rules.money_text(totals["amount"]),
    }


def program_year_figures(*, program: Program, year: int) -> dict:
    """program_beneficiaries for a calendar year, read from the kept ProgramYear (one row, kept by triggers on the
    benefits, the members and the program: the same figures, without counting the year's benefits)."""
    row = ProgramYear.objects.filter(program=program, year=year).values("households", "people", "amount").first()
    row = row or {"households": 0, "people": 0, "amount": None}
    return {
        "beneficiary_households": row["households"],
        "beneficiary_people": row["people"],
        "benefit_amount": rules.money_text(row["amount"]),
    }


def _child_key_length(region_code: str) -> int | None:
    """How many digits of a village code name the child region it lies in (None for a village)."""
    child = region_rules.child_level(region_rules.level_of(region_code))
    return None if child is None else region_rules.PREFIX_LENGTH[child]


def grouped_program_figures(
    *, prefix: str, key_length: int, as_of: datetime.date, since: datetime.date, households: bool = True,
    benefits: bool = True,
) -> dict:  # fmt: skip
    """The programs figures of every region whose code starts with `prefix`, grouped by the first `key_length`
    digits of the village code: three queries, whatever the number of groups. Without `households` the household
    statement is left to the caller (reports.selectors counts poor, covered and cooperative households with the
    register, in its own pass; they stay 0 here); without `benefits` the benefits statement too (the summary reads
    the year's benefits from the ledger; amount and households stay 0)."""
    figures: dict[str, dict] = {}

    def entry(key: str) -> dict:
        return figures.setdefault(
            key,
            {
                "benefit_amount": Decimal("0.00"), "benefited_households": 0, "poor": 0, "covered": 0,
                "cooperatives": 0, "cooperative_households": 0, "cooperative_people": 0,
            },
        )  # fmt: skip

    benefit_rows, cooperatives = _grouped_querysets(prefix=prefix, key_length=key_length, as_of=as_of, since=since)
    for row in benefit_rows if benefits else ():
        entry(row["key"]).update(benefit_amount=row["amount"], benefited_households=row["households"])

    household_rows = _household_figures(prefix=prefix, key_length=key_length, as_of=as_of, since=since) if households else []
    for key, poor, covered, cooperative_households, cooperative_people in household_rows:
        entry(key).update(
            poor=poor,
            covered=covered,
            cooperative_households=cooperative_households,
            cooperative_people=cooperative_people,
        )

    for row in cooperatives:
        entry(row["key"])["cooperatives"] = row["n"]
    return figures


def _grouped_querysets(*, prefix: str, key_length: int, as_of: datetime.date, since: datetime.date):
    """Benefits of the period (amount, households) and cooperatives founded by the day, by the first `key_length`
    digits of the village code."""
    benefits = (
        Benefit.objects.filter(household__village__code__startswith=prefix, date__gte=since, date__lte=as_of)
        .annotate(key=Substr("household__village_id", 1, key_length))
        .values("key")
        .annotate(amount=Sum("amount"), households=Count("household", distinct=True))
        .order_by()
    )
    cooperatives = (
        Cooperative.objects.filter(village__code__startswith=prefix, founded__lte=as_of)
        .annotate(key=Substr("village_id", 1, key_length))
        .values("key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return benefits, cooperatives


def grouped_program_figures_by_day(
    *, prefix: str, key_length: int, days, benefits: bool = True
) -> dict[datetime.date, dict]:
    """grouped_program_figures without households for many days (each from 1 January of its year) in two queries
    (core.series), one without `benefits`: {day: {key: raw figures}}; the household figures stay 0 for the caller to
    fill."""
    out: dict[datetime.date, dict] = {day: {} for day in days}

    def entry(day, key: str) -> dict:
        return out[day].setdefault(
            key,
            {
                "benefit_amount": Decimal("0.00"), "benefited_households": 0, "poor": 0, "covered": 0,
                "cooperatives": 0, "cooperative_households": 0, "cooperative_people": 0,
            },
        )  # fmt: skip

    benefit_rows, cooperatives = _grouped_querysets(
        prefix=prefix, key_length=key_length, as_of=series.DAY, since=series.SINCE
    )
    with connection.cursor() as cursor:
        for day, key, amount, households in series.rows_by_day(cursor, benefit_rows, days) if benefits else ():
            entry(day, key).update(benefit_amount=amount, benefited_households=households)
        for day, key, n in series.rows_by_day(cursor, cooperatives, days):
            entry(day, key)["cooperatives"] = n
    return out


# One statement, each fact computed once per household: the ORM would repeat the status subquery in every
# conditional aggregate that names it. The parameters are bound, never formatted into the text.
_HOUSEHOLD_FIGURES_SQL = f"""
WITH latest AS (
    {latest_change_sql(households="IN (SELECT id FROM households_household WHERE village_id LIKE %(pattern)s)", day="%(as_of)s")}
), registered AS (
    SELECT h.id, SUBSTRING(h.village_id, 1, %(key_length)s) AS key, l.status AS state
    FROM latest l JOIN households_household h ON h.id = l.household_id
    WHERE l.status = ANY(%(registered)s)
), covered AS (
    SELECT b.household_id
    FROM programs_benefit b
    JOIN programs_program p ON p.id = b.program_id
    JOIN households_household h ON h.id = b.household_id
    WHERE p.category = ANY(%(industry)s) AND b.date >= %(since)s AND b.date <= %(as_of)s
      AND h.village_id LIKE %(pattern)s
    UNION
    SELECT m.household_id
    FROM programs_cooperativemembership m
    JOIN households_household h ON h.id = m.household_id
    WHERE m.joined <= %(as_of)s AND (m."left" IS NULL OR m."left" > %(since)s) AND h.village_id LIKE %(pattern)s
), in_cooperative AS (
    SELECT m.household_id, COUNT(DISTINCT p.id) AS people
    FROM programs_cooperativemembership m
    JOIN households_household h ON h.id = m.household_id
    LEFT JOIN households_member p ON p.household_id = m.household_id
        AND (p.joined_on IS NULL OR p.joined_on <= %(as_of)s) AND (p.left_on IS NULL OR p.left_on > %(as_of)s)
    WHERE m.joined <= %(as_of)s AND (m."left" IS NULL OR m."left" > %(as_of)s) AND h.village_id LIKE %(pattern)s
    GROUP BY m.household_id
)
SELECT r.key,
       COUNT(*) FILTER (WHERE r.state = %(poor)s),
       COUNT(*) FILTER (WHERE r.state = %(poor)s AND c.household_id IS NOT NULL),
       COUNT(i.household_id),
       COALESCE(SUM(i.people), 0)::integer
FROM registered r
LEFT JOIN covered c ON c.household_id = r.id
LEFT JOIN in_cooperative i ON i.household_id = r.id
GROUP BY r.key
"""  # noqa: S608 - our own constant SQL pieces; values are bound parameters


def _household_figures(*, prefix: str, key_length: int, as_of: datetime.date, since: datetime.date):
    """(key, poor, covered poor, cooperative households, cooperative people) per group of village codes.

    Statuses as of the day are those of lifecycle.selectors.statuses_as_of (the latest status change effective
    by then); coverage is targeting.industry_covered_expression's; people are the members on the day."""
    with connection.cursor() as cursor:
        cursor.execute(
            _HOUSEHOLD_FIGURES_SQL,
            {
                "key_length": key_length,
                "as_of": as_of,
                "since": since,
                "pattern": f"{prefix}%",
                "industry": sorted(rules.INDUSTRY_CATEGORIES),
                "poor": rules.POOR,
                "registered": sorted(REGISTERED_STATUSES),
            },
        )
        return cursor.fetchall()


def shown(raw: dict | None) -> dict:
    """The summary's `programs` figures from the raw figures of grouped_program_figures."""
    raw = raw or {
        "benefit_amount": None, "benefited_households": 0, "poor": 0, "covered": 0, "cooperatives": 0,
        "cooperative_households": 0, "cooperative_people": 0,
    }  # fmt: skip
    return {
        "benefit_amount": rules.money_text(raw["benefit_amount"]),
        "benefited_households": raw["benefited_households"],
        "industry_coverage": rate(raw["covered"], raw["poor"]),
        "cooperatives": raw["cooperatives"],
        "cooperative_households": raw["cooperative_households"],
        "cooperative_people": raw["cooperative_people"],
    }


def program_figures(*, region_code: str, as_of: datetime.date, since: datetime.date | None = None) -> dict:
    """The summary's `programs` figures of a region as of a day (three queries):

    - `benefit_amount` (decimal string) and `benefited_households`: benefits to households of the region dated
      from `since` (1 January of the year of `as_of` by default) to `as_of`;
    - `industry_coverage` 产业覆盖率: poor households (status as of the day) with an industry or asset-income
      benefit, or a cooperative membership, in that period ÷ poor households (None when there are none);
    - `cooperatives`: cooperatives of the region founded by the day;
    - `cooperative_households`, `cooperative_people`: registered households (poor, exited or closed as of the
      day) of the region with a membership active on the day, and their members on the day.
    """
    prefix = region_rules.significant_prefix(region_code)
    since = since or datetime.date(as_of.year, 1, 1)
    grouped = grouped_program_figures(prefix=prefix, key_length=len(prefix), as_of=as_of, since=since)
    return shown(grouped.get(prefix))


def program_figures_by_child(*, region_code: str, as_of: datetime.date, since: datetime.date | None = None) -> dict:
    """`program_figures` of each child region ({child code: figures}, every child present), four queries."""
    key_length = _child_key_length(region_code)
    if key_length is None:
        return {}
    prefix = region_rules.significant_prefix(region_code)
    since = since or datetime.date(as_of.year, 1, 1)
    grouped = grouped_program_figures(prefix=prefix, key_length=key_length, as_of=as_of, since=since)
    children = Region.objects.filter(parent_id=region_code).order_by("code").values_list("code", flat=True)
    return {code: shown(grouped.get(code[:key_length])) for code in children}


BENEFIT_GROUPS = {
    "program": ("program_id", "program__name"),
    "funding_source": ("program__funding_source", None),
    "category": ("program__category", None),
}


def benefit_totals(*, region_code: str, by: str, since: datetime.date, until: datetime.date) -> list[dict]:
    """Benefits to the region's households dated in [since, until], by program, funding source or category
    (one query): each row `key`, `name` (programs only), `amount` (decimal string), `households`, `benefits`."""
    key, name = BENEFIT_GROUPS[by]
    prefix = region_rules.significant_prefix(region_code)
    fields = [key] if name is None else [key, name]
    rows = (
        Benefit.objects.filter(household__village__code__startswith=prefix, date__gte=since, date__lte=until)
        .values(*fields)
        .annotate(amount=Sum("amount"), households=Count("household", distinct=True), benefits=Count("pk"))
        .order_by(key)
    )
    return [
        {
            "key": row[key],
            **({"name": row[name]} if name else {}),
            "amount": rules.money_text(row["amount"]),
            "households": row["households"],
            "benefits": row["benefits"],
        }
        for row in rows
    ]


def project_totals(*, region_code: str, year: int | None = None) -> dict:
    """Pairing-unit projects in the region's villages (all years, or one): how many, funds invested and
    coordinated (decimal strings), trainings (person-times), distinct beneficiary households. Two queries."""
    prefix = region_rules.significant_prefix(region_code)
    projects = PairingProject.objects.filter(village__code__startswith=prefix)
    if year is not None:
        projects = projects.filter(year=year)
    totals = projects.aggregate(
        projects=Count("pk"), invested=Sum("funds_invested"), coordinated=Sum("funds_coordinated"),
        trainings=Sum("trainings"),
    )  # fmt: skip
    households = (
        ProjectBeneficiary.objects.filter(project__in=projects).aggregate(n=Count("household", distinct=True))["n"]
    )
    return {
        "projects": totals["projects"],
        "funds_invested": rules.money_text(totals["invested"]),
        "funds_coordinated": rules.money_text(totals["coordinated"]),
        "trainings": totals["trainings"] or 0,
        "beneficiary_households": households,
    }


# The pages' reads ----------------------------------------------------------------------------------


def beneficiary_people_by_program(*, region_code: str, since: datetime.date, until: datetime.date) -> dict[int, int]:
    """`beneficiary_people` of program_beneficiaries for every program at once, counting only benefits to the
    region's households dated in [since, until] (two grouped queries, whatever the number of programs): members
    named on the benefits of a `member` program; members on the day of a benefit of a `household` program."""
    prefix = region_rules.significant_prefix(region_code)
    benefits = Benefit.objects.filter(household__village__code__startswith=prefix, date__gte=since, date__lte=until)
    named = (
        benefits.filter(program__people_basis=PeopleBasis.MEMBER, member__isnull=False)
        .values("program_id")
        .annotate(n=Count("member", distinct=True))
        .order_by()
    )
    on_benefit_day = (Q(household__members__joined_on__isnull=True) | Q(household__members__joined_on__lte=F("date"))) & (
        Q(household__members__left_on__isnull=True) | Q(household__members__left_on__gt=F("date"))
    )
    whole = (
        benefits.filter(program__people_basis=PeopleBasis.HOUSEHOLD)
        .values("program_id")
        .annotate(n=Count("household__members", filter=on_benefit_day, distinct=True))
        .order_by()
    )
    people = {row["program_id"]: row["n"] for row in named}
    people.update({row["program_id"]: row["n"] for row in whole})
    return people


def program_beneficiary_households(*, program: Program, user, year: int) -> QuerySet:
    """The households in the caller's scope with a benefit of the program in the year, each with its head's name
    and, per row of the page (correlated subqueries, never an aggregate over the region): the number of benefits,
    their amount, the last day and the people reached, counted per the program's people basis as
    program_beneficiaries counts them."""
    since, until = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    benefits = Benefit.objects.filter(program=program, household=OuterRef("pk"), date__gte=since, date__lte=until)
    benefits = benefits.order_by()
    # Which households the year reached is read from their kept rows (ProgramHouseholdYear, one per program, year
    # and household by a unique index): the planner joins them row by row, where an EXISTS over the benefits may be
    # planned by first making the households of every benefit of the program unique (a HashAggregate over them).
    reached = ProgramHouseholdYear.objects.filter(
        program=program, year=year, household=OuterRef("pk"), benefits__gt=0
    )
    if program.people_basis == PeopleBasis.MEMBER:
        people = benefits.filter(member__isnull=False).values(
            n=Func(
                "member_id", function="COUNT", template="%(function)s(DISTINCT %(expressions)s)",
                output_field=IntegerField(),
            )
        )
    else:
        on_benefit_day = Benefit.objects.filter(
            program=program,
            household=OuterRef("household_id"),
            date__gte=Coalesce(OuterRef("joined_on"), Value(datetime.date.min)),
            date__lt=Coalesce(OuterRef("left_on"), Value(datetime.date.max)),
        )
        on_benefit_day = on_benefit_day.filter(date__gte=since, date__lte=until)
        people = (
            Member.objects.filter(household=OuterRef("pk"))
            .filter(Exists(on_benefit_day))
            .order_by()
            .values(n=Func("pk", function="COUNT", output_field=IntegerField()))
        )
    # The number ranges of the program's region and of the scope let the index on the number (the pages' cursor)
    # give the rows in order, from the cursor on: a page costs its own rows at any depth.
    # Prefixes nest or are apart: the narrower of the program's region and each of the scope's regions bounds the
    # numbers (a range given twice would make the planner think the page holds no rows and sort them all).
    program_prefix = region_rules.significant_prefix(program.region_id)
    prefixes = region_prefixes(user, Capability.READ_REGISTER)
    if prefixes is None:
        bounds = [program_prefix]
    else:
        bounds = [p for p in prefixes if p.startswith(program_prefix)] or (
            [program_prefix] if any(program_prefix.startswith(p) for p in prefixes) else []
        )
    households = Household.objects.filter(number_in_prefixes(bounds)) if bounds else Household.objects.none()
    households = restrict_to_scope(households.filter(Exists(reached)), user, Capability.READ_REGISTER)
    return households.select_related("village__parent").annotate(  # the village's and township's names
        head_name=head_name(),
        benefit_count=count_of(benefits),
        benefit_amount=Subquery(benefits.values(total=Func("amount", function="SUM"))),
        last_benefit=Subquery(benefits.values(last=Func("date", function="MAX"))),
        people=Subquery(people, output_field=IntegerField()),
    )


def beneficiary_people_of(
    *, program: Program, household_ids, since: datetime.date | None = None, until: datetime.date | None = None
) -> dict[int, list[str]]:
    """The names of the people each of these households counts in the program's reach (one query): the members
    named on its benefits (`member` basis) or its members on the day of a benefit (`household` basis), as
    program_beneficiaries counts them."""
    benefits = Benefit.objects.filter(program=program)
    if since is not None:
        benefits = benefits.filter(date__gte=since)
    if until is not None:
        benefits = benefits.filter(date__lte=until)
    if program.people_basis == PeopleBasis.MEMBER:
        members = Member.objects.filter(
            pk__in=benefits.filter(household_id__in=household_ids, member__isnull=False).values("member_id")
        )
    else:
        on_benefit_day = benefits.filter(
            household=OuterRef("household_id"),
            date__gte=Coalesce(OuterRef("joined_on"), Value(datetime.date.min)),
            date__lt=Coalesce(OuterRef("left_on"), Value(datetime.date.max)),
        )
        members = Member.objects.filter(household_id__in=household_ids).filter(Exists(on_benefit_day))
    people: dict[int, list[str]] = {}
    for household_id, name in members.order_by("household_id", "birth_date", "id").values_list("household_id", "name"):
        people.setdefault(household_id, []).append(name)
    return people


# The household's timeline -------------------------------------------------------------------------
