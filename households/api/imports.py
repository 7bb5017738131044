"""API of the spreadsheet import (导入): upload and validate, read the report, commit, the files.

The views clean the input and call households.imports.services; scope is households.imports.selectors'.
"""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core import jobs
from core.api.jobs import JobSerializer
from core.roles import Capability
from households.filtersets import validate_region_code
from households.imports import files, selectors
from households.imports import services as import_services
from households.imports.reading import MAX_BYTES
from households.jobs import IMPORT_COMMIT, IMPORT_VALIDATE
from households.models import Import, ImportState

REPORT_HELP = (
    "The validation report: `layout` (export or national), `file_format`, `sheet`, `rows`; `households` and "
    "`members` as counts to `create`, `update` and leave `unchanged`; `changes` (up to 1000 households to write); "
    "`errors` (up to 2000; `error_count` counts them all) and `warnings`, each with `sheet`, `row`, `column` "
    "(its letter), `header`, `value` and `reason` (Chinese)."
)


class ImportSerializer(serializers.ModelSerializer):
    """An import: the file's name, who uploaded it for which region, its state and its validation report."""

    region = serializers.CharField(source="region_id", read_only=True, help_text="Region code.")
    region_name = serializers.CharField(source="region.name", read_only=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    report = serializers.JSONField(read_only=True, help_text=REPORT_HELP)

    class Meta:
        model = Import
        fields = [
            "id", "region", "region_name", "user", "filename", "state", "state_label", "report", "created_at",
            "committed_at",
        ]  # fmt: skip
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    """The multipart form of an upload."""

    file = serializers.FileField(
        allow_empty_file=True,
        help_text="XLSX or CSV (UTF-8 with or without BOM, or GBK) in the export layout or the national filing "
        f"layout (GET imports/template.xlsx). At most {MAX_BYTES // 1024 // 1024} MB.",
    )
    region = serializers.CharField(
        validators=[validate_region_code], help_text="12-digit code of the region the file's households lie in."
    )


class ImportWithJobSerializer(ImportSerializer):
    """An import just uploaded, with the job validating it."""

    job = JobSerializer(read_only=True)

    class Meta(ImportSerializer.Meta):
        fields = [*ImportSerializer.Meta.fields, "job"]
        read_only_fields = fields


def _accepted(data, job, request) -> Response:
    """202 Accepted, pointing at the job (the client polls GET jobs/{id}/)."""
    response = Response(data, status=status.HTTP_202_ACCEPTED)
    response["Location"] = reverse("api:job-detail", kwargs={"pk": job.pk}, request=request)
    return response


@extend_schema_view(
    list=extend_schema(summary="Imports of regions in your scope, newest first"),
    retrieve=extend_schema(summary="An import with its validation report"),
    create=extend_schema(
        summary="Upload a file: validated whole (a dry run), nothing written to the register",
        description="Multipart form: `file`, `region`. Answers 202 with the import (`state` `pending`) and, under "
        "`job`, the job validating it (`Location`: the job, GET it until `state` is `done`). Then GET the import: "
        "`state` is `validated` when the report has no errors (then POST its `commit/`), `failed` otherwise. A "
        "region outside your scope is 404; a file over the size limit is 400 and nothing is kept.",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportWithJobSerializer},
    ),
)
class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_capability = Capability.EDIT_REGISTER  # reports quote the file's cells: for those who may import
    write_capability = Capability.EDIT_REGISTER
    serializer_class = ImportSerializer
    filter_backends = []
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.imports_in_scope(user=self.request.user)

    def get_serializer_class(self):
        return ImportUploadSerializer if self.action == "create" else ImportSerializer

    def create(self, request, *args, **kwargs):
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        region = selectors.import_region(user=request.user, code=form.validated_data["region"])
        if region is None:
            raise NotFound(_("区划不存在或不在您的管辖范围内"))
        upload = form.validated_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                {"file": [_("文件太大（%(size)s MB），上限 %(limit)s MB；请按乡镇或村分开导入") % {
                    "size": upload.size // 1024 // 1024, "limit": MAX_BYTES // 1024 // 1024}]}
            )  # fmt: skip
        with transaction.atomic():
            imported = import_services.import_upload(
                user=request.user, region=region, filename=upload.name, content=upload.read()
            )
            job = jobs.job_start(kind=IMPORT_VALIDATE, user=request.user, region=region.pk, params={"import_id": imported.pk})
        imported.job = job
        context = self.get_serializer_context()
        return _accepted(ImportWithJobSerializer(imported, context=context).data, job, request)

    @extend_schema(
        summary="Commit a validated import to the register, all or nothing",
        description="The file is validated again inside the transaction; 409 `conflict` when the import is not "
        "`validated` (it had errors, was committed already, or is still being validated), checked before the job "
        "starts. Answers 202 with the job writing it (`Location`: the job); once the job is done, GET the import: "
        "`committed` or, when the register changed since the upload and the file no longer passes, `failed` with "
        "the reasons.",
        request=None,
        responses={202: JobSerializer},
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        imported = self.get_object()
        if imported.state != ImportState.VALIDATED:
            detail = {
                ImportState.COMMITTED: _("该导入已确认过，不能重复导入"),
                ImportState.PENDING: _("该文件还在校验中，请等校验完成后再确认"),
            }.get(imported.state, _("该文件校验有错误，不能导入；请改正后重新上传"))
            return Response({"code": "conflict", "detail": detail}, status=status.HTTP_409_CONFLICT)
        job = jobs.job_start(kind=IMPORT_COMMIT, user=request.user, region=imported.region_id, params={"import_id": imported.pk})
        return _accepted(JobSerializer(job, context=self.get_serializer_context()).data, job, request)

    @extend_schema(
        summary="The uploaded file with an error column (XLSX)",
        responses={(200, files.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def errors(self, request, pk=None):
        imported = get_object_or_404(self.get_queryset().defer(None), pk=pk)
        content = files.errors_xlsx(content=bytes(imported.content), filename=imported.filename, report=imported.report)
        return _xlsx(content, f"import-{imported.pk}-errors.xlsx")

    @extend_schema(
        summary="The import template: national filing layout, drop-down lists, a sheet of allowed values",
        responses={(200, files.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def template(self, request):
        return _xlsx(files.template_xlsx(), "household-import-template.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=files.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The two files are routed without a trailing slash (households.api.urls), like the exports' files.
import_errors_view = ImportViewSet.as_view({"get": "errors"})
import_template_view = ImportViewSet.as_view({"get": "template"})
