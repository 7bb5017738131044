"""Jobs through the API (后台任务): `GET /api/v1/jobs/`, `GET /api/v1/jobs/{id}/`, the file of a done job and a retry.

Scoped like /jobs/ (core.jobs.jobs_in_scope): the caller's own jobs, and for the county office every job in its
county; any other job does not exist (404). The file of a job (a large export) goes to its starter only.
"""

from django.http import FileResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import SimpleRouter

from core import jobs
from core.api.errors import ErrorSerializer
from core.models import Job
from core.roles import Capability


class JobSerializer(serializers.ModelSerializer):
    """A job: what, whose, where, how far, and its result or error."""

    kind_label = serializers.SerializerMethodField(help_text="What the job does, in words (Chinese).")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    started_by = serializers.CharField(source="started_by.username", read_only=True)
    percent = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="done / total as a whole percentage (null while the total is unknown).",
    )
    file = serializers.SerializerMethodField(help_text="Where the starter downloads the job's file, once done.")

    class Meta:
        model = Job
        fields = (
            "id", "kind", "kind_label", "state", "state_label", "region", "started_by", "params", "done", "total",
            "percent", "phase", "result", "error", "attempts", "created_at", "started_at", "finished_at", "file",
        )  # fmt: skip
        read_only_fields = fields

    def get_kind_label(self, job) -> str:
        return jobs.kind_label(job.kind)

    def get_file(self, job) -> str | None:
        request = self.context.get("request")
        if request is None or job.started_by_id != request.user.pk or jobs.job_file(job) is None:
            return None
        return reverse("api:job-file", kwargs={"pk": job.pk}, request=request)


class JobStateFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=Job.State.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Jobs: mine, and for the county office every job in its county; newest first",
        parameters=[JobStateFilter],
    ),
    retrieve=extend_schema(summary="A job: its state, progress (done/total, phase), result or error"),
)
class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.READ_REGISTER  # a retry: the service lets only the starter retry
    serializer_class = JobSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = jobs.jobs_in_scope(self.request.user).select_related("started_by").order_by("-created_at", "-id")
        if self.action == "list":
            params = JobStateFilter(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            if state := params.validated_data.get("state"):
                queryset = queryset.filter(state=state)
        return queryset

    def check_object_permissions(self, request, obj):
        """The scope (jobs_in_scope) decides: a job without a region is its starter's."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="The file of a done job (a large export), for its starter; logged like the export itself",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            404: OpenApiResponse(ErrorSerializer, description="No such job in your scope, not yours, or no file."),
        },
    )
    def file(self, request, pk=None):
        job = self.get_object()
        path = jobs.job_file(job) if job.started_by_id == request.user.pk else None
        if path is None:
            raise NotFound(_("这个任务没有可下载的文件"))
        kind = jobs.KINDS.get(job.kind)
        if kind is not None and kind.on_download is not None:
            kind.on_download(request, job)
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=job.result.get("filename") or path.name,
            content_type=job.result.get("content_type") or "application/octet-stream",
        )  # fmt: skip
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="Run a failed job again (its starter); a job queued, running or done is left as it is",
        request=None,
        responses={202: JobSerializer},
    )
    def retry(self, request, pk=None):
        job = jobs.job_retry(job=self.get_object(), user=request.user)
        job = self.get_queryset().get(pk=job.pk)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")

urlpatterns = [
    *router.urls,
    path("jobs/<int:pk>/file/", JobViewSet.as_view({"get": "file"}), name="job-file"),
    path("jobs/<int:pk>/retry/", JobViewSet.as_view({"post": "retry"}), name="job-retry"),
]
