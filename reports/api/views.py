from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import DayField
from core.api.params import date_param, region_param, year_param
from core.roles import Capability
from reports import selectors
from reports.exports import XLSX_CONTENT_TYPE
from reports.summary import summary_table
from reports.tabular import table_response
from villages.selectors import regions_in_scope

FLOWS = serializers.DictField(child=serializers.IntegerField())
AnnualReportSerializer = inline_serializer(
    "AnnualAdjustmentReport",
    {
        "region": serializers.DictField(),
        "year": serializers.IntegerField(),
        "households": FLOWS,
        "people": FLOWS,
        "on_register": inline_serializer("AnnualAdjustmentOnRegister", {"households": FLOWS, "people": FLOWS}),
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
        "member changes, end — households and people of the poor stock, and of the households on the register "
        "(on_register: poor + exited); start + changes = end for both",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=AnnualReportSerializer,
    )
    @action(detail=True, methods=["get"])
    def annual(self, request, code=None):
        region = self.get_object()
        year = year_param(request, required=True)
        response = Response(selectors.annual_adjustment(region=region, year=year))
        response["Cache-Control"] = "private, no-cache"
        return response


def _counts(name: str):
    return inline_serializer(
        name,
        {key: serializers.IntegerField() for key in ("registered", "poor", "exited", "closed", "removed", "monitored")},
    )


def _region_figures(name: str, **extra):
    """The figures a region and each child region carry (docs/reports.md, Summaries)."""
    return {
        "region": inline_serializer(
            f"{name}Region",
            {"code": serializers.CharField(), "name": serializers.CharField(), "level": serializers.CharField()},
        ),
        "households": _counts(f"{name}Households"),
        "people": _counts(f"{name}People"),
        "exit_rate": inline_serializer(
            f"{name}ExitRate",
            {"households": serializers.FloatField(allow_null=True), "people": serializers.FloatField(allow_null=True)},
        ),
        "villages": inline_serializer(
            f"{name}Villages",
            {
                "total": serializers.IntegerField(),
                "poverty": serializers.IntegerField(),
                "exited": serializers.IntegerField(),
                "exit_rate": serializers.FloatField(allow_null=True),
            },
        ),
        "poverty_incidence": serializers.FloatField(allow_null=True),
        "on_register": inline_serializer(
            f"{name}OnRegister",
            {"households": serializers.IntegerField(), "people": serializers.IntegerField()},
            help_text="Households and people still on the register (poor + exited); `registered` also counts closed "
            "households.",
        ),
        **extra,
    }


_BY_VALUE = serializers.DictField(
    child=inline_serializer(
        "SummaryHouseholdsPeople", {"households": serializers.IntegerField(), "people": serializers.IntegerField()}
    )
)
SummarySerializer = inline_serializer(
    "Summary",
    _region_figures(
        "Summary",
        as_of=DayField(),
        by_cause=_BY_VALUE,
        by_attribute=_BY_VALUE,
        cadres=inline_serializer(
            "SummaryCadres",
            {
                "work_teams": serializers.IntegerField(),
                "resident_cadres": serializers.IntegerField(),
                "pairing_cadres": serializers.IntegerField(),
                "paired_households": serializers.IntegerField(),
                "pairing_coverage": serializers.FloatField(allow_null=True),
            },
        ),
        programs=inline_serializer(
            "SummaryPrograms",
            {
                "benefit_amount": serializers.CharField(),
                "benefited_households": serializers.IntegerField(),
                "industry_coverage": serializers.FloatField(allow_null=True),
                "cooperatives": serializers.IntegerField(),
                "cooperative_households": serializers.IntegerField(),
                "cooperative_people": serializers.IntegerField(),
            },
        ),
        children=inline_serializer("SummaryChild", _region_figures("SummaryChild"), many=True),
    ),
)


class SummaryViewSet(viewsets.GenericViewSet):
    """Summaries of a region in the caller's scope (汇总): figures only, nothing personal; out of scope is 404."""

    read_capability = Capability.READ_FIGURES
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{12}"
    pagination_class = None
    filter_backends = []
    serializer_class = SummarySerializer

    def get_queryset(self):
        return regions_in_scope(user=self.request.user)

    @extend_schema(
        summary="Figures of a region and of each child region as of a day (households, people, exit rates, villages, "
        "poverty incidence, causes, attributes, cadres, programs), read from the register's history",
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="The day (default today).")],
        responses=SummarySerializer,
    )
    def retrieve(self, request, code=None):
        region = self.get_object()
        summary = selectors.kept_region_summary(region=region, as_of=date_param(request))
        response = Response(summary)
        response["Cache-Control"] = "private, no-cache"
        return response


class SummaryExportView(APIView):
    """The summary of a region as a CSV or XLSX table (a row for the region, one per child): the same numbers as
    summaries/{code}/, because it is made from the same dict."""

    read_capability = Capability.READ_FIGURES
    file_format = "csv"

    @extend_schema(
        summary="The summary of a region and its children as a table (CSV or XLSX), the numbers of summaries/{code}/",
        parameters=[
            OpenApiParameter("region", str, required=True, description="12-digit region code in your scope."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="The day (default today)."),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request):
        code = region_param(request, required=True)
        region = regions_in_scope(user=request.user).filter(code=code).first()
        if region is None:
            raise NotFound()
        as_of = date_param(request)
        columns, rows = summary_table(selectors.region_summary(region=region, as_of=as_of))
        response = table_response(
            columns=columns, rows=rows, file_format=self.file_format, filename=f"summary-{code}-{as_of.isoformat()}"
        )
        response["Cache-Control"] = "private, no-cache"
        return response
