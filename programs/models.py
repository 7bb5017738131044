"""Help received (帮扶): programs and their benefits, cooperatives with memberships and dividends, pairing-unit projects.

Money is DecimalField everywhere (yuan, two places); totals are exact sums in the database. The
tables are plain rows with foreign keys by id and defaults for everything optional, so a generator
can fill them with COPY (the history triggers record those rows too).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import track_changes
from core.models import BaseModel
from core.ranges import period, same
from programs import choices as c
from programs.rules import LARGE_MONEY_MAX_DIGITS, MONEY_MAX_DIGITS, MONEY_PLACES

YEAR_VALIDATORS = [MinValueValidator(2013), MaxValueValidator(2100)]


def money(label, *, large: bool = False, **kwargs):
    """An exact, non-negative amount of yuan with two places."""
    return models.DecimalField(
        label,
        max_digits=LARGE_MONEY_MAX_DIGITS if large else MONEY_MAX_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
        **kwargs,
    )


@track_changes()
class Program(BaseModel):
    """A help program or policy (帮扶项目/政策): what it gives, where, in which years, paid from which source."""

    name = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=c.Category.choices)
    subtype = models.CharField(_("子类"), max_length=24, choices=c.Subtype.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("开始年度"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("结束年度"), validators=YEAR_VALIDATORS)
    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="programs", verbose_name=_("覆盖区划")
    )
    funding_source = models.CharField(_("资金来源"), max_length=16, choices=c.FundingSource.choices)
    budget = money(_("预算（元）"), large=True)
    unit = models.CharField(_("计量单位"), max_length=16, choices=c.CountUnit.choices, default=c.CountUnit.YUAN)
    people_basis = models.CharField(
        _("受益人口口径"),
        max_length=16,
        choices=c.PeopleBasis.choices,
        default=c.PeopleBasis.HOUSEHOLD,
        help_text=_("按受益成员计：只计帮扶记录所列成员；按受益户人口计：计受益户在帮扶日期的全部成员"),
    )
    targeting_rule = models.CharField(
        _("对象规则"), max_length=32, choices=c.TargetingRule.choices, blank=True
    )
    description = models.TextField(_("说明"), blank=True)

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("帮扶项目")
        verbose_name_plural = _("帮扶项目")
        ordering = ["-start_year", "name", "id"]
        indexes = [models.Index(fields=["category"], name="program_category")]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="program_years"),
            models.CheckConstraint(condition=Q(start_year__gte=2013, end_year__lte=2100), name="program_year_range"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="program_budget_not_negative"),
        ]

    def __str__(self):
        years = str(self.start_year) if self.end_year == self.start_year else f"{self.start_year}–{self.end_year}"
        return f"{self.name}（{years}）"


@track_changes()
class Benefit(BaseModel):
    """A benefit a household (or one of its members) received from a program (帮扶记录)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="benefits", verbose_name=_("帮扶项目"))
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="benefits", verbose_name=_("户")
    )
    member = models.ForeignKey(
        "households.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefits",
        verbose_name=_("受益成员"),
    )
    date = models.DateField(_("帮扶日期"))
    amount = money(_("金额（元）"))
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("登记人"),
    )  # fmt: skip

    scope_field = "household__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["program", "household"], name="benefit_program_household"),
            models.Index(fields=["household", "date"], name="benefit_household_date"),
            models.Index(fields=["date"], name="benefit_date"),
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="benefit_amount_not_negative")]

    def __str__(self):
        return f"{self.program_id} → {self.household_id} ({self.date})"


class ProgramYear(models.Model):
    """A program's reach in a calendar year (项目年度受益): the households it reached, the people (by the program's
    people basis), its benefits and their amount. Kept by database triggers (migration programs 0002) from
    ProgramHouseholdYear, so that the program's page reads one row instead of counting the year's benefits."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("帮扶项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    households = models.PositiveIntegerField(_("受益户数"), default=0)
    people = models.PositiveIntegerField(_("受益人数"), default=0)
    benefits = models.PositiveIntegerField(_("帮扶次数"), default=0)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=LARGE_MONEY_MAX_DIGITS + 2, decimal_places=MONEY_PLACES, default=Decimal("0.00")
    )

    class Meta:
        verbose_name = _("项目年度受益")
        verbose_name_plural = _("项目年度受益")
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="program_year_once")]

    def __str__(self):
        return f"{self.program_id} · {self.year}"


class ProgramHouseholdYear(models.Model):
    """One household's part of a program's year (项目年度受益户): its benefits of the year and their amount, and the
    people of the household the program reached (members now in it: named on a benefit of the year, for the member
    basis; in the household on the day of one of its benefits, for the household basis). Counted again from the
    benefits and members by the triggers of migration programs 0002 whenever a benefit, a member or the program's
    people basis changes; the deltas go to ProgramYear."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("帮扶项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    # No cascade and no database constraint: a household's rows go when its members and benefits do (the triggers
    # count them again); deleting them with the household would leave ProgramYear's totals behind.
    household = models.ForeignKey(
        "households.Household", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
        verbose_name=_("户"),
    )  # fmt: skip
    benefits = models.PositiveIntegerField(_("帮扶次数"), default=0)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=LARGE_MONEY_MAX_DIGITS + 2, decimal_places=MONEY_PLACES, default=Decimal("0.00")
    )
    people = models.PositiveIntegerField(_("受益人数"), default=0)

    class Meta:
        verbose_name = _("项目年度受益户")
        verbose_name_plural = _("项目年度受益户")
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "household"], name="program_household_year_once")
        ]
        indexes = [models.Index(fields=["household"], name="program_household_year_hh")]

    def __str__(self):
        return f"{self.program_id} · {self.year} · {self.household_id}"


