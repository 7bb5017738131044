"""Filters shared by the API lists and the HTML lists of the register."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import regions as region_rules
from core.api.params import YEAR_MAX, YEAR_MIN
from core.ui import PageForm
from households import choices as c
from households import hooks
from households.models import Household, Member
from households.selectors import number_in_prefixes


def validate_region_code(value: str) -> None:
    try:
        region_rules.level_of(value)
    except region_rules.RegionCodeError as exc:
        raise ValidationError(
            # Passed as params: django-filter %-formats the message again, so a "%" in the value must not be in it.
            _("区划代码无效（须为12位统计用区划代码）：%(reason)s"), code="invalid", params={"reason": str(exc)}
        ) from exc


class RegionPrefixFilter(django_filters.CharFilter):
    """A 12-digit region code: rows in that region's subtree (LIKE 'prefix%' on an indexed code)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_region_code])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__startswith": region_rules.significant_prefix(value)})


class HouseholdRegionFilter(RegionPrefixFilter):
    """A region's households, also as the range of their numbers: the list's index (by number) then serves
    the region and the order together, so a page costs one page at any depth (selectors.number_in_prefixes)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return super().filter(qs, value).filter(number_in_prefixes([region_rules.significant_prefix(value)]))


class HouseholdFilterSet(django_filters.FilterSet):
    # village__code filters on the household's own village_id column (Django trims the join).
    region = HouseholdRegionFilter(field_name="village__code", help_text="12-digit region code: households in its subtree.")
    attribute = django_filters.ChoiceFilter(choices=c.HouseholdAttribute.choices)
    main_cause = django_filters.ChoiceFilter(choices=c.PovertyCause.choices)
    stars = django_filters.TypedChoiceFilter(choices=c.Stars.choices, coerce=int)
    status = django_filters.ChoiceFilter(choices=c.RegistryStatus.choices)
    returned = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", help_text=_("户编号（开头）或户主姓名"))

    class Meta:
        model = Household
        fields = ["region", "status", "returned", "attribute", "main_cause", "stars"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The head's name through a correlated EXISTS (the one-active-head index), tried only on the rows the
        # page's scan reaches, not a list of every matching head in the register.
        head = Member.objects.heads().filter(household=OuterRef("pk"), name__contains=value)
        return queryset.filter(Q(number__startswith=value) | Exists(head))


# The statuses of each figure a summary counts on a day (docs/reports.md, Summaries).
STOCKS = {
    "poor": {c.RegistryStatus.POOR.value},
    "exited": {c.RegistryStatus.EXITED.value},
    "on_register": {c.RegistryStatus.POOR.value, c.RegistryStatus.EXITED.value},
    "registered": set(c.REGISTERED_STATUSES),
}
STOCK_CHOICES = [
    ("poor", _("未脱贫")),
    ("exited", _("已脱贫")),
    ("on_register", _("在册（未脱贫和已脱贫）")),
    ("registered", _("建档立卡（含自然销户）")),
]


class HouseholdPageForm(PageForm):
    """The register page's filter form, styled like every page form; a figure of the year-end report needs its year
    (the figure names the households of one year)."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("figure") and not cleaned.get("year"):
            self.add_error("year", _("按年度调整数字筛选时，请填写年度。"))
        return cleaned


class HouseholdPageFilterSet(HouseholdFilterSet):
    """The register page's filters: the API's, plus "has an open finding" when an app above counts findings
    (households.hooks list annotation `open_findings`; without it the filter does nothing), and the households
    behind a figure of the year-end report (年度动态调整: the report's link from each household figure; the
    figure's households are computed by the report's own rules, households.hooks.annual_households)."""

    has_open_finding = django_filters.BooleanFilter(method="filter_has_open_finding", label=_("有未整改疑点"))
    year = django_filters.NumberFilter(
        method="filter_nothing", label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    figure = django_filters.ChoiceFilter(
        choices=c.ANNUAL_FIGURE_CHOICES, method="filter_figure", label=_("年度动态调整")
    )
    # The households of a summary's figure on a day (统计看板): their registry status on that day (today by default).
    stock = django_filters.ChoiceFilter(choices=STOCK_CHOICES, method="filter_stock", label=_("某日的登记状态"))
    on = django_filters.DateFilter(
        method="filter_nothing", label=_("状态日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta(HouseholdFilterSet.Meta):
        fields = [*HouseholdFilterSet.Meta.fields, "has_open_finding", "year", "figure", "stock", "on"]
        form = HouseholdPageForm

    def filter_has_open_finding(self, queryset, name, value):
        if value is None or "open_findings" not in queryset.query.annotations:
            return queryset
        return queryset.filter(open_findings__gt=0) if value else queryset.filter(open_findings=0)

    def filter_nothing(self, queryset, name, value):
        return queryset  # the year of `figure`

    def filter_stock(self, queryset, name, value):
        expression = hooks.status_on(self.form.cleaned_data.get("on") or timezone.localdate())
        if not value or expression is None:
            return queryset
        return queryset.annotate(status_on=expression).filter(status_on__in=sorted(STOCKS[value]))

    def filter_figure(self, queryset, name, value):
        year = self.form.cleaned_data.get("year")
        if not value or not year:
            return queryset
        stock, key = value.split(".", 1)
        region = self.form.cleaned_data.get("region") or None
        ids = hooks.annual_households(region_code=region, year=int(year), stock=stock, key=key)
        if ids is None:
            return queryset
        return queryset.filter(pk__in=sorted(ids))
