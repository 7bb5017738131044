"""API of the help side (帮扶力量): units, cadres, work teams, pairings with handover, visits.

Views clean input and call cadres.services; scope comes from cadres.selectors. Units, cadres,
work teams and pairings are written by the county office (COUNTY_ADMINISTRATION) and read in
scope (READ_REGISTER); visits are recorded by whoever records activity in the household's
village (RECORD_ACTIVITY). Cadres' ID numbers are masked like members', full reads logged.
"""


from django.db import transaction
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cadres import selectors, services
from cadres.api.serializers import (
    CadreSerializer,
    HandoverResultSerializer,
    HandoverSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    PairingSerializer,
    PairingUpdateSerializer,
    PortfolioEntrySerializer,
    UnitSerializer,
    VisitSerializer,
    VisitUpdateSerializer,
    WorkTeamSerializer,
    WorkTeamUpdateSerializer,
)
from cadres.filtersets import CadreFilterSet, PairingFilterSet, UnitFilterSet, VisitFilterSet, WorkTeamFilterSet
from cadres.models import TeamMembership
from core.api.mixins import check_if_match
from core.api.pagination import CursorPagination
from core.api.params import date_param
from core.api.viewsets import ServiceViewSet
from core.personal import PersonalDataViewMixin
from core.roles import Capability

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="The day the portfolio is read for (default today).")


class _WriteViewSet(ServiceViewSet):
    # Read in scope with READ_REGISTER, written by the county office unless a viewset says otherwise.

    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION


class CursorById(CursorPagination):
    ordering = ("-id",)


# Units ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Units that help (帮扶单位) in your scope"),
    retrieve=extend_schema(summary="A unit"),
    create=extend_schema(summary="Register a unit (county office)"),
    partial_update=extend_schema(summary="Change a unit (county office)"),
)
class UnitViewSet(_WriteViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "level", "region"]

    def get_queryset(self):
        return selectors.units_in_scope(user=self.request.user).order_by("region_id", "name", "id")

    def service_create(self, data):
        return services.unit_create(user=self.request.user, data=data)

    def service_update(self, instance, data):
        return services.unit_update(user=self.request.user, unit=instance, data=data)


