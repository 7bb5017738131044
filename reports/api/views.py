from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.roles import Capability
from reports import selectors
from villages.selectors import regions_in_scope

FLOWS = serializers.DictField(child=serializers.IntegerField())
AnnualReportSerializer = inline_serializer(
    "AnnualAdjustmentReport",
    {
        "region": serializers.DictField(),
        "year": serializers.IntegerField(),
        "households": FLOWS,
        "people": FLOWS,
        "balanced": serializers.BooleanField(),
    },
)


class ReportViewSet(viewsets.GenericViewSet):
    """Reports of a region in the caller's scope (统计报表); figures only, nothing personal."""

    read_capability = Capability.READ_FIGURES
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{12}"
    pagination_class = None
    filter_backends = []
    serializer_class = AnnualReportSerializer

    def get_queryset(self):
        return regions_in_scope(user=self.request.user)

    @extend_schema(
        summary="Year-end adjustment report (动态调整): start, identified, exited, returned, removed, closed, "
        "member changes, end — households and people of the poor stock; start + changes = end",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=AnnualReportSerializer,
    )
    @action(detail=True, methods=["get"])
    def annual(self, request, code=None):
        region = self.get_object()
        year = request.query_params.get("year", "")
        if not year.isdigit() or not 2013 <= int(year) <= 2100:
            raise ValidationError({"year": [_("须给出年度，如 ?year=2017")]})
        response = Response(selectors.annual_adjustment(region=region, year=int(year)))
        response["Cache-Control"] = "private, no-cache"
        return response
