"""Every write of the programs app: API, admin, imports and commands call these functions.

Each `<thing>_clean` checks input against the rules and returns the values to store, writing
nothing (the admin's forms call it to show errors beside the fields); each `<thing>_create` /
`<thing>_update` cleans, then writes in one transaction, locking the row it changes. Database
constraints back what can be one (non-negative money, one dividend per membership and year, no
overlapping memberships); when one fires under a race the caller gets the same error as the check.

`user=None` is the system (imports, the demo generator); a user needs the capability over the
row's region: COUNTY_ADMINISTRATION for programs, cooperatives, memberships, dividends and
projects, RECORD_ACTIVITY in the household's village for benefits.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import regions as region_rules
from core.errors import DomainError
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import has_capability
from households.models import Household, Member
from programs import rules
from programs.choices import (
    SUBTYPE_CATEGORY,
    Category,
    CooperativeKind,
    CountUnit,
    FundingSource,
    PeopleBasis,
    Subtype,
    TargetingRule,
)
from programs.models import (
    Benefit,
    Cooperative,
    CooperativeMembership,
    Dividend,
    PairingProject,
    Program,
    ProjectBeneficiary,
)

PROGRAM_FIELDS = (
    "name", "category", "subtype", "start_year", "end_year", "region", "funding_source", "budget", "unit",
    "people_basis", "targeting_rule", "description",
)  # fmt: skip
BENEFIT_FIELDS = ("member", "date", "amount", "quantity", "note")
COOPERATIVE_FIELDS = ("name", "village", "kind", "founded")
MEMBERSHIP_FIELDS = ("joined", "left", "shares")
PROJECT_FIELDS = ("unit", "village", "name", "year", "funds_invested", "funds_coordinated", "trainings")

SHARES_MAX_DIGITS = CooperativeMembership._meta.get_field("shares").max_digits
OVERLAP_CODE = "overlapping_period"  # core.errors.SPECIFIC_CODES: also the top-level code of the 400


def _error(field: str, message, code: str = "invalid") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


class _Errors:
    """Field errors collected while cleaning, raised together."""

    def __init__(self):
        self.errors: dict[str, list] = {}

    def add(self, field: str, message, code: str = "invalid") -> None:
        self.errors.setdefault(field, []).append(ValidationError(message, code=code))

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def money_messages():
    return {
        "invalid": _("金额须为十进制数字（最多两位小数，如 1200.50），不能用科学计数法或浮点数"),
        "negative": _("金额不能为负数"),
        "too_many_places": _("金额最多两位小数"),
        "too_large": _("金额过大"),
    }


def clean_money(errors: _Errors, field: str, value, *, large: bool = False, max_digits: int | None = None):
    """The exact amount of a money field (a Decimal), or an error on the field (and None)."""
    if max_digits is None:
        max_digits = rules.LARGE_MONEY_MAX_DIGITS if large else rules.MONEY_MAX_DIGITS
    try:
        return rules.parse_money(value, max_digits=max_digits)
    except rules.MoneyError as exc:
        errors.add(field, money_messages()[exc.code], "invalid")
        return None


def _require(user, capability: str, region_code: str, message) -> None:
    """A user must hold the capability over the region (None is the system, which may do anything)."""
    if user is not None and not has_capability(user, capability, region_code):
        raise DomainError("permission_denied", message, status=403)


def _choice(errors: _Errors, field: str, value, choices, *, blank: bool = False) -> None:
    if (value in ("", None) and blank) or value in choices.values:
        return
    errors.add(field, _("不是有效的选项：%(value)s") % {"value": value})


def _year(errors: _Errors, field: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 2013 <= value <= 2100:
        errors.add(field, _("年度须在2013至2100之间"))


def _raise_constraint(exc: IntegrityError, handlers: dict) -> None:
    """Turn a constraint that fired (a race the checks could not see) into its field error."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or str(exc)
    for constraint, error in handlers.items():
        if constraint in name:
            raise error() from exc
    raise exc


