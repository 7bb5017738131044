"""Filters of the help side's lists, shared by the API and the selectors.

Households and cadres are filtered by id as plain numbers: an id outside the caller's scope gives an
empty list, the same as an id that does not exist (no query to check it, nothing revealed).
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from cadres.models import Cadre, Pairing, Unit, Visit, WorkTeam
from cadres.selectors import active_q
from households.filtersets import RegionPrefixFilter


class ActiveFilter(django_filters.BooleanFilter):
    """true: rows whose period covers today; false: rows ended or not yet begun."""

    def filter(self, qs, value):
        if value is None:
            return qs
        condition = active_q(timezone.localdate())
        return qs.filter(condition) if value else qs.exclude(condition)


class UnitFilterSet(django_filters.FilterSet):
    region = RegionPrefixFilter(field_name="region__code", help_text="12-digit region code: units in its subtree.")
    level = django_filters.ChoiceFilter(choices=c.UnitLevel.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", help_text=_("单位名称包含"))

    class Meta:
        model = Unit
        fields = ["region", "level"]


class CadreFilterSet(django_filters.FilterSet):
    region = RegionPrefixFilter(field_name="region__code", help_text="12-digit region code: cadres in its subtree.")
    unit = django_filters.NumberFilter(field_name="unit_id", help_text="Unit id.")
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", help_text=_("姓名包含"))

    class Meta:
        model = Cadre
        fields = ["region", "unit"]


class WorkTeamFilterSet(django_filters.FilterSet):
    region = RegionPrefixFilter(field_name="village__code", help_text="12-digit region code: teams in its villages.")
    unit = django_filters.NumberFilter(field_name="unit_id", help_text="Sending unit id.")
    active = ActiveFilter(help_text="true: teams whose term covers today.")

    class Meta:
        model = WorkTeam
        fields = ["region", "unit", "active"]


class PairingFilterSet(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id", help_text="Household id.")
    cadre = django_filters.NumberFilter(field_name="cadre_id", help_text="Cadre id.")
    active = ActiveFilter(help_text="true: pairings active today; false: ended (or not begun).")
    region = RegionPrefixFilter(
        field_name="household__village__code", help_text="12-digit region code: pairings of households in its subtree."
    )

    class Meta:
        model = Pairing
        fields = ["household", "cadre", "active", "region"]


class VisitFilterSet(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id", help_text="Household id.")
    cadre = django_filters.NumberFilter(field_name="cadre_id", help_text="Cadre id.")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="Visits on or after this day.")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Visits on or before this day.")
    kind = django_filters.ChoiceFilter(choices=c.VisitKind.choices)
    region = RegionPrefixFilter(
        field_name="household__village__code", help_text="12-digit region code: visits to households in its subtree."
    )

    class Meta:
        model = Visit
        fields = ["household", "cadre", "date_from", "date_to", "kind", "region"]
