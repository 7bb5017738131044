"""Shapes of programs, benefits, cooperatives and projects in the API; serializers convert, the services decide."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadres.models import Unit
from core.api.fields import DayField
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import restrict_to_scope
from households.models import Household, Member
from programs import rules, selectors
from programs.models import Benefit, Cooperative, CooperativeMembership, Dividend, PairingProject, Program
from programs.services import money_messages
from villages.models import Region


def _money_schema(whole_digits: int) -> dict:
    return {
        "type": "string",
        "pattern": rf"^[0-9]{{1,{whole_digits}}}(\.[0-9]{{1,2}})?$",
        "example": "1200.00",
        "description": "Yuan as a decimal string with at most two places; no exponent, no sign, no binary float.",
    }


@extend_schema_field(_money_schema(rules.MONEY_MAX_DIGITS - rules.MONEY_PLACES))
class MoneyField(serializers.Field):
    """An exact non-negative amount: a decimal string (or a whole number) in, a decimal string with two places out."""

    max_digits = rules.MONEY_MAX_DIGITS

    def to_internal_value(self, data):
        try:
            return rules.parse_money(data, max_digits=self.max_digits)
        except rules.MoneyError as exc:
            raise serializers.ValidationError(money_messages()[exc.code], code="invalid") from exc

    def to_representation(self, value):
        return rules.money_text(value)


@extend_schema_field(_money_schema(rules.LARGE_MONEY_MAX_DIGITS - rules.MONEY_PLACES))
class LargeMoneyField(MoneyField):
    """A budget or a project's funds (up to 14 digits before the point)."""

    max_digits = rules.LARGE_MONEY_MAX_DIGITS


@extend_schema_field(_money_schema(10))
class SharesField(MoneyField):
    """Shares held in a cooperative: a decimal string with at most two places (up to 10 digits before the point)."""

    max_digits = 12


def _request_user(context):
    request = context.get("request")
    return None if request is None else request.user


def _scoped(queryset, context, capability):
    """Rows the caller may use for this write: others do not exist for them (the same error as a wrong id)."""
    user = _request_user(context)
    if user is None:
        return queryset.none()
    return restrict_to_scope(queryset, user, capability)


class RefuseFieldsMixin:
    """Fields that cannot change on PATCH: naming one is a 400 rather than a silent no-op."""

    fixed_fields: tuple[str, ...] = ()

    def validate(self, attrs):
        named = sorted(set(self.fixed_fields) & set(getattr(self, "initial_data", {}) or {}))
        if named:
            raise serializers.ValidationError({name: [_("不能修改此字段")] for name in named})
        return super().validate(attrs)


# Programs -------------------------------------------------------------------------------------------


