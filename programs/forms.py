"""The programs pages' forms (帮扶项目): the region and day of the figures, and recording a benefit for one household
or a selected set. They shape input only: whether a benefit may be recorded is programs.services.benefit_create's."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ui import PageForm
from programs.choices import Category, CooperativeKind, CountUnit, FundingSource, PeopleBasis, Subtype, TargetingRule

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_HOUSEHOLDS = 200  # one batch; a longer list is split by the person recording it


class FiguresForm(PageForm):
    """Whose figures and as of which day: a region of the caller's scope (names, not codes) and a day."""

    region = forms.ChoiceField(label=_("区划"), required=False)
    as_of = forms.DateField(label=_("截至日期"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            (r.code, r.name if r.level != "village" else f"　{r.name}") for r in regions
        ]


class BenefitBatchForm(PageForm):
    """登记帮扶: the households (ticked in the gap list or typed by number) and the benefit each receives."""

    households = forms.TypedMultipleChoiceField(label=_("勾选的户"), coerce=int, required=False)
    numbers = forms.CharField(
        label=_("户编号"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("一户或多户，用空格、逗号或换行分隔；也可以在上面的名单中勾选"),
    )
    member_name = forms.CharField(
        label=_("受益成员姓名"), required=False, max_length=50,
        help_text=_("只登记一户时可填；不填则记在户上。按受益成员计人数的项目须填写"),
    )  # fmt: skip
    date = forms.DateField(label=_("帮扶日期"), widget=DATE_WIDGET)
    amount = forms.CharField(
        label=_("金额（元）"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("如 1200 或 1200.50；实物帮扶填 0"),
    )  # fmt: skip
    quantity = forms.IntegerField(label=_("数量"), min_value=0, initial=1)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = [(pk, str(pk)) for pk in choices]

    @classmethod
    def initial_for(cls) -> dict:
        return {"date": timezone.localdate(), "quantity": 1}

    def clean_numbers(self) -> list[str]:
        numbers = [n for n in NUMBER_SEPARATORS.split(self.cleaned_data.get("numbers") or "") if n]
        return list(dict.fromkeys(numbers))

    def clean(self):
        data = super().clean()
        chosen = len(data.get("households") or []) + len(data.get("numbers") or [])
        if "households" in data and "numbers" in data and not chosen:
            self.add_error("numbers", _("请勾选至少一户，或填写户编号"))
        if chosen > 1 and (data.get("member_name") or "").strip():
            self.add_error("member_name", _("只登记一户时才能指定受益成员；多户请不填"))
        if chosen > MAX_HOUSEHOLDS:
            self.add_error("numbers", _("一次最多登记 %(n)s 户，请分批登记") % {"n": MAX_HOUSEHOLDS})
        return data


class CooperativeForm(PageForm):
    """登记合作社: a cooperative in a village the county office manages."""

    name = forms.CharField(label=_("合作社名称"), max_length=100)
    village = forms.ChoiceField(label=_("所在村"))
    kind = forms.ChoiceField(label=_("类型"), choices=CooperativeKind.choices)
    founded = forms.DateField(label=_("成立日期"), widget=DATE_WIDGET)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—")] + [
            (v.code, f"{v.parent.name} {v.name}" if v.parent else v.name) for v in villages
        ]


class MembershipForm(PageForm):
    """入社: a household (by its number) joins the cooperative on a day with its shares."""

    number = forms.CharField(label=_("户编号"), max_length=20)
    joined = forms.DateField(label=_("入社日期"), widget=DATE_WIDGET)
    shares = forms.CharField(label=_("股份"), max_length=16, initial="1", widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class DividendForm(PageForm):
    """分红: a year's dividend paid on one membership."""

    membership = forms.TypedChoiceField(label=_("成员户"), coerce=int)
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
    amount = forms.CharField(label=_("分红金额（元）"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [("", "—")] + [
            (m.pk, f"{m.household.number} {getattr(m, 'head_name', '') or ''}".strip()) for m in memberships
        ]


class ProjectForm(PageForm):
    """登记帮扶单位项目: the unit, the village, funds, trainings and the households benefited (by number)."""

    unit = forms.TypedChoiceField(label=_("帮扶单位"), coerce=int)
    village = forms.ChoiceField(label=_("项目村"))
    name = forms.CharField(label=_("项目名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
    funds_invested = forms.CharField(label=_("投入资金（元）"), max_length=20, initial="0", widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    funds_coordinated = forms.CharField(
        label=_("协调引进资金（元）"), max_length=20, initial="0", widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    trainings = forms.IntegerField(label=_("培训人次"), min_value=0, initial=0)
    numbers = forms.CharField(
        label=_("受益户编号"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("项目村的户，用空格、逗号或换行分隔"),
    )  # fmt: skip

    def __init__(self, *args, units=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—")] + [(u.pk, u.name) for u in units]
        self.fields["village"].choices = [("", "—")] + [
            (v.code, f"{v.parent.name} {v.name}" if v.parent else v.name) for v in villages
        ]

    def clean_numbers(self) -> list[str]:
        numbers = [n for n in NUMBER_SEPARATORS.split(self.cleaned_data.get("numbers") or "") if n]
        return list(dict.fromkeys(numbers))


class ProgramForm(PageForm):
    """新建帮扶项目: a program of the county office, in words; programs.services.program_clean decides."""

    name = forms.CharField(label=_("项目名称"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    subtype = forms.ChoiceField(label=_("子类"), required=False, choices=[("", "—"), *Subtype.choices])
    start_year = forms.IntegerField(label=_("开始年度"), min_value=2013, max_value=2100)
    end_year = forms.IntegerField(label=_("结束年度"), min_value=2013, max_value=2100)
    region = forms.ChoiceField(label=_("覆盖区划"))
    funding_source = forms.ChoiceField(label=_("资金来源"), choices=FundingSource.choices)
    budget = forms.CharField(label=_("预算（元）"), max_length=20, initial="0", widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    unit = forms.ChoiceField(label=_("计量单位"), choices=CountUnit.choices, initial=CountUnit.YUAN)
    people_basis = forms.ChoiceField(label=_("受益人口口径"), choices=PeopleBasis.choices, initial=PeopleBasis.HOUSEHOLD)
    targeting_rule = forms.ChoiceField(
        label=_("对象规则"), required=False, choices=[("", _("无")), *TargetingRule.choices],
        help_text=_("按规则列出应享受而尚未登记帮扶的户"),
    )  # fmt: skip
    description = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name if r.level == "county" else f"　{r.name}") for r in regions]