def _save_checked(row, constraints: dict):
    """full_clean, then save in a savepoint; a database constraint that fires becomes its field error."""
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        _raise_constraint(exc, constraints)
    return row


# Programs ------------------------------------------------------------------------------------------


def program_clean(*, data: dict, program: Program | None = None) -> dict:
    """Check a program's fields (new, or merged with the stored ones); the values to store."""
    values = {field: getattr(program, field) for field in PROGRAM_FIELDS} if program is not None else {
        "subtype": "", "budget": Decimal("0.00"), "unit": CountUnit.YUAN, "people_basis": PeopleBasis.HOUSEHOLD,
        "targeting_rule": "", "description": "",
    }  # fmt: skip
    values.update({k: v for k, v in data.items() if k in PROGRAM_FIELDS})
    errors = _Errors()
    name = (values.get("name") or "").strip()
    if not name:
        errors.add("name", _("须填写项目名称"))
    values["name"] = name
    _choice(errors, "category", values.get("category"), Category)
    _choice(errors, "subtype", values.get("subtype"), Subtype, blank=True)
    if values.get("subtype") in SUBTYPE_CATEGORY and not rules.subtype_fits(
        category=values.get("category"), subtype=values["subtype"]
    ):
        errors.add(
            "subtype",
            _("子类“%(subtype)s”不属于类别“%(category)s”")
            % {"subtype": Subtype(values["subtype"]).label, "category": values.get("category")},
        )
    _choice(errors, "funding_source", values.get("funding_source"), FundingSource)
    _choice(errors, "unit", values.get("unit"), CountUnit)
    _choice(errors, "people_basis", values.get("people_basis"), PeopleBasis)
    _choice(errors, "targeting_rule", values.get("targeting_rule"), TargetingRule, blank=True)
    values["subtype"] = values.get("subtype") or ""
    values["targeting_rule"] = values.get("targeting_rule") or ""
    _year(errors, "start_year", values.get("start_year"))
    _year(errors, "end_year", values.get("end_year"))
    if (
        "start_year" not in errors.errors
        and "end_year" not in errors.errors
        and not rules.years_valid(start_year=values["start_year"], end_year=values["end_year"])
    ):
        errors.add("end_year", _("结束年度不能早于开始年度"))
    if values.get("region") is None:
        errors.add("region", _("须指定覆盖区划"))
    budget = clean_money(errors, "budget", values.get("budget"), large=True)
    if budget is not None:
        values["budget"] = budget
    errors.raise_any()
    return values


def _benefits_outside(program: Program, values: dict):
    """Benefits of the program that its new region or years would leave outside."""
    prefix = values["region"].prefix
    inside = Benefit.objects.filter(
        program=program,
        household__village__code__startswith=prefix,
        date__year__gte=values["start_year"],
        date__year__lte=values["end_year"],
    )
    return Benefit.objects.filter(program=program).exclude(pk__in=inside.values("pk"))


