"""API of the programs app. Views clean input and call the services; scope comes from the selectors.

Rights (docs/api.md, Roles and scope): programs, cooperatives, memberships, dividends and projects are written by the county
office (COUNTY_ADMINISTRATION); benefits are recorded with RECORD_ACTIVITY in the household's village;
figures are read with READ_FIGURES, lists that name households with READ_REGISTER. Rows outside the
caller's scope answer 404.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from core import regions as region_rules
from core.api.params import date_param, region_param, region_prefix_param, year_param
from core.api.permissions import RolePermission
from core.api.viewsets import ServiceViewSet
from core.errors import DomainError
from core.personal import PersonalDataViewMixin
from core.roles import Capability
from core.scope import has_capability
from programs import selectors, services, targeting
from programs.api.serializers import (
    BenefitSerializer,
    BenefitUpdateSerializer,
    CooperativeMembershipSerializer,
    CooperativeMembershipUpdateSerializer,
    CooperativeSerializer,
    DividendSerializer,
    DividendUpdateSerializer,
    ProgramDetailSerializer,
    ProgramGapSerializer,
    ProgramSerializer,
    ProjectHouseholdSerializer,
    ProjectSerializer,
    RegionProgramFiguresSerializer,
)
from programs.filtersets import (
    BenefitFilterSet,
    CooperativeFilterSet,
    DividendFilterSet,
    MembershipFilterSet,
    ProgramFilterSet,
    ProjectFilterSet,
)
from villages.models import Region

# Programs -------------------------------------------------------------------------------------------


class ProgramPermission(RolePermission):
    """A program is read by everyone working inside or below its region: its queryset already holds only those,
    so a read needs no per-object check (a county program is not "outside" a village team of the county)."""

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return super().has_object_permission(request, view, obj)


@extend_schema_view(
    list=extend_schema(summary="Programs that apply in your regions (帮扶项目/政策)"),
    create=extend_schema(
        summary="Set up a program (county office)"
    ),
    retrieve=extend_schema(
        summary="A program with its beneficiary households, people and amount",
        parameters=[
            OpenApiParameter("year", int, description="Count only the benefits dated in this year (default: all years)."),
        ],
    ),
    partial_update=extend_schema(
        summary="Change a program; its region and years cannot shrink past recorded benefits",
    ),
)
class ProgramViewSet(ServiceViewSet):
    permission_classes = [IsAuthenticated, ProgramPermission]
    read_capability = Capability.READ_FIGURES
    write_capability = Capability.COUNTY_ADMINISTRATION
    action_capabilities = {"gaps": Capability.READ_REGISTER, "figures": Capability.READ_FIGURES}
    conflict_actions = {"gaps"}  # 409 without a targeting rule (documented by core.api.schema)
    serializer_class = ProgramDetailSerializer
    filterset_class = ProgramFilterSet
    ordering_fields = ["start_year", "name", "id"]
    ordering = ["-start_year", "name", "id"]

    def get_queryset(self):
        capability = Capability.READ_REGISTER if self.action == "gaps" else Capability.READ_FIGURES
        return selectors.programs_visible(user=self.request.user, capability=capability)

    def get_serializer_class(self):
        if self.action in {"list", "create", "partial_update"}:
            return ProgramSerializer
        if self.action == "gaps":
            return ProgramGapSerializer
        if self.action == "figures":
            return RegionProgramFiguresSerializer
        return ProgramDetailSerializer

    def detail_data(self, instance, year: int | None = None) -> dict:
        period = {} if year is None else {"since": datetime.date(year, 1, 1), "until": datetime.date(year, 12, 31)}
        for key, value in selectors.program_beneficiaries(program=instance, **period).items():
            setattr(instance, key, value)
        return ProgramDetailSerializer(instance, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        self.year = year_param(request)  # a bad year is 400 before the lookup
        return super().retrieve(request, *args, **kwargs)

    def retrieve_data(self, instance) -> dict:
        return self.detail_data(instance, self.year)

    def service_create(self, data):
        return services.program_create(user=self.request.user, data=data)

    def service_update(self, instance, data):
        return services.program_update(user=self.request.user, program=instance, data=data)

    @extend_schema(
        summary="The gap list: households the program's targeting rule says it should reach and has not, in a year",
        parameters=[
            OpenApiParameter("year", int, description="The year (default: this year, kept within the program's years)."),
            OpenApiParameter("region", str, description="12-digit region code: only households in its subtree."),
        ],
        responses=ProgramGapSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def gaps(self, request, pk=None):
        program = self.get_object()
        if not program.targeting_rule:
            raise DomainError("conflict", _("该项目没有对象规则，无法列出未覆盖的户"))
        today = timezone.localdate()
        year = year_param(request, low=program.start_year, high=program.end_year)
        if year is None:
            year = min(max(today.year, program.start_year), program.end_year)
        households = selectors.program_gaps(
            program=program, user=request.user, year=year, as_of=targeting.as_of_for_year(year, today)
        )
        prefix = region_prefix_param(request)
        if prefix:
            households = households.filter(village__code__startswith=prefix)
        page = self.paginate_queryset(households)
        return self.get_paginated_response(ProgramGapSerializer(page, many=True).data)

    @extend_schema(
        summary="Program figures of a region as of a day: the summary's `programs` keys, per child region too, "
        "benefits by program, funding source and category, pairing-unit project totals",
        parameters=[
            OpenApiParameter("region", str, required=True, description="12-digit region code in your scope."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="The day (default today); benefits count from 1 January of its year."),
        ],
        responses=RegionProgramFiguresSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def figures(self, request):
        code = region_param(request, required=True)
        if not has_capability(request.user, Capability.READ_FIGURES, code):
            raise NotFound()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise NotFound()
        as_of = date_param(request)
        since = datetime.date(as_of.year, 1, 1)
        children = selectors.program_figures_by_child(region_code=code, as_of=as_of)
        names = dict(Region.objects.filter(code__in=list(children)).values_list("code", "name"))
        child_level = region_rules.child_level(region.level)
        data = {
            "region": {"code": region.code, "name": region.name, "level": region.level},
            "as_of": as_of,
            "programs": selectors.program_figures(region_code=code, as_of=as_of),
            "children": [
                {"region": {"code": child, "name": names.get(child, ""), "level": child_level}, "programs": figures}
                for child, figures in children.items()
            ],
            **{
                f"benefits_by_{by}": selectors.benefit_totals(region_code=code, by=by, since=since, until=as_of)
                for by in ("program", "funding_source", "category")
            },
            "projects": selectors.project_totals(region_code=code, year=as_of.year),
        }
        return Response(RegionProgramFiguresSerializer(data).data)


# Benefits -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Benefits to households in your scope (帮扶记录)"),
    create=extend_schema(
        summary="Record a benefit: a household in the program's region, in a village you work in",
    ),
    retrieve=extend_schema(summary="A benefit"),
    partial_update=extend_schema(
        summary="Correct a benefit's member, date, amount, quantity or note",
    ),
)
class BenefitViewSet(PersonalDataViewMixin, ServiceViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.RECORD_ACTIVITY
    serializer_class = BenefitSerializer
    update_serializer_class = BenefitUpdateSerializer
    filterset_class = BenefitFilterSet
    ordering_fields = ["date", "amount", "id"]
    ordering = ["-date", "-id"]

    def get_queryset(self):
        return selectors.benefits_in_scope(user=self.request.user)

    def service_create(self, data):
        return services.benefit_create(
            user=self.request.user,
            program=data["program"],
            household=data["household"],
            member=data.get("member"),
            date=data["date"],
            amount=data["amount"],
            quantity=data.get("quantity", 1),
            note=data.get("note", ""),
        )

    def service_update(self, instance, data):
        return services.benefit_update(user=self.request.user, benefit=instance, data=data)


# Cooperatives, memberships, dividends ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Cooperatives in your regions (合作社) with their member households today"),
    create=extend_schema(summary="Register a cooperative (county office)"),
    retrieve=extend_schema(summary="A cooperative"),
    partial_update=extend_schema(summary="Change a cooperative"),
)
class CooperativeViewSet(ServiceViewSet):
    read_capability = Capability.READ_FIGURES
    write_capability = Capability.COUNTY_ADMINISTRATION
    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilterSet
    ordering_fields = ["name", "founded", "id"]
    ordering = ["village_id", "name", "id"]

    def get_queryset(self):
        return selectors.cooperatives_in_scope(user=self.request.user)

    def service_create(self, data):
        return services.cooperative_create(user=self.request.user, data=data)

    def service_update(self, instance, data):
        return services.cooperative_update(user=self.request.user, cooperative=instance, data=data)


@extend_schema_view(
    list=extend_schema(summary="Households' memberships of cooperatives (入社), in your scope"),
    create=extend_schema(
        summary="A household joins a cooperative (county office); no overlap with its other memberships of it",
    ),
    retrieve=extend_schema(summary="A membership"),
    partial_update=extend_schema(
        summary="Change a membership; leaving is a PATCH with `left`",
    ),
)
class MembershipViewSet(PersonalDataViewMixin, ServiceViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    serializer_class = CooperativeMembershipSerializer
    update_serializer_class = CooperativeMembershipUpdateSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["joined", "id"]
    ordering = ["cooperative_id", "joined", "id"]

    def get_queryset(self):
        return selectors.memberships_in_scope(user=self.request.user)

    def service_create(self, data):
        return services.membership_create(
            user=self.request.user,
            cooperative=data["cooperative"],
            household=data["household"],
            joined=data["joined"],
            left=data.get("left"),
            **({"shares": data["shares"]} if "shares" in data else {}),
        )

    def service_update(self, instance, data):
        return services.membership_update(user=self.request.user, membership=instance, data=data)


@extend_schema_view(
    list=extend_schema(summary="Dividends paid on memberships (分红), in your scope"),
    create=extend_schema(
        summary="Record a year's dividend on a membership (one per membership and year)",
    ),
    retrieve=extend_schema(summary="A dividend"),
    partial_update=extend_schema(
        summary="Correct a dividend"
    ),
)
class DividendViewSet(PersonalDataViewMixin, ServiceViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    serializer_class = DividendSerializer
    update_serializer_class = DividendUpdateSerializer
    filterset_class = DividendFilterSet
    ordering_fields = ["year", "amount", "id"]
    ordering = ["membership_id", "year"]

    def get_queryset(self):
        return selectors.dividends_in_scope(user=self.request.user)

    def service_create(self, data):
        return services.dividend_create(
            user=self.request.user, membership=data["membership"], year=data["year"], amount=data["amount"]
        )

    def service_update(self, instance, data):
        return services.dividend_update(user=self.request.user, dividend=instance, data=data)


# Pairing-unit projects ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Pairing units' projects in your regions (帮扶单位项目)"),
    create=extend_schema(
        summary="Record a pairing unit's project with the households it benefited (county office)",
    ),
    retrieve=extend_schema(summary="A project with its funds, trainings and number of households benefited"),
    partial_update=extend_schema(summary="Change a project; `beneficiaries` replaces its households"),
)
class ProjectViewSet(ServiceViewSet):
    read_capability = Capability.READ_FIGURES
    write_capability = Capability.COUNTY_ADMINISTRATION
    action_capabilities = {"beneficiaries": Capability.READ_REGISTER}
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["year", "name", "id"]
    ordering = ["-year", "village_id", "name", "id"]

    def get_queryset(self):
        return selectors.projects_in_scope(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "beneficiaries":
            return ProjectHouseholdSerializer
        return ProjectSerializer

    def service_create(self, data):
        beneficiaries = data.pop("beneficiaries", None)
        return services.project_create(user=self.request.user, data=data, beneficiaries=beneficiaries)

    def service_update(self, instance, data):
        beneficiaries = data.pop("beneficiaries", None)
        return services.project_update(user=self.request.user, project=instance, data=data, beneficiaries=beneficiaries)

    @extend_schema(summary="The households a project benefited (those in your scope)", responses=ProjectHouseholdSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def beneficiaries(self, request, pk=None):
        project = self.get_object()
        page = self.paginate_queryset(selectors.project_beneficiaries(project=project, user=request.user))
        response = self.get_paginated_response(ProjectHouseholdSerializer(page, many=True).data)
        response["Cache-Control"] = "no-store"
        return response
