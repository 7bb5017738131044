"""API of findings (核查问题) and register rule runs (规则校验).

`findings/`: read in scope (READ_REGISTER over the finding's village), closed with PATCH by those who
may edit the register there (EDIT_REGISTER), through checks.findings.finding_resolve, with
ETag/If-Match. `checks/run/`: run the register rules over a region where the caller may edit the
register; `checks/runs/`: the runs over regions in scope. Views clean input and call the services.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from checks import catalog, register_rules, selectors
from checks.choices import FindingStatus
from checks.filtersets import FindingFilterSet, RuleRunFilterSet
from checks.findings import finding_detail_for, finding_message, finding_resolve
from checks.models import Finding, RuleRun
from core.api.viewsets import ServicePatchMixin, WriteViewSet
from core.roles import Capability
from core.scope import has_capability
from households.filtersets import validate_region_code
from villages.models import Region

# Serializers --------------------------------------------------------------------------------------------------


class FindingSerializer(serializers.ModelSerializer):
    """A finding as read: its rule and title, the message in the reader's language, target and closure."""

    title = serializers.SerializerMethodField(help_text="The rule's title (规则名称) in the reader's language.")
    message = serializers.SerializerMethodField(help_text="What is wrong, for the village team, in the reader's language.")
    village = serializers.CharField(source="village_id", read_only=True, help_text="12-digit village code.")
    household_number = serializers.CharField(source="household.number", read_only=True, allow_null=True, default=None)
    member_name = serializers.CharField(source="member.name", read_only=True, allow_null=True, default=None)
    resolved_by = serializers.CharField(source="resolved_by.username", read_only=True, allow_null=True, default=None)
    detail = serializers.JSONField(
        read_only=True, help_text="The facts behind the message (codes, names, amounts; ID numbers only masked; a birth date quoted "
        "from an ID number is its year for roles that may not see personal data in the village)."
    )

    class Meta:
        model = Finding
        fields = (
            "id", "rule", "title", "severity", "source", "status", "message", "detail", "key", "village",
            "household", "household_number", "member", "member_name", "found_at", "resolution", "resolved_at",
            "resolved_by", "run", "closed_by_run", "comparison", "verification", "version",
        )  # fmt: skip
        read_only_fields = fields

    def get_title(self, finding) -> str:
        entry = catalog.CODES.get(finding.rule)
        return str(entry.title) if entry else finding.rule

    def _reader(self):
        request = self.context.get("request")
        return request.user if request is not None else None

    def get_message(self, finding) -> str:
        return finding_message(finding, user=self._reader())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self._reader() is not None:
            data["detail"] = finding_detail_for(instance, user=self._reader())
        return data


class FindingResolveSerializer(serializers.Serializer):
    """Closing a finding (整改): fixed, or confirmed correct after checking (经核实无误), with what was done."""

    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (FindingStatus.FIXED, FindingStatus.CONFIRMED_CORRECT)]
    )
    resolution = serializers.CharField(max_length=2000, help_text="What was done or found (整改说明).")


class RuleRunSerializer(serializers.ModelSerializer):
    """A run of the register rules: where, which rules, what each found, opened and closed, when."""

    region = serializers.CharField(source="region_id", read_only=True)
    started_by = serializers.CharField(source="started_by.username", read_only=True, allow_null=True, default=None)
    counts = serializers.JSONField(
        read_only=True, help_text='Per rule: {"found", "opened", "closed", "ms"} (findings, and milliseconds taken).'
    )
    duration_ms = serializers.SerializerMethodField()

    class Meta:
        model = RuleRun
        fields = (
            "id", "region", "household", "rules", "trigger", "counts", "started_at", "finished_at", "duration_ms",
            "started_by",
        )  # fmt: skip
        read_only_fields = fields

    def get_duration_ms(self, run) -> int | None:
        if run.finished_at is None:
            return None
        return round((run.finished_at - run.started_at).total_seconds() * 1000)


class RuleRunInputSerializer(serializers.Serializer):
    region = serializers.CharField(
        max_length=12, validators=[validate_region_code], help_text="12-digit code of the region to check."
    )
    rules = serializers.ListField(
        child=serializers.ChoiceField(choices=list(register_rules.RULES)),
        required=False,
        allow_empty=False,
        help_text="Rule codes to run (ID-1 … HH-10); all when left out.",
    )


# Views --------------------------------------------------------------------------------------------------------


class NoStoreMixin:
    """Findings name people: responses are not cached (docs/api.md, Personal data)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


@extend_schema_view(
    list=extend_schema(summary="Findings in your scope (核查问题), newest first"),
    retrieve=extend_schema(summary="A finding"),
    partial_update=extend_schema(
        summary="Close a finding: fixed or confirmed correct, with the resolution (整改)",
    ),
)
class FindingViewSet(NoStoreMixin, ServicePatchMixin, mixins.ListModelMixin, WriteViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.EDIT_REGISTER
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    ordering_fields = ["found_at", "resolved_at", "rule", "severity", "status", "id"]
    ordering = ["-found_at", "-id"]
    http_method_names = ["get", "patch", "head", "options"]
    update_serializer_class = FindingResolveSerializer
    patch_is_partial = False  # a closure names both its status and its resolution

    def get_queryset(self):
        return selectors.findings_in_scope(user=self.request.user)

    def service_update(self, instance, data):
        return finding_resolve(user=self.request.user, finding=instance, **data)


@extend_schema_view(
    list=extend_schema(summary="Runs of the register rules over regions in your scope, newest first"),
    retrieve=extend_schema(summary="A run of the register rules"),
)
class RuleRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_capability = Capability.READ_REGISTER
    serializer_class = RuleRunSerializer
    filterset_class = RuleRunFilterSet
    ordering_fields = ["started_at", "id"]
    ordering = ["-started_at", "-id"]

    def get_queryset(self):
        return selectors.rule_runs_in_scope(user=self.request.user)


class RuleRunCreateView(APIView):
    """Run the register rules over a region now (规则校验)."""

    write_capability = Capability.EDIT_REGISTER

    @extend_schema(
        summary="Run the register rules over a region (all, or the ones named) and sync the findings",
        request=RuleRunInputSerializer,
        responses={201: RuleRunSerializer},
    )
    def post(self, request):
        serializer = RuleRunInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data["region"]
        user = request.user
        # A region the caller cannot read does not exist for them; one they read but may not edit is refused.
        if not has_capability(user, Capability.READ_REGISTER, code) or not Region.objects.filter(pk=code).exists():
            raise NotFound(_("区划不存在或不在您的范围内"))
        if not has_capability(user, Capability.EDIT_REGISTER, code):
            raise PermissionDenied(_("您的角色不能在该区划运行规则校验"))
        run = register_rules.run_rules(
            region_code=code, rules=serializer.validated_data.get("rules"), user=user, trigger="api"
        )
        run = selectors.rule_runs_in_scope(user=user).get(pk=run.pk)
        return Response(RuleRunSerializer(run).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("findings", FindingViewSet, basename="finding")
router.register("checks/runs", RuleRunViewSet, basename="rule-run")

urlpatterns = [path("checks/run/", RuleRunCreateView.as_view(), name="rule-run-create"), *router.urls]
