import json
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import regions as region_rules
from core.api.conditional import REVALIDATE, matches, strong_etag
from core.api.fields import DayField
from core.api.params import choice_param, date_param, int_param, region_param, year_param
from core.roles import Capability
from core.series import series_days
from reports import rules as feed_rules
from reports import selectors
from reports.exports import XLSX_CONTENT_TYPE
from reports.models import ChangeKind
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


def figures_cache_control(*, region, year: int) -> str:
    """How long a client may reuse figures about a day of this year: a year whose report is published
    (lifecycle.PublishedYear) for the region is reused for JINGZHUN_PUBLISHED_MAX_AGE seconds without asking;
    anything else is kept but asked again (If-None-Match) before reuse. One query, for past years only."""
    if year < timezone.localdate().year and selectors.year_published(region=region, year=year):
        return f"private, max-age={settings.JINGZHUN_PUBLISHED_MAX_AGE}"
    return REVALIDATE


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
        # The ETag (a digest of the answer) and 304 come from core.api.conditional.
        response["Cache-Control"] = figures_cache_control(region=region, year=year)
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


STEPS = {"year": 12, "quarter": 3, "month": 1}
SummarySeriesPoints = inline_serializer(
    "SummarySeriesPoint",
    many=True,
    help_text="One summary per day: the keys of summaries/{code}/, `children` only with children=1.",
    fields={key: field for key, field in SummarySerializer.fields.items() if key != "children"}
    | {
        "children": inline_serializer(
            "SummarySeriesChild", _region_figures("SummarySeriesChild"), many=True, required=False
        )
    },
)
SummarySeriesSerializer = inline_serializer(
    "SummarySeries",
    {
        "region": inline_serializer(
            "SummarySeriesRegion",
            {"code": serializers.CharField(), "name": serializers.CharField(), "level": serializers.CharField()},
        ),
        "from": DayField(),
        "to": DayField(),
        "step": serializers.ChoiceField(choices=list(STEPS)),
        "points": SummarySeriesPoints,
    },
)


def _series_request(request) -> tuple[list, str, bool]:
    """The days, step and children flag of a series request; 400 `invalid` naming the parameter otherwise."""
    errors = {}
    start = date_param(request, "from") if request.query_params.get("from") else None
    end = date_param(request, "to") if request.query_params.get("to") else None
    step = choice_param(request, "step", list(STEPS), default="year")
    children = choice_param(request, "children", ["0", "1"], default="0") == "1"
    if start is None:
        errors["from"] = [_("须给出起始日期，如 ?from=2014-12-31")]
    if end is None:
        errors["to"] = [_("须给出截止日期，如 ?to=2020-12-31")]
    elif start is not None and end < start:
        errors["to"] = [_("截止日期不能早于起始日期")]
    if errors:
        raise ValidationError(errors)
    days = series_days(start, end, STEPS[step], limit=selectors.SERIES_MAX_POINTS)
    if len(days) > selectors.SERIES_MAX_POINTS:
        raise ValidationError(
            {"to": [_("一次最多 %(count)d 个时点：请缩短区间或加大步长") % {"count": selectors.SERIES_MAX_POINTS}]}
        )
    return days, step, children


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
        as_of = date_param(request)
        text = selectors.kept_region_summary_text(region=region, as_of=as_of)
        # The kept copy is the answer's identity: a poll of an unchanged summary is a 304 with nothing parsed or
        # rendered. The media type (and, for the browsable page, the language) is in the tag: the page and the JSON
        # never share one.
        media_type = request.accepted_renderer.media_type
        if media_type != "application/json":
            media_type = f"{media_type}; lang={request.LANGUAGE_CODE}"
        headers = {
            "ETag": strong_etag(text, media_type),
            "Cache-Control": figures_cache_control(region=region, year=as_of.year),
        }
        if matches(request, headers["ETag"]):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(json.loads(text), headers=headers)

    @extend_schema(
        summary="Time series (时间序列): the summary of the region at each day from `from` to `to` every year, quarter or "
        "month (at most 400 days), each point with the keys of summaries/{code}/ (children with children=1); the "
        "number of queries does not grow with the number of days",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="The first day, e.g. 2014-12-31."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="The last day at most, e.g. 2020-12-31."),
            OpenApiParameter(
                "step", str, enum=list(STEPS), description="year (default), quarter or month. A `from` on the last "
                "day of a month steps from month end to month end."
            ),
            OpenApiParameter("children", str, enum=["0", "1"], description="1: each point carries `children` too."),
        ],
        responses=SummarySeriesSerializer,
    )
    @action(detail=True, methods=["get"])
    def series(self, request, code=None):
        region = self.get_object()
        days, step, children = _series_request(request)
        points = selectors.region_summary_series(region=region, days=days, children=children)
        return Response(
            {
                "region": {"code": region.code, "name": region.name, "level": region.level},
                "from": days[0],
                "to": date_param(request, "to"),
                "step": step,
                "points": points,
            }
        )


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


