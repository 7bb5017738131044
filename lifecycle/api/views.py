"""API of the lifecycle: procedures and their steps, notices and objections, evaluations, village exit.

Views clean input and call the services (lifecycle.services); scope comes from the selectors. The
paths are those the register had (households/{id}/procedures/, procedures/, notices/ …).
"""


from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.params import (
    choice_param,
    optional_date_param,
    region_prefix_param,
    year_param,
)
from core.errors import DomainError
from core.personal import PersonalDataViewMixin
from core.roles import Capability
from core.scope import restrict_to_scope
from households.selectors import households_in_scope
from lifecycle import services
from lifecycle.api.serializers import (
    EvaluationSerializer,
    NoticeSerializer,
    ObjectionResolveSerializer,
    ObjectionSerializer,
    ProcedureOpenSerializer,
    ProcedureSerializer,
    PublishedYearSerializer,
    StatusChangeSerializer,
    StatusCorrectionSerializer,
    StepInputSerializer,
    VillageExitObjectionResolveSerializer,
    VillageExitObjectionSerializer,
    VillageExitProposalSerializer,
    VillageExitSerializer,
    VillageExitStepInputSerializer,
)
from lifecycle.models import Objection, StatusChange, VillageExit, VillageExitObjection
from lifecycle.selectors import (
    exit_evaluation,
    notices_in_scope,
    procedures_in_scope,
    village_exit_evaluation,
    village_exits_of,
)
from villages.selectors import regions_in_scope


