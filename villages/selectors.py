"""Reads of regions, always through the caller's scope."""

from core.roles import Capability
from core.scope import restrict_to_scope
from villages.models import Region


def regions_in_scope(*, user):
    """Regions the user may read figures for: their granted subtrees (ancestors are not included)."""
    return restrict_to_scope(Region.objects.select_related("parent"), user, Capability.READ_FIGURES)
