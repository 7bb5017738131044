"""Reads of regions, always through the caller's scope."""

from django.db.models import Prefetch

from core.roles import Capability
from core.scope import restrict_to_scope
from villages.models import Region, VillagerGroup, VillageYear


def regions_in_scope(*, user):
    """Regions the user may read figures for: their granted subtrees (ancestors are not included)."""
    return restrict_to_scope(Region.objects.select_related("parent"), user, Capability.READ_FIGURES)


def regions_with_profiles(*, user):
    """Regions in scope with what a village's profile shows, in a fixed number of queries."""
    return regions_in_scope(user=user).select_related("profile").prefetch_related(
        Prefetch("years", queryset=VillageYear.objects.order_by("year")),  # for profile.years
        Prefetch("villager_groups", queryset=VillagerGroup.objects.order_by("name")),  # for profile.villager_groups
    )


# The rural registered population 户籍农业人口 of village `r` in its latest year up to %(year)s with one on record: a
# LATERAL join giving `y.rural_population` (null when none), for the set-based figures of reports and campaigns.
LATEST_RURAL_POPULATION_SQL = """
LEFT JOIN LATERAL (
    SELECT vy.rural_population FROM villages_villageyear vy
    WHERE vy.village_id = r.code AND vy.year <= %(year)s AND vy.rural_population IS NOT NULL
    ORDER BY vy.year DESC LIMIT 1
) y ON true
"""
