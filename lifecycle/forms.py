"""Forms of the lifecycle's pages: start a procedure, take a step, record and resolve an objection.

They only clean what was typed; the lifecycle services (lifecycle.services) decide, exactly as for the API.
Which fields a form shows depends on the procedure kind or the step (see `for_kind` and `for_step`).
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ui import PageForm
from lifecycle import workflow
from lifecycle.choices import (
    AlertSource,
    Decision,
    MonitoringType,
    ObjectionOutcome,
    ProcedureKind,
    RemovalReason,
    Step,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


YEARS = {"min_value": 2013, "max_value": 2100}


class ProcedureOpenForm(PageForm):
    """The first step of a procedure: application 申请, alert 预警 or proposal 提出."""

    date = forms.DateField(label=_("日期"), widget=DATE)
    year = forms.IntegerField(label=_("评估年度"), required=False, help_text=_("按该年度的年度信息核对收入和两不愁三保障"), **YEARS)
    monitoring_type = forms.ChoiceField(label=_("监测对象类型"), choices=MonitoringType.choices)
    source = forms.ChoiceField(label=_("预警来源"), choices=AlertSource.choices)
    removal_reason = forms.ChoiceField(label=_("清退原因"), choices=RemovalReason.choices)
    reason = forms.CharField(label=_("原因"), required=False, max_length=32)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS = {
        ProcedureKind.IDENTIFICATION: ("date", "year", "reason", "note"),
        ProcedureKind.EXIT: ("date", "year", "note"),
        ProcedureKind.RETURN: ("date", "year", "reason", "note"),
        ProcedureKind.REMOVAL: ("date", "removal_reason", "note"),
        ProcedureKind.MONITORING: ("date", "year", "monitoring_type", "source", "note"),
        ProcedureKind.RISK_ELIMINATION: ("date", "year", "note"),
        ProcedureKind.CLOSING: ("date", "note"),
    }

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in self.FIELDS[kind]:
                del self.fields[name]
        if "reason" in self.fields:
            if kind == ProcedureKind.RETURN:
                self.fields["reason"].label = _("返贫原因")
                self.fields["reason"].required = True
            else:
                self.fields["reason"].help_text = _("收入高于贫困线，或清退户再次识别时须填写")
        if "year" in self.fields and kind in (ProcedureKind.EXIT, ProcedureKind.RISK_ELIMINATION):
            self.fields["year"].required = True

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"on": data["date"], "note": data.get("note", "")}
        if data.get("year"):
            kwargs["year"] = data["year"]
        if self.kind == ProcedureKind.REMOVAL:
            kwargs["reason"] = data["removal_reason"]
        elif data.get("reason"):
            kwargs["reason"] = data["reason"]
        if self.kind == ProcedureKind.MONITORING:
            kwargs["monitoring_type"] = data["monitoring_type"]
            kwargs["data"] = {"source": data["source"]}
        return kwargs


class StepForm(PageForm):
    """One step of a procedure: the decision, its date and note, and what the step records."""

    step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices, widget=forms.RadioSelect, initial=Decision.APPROVE)
    date = forms.DateField(label=_("办理日期"), widget=DATE)
    votes_for = forms.IntegerField(label=_("赞成票"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("反对票"), min_value=0, required=False)
    participants = forms.IntegerField(label=_("参加评议人数"), min_value=0, required=False, help_text=_("不填则按投票人数计"))
    start = forms.DateField(label=_("公示开始"), widget=DATE, required=False)
    end = forms.DateField(label=_("公示结束"), widget=DATE, required=False)
    consent = forms.BooleanField(label=_("农户已认可并签字"), required=False)
    plan_year = forms.IntegerField(label=_("计入脱贫计划年度"), required=False, **YEARS)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, step: str, kind: str, notice_days: int = 7, **kwargs):
        today = timezone.localdate()
        initial = {"step": step, "decision": Decision.APPROVE, "date": today}
        if step in workflow.NOTICE_STEPS:
            initial |= {"start": today, "end": today + datetime.timedelta(days=notice_days)}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.step_name, self.kind, self.notice_days = step, kind, notice_days
        keep = {"step", "decision", "date", "note"}
        if step == Step.APPRAISAL:
            keep |= {"votes_for", "votes_against", "participants"}
        if step in workflow.NOTICE_STEPS:
            keep |= {"start", "end"}
            self.fields["end"].help_text = _("公示期不少于 %(days)s 天（政策标准）；已按开始日期建议结束日期") % {"days": notice_days}
            self.fields["end"].widget.attrs["data-notice-days"] = str(notice_days)
            self.fields["start"].widget.attrs["data-notice-start"] = "1"
        if step == Step.CONSENT:
            keep.add("consent")
        if step == Step.COUNTY_APPROVAL and workflow.names_plan_year(kind):
            keep.add("plan_year")
            self.fields["plan_year"].help_text = _("审定日期所在年度或上一年度；不填则为审定日期所在年度")
        if step == Step.VERIFICATION:
            self.fields["note"].label = _("核实情况")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["note"].help_text = _("不通过时必须填写原因")

    def clean(self):
        data = super().clean()
        approve = data.get("decision") == Decision.APPROVE
        if data.get("decision") == Decision.REJECT and not (data.get("note") or "").strip():
            self.add_error("note", _("不通过须填写原因"))
        if approve and self.step_name == Step.APPRAISAL:
            for name in ("votes_for", "votes_against"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("民主评议须填写赞成票和反对票"))
        if approve and self.step_name in workflow.NOTICE_STEPS:
            for name in ("start", "end"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("公示须填写开始和结束日期"))
        if approve and self.step_name == Step.CONSENT and not data.get("consent"):
            self.add_error("consent", _("农户认可签字后方可通过；农户不认可的，请选择“不通过”并说明"))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        extra = {}
        if data["decision"] == Decision.APPROVE:
            for name in ("start", "end", "votes_for", "votes_against", "participants", "plan_year"):
                if data.get(name) is not None:
                    extra[name] = data[name]
            if self.step_name == Step.CONSENT:
                extra["consent"] = True
        return {"step": data["step"], "decision": data["decision"], "on": data["date"], "note": data.get("note", ""),
                "data": extra}  # fmt: skip


class ObjectionForm(PageForm):
    """An objection 异议 lodged during a running notice."""

    lodged_on = forms.DateField(label=_("提出日期"), widget=DATE)
    lodged_by = forms.CharField(label=_("提出人"), max_length=50)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"lodged_on": timezone.localdate()})
        kwargs.setdefault("prefix", "objection")
        super().__init__(*args, **kwargs)


class ObjectionResolveForm(PageForm):
    """How an objection was resolved: upheld 成立 (back to verification) or dismissed 不成立, with a note."""

    outcome = forms.ChoiceField(label=_("处理结果"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("处理日期"), widget=DATE)
    resolution = forms.CharField(label=_("处理说明"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, objection_id: int, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        kwargs.setdefault("prefix", f"resolve-{objection_id}")
        super().__init__(*args, **kwargs)
