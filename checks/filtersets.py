"""Filters of findings and rule runs, shared by the API lists and the admin."""

import django_filters
from django.utils.translation import gettext_lazy as _

from checks import catalog
from checks.choices import FindingSource, FindingStatus, Severity
from checks.models import Finding, RuleRun
from households.filtersets import RegionPrefixFilter


class FindingFilterSet(django_filters.FilterSet):
    rule = django_filters.MultipleChoiceFilter(
        choices=[(code, code) for code in catalog.CODES], help_text=_("规则代码，可重复：?rule=ID-1&rule=HH-1")
    )
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices)
    source = django_filters.ChoiceFilter(choices=FindingSource.choices)
    # village__code filters on the finding's own village_id column (Django trims the join).
    region = RegionPrefixFilter(field_name="village__code", help_text=_("12位区划代码：该区划内各村的问题"))
    household = django_filters.NumberFilter(field_name="household_id", help_text=_("户 id"))
    member = django_filters.NumberFilter(field_name="member_id", help_text=_("成员 id"))

    class Meta:
        model = Finding
        fields = ["rule", "severity", "status", "source", "region", "household", "member"]


class RuleRunFilterSet(django_filters.FilterSet):
    region = RegionPrefixFilter(field_name="region__code", help_text=_("12位区划代码：该区划内的规则校验"))
    trigger = django_filters.CharFilter(help_text=_("触发方式：api、command、import、step、demo、page"))

    class Meta:
        model = RuleRun
        fields = ["region", "trigger"]
