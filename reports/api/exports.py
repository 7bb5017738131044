"""Household exports through the API: `exports/households.csv` and `exports/households.xlsx` (the import layout).

The layout, the reading and the formatting are `reports.exports`; these views check the input and
the scope, log full personal data once, and hand the file out: CSV streamed as it is read, XLSX
of a village written to a temporary file first (a zip cannot be streamed row by row) and then streamed
from it. XLSX of more than a village is a job (reports.jobs): 202 with the job, whose file its starter
downloads once done (`GET /api/v1/jobs/{id}/file/`, logged then).
Errors are the API's JSON; only a successful answer is a file, whatever the client's Accept header.
"""

from django.http import FileResponse, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core import jobs
from core.api.errors import ErrorSerializer
from core.api.fields import DayField
from core.api.jobs import JobSerializer
from core.api.schema import ERROR_DESCRIPTIONS
from core.personal import PersonalDataPolicy
from core.regions import RegionLevel, level_of
from core.roles import Capability
from households.choices import CODES_NATIONAL, CODES_SLUGS
from households.filtersets import validate_region_code
from households.layouts import EXPORT, NATIONAL
from reports import exports
from reports.jobs import HOUSEHOLDS_XLSX


class HouseholdExportQuerySerializer(serializers.Serializer):
    region = serializers.CharField(
        validators=[validate_region_code],
        help_text="12-digit code of the region (统计用区划代码) whose households are exported: its whole subtree.",
    )
    as_of = DayField(
        required=False, help_text="The day the registry status column is read on (YYYY-MM-DD; default today)."
    )
    codes = serializers.ChoiceField(
        choices=[CODES_SLUGS, CODES_NATIONAL], required=False, default=CODES_SLUGS,
        help_text="`national`: the coded columns as the national filing system's numeric codes; `slugs` (default): "
        "the English values.",
    )  # fmt: skip
    layout = serializers.ChoiceField(
        choices=[EXPORT, NATIONAL], required=False, default=EXPORT,
        help_text="`national`: the national filing layout (Chinese headers in the national form's order, coded values "
        "as Chinese labels, 是/否); `export` (default): the column names and values described here. Both import back.",
    )  # fmt: skip


class FileContentNegotiation(BaseContentNegotiation):
    """The path names the file's format, so Accept is not consulted: the file on success, JSON for errors."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class HouseholdExportView(APIView):
    """The register of a region in the caller's scope, one row per member (reports.exports: the layout)."""

    read_capability = Capability.READ_REGISTER
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileContentNegotiation
    extension = ""
    job_kind = None  # a kind of core.jobs: the export of more than a village runs as that job

    def get(self, request):
        params = HouseholdExportQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        region_code = params.validated_data["region"]
        day = params.validated_data.get("as_of") or timezone.localdate()
        if not exports.region_exportable(user=request.user, region_code=region_code):
            raise NotFound(_("区划不存在或不在您的范围内"))
        if self.job_kind and level_of(region_code) != RegionLevel.VILLAGE:
            return self.start_job(request, region_code, day, params.validated_data["codes"])
        policy = PersonalDataPolicy(request)
        exports.log_household_export(request, region_code=region_code, see_prefixes=policy.prefixes)
        raw = exports.household_export_rows(user=request.user, region_code=region_code, day=day)
        layout = params.validated_data["layout"]
        rows = exports.export_rows(
            raw.iterator(chunk_size=exports.CHUNK_SIZE), may_see=policy.may_see, codes=params.validated_data["codes"],
            layout=layout,
        )  # fmt: skip
        filename = exports.export_filename(region_code=region_code, day=day, extension=self.extension)
        response = self.file_response(rows, filename, header=exports.HEADERS[layout])
        response["Cache-Control"] = "no-store"  # personal data
        return response

    def file_response(self, rows, filename: str, *, header):
        raise NotImplementedError

    def start_job(self, request, region_code: str, day, codes: str):
        """202 Accepted: the export runs as a job; its detail says how far it is and, once done, where the file is."""
        job = jobs.job_start(
            kind=self.job_kind, user=request.user, region=region_code,
            params={"region": region_code, "as_of": day.isoformat(), "codes": codes},
        )  # fmt: skip
        job = jobs.jobs_in_scope(request.user).select_related("started_by").get(pk=job.pk)
        response = Response(JobSerializer(job, context={"request": request}).data, status=202)
        response["Location"] = reverse("api:job-detail", kwargs={"pk": job.pk}, request=request)
        response["Cache-Control"] = "no-store"
        return response


LAYOUT_DESCRIPTION = (
    "The register of a region's subtree, one row per member (former members included, with `left_on`), the "
    "household's columns repeated on each; households in number order, the active head first. Columns (header "
    f"row): {', '.join(exports.HEADER)}. Coded values are the API's slugs (relation: the two-digit code), dates "
    "ISO, booleans true/false, `other_causes` joined with `;`, `villager_group` the group's name; `status` and "
    "`returned` as of `as_of`. Every text cell starting with = + - @, a tab or CR is prefixed with an apostrophe "
    "(CSV and XLSX). Where the caller may not see personal data in a row's village, `id_number` is masked (no "
    "birth-date digit), `bank_account` keeps its first 6 and last 4 and `birth_date` holds the year only. A full "
    "read of ID numbers or bank accounts is logged once per export, against the region."
)


def _schema(*, extension: str, media_type: str, what: str, job: bool = False):
    accepted = {
        202: OpenApiResponse(
            JobSerializer,
            description="A region above a village: the export runs as a job (Location: the job). Follow it at "
            "GET /api/v1/jobs/{id}/; once `state` is `done`, its `file` is the download (GET /api/v1/jobs/{id}/file/, "
            "for the caller only).",
        )
    }
    return extend_schema(
        operation_id=f"exports_households_{extension}",
        summary=f"Households of a region as {what}, one row per member (the import layout); ID numbers and bank "
        "accounts masked for roles that may not see them; streamed",
        description=LAYOUT_DESCRIPTION,
        parameters=[HouseholdExportQuerySerializer],
        responses={
            (200, media_type): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=f"households-<region>-<as_of>.{extension} (attachment): a header row of column names, "
                "then one row per member, former members included.",
            ),
            **(accepted if job else {}),
            404: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[404]),
        },
    )


class HouseholdCsvExportView(HouseholdExportView):
    extension = "csv"

    @_schema(extension="csv", media_type="text/csv", what="CSV (UTF-8 with a BOM)")
    def get(self, request):
        return super().get(request)

    def file_response(self, rows, filename: str, *, header):
        response = StreamingHttpResponse(exports.csv_chunks(rows, header=header), content_type=exports.CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


class HouseholdXlsxExportView(HouseholdExportView):
    extension = "xlsx"
    job_kind = HOUSEHOLDS_XLSX

    @_schema(
        extension="xlsx",
        media_type=exports.XLSX_CONTENT_TYPE,
        what="an XLSX workbook (a village at once; a larger region as a job: 202)",
        job=True,
    )
    def get(self, request):
        return super().get(request)

    def file_response(self, rows, filename: str, *, header):
        return FileResponse(
            exports.xlsx_file(rows, header=header), as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE
        )


export_urlpatterns = [
    path("exports/households.csv", HouseholdCsvExportView.as_view(), name="export-households-csv"),
    path("exports/households.xlsx", HouseholdXlsxExportView.as_view(), name="export-households-xlsx"),
]
