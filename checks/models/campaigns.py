"""Cross-check campaigns (交叉互检, 核查回头看, 第三方评估): assignments, samples and verifications."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from checks import choices as c
from core.history import track_changes
from core.models import BaseModel


@track_changes()
class Campaign(BaseModel):
    """A campaign of field verification over a region (核查): teams from other villages check a sample."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=c.CampaignKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2013), MaxValueValidator(2100)])
    region = models.ForeignKey("villages.Region", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("区划"))
    sample_rate = models.DecimalField(
        _("抽样比例"), max_digits=5, decimal_places=4, default=Decimal("1.0000"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(1)],
    )  # fmt: skip
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    seed = models.PositiveIntegerField(_("随机种子"), default=0)
    state = models.CharField(_("进度"), max_length=12, choices=c.CampaignState.choices, default=c.CampaignState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("核查活动")
        verbose_name_plural = _("核查活动")
        ordering = ["-year", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period"),
            models.CheckConstraint(condition=Q(sample_rate__gt=0, sample_rate__lte=1), name="campaign_sample_rate"),
        ]

    def __str__(self):
        return self.name


class CampaignAssignment(models.Model):
    """A village given to a work team from another village for a campaign (交叉分组)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("核查活动"))
    village = models.ForeignKey("villages.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("被核查村"))
    team = models.ForeignKey(
        "cadres.WorkTeam", on_delete=models.PROTECT, related_name="campaign_assignments", verbose_name=_("核查工作队")
    )

    scope_field = "village__code"

    class Meta:
        verbose_name = _("交叉分组")
        verbose_name_plural = _("交叉分组")
        ordering = ["campaign_id", "village_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "village"], name="assignment_one_per_village")]

    def __str__(self):
        return f"{self.village_id} ← {self.team_id}"


class CampaignSample(models.Model):
    """A household drawn for verification in a campaign (抽样户), with what it was when drawn."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="samples", verbose_name=_("核查活动"))
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="campaign_samples", verbose_name=_("户")
    )
    village = models.ForeignKey("villages.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("行政村"))
    group = models.CharField(_("抽样类别"), max_length=16, choices=c.SampleGroup.choices)

    scope_field = "village__code"

    class Meta:
        verbose_name = _("抽样户")
        verbose_name_plural = _("抽样户")
        ordering = ["campaign_id", "village_id", "household_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "household"], name="sample_one_per_household")]

    def __str__(self):
        return f"{self.campaign_id} · {self.household_id}"


@track_changes()
class Verification(BaseModel):
    """A team's verification of a sampled household (核查结果): accurate or discrepancies, and approval (认可度)."""

    sample = models.OneToOneField(
        CampaignSample, on_delete=models.CASCADE, related_name="verification", verbose_name=_("抽样户")
    )
    team = models.ForeignKey("cadres.WorkTeam", on_delete=models.PROTECT, related_name="+", verbose_name=_("核查工作队"))
    verified_on = models.DateField(_("核查日期"))
    accurate = models.BooleanField(_("信息准确"))
    discrepancies = ArrayField(
        models.CharField(max_length=24, choices=c.Discrepancy.choices), verbose_name=_("问题"), default=list, blank=True
    )
    note = models.TextField(_("说明"), blank=True)
    approves = models.BooleanField(_("群众认可"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("核查人")
    )

    scope_field = "sample__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("核查结果")
        verbose_name_plural = _("核查结果")
        ordering = ["sample_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accurate=True, discrepancies__len=0) | Q(accurate=False, discrepancies__len__gt=0),
                name="verification_accurate_or_discrepancies",
            ),
        ]

    def __str__(self):
        return f"{self.sample_id} · {'✓' if self.accurate else ','.join(self.discrepancies)}"
