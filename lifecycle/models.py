"""The lifecycle (动态管理, workflows.md): procedures, their steps, notices, objections, status history.

The tables keep the names they had when these models lived in the register (households_*), so the
move to this app changed no data; the history (event) tables too.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import track_changes
from core.models import BaseModel
from households import choices as hc
from households.models import Household
from lifecycle import choices as c


@track_changes(table="households_procedureevent")
class Procedure(BaseModel):
    """A procedure (程序) that may change a household's registry status; it ends with a county decision."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("户"))
    kind = models.CharField(_("程序类型"), max_length=20, choices=c.ProcedureKind.choices)
    state = models.CharField(_("程序状态"), max_length=12, choices=c.ProcedureState.choices, default=c.ProcedureState.OPEN)
    position = models.PositiveSmallIntegerField(_("下一步序号"), default=0, editable=False)
    opened_on = models.DateField(_("发起日期"))
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=32, blank=True)
    monitoring_type = models.CharField(_("监测对象类型"), max_length=20, choices=c.MonitoringType.choices, blank=True)
    rejection = models.TextField(_("未通过原因"), blank=True)
    evaluation = models.JSONField(_("退出评估"), null=True, blank=True, editable=False)
    # The plan year an approved exit counts in (脱贫计划年度), named by the county: an approval in January may close
    # the previous year's plan. Null for every other kind (and an exit still open).
    plan_year = models.PositiveSmallIntegerField(_("计划年度"), null=True, blank=True, editable=False)

    scope_field = "household__village__code"

    class Meta(BaseModel.Meta):
        db_table = "households_procedure"
        verbose_name = _("程序")
        verbose_name_plural = _("程序")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(state="open"), name="procedure_one_open_per_household"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.household_id}"


@track_changes(table="households_procedurestepevent")
class ProcedureStep(BaseModel):
    """A step taken in a procedure (程序步骤): who acted, when, the decision, a note and the step's data."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("程序"))
    step = models.CharField(_("步骤"), max_length=20, choices=c.Step.choices)
    decision = models.CharField(_("决定"), max_length=8, choices=c.Decision.choices)
    date = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("步骤数据"), default=dict, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="procedure_steps", verbose_name=_("办理人")
    )

    scope_field = "procedure__household__village__code"

    class Meta(BaseModel.Meta):
        db_table = "households_procedurestep"
        verbose_name = _("程序步骤")
        verbose_name_plural = _("程序步骤")
        ordering = ["procedure_id", "id"]

    def __str__(self):
        return f"{self.get_step_display()} · {self.get_decision_display()}"


@track_changes(table="households_noticeevent")
class Notice(BaseModel):
    """A public notice (公示) of a procedure step, listed per village for the village board."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="notices", verbose_name=_("程序"))
    step = models.CharField(_("步骤"), max_length=20, choices=c.Step.choices)
    village = models.ForeignKey("villages.Region", on_delete=models.PROTECT, related_name="notices", verbose_name=_("行政村"))
    start = models.DateField(_("公示开始"))
    end = models.DateField(_("公示结束"))

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        db_table = "households_notice"
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="notice_end_after_start")]

    def __str__(self):
        return f"{self.get_step_display()} {self.start}–{self.end}"


@track_changes(table="households_objectionevent")
class Objection(BaseModel):
    """An objection (异议) lodged during a notice, and how it was resolved."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections", verbose_name=_("公示"))
    lodged_on = models.DateField(_("提出日期"))
    lodged_by = models.CharField(_("提出人"), max_length=50)
    content = models.TextField(_("异议内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    outcome = models.CharField(_("处理结果"), max_length=12, choices=c.ObjectionOutcome.choices, blank=True)
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    resolution = models.TextField(_("处理说明"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("处理人")
    )

    scope_field = "notice__village__code"

    class Meta(BaseModel.Meta):
        db_table = "households_objection"
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["notice_id", "id"]

    def __str__(self):
        return f"{self.lodged_by} · {self.lodged_on}"


class StatusChange(models.Model):
    """A dated change of a household's registry status (状态变更), written by a county decision.

    Effective on the announcement date. The register as of any date is read from these rows;
    they are never edited: a correction is a new row that names the one it corrects.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("户")
    )
    status = models.CharField(_("登记状态"), max_length=16, choices=hc.RegistryStatus.choices)
    returned = models.BooleanField(_("返贫"), default=False)
    effective_on = models.DateField(_("生效日期"))
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, null=True, blank=True, related_name="status_changes", verbose_name=_("程序")
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("更正")
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    reason = models.TextField(_("更正原因"), blank=True)

    scope_field = "household__village__code"

    class Meta:
        db_table = "households_statuschange"
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["household_id", "effective_on", "id"]
        indexes = [
            # "status of these households as of D": DISTINCT ON (household) ORDER BY effective_on DESC, id DESC
            models.Index(fields=["household", "-effective_on", "-id"], name="status_change_as_of"),
        ]
        constraints = [
            # A correction says why (更正原因): the history shows who corrected what, and for what reason.
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="status_change_correction_has_reason"
            ),
        ]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.household_id} → {self.status} ({self.effective_on})"