class ProgramSerializer(serializers.ModelSerializer):
    """A program as listed and as written (新建、修改帮扶项目)."""

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), help_text="12-digit region code it covers.")
    budget = LargeMoneyField(required=False)

    class Meta:
        model = Program
        fields = (
            "id", "name", "category", "subtype", "start_year", "end_year", "region", "funding_source", "budget", "unit",
            "people_basis", "targeting_rule", "description", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if not self.read_only and "region" in fields and not fields["region"].read_only:
            # Only regions the county office manages can be chosen (others do not exist for it).
            fields["region"].queryset = _scoped(Region.objects.all(), self.context, Capability.COUNTY_ADMINISTRATION)
        return fields


class ProgramDetailSerializer(ProgramSerializer):
    """A program with its reach: households and people it benefited and the exact amount it gave."""

    beneficiary_households = serializers.IntegerField(read_only=True, help_text="Distinct households with a benefit.")
    beneficiary_people = serializers.IntegerField(
        read_only=True,
        help_text="people_basis member: distinct members named on its benefits; household: distinct members of the "
        "benefited households on the day of a benefit.",
    )
    benefit_amount = MoneyField(read_only=True, help_text="Exact sum of its benefits (yuan).")

    class Meta(ProgramSerializer.Meta):
        fields = (*ProgramSerializer.Meta.fields, "beneficiary_households", "beneficiary_people", "benefit_amount")


class ProgramGapSerializer(serializers.ModelSerializer):
    """A household a program's targeting rule says it should reach and that it has not reached in the year."""

    village = serializers.CharField(source="village_id", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    head_name = serializers.CharField(read_only=True, allow_null=True)
    status_as_of = serializers.CharField(read_only=True, help_text="Registry status on the day the rule was read.")

    class Meta:
        model = Household
        fields = ("id", "number", "village", "village_name", "head_name", "status_as_of")
        read_only_fields = fields


# Benefits -------------------------------------------------------------------------------------------


class BenefitSerializer(serializers.ModelSerializer):
    """A benefit (帮扶记录) as read and recorded."""

    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    program_name = serializers.CharField(source="program.name", read_only=True)
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    household_number = serializers.CharField(source="household.number", read_only=True)
    village = serializers.CharField(source="household.village_id", read_only=True)
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), required=False, allow_null=True)
    member_name = serializers.CharField(source="member.name", read_only=True, allow_null=True, default=None)
    amount = MoneyField()
    quantity = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False, default=1)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)  # null: the system

    class Meta:
        model = Benefit
        fields = (
            "id", "program", "program_name", "household", "household_number", "village", "member", "member_name",
            "date", "amount", "quantity", "note", "recorded_by", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if self.read_only:
            return fields
        user = _request_user(self.context)
        if "program" in fields and not fields["program"].read_only:
            fields["program"].queryset = (
                Program.objects.none() if user is None else selectors.programs_visible(user=user, capability=Capability.RECORD_ACTIVITY)
            )
        if "household" in fields and not fields["household"].read_only:
            fields["household"].queryset = _scoped(Household.objects.all(), self.context, Capability.RECORD_ACTIVITY)
        fields["member"].queryset = _scoped(Member.objects.all(), self.context, Capability.RECORD_ACTIVITY)
        return fields


class BenefitUpdateSerializer(RefuseFieldsMixin, BenefitSerializer):
    fixed_fields = ("program", "household")
    program = serializers.PrimaryKeyRelatedField(read_only=True)
    household = serializers.PrimaryKeyRelatedField(read_only=True)
    amount = MoneyField(required=False)
    quantity = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)


# Cooperatives -----------------------------------------------------------------------------------------