@transaction.atomic
def program_create(*, user, data: dict) -> Program:
    """Set up a program (新建帮扶项目) in a region the county office manages."""
    values = program_clean(data=data)
    _require(user, Capability.COUNTY_ADMINISTRATION, values["region"].code, _("只能在您管理的区划内设立帮扶项目"))
    program = Program(**values)
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def program_update(*, user, program: Program, data: dict) -> Program:
    """Change a program; its region and years cannot shrink past benefits already recorded."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    _require(user, Capability.COUNTY_ADMINISTRATION, program.region_id, _("只能修改您管理的区划内的帮扶项目"))
    values = program_clean(data=data, program=program)
    _require(user, Capability.COUNTY_ADMINISTRATION, values["region"].code, _("只能在您管理的区划内设立帮扶项目"))
    changes_reach = any(values[f] != getattr(program, f) for f in ("region", "start_year", "end_year"))
    if changes_reach and _benefits_outside(program, values).exists():
        raise DomainError(
            "conflict",
            _("已有帮扶记录落在新的区划或年度之外，不能这样修改；请先更正这些帮扶记录"),
        )
    for field, value in values.items():
        setattr(program, field, value)
    program.full_clean()
    program.save()
    return program


# Benefits ------------------------------------------------------------------------------------------


def benefit_clean(
    *, program: Program, household: Household, member: Member | None, date, amount, quantity=1, note: str = ""
) -> dict:
    """Check a benefit: the household in the program's region, the member of that household on the day,
    the day within the program's years, an exact non-negative amount with at most two places."""
    errors = _Errors()
    prefix = region_rules.significant_prefix(program.region_id)
    if not rules.code_in_region(code=household.village_id, region_prefix=prefix):
        errors.add(
            "household",
            _("户 %(number)s 不在项目“%(program)s”的覆盖区划内") % {"number": household.number, "program": program.name},
            "outside_region",
        )
    if not isinstance(date, datetime.date):
        errors.add("date", _("须填写帮扶日期"))
    elif not rules.date_in_years(day=date, start_year=program.start_year, end_year=program.end_year):
        errors.add(
            "date",
            _("帮扶日期须在项目年度 %(start)s–%(end)s 之内") % {"start": program.start_year, "end": program.end_year},
        )
    if member is not None:
        if member.household_id != household.pk:
            errors.add("member", _("受益成员不属于该户"))
        elif isinstance(date, datetime.date) and not rules.member_belongs_on(
            joined_on=member.joined_on, left_on=member.left_on, day=date
        ):
            errors.add("member", _("受益成员在帮扶日期不在该户"))
    cleaned_amount = clean_money(errors, "amount", amount)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        errors.add("quantity", _("数量须为非负整数"))
    if note is not None and len(note) > 200:
        errors.add("note", _("备注最多200字"))
    errors.raise_any()
    return {
        "program": program, "household": household, "member": member, "date": date, "amount": cleaned_amount,
        "quantity": quantity, "note": note or "",
    }  # fmt: skip


@transaction.atomic
def benefit_create(
    *, user, program: Program, household: Household, member: Member | None = None, date, amount, quantity=1,
    note: str = "",
) -> Benefit:  # fmt: skip
    """Record a benefit a household received from a program (登记帮扶), in a village the user works in."""
    _require(user, Capability.RECORD_ACTIVITY, household.village_id, _("只能为您负责的村的户登记帮扶"))
    values = benefit_clean(
        program=program, household=household, member=member, date=date, amount=amount, quantity=quantity, note=note
    )
    benefit = Benefit(**values, recorded_by=user if getattr(user, "pk", None) else None)
    benefit.full_clean()
    benefit.save()
    return benefit


@transaction.atomic
def benefit_update(*, user, benefit: Benefit, data: dict) -> Benefit:
    """Correct a benefit's member, date, amount, quantity or note; its program and household stay."""
    benefit = Benefit.objects.select_for_update().select_related("program", "household").get(pk=benefit.pk)
    _require(user, Capability.RECORD_ACTIVITY, benefit.household.village_id, _("只能修改您负责的村的帮扶记录"))
    values = {field: getattr(benefit, field) for field in BENEFIT_FIELDS}
    values.update({k: v for k, v in data.items() if k in BENEFIT_FIELDS})
    cleaned = benefit_clean(program=benefit.program, household=benefit.household, **values)
    for field in BENEFIT_FIELDS:
        setattr(benefit, field, cleaned[field])
    benefit.full_clean()
    benefit.save()
    return benefit


# Cooperatives --------------------------------------------------------------------------------------


