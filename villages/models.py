"""Regions (区划): the administrative tree every record and every permission hangs from."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import regions as rules
from core.history import track_changes
from core.models import BaseModel
from core.regions import RegionLevel
from villages.choices import PovertyVillageStatus


class RegionQuerySet(models.QuerySet):
    def subtree(self, code: str):
        """The region and everything below it: one LIKE 'prefix%' on the indexed code."""
        return self.filter(code__startswith=rules.significant_prefix(code))


@track_changes()
class Region(BaseModel):
    """An administrative region (行政区划) identified by its 12-digit statistical code."""

    # Django adds a varchar_pattern_ops index beside the primary key ("…_like"), which serves
    # LIKE 'prefix%' whatever the collation: subtree queries and scope filters use it.
    code = models.CharField(
        _("区划代码"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^[0-9]{12}$", _("区划代码必须是12位数字"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级区划")
    )

    objects = RegionQuerySet.as_manager()

    scope_field = "code"

    class Meta(BaseModel.Meta):
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"),
            models.CheckConstraint(
                condition=models.Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | (~models.Q(level=RegionLevel.PROVINCE) & models.Q(parent__isnull=False)),
                name="region_parent_unless_province",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def prefix(self) -> str:
        return rules.significant_prefix(self.code)


@track_changes()
class VillageProfile(BaseModel):
    """What the register knows of an administrative village (村情): poverty-village status and its years."""

    village = models.OneToOneField(
        Region,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
        verbose_name=_("行政村"),
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    poverty_status = models.CharField(
        _("贫困村状态"), max_length=16, choices=PovertyVillageStatus.choices, default=PovertyVillageStatus.NON_POVERTY
    )
    identified_year = models.PositiveSmallIntegerField(_("识别年度"), null=True, blank=True)
    exit_year = models.PositiveSmallIntegerField(_("出列年度"), null=True, blank=True)

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("村情")
        verbose_name_plural = _("村情")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(poverty_status=PovertyVillageStatus.NON_POVERTY)
                    | models.Q(identified_year__isnull=False)
                )
                & (models.Q(poverty_status=PovertyVillageStatus.EXITED) | models.Q(exit_year__isnull=True))
                & (~models.Q(poverty_status=PovertyVillageStatus.EXITED) | models.Q(exit_year__isnull=False)),
                name="village_profile_status_years",
            ),
            models.CheckConstraint(
                condition=models.Q(exit_year__isnull=True) | models.Q(exit_year__gte=models.F("identified_year")),
                name="village_profile_exit_after_identification",
            ),
        ]

    def __str__(self):
        return str(self.village)


@track_changes()
class VillageYear(BaseModel):
    """A village's figures for one year: rural registered population, infrastructure, collective income."""

    village = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="years",
        verbose_name=_("行政村"),
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rural_population = models.PositiveIntegerField(_("户籍农业人口"), null=True, blank=True)
    hardened_road = models.BooleanField(_("通硬化路"), null=True, blank=True)
    safe_water = models.BooleanField(_("安全饮水"), null=True, blank=True)
    power_grid = models.BooleanField(_("通动力电"), null=True, blank=True)
    broadband = models.BooleanField(_("通宽带"), null=True, blank=True)
    clinic = models.BooleanField(_("标准化卫生室"), null=True, blank=True)
    culture_room = models.BooleanField(_("文化活动室"), null=True, blank=True)
    collective_income = models.DecimalField(
        _("村集体经济收入（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("村年度数据")
        verbose_name_plural = _("村年度数据")
        ordering = ["village_id", "year"]
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="village_year_unique")]

    def __str__(self):
        return f"{self.village_id} · {self.year}"


@track_changes()
class VillagerGroup(BaseModel):
    """A villager group 村民小组 of an administrative village, named in household addresses."""

    village = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="villager_groups",
        verbose_name=_("行政村"),
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    name = models.CharField(_("名称"), max_length=50)

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("村民小组")
        verbose_name_plural = _("村民小组")
        ordering = ["village_id", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="villager_group_unique_name")]

    def __str__(self):
        return self.name
