"""Findings (核查问题) and rule runs: one model for what rules, department data and field teams find."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from checks import choices as c
from core.history import track_changes
from core.models import BaseModel


@track_changes()
class Finding(BaseModel):
    """A data-quality finding (核查问题): a rule's verdict on a household, member or village, until closed.

    `key` names the finding's target for its rule ("member:12", "household:7", "village:220821100201");
    at most one open finding exists per (rule, key), so re-running a rule never duplicates one.
    """

    rule = models.CharField(_("规则"), max_length=24, db_index=True)
    severity = models.CharField(_("严重程度"), max_length=8, choices=c.Severity.choices)
    source = models.CharField(_("发现途径"), max_length=16, choices=c.FindingSource.choices)
    key = models.CharField(_("对象标识"), max_length=64)
    village = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="findings", verbose_name=_("行政村")
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("户"),
    )
    member = models.ForeignKey(
        "households.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="findings",
        verbose_name=_("成员"),
    )  # fmt: skip
    # The facts behind the message (rendered in the reader's language by checks.catalog).
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    found_at = models.DateTimeField(_("发现时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=c.FindingStatus.choices, default=c.FindingStatus.OPEN, db_index=True
    )
    resolution = models.TextField(_("整改说明"), blank=True)
    resolved_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("关闭人"),
    )  # fmt: skip
    # The rule run that opened the finding, and the one that closed it when it no longer held.
    run = models.ForeignKey(
        "checks.RuleRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings",
        verbose_name=_("规则校验"),
    )  # fmt: skip
    closed_by_run = models.ForeignKey(
        "checks.RuleRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="closed_findings",
        verbose_name=_("复核关闭"),
    )  # fmt: skip
    comparison = models.ForeignKey(
        "checks.Comparison", on_delete=models.PROTECT, null=True, blank=True, related_name="findings",
        verbose_name=_("数据比对"),
    )  # fmt: skip
    verification = models.ForeignKey(
        "checks.Verification", on_delete=models.PROTECT, null=True, blank=True, related_name="findings",
        verbose_name=_("实地核查"),
    )  # fmt: skip

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("核查问题")
        verbose_name_plural = _("核查问题")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "key"], condition=Q(status="open"), name="finding_one_open"),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True) | (~Q(status="open") & Q(resolved_at__isnull=False)),
                name="finding_resolved_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["household"], condition=Q(status="open"), name="finding_open_household"),
            models.Index(fields=["village", "rule", "status"], name="finding_village_rule"),
        ]

    def __str__(self):
        return f"{self.rule} · {self.key}"


class RuleRun(models.Model):
    """One run of the register rules over a region (规则校验): who, when, which rules, what it opened and closed."""

    region = models.ForeignKey("villages.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    household = models.ForeignKey(
        "households.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("户"),
    )  # fmt: skip
    rules = models.JSONField(_("规则"), default=list)
    trigger = models.CharField(_("触发方式"), max_length=16)  # api, command, import, step, demo, page
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("执行人"),
    )  # fmt: skip
    # {"ID-1": {"found": n, "opened": n, "closed": n}, ...}
    counts = models.JSONField(_("结果"), default=dict)

    scope_field = "region__code"

    class Meta:
        verbose_name = _("规则校验")
        verbose_name_plural = _("规则校验")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.region_id} · {self.started_at:%Y-%m-%d %H:%M}"
