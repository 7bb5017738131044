"""The review queues' form (审核队列): approve or reject one step or a selected batch."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ui import PageForm
from lifecycle.choices import Decision


class ReviewBatchForm(PageForm):
    """A decision on the selected procedures' next step: the date, a reason (required to reject), notice dates for a
    township notice 乡镇公示."""

    procedures = forms.TypedMultipleChoiceField(
        label=_("选择的农户"), coerce=int, error_messages={"required": _("请至少勾选一户")}
    )
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("办理日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(
        label=_("意见或不通过原因"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    notice_start = forms.DateField(
        label=_("乡镇公示开始"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("只用于乡镇公示一步"),
    )  # fmt: skip
    notice_end = forms.DateField(
        label=_("乡镇公示结束"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedures"].choices = [(pk, str(pk)) for pk in choices]

    @classmethod
    def initial_for(cls, today: datetime.date | None = None) -> dict:
        today = today or timezone.localdate()
        return {"date": today, "notice_start": today, "notice_end": today + datetime.timedelta(days=7)}

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.REJECT and not (data.get("note") or "").strip():
            self.add_error("note", _("不通过须填写原因"))
        day = data.get("date")
        if day and day > timezone.localdate():
            self.add_error("date", _("日期不能晚于今天"))
        return data
