"""API of cross-check campaigns (交叉互检): create, assign and draw, verifications, report, close.

Views clean input and call checks.campaigns; scope comes from checks.campaign_selectors. A campaign is read by
those who read the register over its region and by the members of the teams assigned in it, who see only the
villages given to their team.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from checks import campaign_selectors as selectors
from checks import campaigns as services
from checks.api.campaign_serializers import (
    AssignmentSerializer,
    AssignResultSerializer,
    CampaignCreateSerializer,
    CampaignSerializer,
    CampaignUpdateSerializer,
    ReportSerializer,
    SampleSerializer,
    VerificationCreatedSerializer,
    VerificationInputSerializer,
    VerificationSerializer,
)
from checks.models import CampaignSample
from core.api.mixins import etag_for
from core.api.params import region_param
from core.api.permissions import RolePermission
from core.api.viewsets import ServiceViewSet
from core.roles import Capability

VILLAGE_PARAMETER = OpenApiParameter("village", str, description="Only this village (12-digit code).")


class CampaignPermission(RolePermission):
    """RolePermission, with two refinements for campaigns.

    Recording a verification needs RECORD_ACTIVITY (reading the list, READ_REGISTER). Reads of a campaign, its
    rotation, samples and verifications need no right over its region: the scoped queryset already admits
    exactly the users who may see it (team members included); recording is decided by the service (the
    assigned team). The report and every administration action keep the object check over the region.
    """

    SCOPED_BY_QUERYSET = frozenset({"retrieve", "assignments", "samples", "verifications"})

    def _capability(self, request, view):
        if getattr(view, "action", None) == "verifications" and request.method == "POST":
            return Capability.RECORD_ACTIVITY
        return super()._capability(request, view)

    def has_object_permission(self, request, view, obj):
        if getattr(view, "action", None) in self.SCOPED_BY_QUERYSET:
            return True
        return super().has_object_permission(request, view, obj)


@extend_schema_view(
    list=extend_schema(summary="Cross-check campaigns in your scope (交叉互检, 核查回头看, 第三方评估)"),
    create=extend_schema(
        summary="Open a campaign over a region (county office), in draft",
    ),
    retrieve=extend_schema(summary="A campaign"),
    partial_update=extend_schema(
        summary="Rename a campaign or move its period, while it is a draft",
    ),
)
class CampaignViewSet(ServiceViewSet):
    """Cross-check campaigns (核查活动): read in scope, administered by the county office, verified by the teams."""

    permission_classes = [IsAuthenticated, CampaignPermission]
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    action_capabilities = {
        "assign": Capability.COUNTY_ADMINISTRATION,
        "close": Capability.COUNTY_ADMINISTRATION,
        "report": Capability.READ_REGISTER,
    }
    serializer_class = CampaignSerializer
    create_serializer_class = CampaignCreateSerializer
    update_serializer_class = CampaignUpdateSerializer
    filterset_fields = ["kind", "year", "state"]
    ordering_fields = ["year", "starts_on", "name"]

    def get_queryset(self):
        return selectors.campaigns_in_scope(user=self.request.user)

    def service_create(self, data):
        return services.campaign_create(user=self.request.user, **data)

    def service_update(self, instance, data):
        return services.campaign_update(user=self.request.user, campaign=instance, data=data)

    @extend_schema(
        summary="Give each village to a team from another village and draw the sample (409 cannot_rotate)",
        request=None,
        responses={200: AssignResultSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def assign(self, request, pk=None):
        campaign = self.get_object()
        counts = services.campaign_assign(user=request.user, campaign=campaign)
        campaign = self.get_queryset().get(pk=campaign.pk)
        return Response(AssignResultSerializer({"campaign": campaign, **counts}).data, headers={"ETag": etag_for(campaign)})

    @extend_schema(summary="The rotation: each village and the team from another village that checks it",
                   responses=AssignmentSerializer(many=True))  # fmt: skip
    @action(detail=True, methods=["get"], filter_backends=[])
    def assignments(self, request, pk=None):
        campaign = self.get_object()
        page = self.paginate_queryset(selectors.assignments_of(campaign=campaign))
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(
        summary="Sampled households: all of them over a region you read, else those of your team's villages",
        parameters=[VILLAGE_PARAMETER],
        responses=SampleSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def samples(self, request, pk=None):
        campaign = self.get_object()
        samples = selectors.samples_for(user=request.user, campaign=campaign, village=region_param(request, "village"))
        page = self.paginate_queryset(samples)
        response = self.get_paginated_response(SampleSerializer(page, many=True).data)
        response["Cache-Control"] = "no-store"  # names of heads of household
        return response

    @extend_schema(
        methods=["GET"],
        summary="Verifications recorded: all over a region you read, else those of your team's villages",
        parameters=[VILLAGE_PARAMETER],
        responses=VerificationSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record the assigned team's verification of a sampled household (403 not_assigned_team)",
        request=VerificationInputSerializer,
        responses={201: VerificationCreatedSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def verifications(self, request, pk=None):
        campaign = self.get_object()
        if request.method == "GET":
            verifications = selectors.verifications_for(user=request.user, campaign=campaign, village=region_param(request, "village"))
            page = self.paginate_queryset(verifications)
            return self.get_paginated_response(VerificationSerializer(page, many=True).data)
        serializer = VerificationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        sample = CampaignSample.objects.filter(campaign=campaign, pk=data.pop("sample")).first()
        if sample is None:
            raise ValidationError({"sample": [_("该户不在本次核查的抽样中")]})
        verification, findings = services.verification_record(user=request.user, campaign=campaign, sample=sample, **data)
        body = VerificationCreatedSerializer(verification, context={"findings": findings}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The campaign's figures for its region and each child region (识别准确率, 错退率, 漏评率, 认可度, 整改)",
        responses=ReportSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def report(self, request, pk=None):
        campaign = self.get_object()
        return Response(ReportSerializer(selectors.campaign_report(campaign=campaign)).data)

    @extend_schema(
        summary="Close the campaign once every rectification is resolved (409 finding_open otherwise)",
        request=None,
        responses=CampaignSerializer,
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def close(self, request, pk=None):
        return self.respond(services.campaign_close(user=request.user, campaign=self.get_object()))


router = SimpleRouter()
router.register("campaigns", CampaignViewSet, basename="campaign")
urlpatterns = router.urls