def cooperative_clean(*, data: dict, cooperative: Cooperative | None = None) -> dict:
    values = {field: getattr(cooperative, field) for field in COOPERATIVE_FIELDS} if cooperative else {}
    values.update({k: v for k, v in data.items() if k in COOPERATIVE_FIELDS})
    errors = _Errors()
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        errors.add("name", _("须填写合作社名称"))
    village = values.get("village")
    if village is None or village.level != RegionLevel.VILLAGE:
        errors.add("village", _("合作社须登记在行政村"))
    _choice(errors, "kind", values.get("kind"), CooperativeKind)
    if not isinstance(values.get("founded"), datetime.date):
        errors.add("founded", _("须填写成立日期"))
    errors.raise_any()
    duplicate = Cooperative.objects.filter(village=village, name=values["name"])
    if cooperative is not None:
        duplicate = duplicate.exclude(pk=cooperative.pk)
    if duplicate.exists():
        raise _error("name", _("该村已有同名合作社"), "unique")
    if cooperative is not None:
        earliest = cooperative.memberships.order_by("joined").values_list("joined", flat=True).first()
        if earliest is not None and values["founded"] > earliest:
            raise _error("founded", _("成立日期不能晚于最早的入社日期 %(day)s") % {"day": earliest})
        if values["village"].code[:6] != cooperative.village_id[:6] and cooperative.memberships.exists():
            raise _error("village", _("已有成员的合作社不能迁到其他县"))
    return values


def _duplicate_cooperative():
    return _error("name", _("该村已有同名合作社"), "unique")


@transaction.atomic
def cooperative_create(*, user, data: dict) -> Cooperative:
    """Register a cooperative (登记合作社) in a village."""
    values = cooperative_clean(data=data)
    _require(user, Capability.COUNTY_ADMINISTRATION, values["village"].code, _("只能在您管理的区划内登记合作社"))
    cooperative = Cooperative(**values)
    return _save_checked(cooperative, {"cooperative_unique_name_in_village": _duplicate_cooperative})


@transaction.atomic
def cooperative_update(*, user, cooperative: Cooperative, data: dict) -> Cooperative:
    """Change a cooperative's name, village, kind or founding date."""
    cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    _require(user, Capability.COUNTY_ADMINISTRATION, cooperative.village_id, _("只能修改您管理的区划内的合作社"))
    values = cooperative_clean(data=data, cooperative=cooperative)
    _require(user, Capability.COUNTY_ADMINISTRATION, values["village"].code, _("只能在您管理的区划内登记合作社"))
    for field, value in values.items():
        setattr(cooperative, field, value)
    return _save_checked(cooperative, {"cooperative_unique_name_in_village": _duplicate_cooperative})


def _overlap_error():
    return _error("joined", _("该户在此合作社已有重叠的成员期"), OVERLAP_CODE)


def membership_clean(
    *, cooperative: Cooperative, household: Household, joined, left=None, shares=Decimal("1.00"),
    membership: CooperativeMembership | None = None,
) -> dict:  # fmt: skip
    """Check a membership: a household of the cooperative's county, joined after the founding, left after
    joining, shares an exact non-negative number, and no overlap with the household's other memberships."""
    errors = _Errors()
    if household.village_id[:6] != cooperative.village_id[:6]:
        errors.add("household", _("户须与合作社在同一县"), "outside_region")
    if not isinstance(joined, datetime.date):
        errors.add("joined", _("须填写入社日期"))
    elif joined < cooperative.founded:
        errors.add("joined", _("入社日期不能早于合作社成立日期 %(day)s") % {"day": cooperative.founded})
    if left is not None and (not isinstance(left, datetime.date) or (isinstance(joined, datetime.date) and left <= joined)):
        errors.add("left", _("退社日期须晚于入社日期"))
    cleaned_shares = clean_money(errors, "shares", shares, max_digits=SHARES_MAX_DIGITS)
    errors.raise_any()
    others = CooperativeMembership.objects.filter(cooperative=cooperative, household=household)
    if membership is not None:
        others = others.exclude(pk=membership.pk)
    if any(rules.periods_overlap(joined, left, o.joined, o.left) for o in others):
        raise _overlap_error()
    if membership is not None:
        outside = Q(year__lt=joined.year) if left is None else Q(year__lt=joined.year) | Q(year__gt=left.year)
        if membership.dividends.filter(outside).exists():
            raise _error("left", _("成员期须包含已发放分红的年度"))
    return {"cooperative": cooperative, "household": household, "joined": joined, "left": left, "shares": cleaned_shares}