# Cadres -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Cadres (干部) in your scope; ID numbers masked for roles that may not see them"),
    retrieve=extend_schema(summary="A cadre"),
    create=extend_schema(summary="Register a cadre (county office); the ID number is checked like a member's"),
    partial_update=extend_schema(summary="Change a cadre or link a login (county office)"),
)
class CadreViewSet(PersonalDataViewMixin, _WriteViewSet):
    serializer_class = CadreSerializer
    filterset_class = CadreFilterSet
    ordering_fields = ["name", "region"]
    action_capabilities = {"portfolio": Capability.READ_REGISTER, "my_households": Capability.READ_REGISTER}
    not_found_actions = ("my_households",)

    def get_queryset(self):
        return selectors.cadres_in_scope(user=self.request.user).order_by("region_id", "name", "id")

    def service_create(self, data):
        return services.cadre_create(user=self.request.user, data=data)

    def service_update(self, instance, data):
        return services.cadre_update(user=self.request.user, cadre=instance, data=data)

    def _portfolio(self, cadre):
        entries = selectors.portfolio(user=self.request.user, cadre=cadre, as_of=date_param(self.request))
        return Response(PortfolioEntrySerializer(entries, many=True).data)

    @extend_schema(
        summary="The cadre's portfolio (包保户): households paired on the day, each with the cadre's last visit",
        parameters=[AS_OF],
        responses=PortfolioEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def portfolio(self, request, pk=None):
        return self._portfolio(self.get_object())

    @extend_schema(
        summary="My households: the portfolio of the cadre linked to your login (404 when none is)",
        parameters=[AS_OF],
        responses=PortfolioEntrySerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="me/households", pagination_class=None, filter_backends=[])
    def my_households(self, request):
        cadre = selectors.cadre_of_user(request.user)
        if cadre is None:
            raise NotFound(_("您的账号没有关联干部"))
        return self._portfolio(cadre)


# Work teams -------------------------------------------------------------------------------------

MEMBERSHIP_ID = OpenApiParameter("membership_id", int, OpenApiParameter.PATH, description="Membership id.")


@extend_schema_view(
    list=extend_schema(summary="Village work teams (驻村工作队) in your scope, with members and warnings"),
    retrieve=extend_schema(summary="A work team with its members (former ones too) and warnings"),
    create=extend_schema(
        summary="Send a work team to a village, with its first members (county office)",
        description="Fewer than three members or a term shorter than two years do not block: they are listed "
        "under `warnings`.",
    ),
    partial_update=extend_schema(summary="Change a team's unit or term (county office)"),
)
class WorkTeamViewSet(_WriteViewSet):
    serializer_class = WorkTeamSerializer
    update_serializer_class = WorkTeamUpdateSerializer
    filterset_class = WorkTeamFilterSet
    ordering_fields = ["starts_on", "village"]

    def get_queryset(self):
        return selectors.work_teams_in_scope(user=self.request.user).order_by("village_id", "-starts_on", "id")

    def service_create(self, data):
        members = data.pop("memberships", [])
        team, _warnings = services.work_team_create(user=self.request.user, data=data, members=members)
        return team

    def service_update(self, instance, data):
        team, _warnings = services.work_team_update(user=self.request.user, team=instance, data=data)
        return team

    @extend_schema(methods=["GET"], summary="Members of a team, former ones too", responses=MembershipSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        summary="Add a member (county office); answers with the team and its warnings",
        request=MembershipSerializer,
        responses={201: WorkTeamSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def members(self, request, pk=None):
        team = self.get_object()
        if request.method == "GET":
            return Response(MembershipSerializer(team.memberships.all(), many=True).data)
        serializer = MembershipSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.team_member_add(user=request.user, team=team, cadre=data.pop("cadre"), data=data)
        return self.respond(team, status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a membership (ends_on) or change its role or residence (county office); answers with the team",
        description="If-Match takes the membership's version (`\"<version>\"`); a stale one answers 412.",
        parameters=[
            MEMBERSHIP_ID,
            OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False, description="The membership's ETag."),
        ],
        request=MembershipUpdateSerializer,
        responses={200: WorkTeamSerializer},
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"members/(?P<membership_id>[0-9]+)",
        pagination_class=None,
        filter_backends=[],
    )
    def membership(self, request, pk=None, membership_id=None):
        team = self.get_object()
        serializer = MembershipUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            membership = TeamMembership.objects.select_for_update().filter(team=team, pk=membership_id).first()
            if membership is None:
                raise NotFound()
            check_if_match(request, membership)
            services.team_member_update(user=request.user, membership=membership, data=serializer.validated_data)
        return self.respond(team)


# Pairings ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Pairings of cadres with households (结对帮扶) in your scope"),
    retrieve=extend_schema(summary="A pairing"),
    create=extend_schema(
        summary="Pair a cadre with a household (county office)",
        description="Only households in the register may be paired: poor (未脱贫) or exited (已脱贫), or under "
        "monitoring. The same cadre and household may not be paired twice at once (`overlapping_period`).",
    ),
    partial_update=extend_schema(summary="End a pairing (ends_on), move its end or reopen it (county office)"),
)
class PairingViewSet(_WriteViewSet):
    serializer_class = PairingSerializer
    update_serializer_class = PairingUpdateSerializer
    filterset_class = PairingFilterSet
    filter_backends = [DjangoFilterBackend]  # the cursor fixes the order
    pagination_class = CursorById
    action_capabilities = {"handover": Capability.COUNTY_ADMINISTRATION}

    def get_queryset(self):
        return selectors.pairings_in_scope(user=self.request.user)

    def service_create(self, data):
        return services.pairing_create(
            user=self.request.user,
            cadre=data["cadre"],
            household=data["household"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
        )

    def service_update(self, instance, data):
        ends_on = data.get("ends_on", instance.ends_on)
        return services.pairing_update(user=self.request.user, pairing=instance, ends_on=ends_on)

    @extend_schema(
        summary="Hand a household over to another cadre (包保交接): one action, no gap, no overlap",
        request=HandoverSerializer,
        responses={201: HandoverResultSerializer},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def handover(self, request):
        serializer = HandoverSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ended, started = services.pairing_handover(
            user=request.user,
            household=data["household"],
            to_cadre=data["to_cadre"],
            on=data["on"],
            from_cadre=data.get("from_cadre"),
        )
        rows = {p.pk: p for p in self.get_queryset().filter(pk__in=[ended.pk, started.pk])}
        context = self.get_serializer_context()
        body = {
            "ended": PairingSerializer(rows[ended.pk], context=context).data,
            "started": PairingSerializer(rows[started.pk], context=context).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


# Visits -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Visits to households (走访记录) in your scope, the newest recorded first"),
    retrieve=extend_schema(summary="A visit"),
    create=extend_schema(
        summary="Record a visit (village team, township reviewer or county office in the household's village)",
        description="The visiting cadre must be paired with the household on the visit's date; not in the future.",
    ),
    partial_update=extend_schema(summary="Correct a visit's date, kind, findings, agreements or confirmation"),
)
class VisitViewSet(_WriteViewSet):
    write_capability = Capability.RECORD_ACTIVITY
    serializer_class = VisitSerializer
    update_serializer_class = VisitUpdateSerializer
    filterset_class = VisitFilterSet
    filter_backends = [DjangoFilterBackend]  # the cursor fixes the order
    pagination_class = CursorById  # newest recorded first: the primary key's index, at any depth

    def get_queryset(self):
        return selectors.visits_in_scope(user=self.request.user)

    def service_create(self, data):
        return services.visit_create(
            user=self.request.user, cadre=data.pop("cadre"), household=data.pop("household"), data=data
        )

    def service_update(self, instance, data):
        return services.visit_update(user=self.request.user, visit=instance, data=data)
