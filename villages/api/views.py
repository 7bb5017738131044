from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.api.mixins import ETagMixin
from core.roles import Capability
from villages.api.serializers import RegionSerializer
from villages.filtersets import RegionFilterSet
from villages.selectors import regions_with_profiles


@extend_schema_view(
    list=extend_schema(summary="Regions in your scope (区划)"),
    retrieve=extend_schema(summary="One region by its 12-digit code"),
)
class RegionViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Regions of the caller's granted subtrees; a region outside them answers 404."""

    read_capability = Capability.READ_FIGURES
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{12}"
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self):
        return regions_with_profiles(user=self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            response["Cache-Control"] = "private, no-cache"  # nothing personal; revalidate by ETag
        return response