@transaction.atomic
def membership_create(
    *, user, cooperative: Cooperative, household: Household, joined, left=None, shares=Decimal("1.00")
) -> CooperativeMembership:
    """A household joins a cooperative (入社)."""
    _require(user, Capability.COUNTY_ADMINISTRATION, household.village_id, _("只能为您管理的区划内的户登记入社"))
    household = Household.objects.select_for_update().get(pk=household.pk)  # serialises two joins of one household
    values = membership_clean(cooperative=cooperative, household=household, joined=joined, left=left, shares=shares)
    membership = CooperativeMembership(**values)
    return _save_checked(membership, {"coop_membership_no_overlap": _overlap_error})


@transaction.atomic
def membership_update(*, user, membership: CooperativeMembership, data: dict) -> CooperativeMembership:
    """Change a membership's dates or shares; leaving is setting `left`."""
    membership = CooperativeMembership.objects.select_for_update().select_related("cooperative", "household").get(
        pk=membership.pk
    )
    _require(user, Capability.COUNTY_ADMINISTRATION, membership.household.village_id, _("只能修改您管理的区划内的入社记录"))
    values = {field: getattr(membership, field) for field in MEMBERSHIP_FIELDS}
    values.update({k: v for k, v in data.items() if k in MEMBERSHIP_FIELDS})
    cleaned = membership_clean(
        cooperative=membership.cooperative, household=membership.household, membership=membership, **values
    )
    for field in MEMBERSHIP_FIELDS:
        setattr(membership, field, cleaned[field])
    return _save_checked(membership, {"coop_membership_no_overlap": _overlap_error})


def _duplicate_dividend():
    return _error("year", _("该成员该年度的分红已登记"), "unique")


def dividend_clean(*, membership: CooperativeMembership, year, amount, dividend: Dividend | None = None) -> dict:
    """Check a dividend: a year in which the membership ran, an exact non-negative amount, one per year."""
    errors = _Errors()
    _year(errors, "year", year)
    if "year" not in errors.errors and not rules.membership_in_period(
        joined=membership.joined,
        left=membership.left,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
    ):
        errors.add("year", _("该年度该户不是合作社成员"))
    cleaned_amount = clean_money(errors, "amount", amount)
    errors.raise_any()
    duplicate = Dividend.objects.filter(membership=membership, year=year)
    if dividend is not None:
        duplicate = duplicate.exclude(pk=dividend.pk)
    if duplicate.exists():
        raise _duplicate_dividend()
    return {"membership": membership, "year": year, "amount": cleaned_amount}


@transaction.atomic
def dividend_create(*, user, membership: CooperativeMembership, year: int, amount) -> Dividend:
    """Record a year's dividend paid on a membership (分红)."""
    _require(
        user, Capability.COUNTY_ADMINISTRATION, membership.household.village_id, _("只能为您管理的区划内的户登记分红")
    )
    membership = CooperativeMembership.objects.select_for_update().get(pk=membership.pk)
    dividend = Dividend(**dividend_clean(membership=membership, year=year, amount=amount))
    return _save_checked(dividend, {"dividend_one_per_membership_year": _duplicate_dividend})


@transaction.atomic
def dividend_update(*, user, dividend: Dividend, data: dict) -> Dividend:
    """Correct a dividend's amount (or its year)."""
    dividend = Dividend.objects.select_for_update().select_related("membership__household").get(pk=dividend.pk)
    _require(
        user, Capability.COUNTY_ADMINISTRATION, dividend.membership.household.village_id, _("只能修改您管理的区划内的分红")
    )
    cleaned = dividend_clean(
        membership=dividend.membership,
        year=data.get("year", dividend.year),
        amount=data.get("amount", dividend.amount),
        dividend=dividend,
    )
    dividend.year, dividend.amount = cleaned["year"], cleaned["amount"]
    return _save_checked(dividend, {"dividend_one_per_membership_year": _duplicate_dividend})


