"""Filters shared by the API lists, the admin and the selectors of the programs app."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import regions as region_rules
from households.filtersets import RegionPrefixFilter, validate_region_code
from programs import choices as c
from programs.models import Benefit, Cooperative, CooperativeMembership, Dividend, PairingProject, Program


class ProgramFilterSet(django_filters.FilterSet):
    region = RegionPrefixFilter(field_name="region__code", help_text="12-digit region code: programs set up in its subtree.")
    covers = django_filters.CharFilter(
        method="filter_covers",
        validators=[validate_region_code],
        help_text="12-digit region code: programs whose region contains it (the programs that apply there).",
    )
    category = django_filters.ChoiceFilter(choices=c.Category.choices)
    subtype = django_filters.ChoiceFilter(choices=c.Subtype.choices)
    funding_source = django_filters.ChoiceFilter(choices=c.FundingSource.choices)
    targeting_rule = django_filters.ChoiceFilter(choices=c.TargetingRule.choices)
    year = django_filters.NumberFilter(method="filter_year", help_text=_("该年度内实施的项目"))

    class Meta:
        model = Program
        fields = ["region", "covers", "category", "subtype", "funding_source", "targeting_rule", "year"]

    def filter_covers(self, queryset, name, value):
        if not value:
            return queryset
        codes = [value]
        while (parent := region_rules.parent_code(codes[-1])) is not None:
            codes.append(parent)
        return queryset.filter(region_id__in=codes)

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class BenefitFilterSet(django_filters.FilterSet):
    program = django_filters.NumberFilter(field_name="program_id")
    household = django_filters.NumberFilter(field_name="household_id")
    member = django_filters.NumberFilter(field_name="member_id")
    region = RegionPrefixFilter(field_name="household__village__code", help_text="12-digit region code: benefits to households in its subtree.")
    date = django_filters.DateFromToRangeFilter(help_text="date_after / date_before (YYYY-MM-DD, both included).")
    category = django_filters.ChoiceFilter(field_name="program__category", choices=c.Category.choices)
    funding_source = django_filters.ChoiceFilter(field_name="program__funding_source", choices=c.FundingSource.choices)

    class Meta:
        model = Benefit
        fields = ["program", "household", "member", "region", "date", "category", "funding_source"]


class CooperativeFilterSet(django_filters.FilterSet):
    region = RegionPrefixFilter(field_name="village__code", help_text="12-digit region code: cooperatives in its subtree.")
    kind = django_filters.ChoiceFilter(choices=c.CooperativeKind.choices)

    class Meta:
        model = Cooperative
        fields = ["region", "kind"]


class MembershipFilterSet(django_filters.FilterSet):
    cooperative = django_filters.NumberFilter(field_name="cooperative_id")
    household = django_filters.NumberFilter(field_name="household_id")
    region = RegionPrefixFilter(field_name="household__village__code", help_text="12-digit region code: member households in its subtree.")
    active_on = django_filters.DateFilter(method="filter_active_on", help_text="Only memberships active on this day.")

    class Meta:
        model = CooperativeMembership
        fields = ["cooperative", "household", "region", "active_on"]

    def filter_active_on(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(joined__lte=value).filter(Q(left__isnull=True) | Q(left__gt=value))


class DividendFilterSet(django_filters.FilterSet):
    membership = django_filters.NumberFilter(field_name="membership_id")
    cooperative = django_filters.NumberFilter(field_name="membership__cooperative_id")
    household = django_filters.NumberFilter(field_name="membership__household_id")
    year = django_filters.NumberFilter()

    class Meta:
        model = Dividend
        fields = ["membership", "cooperative", "household", "year"]


class ProjectFilterSet(django_filters.FilterSet):
    region = RegionPrefixFilter(field_name="village__code", help_text="12-digit region code: projects in its subtree.")
    unit = django_filters.NumberFilter(field_name="unit_id")
    year = django_filters.NumberFilter()

    class Meta:
        model = PairingProject
        fields = ["region", "unit", "year"]
