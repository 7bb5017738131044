import django_filters
from django.db.models import Q

from core.regions import RegionLevel
from villages.models import Region


class RegionFilterSet(django_filters.FilterSet):
    """Filters shared by the API list and the HTML lists of regions."""

    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id", help_text="Code of the parent region (12 digits).")
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the name, or the start of the code.")

    class Meta:
        model = Region
        fields = ["level", "parent"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))
