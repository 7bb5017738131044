"""Shapes of the register in the API; serializers convert and mask, the services decide."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core.api.fields import DayField
from core.api.params import choice_param
from core.masking import MASKED_ID_NUMBER_HELP
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import restrict_to_scope
from households.choices import CODES_NATIONAL, CODES_SLUGS, NATIONAL_FIELDS, PovertyCause, national_value
from households.models import AnnualRecord, Household, Member, PolicyStandard
from households.services import HOUSEHOLD_FIELDS, MEMBER_FIELDS, RECORD_INPUT_FIELDS
from villages.models import Region, VillagerGroup

MEMBER_OUTPUT = ("id", "household", *MEMBER_FIELDS, "birth_year", "active")
CODES_HELP = (
    "`codes=national` gives the coded fields (cause, sex, relation, ethnicity, education, school status, health, "
    "labour, migrant work, identification standard, attribute, disability category) as the national filing "
    "system's numeric codes instead of the English values; `codes=slugs` (the default) gives the English values."
)

CODES_PARAMETER = OpenApiParameter("codes", str, enum=[CODES_SLUGS, CODES_NATIONAL], description=CODES_HELP)


def codes_option(context) -> str:
    """The request's `codes` query parameter (core.api.params; slugs by default); 400 `invalid` naming it for
    another value."""
    request = context.get("request")
    if request is None:
        return CODES_SLUGS
    return choice_param(
        request, "codes", (CODES_SLUGS, CODES_NATIONAL), default=CODES_SLUGS, message=_("codes 只能是 slugs 或 national")
    )


def with_codes(data, context):
    """The representation with its coded fields as national codes where the request asks for them."""
    if codes_option(context) == CODES_NATIONAL:
        for field in NATIONAL_FIELDS.keys() & data.keys():
            data[field] = national_value(field, data[field])
    return data


class MemberSerializer(serializers.ModelSerializer):
    """A member as read and written; where the caller may not see personal data, `id_number` is masked and
    `birth_date` is null (`birth_year` alone is given), or the number could be rebuilt from the date."""

    household = serializers.PrimaryKeyRelatedField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    id_number = serializers.CharField(max_length=20, help_text=MASKED_ID_NUMBER_HELP)
    birth_date = DayField(
        allow_null=True,  # in responses only (the schema says so); validate_birth_date refuses null input
        help_text="Null in responses to roles that may not see personal data in the member's village (see birth_year); "
        "required, never null, in requests.",
    )
    birth_year = serializers.IntegerField(
        source="birth_date.year", read_only=True, help_text="The year of birth, given to every role."
    )

    class Meta:
        model = Member
        fields = MEMBER_OUTPUT
        read_only_fields = ("id", "household", "active")
        validators = []  # ID-2 and HH-1 are the services' (with the database behind them)

    def validate_birth_date(self, value):
        if value is None:
            raise serializers.ValidationError(self.fields["birth_date"].error_messages["null"], code="null")
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        policy = self.context.get("personal")
        village = self.context.get("village_code") or instance.household.village_id
        if policy is not None:
            data["id_number"] = policy.reveal(instance, village, "id_number", data["id_number"])
            if not policy.may_see(village):
                data["birth_date"] = None
        return with_codes(data, self.context)


def _editable(queryset, context):
    """Rows the caller may write: others do not exist for them (the same error as a wrong id)."""
    request = context.get("request")
    if request is None:
        return queryset.none()
    return restrict_to_scope(queryset, request.user, Capability.EDIT_REGISTER)


class MemberUpdateSerializer(MemberSerializer):
    new_head = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(),
        required=False,
        write_only=True,
        help_text="When the head leaves: the member who becomes head.",
    )

    class Meta(MemberSerializer.Meta):
        fields = (*MEMBER_OUTPUT, "new_head")

    def get_fields(self):
        fields = super().get_fields()
        fields["new_head"].queryset = _editable(Member.objects.all(), self.context)
        return fields


class MemberMoveSerializer(serializers.Serializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all(), help_text="Target household id.")
    relation = serializers.ChoiceField(choices=Member._meta.get_field("relation").choices)
    date = DayField()

    def get_fields(self):
        fields = super().get_fields()
        fields["household"].queryset = _editable(Household.objects.all(), self.context)
        return fields


class MemberLookupSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=20, trim_whitespace=True)


class HouseholdSerializer(serializers.ModelSerializer):
    """A household with its members; created with its members in one request."""

    village = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=RegionLevel.VILLAGE))
    villager_group = serializers.PrimaryKeyRelatedField(
        queryset=VillagerGroup.objects.all(), required=False, allow_null=True
    )
    other_causes = serializers.ListField(
        child=serializers.ChoiceField(choices=PovertyCause.choices), required=False, max_length=2
    )
    members = MemberSerializer(many=True)

    class Meta:
        model = Household
        fields = (
            "id", "number", "village", "status", "returned", "monitoring_status", *HOUSEHOLD_FIELDS, "members",
            "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "number", "status", "returned", "monitoring_status", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only villages where the caller may enter data can be chosen (others do not exist for them).
            fields["village"].queryset = restrict_to_scope(
                Region.objects.filter(level=RegionLevel.VILLAGE), request.user, Capability.EDIT_REGISTER
            )
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        policy = self.context.get("personal")
        if policy is not None:
            data["bank_account"] = policy.reveal(instance, instance.village_id, "bank_account", data["bank_account"])
        return with_codes(data, self.context)


class HouseholdUpdateSerializer(HouseholdSerializer):
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    members = MemberSerializer(many=True, read_only=True)

    class Meta(HouseholdSerializer.Meta):
        read_only_fields = (
            "id", "number", "village", "status", "returned", "monitoring_status", "members", "created_at", "updated_at",
        )  # fmt: skip


class HouseholdListSerializer(HouseholdSerializer):
    """List rows: the household and its head, without the other members."""

    head_name = serializers.CharField(read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = tuple(f for f in HouseholdSerializer.Meta.fields if f != "members") + ("head_name", "member_count")


class AnnualRecordSerializer(serializers.ModelSerializer):
    household = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = AnnualRecord
        fields = (
            "id",
            "household",
            "year",
            *RECORD_INPUT_FIELDS,
            "transfer_income",
            "net_income",
            "members_counted",
            "per_capita_income",
        )
        read_only_fields = ("id", "household", "transfer_income", "net_income", "members_counted", "per_capita_income")
        validators = []


class AnnualRecordUpdateSerializer(AnnualRecordSerializer):
    class Meta(AnnualRecordSerializer.Meta):
        read_only_fields = (*AnnualRecordSerializer.Meta.read_only_fields, "year")


class PolicyStandardSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), allow_null=True, required=False,
        help_text="Region code; null for the nationwide default.",
    )  # fmt: skip

    class Meta:
        model = PolicyStandard
        fields = (
            "id",
            "year",
            "region",
            "poverty_line",
            "monitoring_line",
            "village_exit_threshold",
            "village_collective_income_min",
            "notice_days",
            "objection_days",
        )
        read_only_fields = ("id",)
        validators = []


class HistoryEntrySerializer(serializers.Serializer):
    """One change in a household's timeline: who, when, what (old → new)."""

    at = serializers.DateTimeField()
    kind = serializers.CharField(
        help_text="edit, procedure_step, status_change, pairing, visit, benefit or finding"
    )
    action = serializers.CharField(help_text="insert, update or delete")
    object_type = serializers.CharField(
        help_text="household, member, annual_record, procedure, pairing, visit, benefit, cooperative_membership, finding, verification"
    )
    object_id = serializers.CharField()
    user = serializers.CharField(allow_null=True)
    request_id = serializers.CharField(allow_null=True)
    changes = serializers.DictField(child=serializers.ListField(allow_null=True), help_text="field: [old, new]")