@track_changes()
class Cooperative(BaseModel):
    """A farmers' cooperative (合作社) registered in a village; households join it and share its dividends."""

    name = models.CharField(_("合作社名称"), max_length=100)
    village = models.ForeignKey(
        "villages.Region",
        on_delete=models.PROTECT,
        related_name="cooperatives",
        verbose_name=_("所在村"),
        limit_choices_to={"level": "village"},
    )
    kind = models.CharField(_("类型"), max_length=16, choices=c.CooperativeKind.choices)
    founded = models.DateField(_("成立日期"))

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("合作社")
        verbose_name_plural = _("合作社")
        ordering = ["village_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="cooperative_unique_name_in_village")]

    def __str__(self):
        return self.name


@track_changes()
class CooperativeMembership(BaseModel):
    """A household's membership of a cooperative (入社): joined, left, shares held."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("合作社")
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="cooperative_memberships", verbose_name=_("户")
    )
    joined = models.DateField(_("入社日期"))
    left = models.DateField(_("退社日期"), null=True, blank=True)
    shares = models.DecimalField(
        _("股份"), max_digits=12, decimal_places=2, default=Decimal("1.00"), validators=[MinValueValidator(0)]
    )

    scope_field = "household__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("合作社成员")
        verbose_name_plural = _("合作社成员")
        ordering = ["cooperative_id", "joined", "id"]
        indexes = [models.Index(fields=["household", "joined"], name="coop_membership_household")]
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gt=models.F("joined")), name="coop_membership_period"
            ),
            models.CheckConstraint(condition=Q(shares__gte=0), name="coop_membership_shares_not_negative"),
            ExclusionConstraint(
                name="coop_membership_no_overlap",
                expressions=[
                    (same("cooperative"), RangeOperators.OVERLAPS),
                    (same("household"), RangeOperators.OVERLAPS),
                    (period("joined", "left"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.household_id} @ {self.cooperative_id} ({self.joined})"


@track_changes()
class Dividend(BaseModel):
    """A year's dividend paid to a household on its membership (分红)."""

    membership = models.ForeignKey(
        CooperativeMembership, on_delete=models.PROTECT, related_name="dividends", verbose_name=_("合作社成员")
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    amount = money(_("分红金额（元）"))

    scope_field = "membership__household__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("分红")
        verbose_name_plural = _("分红")
        ordering = ["membership_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="dividend_one_per_membership_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dividend_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.membership_id} · {self.year}"


@track_changes()
class PairingProject(BaseModel):
    """A project of a pairing unit in a village (帮扶项目): funds invested and coordinated, trainings, households reached."""

    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="projects", verbose_name=_("帮扶单位"))
    village = models.ForeignKey(
        "villages.Region",
        on_delete=models.PROTECT,
        related_name="pairing_projects",
        verbose_name=_("项目村"),
        limit_choices_to={"level": "village"},
    )
    name = models.CharField(_("项目名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    funds_invested = money(_("投入资金（元）"), large=True)
    funds_coordinated = money(_("协调引进资金（元）"), large=True)
    trainings = models.PositiveIntegerField(_("培训人次"), default=0)
    beneficiaries = models.ManyToManyField(
        "households.Household",
        through="ProjectBeneficiary",
        related_name="pairing_projects",
        verbose_name=_("受益户"),
        blank=True,
    )

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("帮扶单位项目")
        verbose_name_plural = _("帮扶单位项目")
        ordering = ["-year", "village_id", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(funds_invested__gte=0), name="project_invested_not_negative"),
            models.CheckConstraint(condition=Q(funds_coordinated__gte=0), name="project_coordinated_not_negative"),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"


@track_changes()
class ProjectBeneficiary(models.Model):
    """A household a pairing-unit project benefited (项目受益户)."""

    project = models.ForeignKey(
        PairingProject, on_delete=models.CASCADE, related_name="beneficiary_rows", verbose_name=_("帮扶单位项目")
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("户")
    )

    scope_field = "household__village__code"

    class Meta:
        verbose_name = _("项目受益户")
        verbose_name_plural = _("项目受益户")
        ordering = ["project_id", "household_id"]
        constraints = [models.UniqueConstraint(fields=["project", "household"], name="project_beneficiary_once")]

    def __str__(self):
        return f"{self.project_id} → {self.household_id}"
