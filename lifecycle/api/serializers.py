"""Serializers of the lifecycle API: procedures and their steps, notices, objections, evaluations."""

from rest_framework import serializers

from core.api.fields import DayField
from households.choices import RegistryStatus
from lifecycle import workflow
from lifecycle.choices import (
    AlertSource,
    Decision,
    MonitoringType,
    ObjectionOutcome,
    ProcedureKind,
    Step,
    VillageStep,
)
from lifecycle.models import (
    Notice,
    Objection,
    Procedure,
    ProcedureStep,
    PublishedYear,
    StatusChange,
    VillageExit,
    VillageExitObjection,
    VillageExitStep,
)


class ProcedureStepSerializer(serializers.ModelSerializer):
    acted_by = serializers.CharField(source="acted_by.username", read_only=True)

    class Meta:
        model = ProcedureStep
        fields = ("id", "step", "decision", "date", "note", "data", "acted_by")


class ProcedureSerializer(serializers.ModelSerializer):
    """A procedure with the steps done and the step that comes next."""

    household = serializers.PrimaryKeyRelatedField(read_only=True)
    steps = ProcedureStepSerializer(many=True, read_only=True)
    next_step = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = (
            "id", "household", "kind", "state", "opened_on", "decided_on", "reason", "monitoring_type", "rejection",
            "evaluation", "plan_year", "steps", "next_step",
        )  # fmt: skip

    def get_next_step(self, procedure) -> str | None:
        if procedure.state != "open":
            return None
        return workflow.next_step(procedure.kind, procedure.position)


class ProcedureOpenSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProcedureKind.choices)
    date = DayField(help_text="Date of the first step (application, alert or proposal).")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Removal reason code; return reason; identification of a removed household or above the line: why.")
    monitoring_type = serializers.ChoiceField(choices=MonitoringType.choices, required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=AlertSource.choices, required=False, help_text="Monitoring alert source.")
    year = serializers.IntegerField(required=False, min_value=2013, max_value=2100, help_text="Year evaluated for an exit.")


class StepInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Step.choices)
    decision = serializers.ChoiceField(choices=Decision.choices)
    date = DayField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    start = DayField(required=False, help_text="Notice steps: first day of the notice.")
    end = DayField(required=False, help_text="Notice steps: last day of the notice.")
    votes_for = serializers.IntegerField(required=False, min_value=0, help_text="Appraisal: votes for.")
    votes_against = serializers.IntegerField(required=False, min_value=0, help_text="Appraisal: votes against.")
    participants = serializers.IntegerField(
        required=False, min_value=0, help_text="Appraisal: how many took part (default: the votes cast)."
    )
    plan_year = serializers.IntegerField(
        required=False, help_text="County approval of an exit: the plan year it counts in (the approval's year or the one before)."
    )


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ("id", "notice", "lodged_on", "lodged_by", "content", "outcome", "resolved_on", "resolution")
        read_only_fields = ("id", "notice", "outcome", "resolved_on", "resolution")


class ObjectionResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ObjectionOutcome.choices)
    date = DayField()
    resolution = serializers.CharField()


class NoticeSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="procedure.household_id", read_only=True)
    household_number = serializers.CharField(source="procedure.household.number", read_only=True)
    kind = serializers.CharField(source="procedure.kind", read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = ("id", "procedure", "household", "household_number", "kind", "step", "village", "start", "end", "objections")


class EvaluationSerializer(serializers.Serializer):
    """An eligibility evaluation: one line per check, each pass, fail or missing with a sentence."""

    kind = serializers.CharField()
    year = serializers.IntegerField()
    passed = serializers.BooleanField()
    failing = serializers.ListField(child=serializers.CharField())
    standard = serializers.DictField(allow_null=True)
    checks = serializers.ListField(child=serializers.DictField())


class VillageExitStepSerializer(serializers.ModelSerializer):
    acted_by = serializers.CharField(source="acted_by.username", read_only=True)

    class Meta:
        model = VillageExitStep
        fields = ("id", "step", "decision", "date", "note", "data", "acted_by")


class VillageExitObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = VillageExitObjection
        fields = ("id", "lodged_on", "lodged_by", "content", "outcome", "resolved_on", "resolution")
        read_only_fields = ("id", "outcome", "resolved_on", "resolution")


class VillageExitSerializer(serializers.ModelSerializer):
    """A village exit procedure (贫困村出列程序) with its steps, objections and the step that comes next."""

    village = serializers.CharField(source="village_id", read_only=True)
    steps = VillageExitStepSerializer(many=True, read_only=True)
    objections = VillageExitObjectionSerializer(many=True, read_only=True)
    next_step = serializers.SerializerMethodField()

    class Meta:
        model = VillageExit
        fields = (
            "id", "village", "year", "state", "opened_on", "decided_on", "evaluation", "notice_start", "notice_end",
            "rejection", "next_step", "steps", "objections",
        )  # fmt: skip

    def get_next_step(self, obj) -> str | None:
        return workflow.next_village_step(obj.position) if obj.state == "open" else None


class VillageExitProposalSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2013, max_value=2100, help_text="The exit year whose evaluation decides.")
    date = DayField(help_text="The township's proposal date (乡镇提出).")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VillageExitStepInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=VillageStep.choices)
    decision = serializers.ChoiceField(choices=Decision.choices)
    date = DayField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    start = DayField(required=False, help_text="The village notice 村内公示: first day.")
    end = DayField(required=False, help_text="The village notice 村内公示: last day.")


class VillageExitObjectionResolveSerializer(ObjectionResolveSerializer):
    objection = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The id of an objection to one of the village's exits."
    )


class StatusChangeSerializer(serializers.ModelSerializer):
    """A dated status change of the household's history; a correction names the row it corrects and why."""

    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)

    class Meta:
        model = StatusChange
        fields = ("id", "status", "returned", "effective_on", "procedure", "corrects", "reason", "recorded_at", "recorded_by")


class StatusCorrectionSerializer(serializers.Serializer):
    corrects = serializers.IntegerField(help_text="The id of the wrong status change (it stays; the correction wins).")
    status = serializers.ChoiceField(choices=RegistryStatus.choices)
    returned = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(help_text="Why the recorded status was wrong (更正原因).")


class PublishedYearSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    published_by = serializers.CharField(source="published_by.username", read_only=True)

    class Meta:
        model = PublishedYear
        fields = ("region", "year", "published_on", "published_by")
