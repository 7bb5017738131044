from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.mixins import ETagMixin
from core.api.params import YEAR_MAX, YEAR_MIN, parse_int, year_message, year_param
from core.roles import Capability
from households.api.serializers import EvaluationSerializer
from households.selectors import village_exit_evaluation
from villages.api.serializers import RegionSerializer, VillageExitDecisionSerializer
from villages.filtersets import RegionFilterSet
from villages.selectors import regions_in_scope, regions_with_profiles
from villages.services import village_exit_decide


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


class VillageExitViewSet(viewsets.GenericViewSet):
    """贫困村出列: the evaluation of a year, and the county's decision."""

    read_capability = Capability.READ_FIGURES
    action_capabilities = {"decide": Capability.READ_FIGURES}  # the service requires the county office (403)
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{12}"
    serializer_class = EvaluationSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return regions_in_scope(user=self.request.user).filter(level="village")

    def _year(self):
        if self.request.method == "GET":
            return year_param(self.request, required=True)
        return parse_int(self.request.data.get("year", ""), "year", low=YEAR_MIN, high=YEAR_MAX, message=year_message())

    @extend_schema(
        summary="The village exit evaluation of a year (incidence, infrastructure, collective income)",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["get"], url_path="exit-evaluation")
    def evaluation(self, request, code=None):
        village = self.get_object()
        return Response(EvaluationSerializer(village_exit_evaluation(village=village, year=self._year()).as_dict()).data)

    @extend_schema(
        summary="Decide the village's exit for a year (county office; the evaluation must pass)",
        request=VillageExitDecisionSerializer,
        responses={200: EvaluationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="exit")
    def decide(self, request, code=None):
        village = self.get_object()
        serializer = VillageExitDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = village_exit_decide(
            user=request.user, village=village, year=serializer.validated_data["year"], on=serializer.validated_data["date"]
        )
        return Response(EvaluationSerializer(evaluation.as_dict()).data)
