"""Forms of the cross-checking pages: the findings filter, a rule run, a department list, a campaign, a verification."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from checks import campaign_rules, catalog, register_rules
from checks.choices import CampaignKind, DepartmentCategory, Discrepancy, Severity
from core.ui import PageForm
from core.validators import validate_day


class FindingFilterForm(PageForm):
    rule = forms.ChoiceField(label=_("规则"), required=False)
    severity = forms.ChoiceField(label=_("严重程度"), required=False)
    village = forms.ChoiceField(label=_("行政村"), required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["rule"].choices = everything + [(code, f"{code} {entry.title}") for code, entry in catalog.CODES.items()]
        self.fields["severity"].choices = everything + list(Severity.choices)
        self.fields["village"].choices = [("", _("全部行政村")), *villages]


class RuleRunForm(PageForm):
    """Run the register rules now (规则校验): a region where the user may edit the register, and the rules (all when
    none is ticked)."""

    region = forms.ChoiceField(label=_("区划"))
    rules = forms.MultipleChoiceField(
        label=_("规则"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("不勾选即运行全部规则。"),
    )  # fmt: skip

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("请选择区划")), *regions]
        self.fields["rules"].choices = [
            (code, f"{code} {catalog.CODES[code].title}") for code in register_rules.RULES
        ]


class ComparisonUploadForm(PageForm):
    """A department's list (比对数据) for the county office: where, from which department, the file."""

    region = forms.ChoiceField(label=_("比对区划"))
    department = forms.CharField(label=_("数据来源部门"), max_length=100, help_text=_("例如：县公安局、县不动产登记中心"))
    file = forms.FileField(
        label=_("比对文件"),
        help_text=_("CSV（UTF-8）或 XLSX，列为 证件号码、类别、说明（说明可省略）；类别填中文名称（如 车辆）或英文代码。"
                    "文件有一行错误即整份不写入，须重新选择文件。"),
    )  # fmt: skip

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"


class CategorySettingForm(PageForm):
    """One category's veto flag (一票否决) in a region (the region is checked by the view)."""

    category = forms.ChoiceField(choices=DepartmentCategory.choices)
    veto = forms.BooleanField(required=False)


def _day(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, validators=[validate_day], widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class CampaignForm(PageForm):
    """A new cross-check campaign (核查活动): the sample rate is typed as a percentage, the service takes a ratio."""

    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例如：2017年度交叉互检"))
    kind = forms.ChoiceField(label=_("类型"), choices=CampaignKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
    region = forms.ChoiceField(label=_("核查区划"), help_text=_("县或乡镇：其中每个村由其他村的工作队核查。"))
    sample_percent = forms.DecimalField(
        label=_("抽样比例（%）"), min_value=Decimal("0.01"), max_value=Decimal("100"), max_digits=6, decimal_places=2,
        help_text=_("每个村的未脱贫户、已脱贫户和非建档立卡户各抽取的比例；100 即全部核查。"),
    )  # fmt: skip
    starts_on = _day(_("开始日期"))
    ends_on = _day(_("结束日期"))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("请选择区划")), *regions]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期"))
        return data


class VerificationForm(PageForm):
    """A team's verification of one sampled household (入户核查), on a phone: accurate or not, the discrepancies, a
    note, and whether the household approves of the work (群众认可)."""

    YES_NO = (("yes", _("是")), ("no", _("否")))

    verified_on = _day(_("核查日期"))
    accurate = forms.TypedChoiceField(
        label=_("信息是否准确"), choices=(("yes", _("准确")), ("no", _("有问题"))), widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )  # fmt: skip
    discrepancies = forms.MultipleChoiceField(
        label=_("发现的问题"), required=False, widget=forms.CheckboxSelectMultiple, help_text=_("有问题时至少选一项。")
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("发现问题时必填：写明核实到的情况。"),
    )  # fmt: skip
    approves = forms.TypedChoiceField(
        label=_("群众是否认可帮扶工作"), choices=(("yes", _("认可")), ("no", _("不认可"))), widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )  # fmt: skip

    def __init__(self, *args, group: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the discrepancies that fit the household's sample group (a wrong exit among exited households …).
        self.fields["discrepancies"].choices = [
            (value, label) for value, label in Discrepancy.choices
            if not campaign_rules.discrepancy_group_problems(group=group, discrepancies=[value])
        ]  # fmt: skip
