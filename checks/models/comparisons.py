"""Department comparisons (数据比对): uploaded lists from other departments and the county's veto categories."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from checks import choices as c
from core.history import track_changes
from core.models import BaseModel


@track_changes()
class CategorySetting(BaseModel):
    """A county's setting for a department category: whether a match is a veto (一票否决)."""

    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="category_settings", verbose_name=_("区划")
    )
    category = models.CharField(_("类别"), max_length=20, choices=c.DepartmentCategory.choices)
    veto = models.BooleanField(_("一票否决"), default=False)

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("比对类别设置")
        verbose_name_plural = _("比对类别设置")
        ordering = ["region_id", "category"]
        constraints = [models.UniqueConstraint(fields=["region", "category"], name="category_setting_unique")]

    def __str__(self):
        return f"{self.region_id} · {self.category}"


class Comparison(models.Model):
    """An uploaded department list (比对数据): who, when, which department, the file's digest and row count."""

    region = models.ForeignKey("villages.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    department = models.CharField(_("数据来源部门"), max_length=100)
    file_name = models.CharField(_("文件名"), max_length=200)
    digest = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"))
    matched = models.PositiveIntegerField(_("比中人数"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    scope_field = "region__code"

    class Meta:
        verbose_name = _("数据比对")
        verbose_name_plural = _("数据比对")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.department} · {self.uploaded_at:%Y-%m-%d}"


class ComparisonMatchCount(models.Model):
    """The findings one department list opened, by rule and severity (比中问题数): how many, and how many are still
    open. Kept by database triggers on the findings (migration checks 0002: every insert, delete and change of a
    finding's comparison, rule, severity or status, whoever writes it), so that a comparison's summary reads a row
    per rule instead of counting its findings, as many as the department's list matched."""

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="match_counts", verbose_name=_("数据比对")
    )
    rule = models.CharField(_("规则"), max_length=24)
    severity = models.CharField(_("严重程度"), max_length=8, choices=c.Severity.choices)
    findings = models.PositiveIntegerField(_("问题数"), default=0)
    open_findings = models.PositiveIntegerField(_("待整改"), default=0)

    class Meta:
        verbose_name = _("比中问题数")
        verbose_name_plural = _("比中问题数")
        constraints = [
            models.UniqueConstraint(fields=["comparison", "rule", "severity"], name="comparison_match_count_once")
        ]

    def __str__(self):
        return f"{self.comparison_id} · {self.rule} · {self.severity}: {self.findings}"


class ComparisonRow(models.Model):
    """One row of an uploaded list (personal data: the ID number is shown masked to those who may not see it)."""

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="lines", verbose_name=_("数据比对"))
    line = models.PositiveIntegerField(_("行号"))
    id_number = models.CharField(_("证件号码"), max_length=20)
    category = models.CharField(_("类别"), max_length=20, choices=c.DepartmentCategory.choices)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    scope_field = "comparison__region__code"

    class Meta:
        verbose_name = _("比对数据行")
        verbose_name_plural = _("比对数据行")
        ordering = ["comparison_id", "line"]
        indexes = [models.Index(fields=["id_number"], name="comparison_row_id_number")]

    def __str__(self):
        return f"{self.comparison_id}:{self.line}"
