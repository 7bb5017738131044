"""API of department comparisons (数据比对): uploads, their rows and the county's veto categories.

Uploading and marking categories veto are the county office's (COUNTY_ADMINISTRATION over the
region); reading needs READ_REGISTER in scope. Views clean input and call checks.comparisons.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from checks import comparisons as services
from checks.api.comparison_serializers import (
    CategorySettingSerializer,
    CategorySettingUpdateSerializer,
    ComparisonDetailSerializer,
    ComparisonRowSerializer,
    ComparisonSerializer,
    ComparisonUploadSerializer,
    UploadResultSerializer,
)
from checks.choices import DepartmentCategory
from checks.models import CategorySetting, Comparison
from checks.selectors import comparisons_in_scope, match_counts
from checks.uploads import MAX_BYTES
from core.api.params import choice_param, region_prefix_param
from core.api.viewsets import ServiceCreateMixin, ServiceViewSet, WriteViewSet
from core.personal import PersonalDataViewMixin
from core.roles import Capability
from core.scope import restrict_to_scope

REGION_FILTER = OpenApiParameter(
    "region", str, description="12-digit region code: only rows of regions in its subtree (the region included)."
)


@extend_schema_view(
    list=extend_schema(summary="Department lists uploaded in your scope (数据比对)", parameters=[REGION_FILTER]),
    retrieve=extend_schema(summary="An uploaded list with the findings it opened, by category and severity"),
    create=extend_schema(
        summary="Upload a department's list (CSV or XLSX): kept, matched against the register, findings opened",
        description=(
            "Multipart form: `file`, `department`, `region`. The list is refused whole on one bad row (400 "
            "`invalid_upload`, problems under `errors` keyed `file` or `rows.<line>`, ID numbers masked) and when "
            "the same file was already uploaded for the region (409 `conflict`). Each matched active member of a "
            "registered or candidate household gets an EXT-* finding: an error when the category is veto "
            "(一票否决) or the member is recorded dead, else a warning. A veto match on a poor or exited household "
            "opens a removal proposal unless a procedure is under way."
        ),
        request={"multipart/form-data": ComparisonUploadSerializer},
        responses={201: UploadResultSerializer},
    ),
)
class ComparisonViewSet(PersonalDataViewMixin, ServiceCreateMixin, mixins.ListModelMixin, WriteViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    parser_classes = [MultiPartParser, FormParser]
    filter_backends = []
    serializer_class = ComparisonSerializer

    def get_queryset(self):
        qs = comparisons_in_scope(self.request.user)
        prefix = region_prefix_param(self.request) if self.action == "list" else None
        if prefix:
            qs = qs.filter(region__code__startswith=prefix)
        return qs

    def get_serializer_class(self):
        if self.action == "create":
            return ComparisonUploadSerializer
        if self.action == "retrieve":
            return ComparisonDetailSerializer
        return ComparisonSerializer

    def detail_data(self, comparison) -> dict:
        """The detail, with the findings it opened; after an upload, with what the upload did too."""
        context = {**self.get_serializer_context(), "match_counts": match_counts(comparison)}
        if self.action == "create":
            return UploadResultSerializer(comparison, context={**context, "result": self.upload_result}).data
        return ComparisonDetailSerializer(comparison, context=context).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self.detail_data(self.get_object()))  # no ETag: an upload has no version, it is never changed

    def service_create(self, data):
        upload = data["file"]
        # An oversize file is read only far enough for the service to refuse it.
        content = upload.read(MAX_BYTES + 1) if upload.size > MAX_BYTES else upload.read()
        self.upload_result = services.comparison_upload(
            user=self.request.user, region=data["region"], department=data["department"], file_name=upload.name,
            content=content,
        )  # fmt: skip
        return self.upload_result.comparison


COMPARISON_PK = OpenApiParameter("comparison_pk", int, OpenApiParameter.PATH, description="The comparison's id.")


@extend_schema_view(
    list=extend_schema(
        summary="Rows of an uploaded list; ID numbers masked for roles that may not see them (full reads are logged)",
        parameters=[COMPARISON_PK],
    )
)
class ComparisonRowViewSet(PersonalDataViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    read_capability = Capability.READ_REGISTER
    serializer_class = ComparisonRowSerializer
    filter_backends = []

    def get_comparison(self) -> Comparison:
        if not hasattr(self, "_comparison"):
            scoped = restrict_to_scope(Comparison.objects.only("id", "region_id"), self.request.user, Capability.READ_REGISTER)
            self._comparison = get_object_or_404(scoped, pk=self.kwargs["comparison_pk"])
        return self._comparison

    def get_queryset(self):
        return self.get_comparison().lines.order_by("line", "id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "comparison_pk" in getattr(self, "kwargs", {}):
            context["region_code"] = self.get_comparison().region_id
        return context


@extend_schema_view(
    list=extend_schema(
        summary="Veto settings of department categories (一票否决) in your scope",
        parameters=[
            REGION_FILTER,
            OpenApiParameter("category", str, enum=DepartmentCategory.values, description="Only this category."),
        ],
    ),
    retrieve=extend_schema(summary="A category setting"),
    create=extend_schema(
        summary="Mark a category veto or not in a region (201 when new, 200 when it existed and was changed)",
        request=CategorySettingSerializer,
        responses={200: CategorySettingSerializer, 201: CategorySettingSerializer},
    ),
    partial_update=extend_schema(summary="Change the veto flag"),
)
class CategorySettingViewSet(ServiceViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    serializer_class = CategorySettingSerializer
    update_serializer_class = CategorySettingUpdateSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        qs = restrict_to_scope(CategorySetting.objects.select_related("region"), self.request.user, Capability.READ_REGISTER)
        if self.action == "list":
            prefix = region_prefix_param(self.request)
            if prefix:
                qs = qs.filter(region__code__startswith=prefix)
            category = choice_param(self.request, "category", DepartmentCategory.values)
            if category:
                qs = qs.filter(category=category)
        return qs.order_by("region_id", "category")

    def service_create(self, data):
        return services.category_setting_save(
            user=self.request.user, region=data["region"], category=data["category"], veto=data["veto"]
        )  # (setting, created): 200 for a setting that existed

    def service_update(self, instance, data):
        veto = data.get("veto", instance.veto)
        return services.category_setting_save(
            user=self.request.user, region=instance.region, category=instance.category, veto=veto
        )


router = SimpleRouter()
router.register("comparisons", ComparisonViewSet, basename="comparison")
router.register(r"comparisons/(?P<comparison_pk>[0-9]+)/rows", ComparisonRowViewSet, basename="comparison-row")
router.register("comparison-categories", CategorySettingViewSet, basename="comparison-category")
urlpatterns = router.urls
