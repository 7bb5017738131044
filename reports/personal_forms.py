"""Forms of the personal-data pages (个人信息查阅记录, 个人信息查询): filters, closing an alert, one person's report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui import PageForm

# The kinds of record a read names (PersonalDataAccess.model), in words.
READ_KINDS = {
    "households.member": _("家庭成员证件号码"),
    "households.household": _("户银行账号"),
    "cadres.cadre": _("干部证件号码"),
    "villages.region": _("导出整个区划的户和成员"),
}


class AccessFilterForm(PageForm):
    """Who read full personal data, where and when; every field optional."""

    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    region = forms.ChoiceField(label=_("区划"), required=False)
    kind = forms.ChoiceField(label=_("内容"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部"))] + [(code, name) for code, name in regions]
        self.fields["kind"].choices = [("", _("全部"))] + list(READ_KINDS.items())

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return cleaned


class AlertCloseForm(PageForm):
    note = forms.CharField(
        label=_("处理说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("核实了什么，结果如何（例如：经核实为年度入户核查所需）"),
    )  # fmt: skip


class PersonLookupForm(PageForm):
    """One person's ID number, sent in the body of a POST (never in a URL)."""

    id_number = forms.CharField(
        label=_("证件号码"), max_length=20, min_length=15,
        help_text=_("本人申请查询时核对其身份证件后输入"),
    )  # fmt: skip

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if not value.isascii() or not value.replace("X", "").isalnum():
            raise forms.ValidationError(_("证件号码只能包含数字和字母 X。"))
        return value