class CooperativeSerializer(serializers.ModelSerializer):
    """A cooperative (合作社) with the number of households that are members today."""

    village = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level=RegionLevel.VILLAGE), help_text="12-digit village code."
    )
    member_households = serializers.IntegerField(read_only=True, help_text="Households that are members today.")

    class Meta:
        model = Cooperative
        fields = ("id", "name", "village", "kind", "founded", "member_households", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if not self.read_only:
            fields["village"].queryset = _scoped(
                Region.objects.filter(level=RegionLevel.VILLAGE), self.context, Capability.COUNTY_ADMINISTRATION
            )
        return fields


class CooperativeMembershipSerializer(serializers.ModelSerializer):
    """A household's membership of a cooperative (入社): joined, left, shares."""

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.all())
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    household_number = serializers.CharField(source="household.number", read_only=True)
    shares = SharesField(required=False)

    class Meta:
        model = CooperativeMembership
        fields = (
            "id", "cooperative", "cooperative_name", "household", "household_number", "joined", "left", "shares",
            "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if self.read_only:
            return fields
        if not fields["cooperative"].read_only:
            user = _request_user(self.context)
            fields["cooperative"].queryset = (
                Cooperative.objects.none()
                if user is None
                else selectors.cooperatives_in_scope(user=user, capability=Capability.READ_FIGURES)
            )
        if not fields["household"].read_only:
            fields["household"].queryset = _scoped(Household.objects.all(), self.context, Capability.COUNTY_ADMINISTRATION)
        return fields


class CooperativeMembershipUpdateSerializer(RefuseFieldsMixin, CooperativeMembershipSerializer):
    fixed_fields = ("cooperative", "household")
    cooperative = serializers.PrimaryKeyRelatedField(read_only=True)
    household = serializers.PrimaryKeyRelatedField(read_only=True)


class DividendSerializer(serializers.ModelSerializer):
    """A year's dividend on a membership (分红)."""

    membership = serializers.PrimaryKeyRelatedField(queryset=CooperativeMembership.objects.all())
    cooperative = serializers.IntegerField(source="membership.cooperative_id", read_only=True)
    household = serializers.IntegerField(source="membership.household_id", read_only=True)
    amount = MoneyField()
    year = serializers.IntegerField(min_value=2013, max_value=2100)

    class Meta:
        model = Dividend
        fields = ("id", "membership", "cooperative", "household", "year", "amount", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if not self.read_only and not fields["membership"].read_only:
            fields["membership"].queryset = _scoped(
                CooperativeMembership.objects.select_related("household"), self.context, Capability.COUNTY_ADMINISTRATION
            )
        return fields


class DividendUpdateSerializer(RefuseFieldsMixin, DividendSerializer):
    fixed_fields = ("membership",)
    membership = serializers.PrimaryKeyRelatedField(read_only=True)
    amount = MoneyField(required=False)
    year = serializers.IntegerField(min_value=2013, max_value=2100, required=False)


# Pairing-unit projects ----------------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    """A pairing unit's project in a village (帮扶单位项目); `beneficiaries` (ids) sets its households on write."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    village = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level=RegionLevel.VILLAGE), help_text="12-digit village code."
    )
    funds_invested = LargeMoneyField(required=False)
    funds_coordinated = LargeMoneyField(required=False)
    trainings = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    beneficiary_households = serializers.IntegerField(read_only=True)
    beneficiaries = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(),
        many=True,
        write_only=True,
        required=False,
        help_text="Ids of the households it benefited, all in the project's village; replaces the list on PATCH.",
    )

    class Meta:
        model = PairingProject
        fields = (
            "id", "unit", "unit_name", "village", "name", "year", "funds_invested", "funds_coordinated", "trainings",
            "beneficiary_households", "beneficiaries", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "created_at", "updated_at")
        validators = []
        extra_kwargs = {"year": {"min_value": 2013, "max_value": 2100}}

    def get_fields(self):
        fields = super().get_fields()
        if not self.read_only:
            fields["village"].queryset = _scoped(
                Region.objects.filter(level=RegionLevel.VILLAGE), self.context, Capability.COUNTY_ADMINISTRATION
            )
            fields["beneficiaries"].child_relation.queryset = _scoped(
                Household.objects.all(), self.context, Capability.COUNTY_ADMINISTRATION
            )
        return fields


class ProjectHouseholdSerializer(serializers.ModelSerializer):
    """A household a project benefited."""

    village = serializers.CharField(source="village_id", read_only=True)
    head_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = ("id", "number", "village", "head_name")
        read_only_fields = fields


# Figures ------------------------------------------------------------------------------------------------


class ProgramRegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class ProgramFiguresSerializer(serializers.Serializer):
    """The summary's `programs` keys."""

    benefit_amount = serializers.CharField(help_text="Benefits from 1 January of the year of as_of to as_of (yuan).")
    benefited_households = serializers.IntegerField()
    industry_coverage = serializers.FloatField(allow_null=True, help_text="Ratio rounded to 4 places; null without poor households.")
    cooperatives = serializers.IntegerField()
    cooperative_households = serializers.IntegerField()
    cooperative_people = serializers.IntegerField()


class ChildProgramFiguresSerializer(serializers.Serializer):
    region = ProgramRegionRefSerializer()
    programs = ProgramFiguresSerializer()


class BenefitTotalSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Program id, funding source or category.")
    name = serializers.CharField(required=False, help_text="The program's name (by program only).")
    amount = serializers.CharField()
    households = serializers.IntegerField()
    benefits = serializers.IntegerField()


class ProjectTotalsSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    funds_invested = serializers.CharField()
    funds_coordinated = serializers.CharField()
    trainings = serializers.IntegerField()
    beneficiary_households = serializers.IntegerField()


class RegionProgramFiguresSerializer(serializers.Serializer):
    """Program figures of a region as of a day, and of each child region."""

    region = ProgramRegionRefSerializer()
    as_of = DayField()
    programs = ProgramFiguresSerializer()
    children = ChildProgramFiguresSerializer(many=True)
    benefits_by_program = BenefitTotalSerializer(many=True)
    benefits_by_funding_source = BenefitTotalSerializer(many=True)
    benefits_by_category = BenefitTotalSerializer(many=True)
    projects = ProjectTotalsSerializer(help_text="Pairing-unit projects of the year of as_of.")