class MonitoringChange(models.Model):
    """A dated change of a household's monitoring status (防返贫监测), from a county decision; append-only."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="monitoring_changes", verbose_name=_("户")
    )
    monitoring_type = models.CharField(_("监测对象类型"), max_length=20, choices=c.MonitoringType.choices)
    status = models.CharField(_("监测状态"), max_length=16, choices=hc.MonitoringStatus.choices)
    effective_on = models.DateField(_("生效日期"))
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, null=True, blank=True, related_name="monitoring_changes", verbose_name=_("程序")
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope_field = "household__village__code"

    class Meta:
        db_table = "households_monitoringchange"
        verbose_name = _("监测状态变更")
        verbose_name_plural = _("监测状态变更")
        ordering = ["household_id", "effective_on", "id"]
        indexes = [models.Index(fields=["household", "-effective_on", "-id"], name="monitoring_change_as_of")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.household_id} → {self.status} ({self.effective_on})"


class PublishedYear(models.Model):
    """A county's year-end report, published (年度报告已发布): steps dated into that year are refused from then on.

    Append-only like the status history: a published year stays published.
    """

    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="published_years", verbose_name=_("县")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    published_on = models.DateField(_("发布日期"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope_field = "region__code"

    class Meta:
        verbose_name = _("已发布年度")
        verbose_name_plural = _("已发布年度")
        ordering = ["region_id", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="published_year_once")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.region_id} {self.year}"


# Village exit (贫困村出列, workflows.md) --------------------------------------------------------------------------------


@track_changes()
class VillageExit(BaseModel):
    """A poverty village's exit procedure (贫困村出列程序) for a year: township proposal with the evaluation, county
    review, village notice with objections, county announcement. The announcement marks the village's profile exited."""

    village = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="village_exits", verbose_name=_("行政村")
    )
    year = models.PositiveSmallIntegerField(_("出列年度"))
    state = models.CharField(_("程序状态"), max_length=12, choices=c.ProcedureState.choices, default=c.ProcedureState.OPEN)
    position = models.PositiveSmallIntegerField(_("下一步序号"), default=0, editable=False)
    opened_on = models.DateField(_("提出日期"))
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    # The evaluation the latest decision was taken on (the proposal's, then the review's and the announcement's).
    evaluation = models.JSONField(_("出列评估"), null=True, blank=True, editable=False)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束"), null=True, blank=True)
    rejection = models.TextField(_("未通过原因"), blank=True)

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("贫困村出列程序")
        verbose_name_plural = _("贫困村出列程序")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["village"], condition=Q(state="open"), name="village_exit_one_open"),
            models.CheckConstraint(
                condition=Q(notice_start__isnull=True) | Q(notice_end__gte=models.F("notice_start")),
                name="village_exit_notice_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.village_id} · {self.year}"


@track_changes()
class VillageExitStep(BaseModel):
    """A step taken in a village exit (出列程序步骤): who acted, when, the decision, a note and the step's data."""

    village_exit = models.ForeignKey(VillageExit, on_delete=models.CASCADE, related_name="steps", verbose_name=_("出列程序"))
    step = models.CharField(_("步骤"), max_length=20, choices=c.VillageStep.choices)
    decision = models.CharField(_("决定"), max_length=8, choices=c.Decision.choices)
    date = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("步骤数据"), default=dict, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="village_exit_steps", verbose_name=_("办理人")
    )

    scope_field = "village_exit__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("出列程序步骤")
        verbose_name_plural = _("出列程序步骤")
        ordering = ["village_exit_id", "id"]

    def __str__(self):
        return f"{self.get_step_display()} · {self.get_decision_display()}"


@track_changes()
class VillageExitObjection(BaseModel):
    """An objection (异议) lodged during a village exit's notice 村内公示, and how it was resolved."""

    village_exit = models.ForeignKey(
        VillageExit, on_delete=models.CASCADE, related_name="objections", verbose_name=_("出列程序")
    )
    lodged_on = models.DateField(_("提出日期"))
    lodged_by = models.CharField(_("提出人"), max_length=50)
    content = models.TextField(_("异议内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    outcome = models.CharField(_("处理结果"), max_length=12, choices=c.ObjectionOutcome.choices, blank=True)
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    resolution = models.TextField(_("处理说明"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("处理人")
    )

    scope_field = "village_exit__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("出列异议")
        verbose_name_plural = _("出列异议")
        ordering = ["village_exit_id", "id"]

    def __str__(self):
        return f"{self.lodged_by} · {self.lodged_on}"
