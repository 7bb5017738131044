"""Forms of the cross-checking pages: the findings filter, a rule run, a department list, a campaign, a verification."""

from django import forms
from django.utils.translation import gettext_lazy as _

from checks import catalog, register_rules
from checks.choices import DepartmentCategory, Severity
from core.ui import PageForm


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