class HouseholdLifecycleViewSet(PersonalDataViewMixin, viewsets.GenericViewSet):
    """A household's procedures and exit evaluation, under the register's households/{id}/ paths."""

    read_capability = Capability.READ_REGISTER
    write_capability = Capability.EDIT_REGISTER
    # Procedure steps need different roles step by step; the lifecycle services decide (403 from them).
    action_capabilities = {"procedures": Capability.READ_REGISTER, "status_corrections": Capability.READ_REGISTER}

    def get_queryset(self):
        return households_in_scope(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "eligibility":
            return EvaluationSerializer
        if self.action == "status_corrections":
            return StatusCorrectionSerializer
        return ProcedureSerializer

    @extend_schema(methods=["GET"], summary="The household's procedures, newest first", responses=ProcedureSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        summary="Start a procedure with its first step (exit and risk elimination must pass their evaluation)",
        request=ProcedureOpenSerializer,
        responses={201: ProcedureSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def procedures(self, request, pk=None):
        household = self.get_object()
        if request.method == "GET":
            procedures = procedures_in_scope(user=request.user).filter(household=household)
            return Response(ProcedureSerializer(procedures, many=True).data)
        serializer = ProcedureOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        procedure = services.procedure_open(
            user=request.user,
            household=household,
            kind=data["kind"],
            on=data["date"],
            note=data.get("note", ""),
            reason=data.get("reason", ""),
            monitoring_type=data.get("monitoring_type", ""),
            data={"source": data["source"]} if data.get("source") else {},
            year=data.get("year"),
        )
        procedure = procedures_in_scope(user=request.user).get(pk=procedure.pk)
        return Response(ProcedureSerializer(procedure).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], summary="The household's status history (corrections name the row they correct)",
        responses=StatusChangeSerializer(many=True),
    )  # fmt: skip
    @extend_schema(
        methods=["POST"],
        summary="Correct a wrong status change (county office): a new row, effective on the wrong row's date",
        request=StatusCorrectionSerializer,
        responses={201: StatusChangeSerializer},
    )
    @action(
        detail=True, methods=["get", "post"], url_path="status-corrections", pagination_class=None, filter_backends=[]
    )
    def status_corrections(self, request, pk=None):
        household = self.get_object()
        history = StatusChange.objects.filter(household=household).select_related("recorded_by").order_by("id")
        if request.method == "GET":
            return Response(StatusChangeSerializer(history, many=True).data)
        serializer = StatusCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        wrong = history.filter(pk=data["corrects"]).first()
        if wrong is None:
            raise ValidationError({"corrects": [_("不是该户的状态变更")]})
        correction = services.status_correct(
            user=request.user, change=wrong, status=data["status"], returned=data["returned"], reason=data["reason"]
        )
        return Response(StatusChangeSerializer(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The exit evaluation of a year: one line per check (income, food, clothing, education, medical, housing, water)",
        parameters=[
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("line", str, enum=["poverty", "monitoring"], description="monitoring: risk elimination"),
        ],
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def eligibility(self, request, pk=None):
        household = self.get_object()
        year = year_param(request, required=True)
        line = choice_param(request, "line", ("poverty", "monitoring")) or "poverty"
        evaluation = exit_evaluation(household=household, year=year, line=line)
        return Response(EvaluationSerializer(evaluation.as_dict()).data)


@extend_schema_view(retrieve=extend_schema(summary="A procedure: kind, steps done, next step, state"))
class ProcedureViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_capability = Capability.READ_REGISTER
    action_capabilities = {"steps": Capability.READ_REGISTER}  # each step's role is checked by the service
    serializer_class = ProcedureSerializer

    def get_queryset(self):
        return procedures_in_scope(user=self.request.user)

    @extend_schema(
        summary="Take the next step (approve or reject); notices take start and end, appraisal the votes",
        request=StepInputSerializer,
        responses={201: ProcedureSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def steps(self, request, pk=None):
        procedure = self.get_object()
        serializer = StepInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        extra = {k: data[k] for k in ("start", "end", "votes_for", "votes_against", "participants", "plan_year") if k in data}
        services.procedure_step(
            user=request.user,
            procedure=procedure,
            step=data["step"],
            decision=data["decision"],
            on=data["date"],
            note=data.get("note", ""),
            data=extra,
        )
        procedure = self.get_queryset().get(pk=procedure.pk)
        return Response(ProcedureSerializer(procedure).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Public notices (公示), per village for the board",
        parameters=[
            OpenApiParameter("region", str, description="12-digit region code: notices in its subtree."),
            OpenApiParameter("on", OpenApiTypes.DATE, description="Only notices running on this day."),
        ],
    ),
    retrieve=extend_schema(summary="A notice with its objections"),
)
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_capability = Capability.READ_REGISTER
    action_capabilities = {"objections": Capability.READ_REGISTER}  # lodging is checked by the service
    serializer_class = NoticeSerializer
    filter_backends = []

    def get_queryset(self):
        qs = notices_in_scope(user=self.request.user).order_by("village_id", "-start", "id")
        prefix = region_prefix_param(self.request)
        if prefix:
            qs = qs.filter(village__code__startswith=prefix)
        day = optional_date_param(self.request, "on")
        if day:
            qs = qs.filter(start__lte=day, end__gte=day)
        return qs

    @extend_schema(methods=["GET"], summary="Objections to a notice", responses=ObjectionSerializer(many=True))
    @extend_schema(
        methods=["POST"], summary="Record an objection lodged during the notice", request=ObjectionSerializer,
        responses={201: ObjectionSerializer},
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def objections(self, request, pk=None):
        notice = self.get_object()
        if request.method == "GET":
            return Response(ObjectionSerializer(notice.objections.order_by("id"), many=True).data)
        serializer = ObjectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_lodge(
            user=request.user,
            notice=notice,
            lodged_on=serializer.validated_data["lodged_on"],
            lodged_by=serializer.validated_data["lodged_by"],
            content=serializer.validated_data["content"],
        )
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_capability = Capability.READ_REGISTER
    action_capabilities = {"resolve": Capability.READ_REGISTER}  # checked by the service
    serializer_class = ObjectionSerializer

    def get_queryset(self):
        return restrict_to_scope(Objection.objects.all(), self.request.user, Capability.READ_REGISTER)

    @extend_schema(
        summary="Resolve an objection: upheld sends the procedure back to verification",
        request=ObjectionResolveSerializer,
        responses={200: ObjectionSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def resolve(self, request, pk=None):
        objection = self.get_object()
        serializer = ObjectionResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_resolve(
            user=request.user,
            objection=objection,
            outcome=serializer.validated_data["outcome"],
            on=serializer.validated_data["date"],
            resolution=serializer.validated_data["resolution"],
        )
        return Response(ObjectionSerializer(objection).data)


class _RegionActions(viewsets.GenericViewSet):
    """Actions on a region in the caller's scope, by its 12-digit code; the services check the county office."""

    read_capability = Capability.READ_FIGURES
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{12}"
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return regions_in_scope(user=self.request.user)


class VillageExitViewSet(_RegionActions):
    """贫困村出列 as a procedure (workflows.md): the evaluation of a year, the village's exit procedures, the township's
    proposal, the next step of the open one, and the objections to its village notice. The roles of each step are
    checked by the services (403 from them)."""

    action_capabilities = {
        "exits": Capability.READ_REGISTER,
        "exit_steps": Capability.READ_REGISTER,
        "exit_objections": Capability.READ_REGISTER,
        "exit_objection_resolve": Capability.READ_REGISTER,
    }
    serializer_class = EvaluationSerializer

    def get_queryset(self):
        return super().get_queryset().filter(level="village")

    def _open_exit(self, village) -> VillageExit:
        village_exit = VillageExit.objects.filter(village=village, state="open").select_related("village").first()
        if village_exit is None:
            raise DomainError("transition_not_allowed", _("该村没有办理中的出列程序"))
        return village_exit

    def _answer(self, village, *, status_code=status.HTTP_200_OK):
        """The village's latest exit procedure as VillageExitSerializer gives it."""
        return Response(VillageExitSerializer(village_exits_of(village=village).first()).data, status=status_code)

    @extend_schema(
        summary="The village exit evaluation of a year (incidence, infrastructure, collective income)",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["get"], url_path="exit-evaluation")
    def evaluation(self, request, code=None):
        village = self.get_object()
        year = year_param(request, required=True)
        return Response(EvaluationSerializer(village_exit_evaluation(village=village, year=year).as_dict()).data)

    @extend_schema(
        methods=["GET"], summary="The village's exit procedures (贫困村出列), newest first",
        responses=VillageExitSerializer(many=True),
    )  # fmt: skip
    @extend_schema(
        methods=["POST"],
        summary="The township proposes the village's exit for a year (乡镇提出); the year's evaluation must pass",
        request=VillageExitProposalSerializer,
        responses={201: VillageExitSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="exits")
    def exits(self, request, code=None):
        village = self.get_object()
        if request.method == "GET":
            return Response(VillageExitSerializer(village_exits_of(village=village), many=True).data)
        serializer = VillageExitProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.village_exit_propose(user=request.user, village=village, year=data["year"], on=data["date"], note=data["note"])
        return self._answer(village, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Take the next step of the village's open exit: county review, village notice (start, end), county "
        "announcement (公告: the village is exited)",
        request=VillageExitStepInputSerializer,
        responses={201: VillageExitSerializer},
    )
    @action(detail=True, methods=["post"], url_path="exit/steps")
    def exit_steps(self, request, code=None):
        village = self.get_object()
        serializer = VillageExitStepInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.village_exit_step(
            user=request.user, village_exit=self._open_exit(village), step=data["step"], decision=data["decision"],
            on=data["date"], note=data["note"], data={k: data[k] for k in ("start", "end") if k in data},
        )  # fmt: skip
        return self._answer(village, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], summary="Objections to the village notice of the village's latest exit procedure",
        responses=VillageExitObjectionSerializer(many=True),
    )  # fmt: skip
    @extend_schema(
        methods=["POST"], summary="Record an objection lodged during the village notice (村内公示) of the open exit",
        request=VillageExitObjectionSerializer, responses={201: VillageExitObjectionSerializer},
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"], url_path="exit/objections")
    def exit_objections(self, request, code=None):
        village = self.get_object()
        if request.method == "GET":
            latest = VillageExit.objects.filter(village=village).order_by("-opened_on", "-id").first()
            objections = latest.objections.order_by("id") if latest else VillageExitObjection.objects.none()
            return Response(VillageExitObjectionSerializer(objections, many=True).data)
        serializer = VillageExitObjectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        objection = services.village_exit_objection_lodge(
            user=request.user, village_exit=self._open_exit(village), lodged_on=data["lodged_on"],
            lodged_by=data["lodged_by"], content=data["content"],
        )  # fmt: skip
        return Response(VillageExitObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Resolve an objection to the village notice: upheld sends the exit back to the county review",
        request=VillageExitObjectionResolveSerializer,
        responses={200: VillageExitObjectionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="exit/objections/resolve")
    def exit_objection_resolve(self, request, code=None):
        village = self.get_object()
        serializer = VillageExitObjectionResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        objection = VillageExitObjection.objects.filter(pk=data["objection"], village_exit__village=village).first()
        if objection is None:
            raise ValidationError({"objection": [_("不是该村出列程序的异议")]})
        objection = services.village_exit_objection_resolve(
            user=request.user, objection=objection, outcome=data["outcome"], on=data["date"], resolution=data["resolution"]
        )
        return Response(VillageExitObjectionSerializer(objection).data)


class PublishedYearViewSet(_RegionActions):
    """The county publishes a year's report (发布年度报告), beside the report at reports/{code}/annual/."""

    action_capabilities = {"publish": Capability.READ_FIGURES}  # the service requires the county office (403)
    serializer_class = PublishedYearSerializer

    @extend_schema(
        summary="Publish the year-end report of a county: steps dated into that year are refused from then on "
        "(409 year_published) unless recorded as a status correction",
        parameters=[OpenApiParameter("year", int, required=True)],
        request=None,
        responses={201: PublishedYearSerializer},
    )
    @action(detail=True, methods=["post"], url_path="annual/publish")
    def publish(self, request, code=None):
        region = self.get_object()
        published = services.year_publish(user=request.user, region=region, year=year_param(request, required=True))
        return Response(PublishedYearSerializer(published).data, status=status.HTTP_201_CREATED)
