"""Forms of the village page (/villages/<code>/): the township's proposal of a village exit and its next steps.

They only clean what was typed; lifecycle.services decides (rights, order, dates, maker-checker, the evaluation), as
for the API. The objection to the village notice and its resolution use lifecycle.forms' ObjectionForm and
ObjectionResolveForm, the same as a household's notice.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ui import PageForm
from lifecycle.choices import Decision, ObjectionOutcome, VillageStep
from lifecycle.forms import DATE, YEARS, ObjectionResolveForm


class VillageExitProposalForm(PageForm):
    """乡镇提出: the exit year whose evaluation decides, the proposal's date and a note."""

    year = forms.IntegerField(label=_("出列年度"), help_text=_("按该年度末的贫困人口和村年度数据评估"), **YEARS)
    date = forms.DateField(label=_("提出日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "proposal")
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"year": data["year"], "on": data["date"], "note": (data.get("note") or "").strip()}


class VillageExitStepForm(PageForm):
    """The next step of an open village exit: county review 县级审核, village notice 村内公示 (its days), county
    announcement 县级公告. A notice is only recorded as held; refusing the exit is the review's or the announcement's."""

    step = forms.ChoiceField(choices=VillageStep.choices, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("办理日期"), widget=DATE)
    start = forms.DateField(label=_("公示开始"), widget=DATE, required=False)
    end = forms.DateField(label=_("公示结束"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("意见或不通过原因"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, step: str, notice_days: int = 7, **kwargs):
        today = timezone.localdate()
        initial = {"step": step, "decision": Decision.APPROVE, "date": today}
        if step == VillageStep.NOTICE:
            initial |= {"start": today, "end": today + datetime.timedelta(days=notice_days)}
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("prefix", "step")
        super().__init__(*args, **kwargs)
        self.step_name = step
        if step == VillageStep.NOTICE:
            del self.fields["decision"]
            self.fields["note"].label = _("说明")
            self.fields["end"].help_text = _("公示期不少于 %(days)s 天（政策标准）；已按开始日期建议结束日期") % {"days": notice_days}
            self.fields["end"].widget.attrs["data-notice-days"] = str(notice_days)
            self.fields["start"].widget.attrs["data-notice-start"] = "1"
        else:
            del self.fields["start"], self.fields["end"]
            self.fields["note"].help_text = _("不通过时必须填写原因")

    def clean(self):
        data = super().clean()
        if self.step_name == VillageStep.NOTICE:
            for name in ("start", "end"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("公示须填写开始和结束日期"))
        elif data.get("decision") == Decision.REJECT and not (data.get("note") or "").strip():
            self.add_error("note", _("不通过须填写原因"))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        extra = {"start": data["start"], "end": data["end"]} if self.step_name == VillageStep.NOTICE else {}
        return {
            # The step the page showed: a page left open while someone else took it is refused, not applied twice.
            "step": data["step"], "decision": data.get("decision") or Decision.APPROVE, "on": data["date"],
            "note": (data.get("note") or "").strip(), "data": extra,
        }  # fmt: skip


class VillageObjectionResolveForm(ObjectionResolveForm):
    """An objection to the village notice resolved: upheld 成立 sends the exit back to the county review (not to a
    household's verification), dismissed 不成立 lets the announcement go on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (ObjectionOutcome.UPHELD, _("异议成立，退回县级审核")),
            (ObjectionOutcome.DISMISSED, ObjectionOutcome.DISMISSED.label),
        ]