# Pairing-unit projects -----------------------------------------------------------------------------


def project_clean(*, data: dict, beneficiaries=None, project: PairingProject | None = None) -> dict:
    """Check a pairing-unit project: a village, a year, exact non-negative funds, trainings as a count, and
    every beneficiary household registered in the project's village (a project serves its own village)."""
    values = {field: getattr(project, field) for field in PROJECT_FIELDS} if project else {
        "funds_invested": Decimal("0.00"), "funds_coordinated": Decimal("0.00"), "trainings": 0,
    }  # fmt: skip
    values.update({k: v for k, v in data.items() if k in PROJECT_FIELDS})
    errors = _Errors()
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        errors.add("name", _("须填写项目名称"))
    if values.get("unit") is None:
        errors.add("unit", _("须指定帮扶单位"))
    village = values.get("village")
    if village is None or village.level != RegionLevel.VILLAGE:
        errors.add("village", _("项目须落在行政村"))
    _year(errors, "year", values.get("year"))
    for field in ("funds_invested", "funds_coordinated"):
        amount = clean_money(errors, field, values.get(field), large=True)
        if amount is not None:
            values[field] = amount
    trainings = values.get("trainings")
    if not isinstance(trainings, int) or isinstance(trainings, bool) or trainings < 0:
        errors.add("trainings", _("培训人次须为非负整数"))
    errors.raise_any()
    if beneficiaries is None and project is not None:
        households = list(project.beneficiaries.all())
    else:
        households = list(beneficiaries or [])
    ids = [h.pk for h in households]
    if len(set(ids)) != len(ids):
        errors.add("beneficiaries", _("受益户重复"))
    outside = sorted(h.number for h in households if h.village_id != village.code)
    if outside:
        errors.add(
            "beneficiaries",
            _("受益户须是项目村的户：%(numbers)s") % {"numbers": "、".join(outside[:10])},
            "outside_region",
        )
    errors.raise_any()
    values["beneficiaries"] = households
    return values


def _set_beneficiaries(project: PairingProject, households) -> None:
    ProjectBeneficiary.objects.filter(project=project).exclude(household__in=households).delete()
    have = set(ProjectBeneficiary.objects.filter(project=project).values_list("household_id", flat=True))
    ProjectBeneficiary.objects.bulk_create(
        [ProjectBeneficiary(project=project, household=h) for h in households if h.pk not in have]
    )


@transaction.atomic
def project_create(*, user, data: dict, beneficiaries=None) -> PairingProject:
    """Record a pairing unit's project in a village (帮扶单位项目) with the households it benefited."""
    values = project_clean(data=data, beneficiaries=beneficiaries)
    _require(user, Capability.COUNTY_ADMINISTRATION, values["village"].code, _("只能在您管理的区划内登记项目"))
    households = values.pop("beneficiaries")
    project = PairingProject(**values)
    project.full_clean()
    project.save()
    _set_beneficiaries(project, households)
    return project


@transaction.atomic
def project_update(*, user, project: PairingProject, data: dict, beneficiaries=None) -> PairingProject:
    """Change a project; `beneficiaries` (when given) replaces its list of households."""
    project = PairingProject.objects.select_for_update().get(pk=project.pk)
    _require(user, Capability.COUNTY_ADMINISTRATION, project.village_id, _("只能修改您管理的区划内的项目"))
    values = project_clean(data=data, beneficiaries=beneficiaries, project=project)
    _require(user, Capability.COUNTY_ADMINISTRATION, values["village"].code, _("只能在您管理的区划内登记项目"))
    households = values.pop("beneficiaries")
    for field, value in values.items():
        setattr(project, field, value)
    project.full_clean()
    project.save()
    if beneficiaries is not None:
        _set_beneficiaries(project, households)
    return project
