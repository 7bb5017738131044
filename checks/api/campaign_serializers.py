"""Serializers of cross-check campaigns: they shape input and output; the services decide."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from checks.choices import CampaignKind, Discrepancy, SampleGroup
from checks.models import Campaign, CampaignAssignment, CampaignSample, Verification
from core.api.fields import DayField
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import restrict_to_scope
from villages.models import Region


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=RegionLevel.choices)


class CampaignSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "kind", "year", "region", "region_name", "sample_rate", "starts_on", "ends_on", "seed",
            "state", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CampaignCreateSerializer(serializers.Serializer):
    """POST campaigns/: the region is chosen among those where the caller administers (others do not exist)."""

    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=CampaignKind.choices)
    year = serializers.IntegerField(min_value=2013, max_value=2100)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    sample_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=Decimal("0.0001"), max_value=Decimal("1"),
        help_text="Share of each village's households of each group to draw, 0 < rate ≤ 1 (1 = every household).",
    )  # fmt: skip
    starts_on = DayField()
    ends_on = DayField()
    seed = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False,
        help_text="Random seed of the rotation and the sample (same seed, same result); drawn when omitted.",
    )  # fmt: skip

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["region"].queryset = restrict_to_scope(
                Region.objects.all(), request.user, Capability.COUNTY_ADMINISTRATION
            )
        return fields


class CampaignUpdateSerializer(serializers.Serializer):
    """PATCH campaigns/{id}/: name and period, while the campaign is a draft."""

    name = serializers.CharField(max_length=100, required=False)
    starts_on = DayField(required=False)
    ends_on = DayField(required=False)

    def validate(self, attrs):
        extra = sorted(set(self.initial_data) - set(self.fields)) if hasattr(self.initial_data, "keys") else []
        if extra:
            raise serializers.ValidationError({field: [_("该字段创建后不能修改")] for field in extra})
        return attrs


class SampleCountsSerializer(serializers.Serializer):
    poor = serializers.IntegerField()
    exited = serializers.IntegerField()
    non_registered = serializers.IntegerField()


class AssignResultSerializer(serializers.Serializer):
    campaign = CampaignSerializer()
    assignments = serializers.IntegerField(help_text="Villages given to a team from another village.")
    samples = SampleCountsSerializer(help_text="Households drawn, by group.")


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    village = serializers.CharField(source="village_id")
    village_name = serializers.CharField(source="village.name")
    unit = serializers.CharField(source="unit.name")


class AssignmentSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    team = TeamRefSerializer(read_only=True)

    class Meta:
        model = CampaignAssignment
        fields = ["id", "village", "village_name", "team"]
        read_only_fields = fields


class SampleSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="household_id", read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True)
    head_name = serializers.CharField(read_only=True, allow_null=True)
    village = serializers.CharField(source="village_id", read_only=True)
    group = serializers.ChoiceField(choices=SampleGroup.choices, read_only=True)
    verified = serializers.SerializerMethodField()
    verification = serializers.SerializerMethodField()

    class Meta:
        model = CampaignSample
        fields = ["id", "household", "household_number", "head_name", "village", "group", "verified", "verification"]
        read_only_fields = fields

    def _verification(self, obj):
        try:
            return obj.verification
        except Verification.DoesNotExist:
            return None

    def get_verified(self, obj) -> bool:
        return self._verification(obj) is not None

    def get_verification(self, obj) -> int | None:
        verification = self._verification(obj)
        return None if verification is None else verification.pk


class VerificationSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="sample.household_id", read_only=True)
    household_number = serializers.CharField(source="sample.household.number", read_only=True)
    village = serializers.CharField(source="sample.village_id", read_only=True)
    group = serializers.ChoiceField(source="sample.group", choices=SampleGroup.choices, read_only=True)
    team = serializers.IntegerField(source="team_id", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    discrepancies = serializers.ListField(child=serializers.ChoiceField(choices=Discrepancy.choices), read_only=True)

    class Meta:
        model = Verification
        fields = [
            "id", "sample", "household", "household_number", "village", "group", "team", "verified_on", "accurate",
            "discrepancies", "note", "approves", "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class VerificationCreatedSerializer(VerificationSerializer):
    """The verification just recorded, with the findings it raised (context["findings"])."""

    findings = serializers.SerializerMethodField(help_text="Ids of the findings raised for the home village (整改).")

    class Meta(VerificationSerializer.Meta):
        fields = [*VerificationSerializer.Meta.fields, "findings"]
        read_only_fields = fields

    def get_findings(self, obj) -> list[int]:
        return [finding.pk for finding in self.context.get("findings", [])]


class VerificationInputSerializer(serializers.Serializer):
    """POST campaigns/{id}/verifications/: one sampled household, by its sample id."""

    sample = serializers.IntegerField(min_value=1)
    verified_on = DayField()
    accurate = serializers.BooleanField()
    discrepancies = serializers.ListField(
        child=serializers.ChoiceField(choices=Discrepancy.choices), required=False, default=list, max_length=8
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    approves = serializers.BooleanField(help_text="Whether the household approves of the work (群众认可).")


class RatesMeetSerializer(serializers.Serializer):
    wrong_exit = serializers.BooleanField(allow_null=True, help_text="错退率 < 2 % (null: no exited person verified)")
    missed = serializers.BooleanField(allow_null=True, help_text="漏评率 < 2 % (null: no non-registered person verified)")
    approval = serializers.BooleanField(allow_null=True, help_text="认可度 ≥ 90 % (null: nothing verified)")
    all = serializers.BooleanField(allow_null=True, help_text="No threshold failed (null: nothing verified).")


def _rate(help_text):
    return serializers.FloatField(allow_null=True, help_text=f"{help_text}; a ratio rounded to 4 places, null when ÷ 0")


class ReportRowSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    sampled = serializers.IntegerField()
    verified = serializers.IntegerField()
    accurate = serializers.IntegerField()
    approves = serializers.IntegerField()
    exited_verified = serializers.IntegerField()
    wrongly_exited = serializers.IntegerField()
    non_registered_verified = serializers.IntegerField()
    missed = serializers.IntegerField()
    exited_people_verified = serializers.IntegerField(help_text="People of the exited households verified")
    wrongly_exited_people = serializers.IntegerField(help_text="People of the households found wrongly exited (错退)")
    non_registered_people_verified = serializers.IntegerField(help_text="People of the non-registered households verified")
    missed_people = serializers.IntegerField(help_text="People of the households found missed (漏评)")
    poor_people = serializers.IntegerField(help_text="People of households still poor on the campaign's last day")
    rural_population = serializers.IntegerField(help_text="户籍农业人口 of the villages, latest year up to the campaign's")
    villages = serializers.IntegerField(help_text="Villages of the region")
    villages_with_population = serializers.IntegerField(help_text="Villages with a rural population on record")
    open_rectifications = serializers.IntegerField(help_text="Findings raised by the verifications still open (整改)")
    accuracy_rate = _rate("识别准确率: accurate ÷ verified households")
    wrong_exit_rate = _rate("错退率: wrongly exited people ÷ exited people verified (members on the verification day)")
    missed_rate = _rate("漏评率: missed people ÷ non-registered people verified (members on the verification day)")
    approval_rate = _rate("群众认可度: approving ÷ verified households")
    comprehensive_incidence = _rate(
        "综合贫困发生率: (poor + missed + wrongly exited people) ÷ rural population; null unless every village has one"
    )
    meets = RatesMeetSerializer()


class ReportSerializer(ReportRowSerializer):
    campaign = CampaignSerializer()
    children = ReportRowSerializer(many=True)

