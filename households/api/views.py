"""API of the register. Views clean input and call the services; scope comes from the selectors."""


from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.api.mixins import etag_for
from core.api.pagination import CursorPagination
from core.api.params import region_param_or, year_param
from core.api.viewsets import ServicePatchMixin, ServiceViewSet, WriteViewSet
from core.personal import PersonalDataViewMixin
from core.roles import Capability
from core.scope import has_capability, is_unrestricted
from households import rules, selectors, services
from households.api.serializers import (
    CODES_PARAMETER,
    AnnualRecordSerializer,
    AnnualRecordUpdateSerializer,
    HistoryEntrySerializer,
    HouseholdListSerializer,
    HouseholdSerializer,
    HouseholdUpdateSerializer,
    MemberLookupSerializer,
    MemberMoveSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    PolicyStandardSerializer,
)
from households.filtersets import HouseholdFilterSet


class HouseholdPagination(CursorPagination):
    ordering = "number"


@extend_schema_view(
    list=extend_schema(summary="Households in your scope (贫困户)", parameters=[CODES_PARAMETER]),
    create=extend_schema(summary="Register a household with its members, in one request"),
    retrieve=extend_schema(summary="A household with its members", parameters=[CODES_PARAMETER]),
    partial_update=extend_schema(summary="Change a household's facts (members have their own endpoints)"),
    destroy=extend_schema(summary="Delete a household that never entered a procedure"),
)
class HouseholdViewSet(PersonalDataViewMixin, ServiceViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.EDIT_REGISTER
    serializer_class = HouseholdSerializer  # the detail every write answers with
    filterset_class = HouseholdFilterSet
    pagination_class = HouseholdPagination
    ordering_fields = ["number", "created_at", "updated_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.household_list(user=self.request.user)
        if self.action in {"retrieve", "create", "partial_update"}:
            return selectors.household_detail(user=self.request.user)
        return selectors.households_in_scope(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return HouseholdListSerializer
        if self.action == "partial_update":
            return HouseholdUpdateSerializer
        if self.action == "members":
            return MemberSerializer
        if self.action == "annual_records":
            return AnnualRecordSerializer
        if self.action == "history":
            return HistoryEntrySerializer
        return HouseholdSerializer

    def service_create(self, data):
        return services.household_create(
            user=self.request.user, village=data.pop("village"), members=data.pop("members"), data=data
        )

    def service_update(self, instance, data):
        return services.household_update(user=self.request.user, household=instance, data=data)

    def service_delete(self, instance):
        services.household_delete(user=self.request.user, household=instance)

    @extend_schema(
        methods=["GET"],
        summary="Members of a household, former members included",
        responses=MemberSerializer(many=True),
        parameters=[CODES_PARAMETER],
    )
    @extend_schema(methods=["POST"], summary="Add a member (birth, marriage, moving in)", request=MemberSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def members(self, request, pk=None):
        household = self.get_object()
        if request.method == "GET":
            members = household.members.order_by("left_on", "relation", "birth_date", "id")
            context = {**self.get_serializer_context(), "village_code": household.village_id}
            return Response(MemberSerializer(members, many=True, context=context).data)
        serializer = MemberSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        member = services.member_add(user=request.user, household=household, data=serializer.validated_data)
        member.household = household
        return Response(
            MemberSerializer(member, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag_for(member)},
        )

    @extend_schema(methods=["GET"], summary="Annual records of a household", responses=AnnualRecordSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        summary="Create or replace the record of a year (201 when new, 200 when it existed)",
        request=AnnualRecordSerializer,
        responses={200: AnnualRecordSerializer, 201: AnnualRecordSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="annual-records", pagination_class=None, filter_backends=[])
    def annual_records(self, request, pk=None):
        household = self.get_object()
        if request.method == "GET":
            records = household.annual_records.order_by("year")
            return Response(AnnualRecordSerializer(records, many=True).data)
        serializer = AnnualRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        record, created = services.annual_record_upsert(
            user=request.user, household=household, year=data.pop("year"), data=data
        )
        return Response(
            AnnualRecordSerializer(record).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"ETag": etag_for(record)},
        )

    @extend_schema(summary="The household's timeline: who changed what, when", responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        household = self.get_object()
        entries = selectors.household_timeline(household=household, policy=self.get_personal_data_policy())
        return Response(HistoryEntrySerializer(entries, many=True).data)


@extend_schema_view(
    retrieve=extend_schema(summary="A member", parameters=[CODES_PARAMETER]),
    partial_update=extend_schema(
        summary="Change a member; leaving is a PATCH with left_on and left_reason (and new_head when the head leaves)"
    ),
)
class MemberViewSet(PersonalDataViewMixin, ServicePatchMixin, WriteViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.EDIT_REGISTER
    action_capabilities = {"lookup": Capability.READ_REGISTER}
    serializer_class = MemberSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.members_in_scope(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "partial_update":
            return MemberUpdateSerializer
        if self.action == "move":
            return MemberMoveSerializer
        if self.action == "lookup":
            return MemberLookupSerializer
        return MemberSerializer

    def service_update(self, instance, data):
        new_head = data.pop("new_head", None)  # the service checks it belongs to the same household
        return services.member_update(user=self.request.user, member=instance, data=data, new_head=new_head)

    @extend_schema(
        summary="Find members by ID number (the number never travels in a URL)",
        request=MemberLookupSerializer,
        responses={200: MemberSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def lookup(self, request):
        serializer = MemberLookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = serializer.validated_data["id_number"].strip().upper()
        person = rules.person_number(id_type="disability_cert" if len(number) == 20 else "resident_id", id_number=number)
        members = self.get_queryset().filter(Q(person_number=person) | Q(id_number=number)).order_by("left_on", "id")
        return Response(MemberSerializer(members, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Move a member to another household in one step",
        request=MemberMoveSerializer,
        responses={201: MemberSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def move(self, request, pk=None):
        member = self.get_object()
        serializer = MemberMoveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        target = serializer.validated_data["household"]
        moved = services.member_move(
            user=request.user,
            member=member,
            to_household=target,
            relation=serializer.validated_data["relation"],
            on=serializer.validated_data["date"],
        )
        moved.household = target
        return Response(
            MemberSerializer(moved, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    retrieve=extend_schema(summary="An annual record"),
    partial_update=extend_schema(summary="Change an annual record (derived incomes are recomputed)"),
)
class AnnualRecordViewSet(ServicePatchMixin, WriteViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.EDIT_REGISTER
    serializer_class = AnnualRecordUpdateSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.annual_records_in_scope(user=self.request.user)

    def service_update(self, instance, data):
        return services.annual_record_upsert(
            user=self.request.user, household=instance.household, year=instance.year, data=data
        )  # (record, created)


@extend_schema_view(
    list=extend_schema(
        summary="Policy standards (政策标准)",
        parameters=[
            OpenApiParameter("year", int, description="Only this year."),
            OpenApiParameter("region", str, description="Only this region (12 digits); 'none' for nationwide rows."),
        ],
    ),
    create=extend_schema(summary="Add a year's standard for a region"),
    partial_update=extend_schema(summary="Change a standard"),
)
class PolicyStandardViewSet(ServiceViewSet):
    """Everyone who reads figures reads the standards; the county office changes them in its region."""

    read_capability = Capability.READ_FIGURES
    write_capability = Capability.COUNTY_ADMINISTRATION
    serializer_class = PolicyStandardSerializer
    filterset_class = None
    pagination_class = None

    def get_queryset(self):
        """Standards of the caller's regions, of the regions above them and nationwide ones (selectors)."""
        qs = selectors.standards_in_scope(user=self.request.user).order_by("year", "region_id")
        if self.action != "list":
            return qs
        year = year_param(self.request)
        if year is not None:
            qs = qs.filter(year=year)
        region = region_param_or(self.request, "none")
        if region == "none":
            return qs.filter(region__isnull=True)
        if region:
            # A region outside the caller's regions and their ancestors does not exist for the caller.
            if not selectors.standard_region_visible(user=self.request.user, code=region):
                raise NotFound()
            qs = qs.filter(region_id=region)
        return qs

    def _check_region(self, region):
        user = self.request.user
        allowed = is_unrestricted(user) if region is None else has_capability(
            user, Capability.COUNTY_ADMINISTRATION, region.code
        )
        if not allowed:
            raise ValidationError({"region": [_("只能为您管理范围内的区划设置标准（全国默认标准由系统管理员设置）")]})

    def service_create(self, data):
        region = data.pop("region", None)
        self._check_region(region)
        return services.policy_standard_save(user=self.request.user, year=data.pop("year"), region=region, data=data)

    def service_update(self, instance, data):
        if "region" in data or "year" in data:
            raise ValidationError({"region": [_("年度和区划不能修改；请新增一条标准")]})
        return services.policy_standard_save(user=self.request.user, standard=instance, data=data)