ChangeEvents = inline_serializer(
    "ChangeEvent",
    many=True,
    fields={
        "id": serializers.IntegerField(help_text="The event's number: unique, never reused."),
        "kind": serializers.ChoiceField(choices=ChangeKind.values),
        "village": serializers.CharField(help_text="The village's 12-digit code."),
        "recorded_at": serializers.DateTimeField(),
        "household": serializers.CharField(
            required=False, help_text="status_change, members_joined, members_left: the household number (户编号)."
        ),
        "from": serializers.CharField(
            required=False, allow_null=True, help_text="status_change: the status before (null: none yet)."
        ),
        "to": serializers.CharField(required=False, help_text="status_change: the status from effective_on."),
        "effective_on": DayField(
            required=False, allow_null=True, help_text="status_change, members_joined, members_left: the day."
        ),
        "returned": serializers.BooleanField(required=False, help_text="status_change: a return to poverty (返贫)."),
        "correction": serializers.BooleanField(required=False, help_text="status_change: a correction (更正)."),
        "count": serializers.IntegerField(required=False, help_text="members_joined, members_left: how many people."),
        "year": serializers.IntegerField(required=False, allow_null=True, help_text="village_exit: the exit year."),
        "program": inline_serializer(
            "ChangeEventProgram",
            {"id": serializers.IntegerField(), "name": serializers.CharField(), "category": serializers.CharField()},
            required=False,
            help_text="benefit: the program.",
        ),
        "amount": serializers.CharField(required=False, help_text="benefit: the amount, a decimal string."),
        "date": DayField(required=False, help_text="benefit: the day of the benefit."),
    },
)
ChangePageSerializer = inline_serializer(
    "ChangePage",
    {
        "results": ChangeEvents,
        "cursor": serializers.CharField(help_text="Opaque: pass it as `after` to read what follows these events."),
        "next": serializers.CharField(help_text="The URL of the next page (this request with after=cursor)."),
        "more": serializers.BooleanField(help_text="Whether more events already wait after this page."),
    },
)


def _event(event) -> dict:
    shown = {"id": event.pk, "kind": event.kind, "village": event.village, "recorded_at": event.recorded_at}
    if event.household:
        shown["household"] = event.household
    return shown | event.data


class ChangeFeedView(APIView):
    """The change feed (变动流): de-identified events in feed order after a cursor, in the caller's scope."""

    read_capability = Capability.READ_FIGURES

    @extend_schema(
        summary="Changes since a cursor (变动流): status changes, members joining or leaving (counts only), village "
        "exits and benefits, de-identified, in commit-safe order (a cursor never skips an event committed late by a "
        "long transaction), at most 1000 a page",
        parameters=[
            OpenApiParameter(
                "after", str, description="A cursor from an earlier page; `now` for the current end of the feed (no "
                "events, its cursor); absent: from the first event."
            ),
            OpenApiParameter("region", str, description="12-digit region code in your scope: its subtree only."),
            OpenApiParameter("limit", int, description="Events per page, 1 to 1000 (default 1000)."),
        ],
        responses=ChangePageSerializer,
    )
    def get(self, request):
        code = region_param(request)
        if code is not None and not regions_in_scope(user=request.user).filter(code=code).exists():
            raise NotFound()
        limit = int_param(request, "limit", low=1, high=selectors.FEED_PAGE_MAX) or selectors.FEED_PAGE_MAX
        after = request.query_params.get("after", "")
        if after == "now":
            position, events = selectors.settled_position(), []
        else:
            try:
                position = feed_rules.decode_cursor(after) if after else feed_rules.START
            except ValueError:
                raise ValidationError({"after": [_("游标无效：请使用上一页给出的 cursor")]}) from None
            prefix = region_rules.significant_prefix(code) if code else None
            events = selectors.changes_after(user=request.user, position=position, prefix=prefix, limit=limit + 1)
        more = len(events) > limit
        events = events[:limit]
        if events:
            position = (events[-1].txid, events[-1].pk)
        cursor = feed_rules.encode_cursor(position)
        query = {"after": cursor, **({"region": code} if code else {}), **({"limit": limit} if limit != 1000 else {})}
        return Response(
            {
                "results": [_event(event) for event in events],
                "cursor": cursor,
                "next": request.build_absolute_uri(f"{request.path}?{urlencode(query)}"),
                "more": more,
            }
        )
