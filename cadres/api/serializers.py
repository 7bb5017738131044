"""Shapes of the help side in the API; serializers convert and mask, the services decide.

A related row offered for writing (a region, a unit, a cadre, a household) is looked up among the
rows the caller may write: any other id answers as one that does not exist.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadres import rules
from cadres.models import Cadre, Pairing, TeamMembership, Unit, Visit, WorkTeam
from core.api.fields import DayField
from core.masking import MASKED_ID_NUMBER_HELP
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import restrict_to_scope
from households.models import Household
from villages.models import Region


def _writable(queryset, context, capability=Capability.COUNTY_ADMINISTRATION):
    """Rows the caller may write with the capability: others do not exist for them."""
    request = context.get("request")
    if request is None:
        return queryset.none()
    return restrict_to_scope(queryset, request.user, capability)


def _active(instance) -> bool:
    return rules.active_on(instance.starts_on, instance.ends_on, timezone.localdate())


class WarningSerializer(serializers.Serializer):
    """Something unusual that does not block (提示): fewer than three members, a short term …"""

    code = serializers.CharField(help_text="too_few_members, short_term, several_first_secretary, several_leader")
    detail = serializers.CharField()


# Units ------------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), help_text="Region code.")

    class Meta:
        model = Unit
        fields = ("id", "name", "level", "region", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["region"].queryset = _writable(Region.objects.all(), self.context)
        return fields


# Cadres -----------------------------------------------------------------------------------------


class CadreSerializer(serializers.ModelSerializer):
    """A cadre; `id_number` is masked (no birth-date digit shown) for roles that may not see it in the cadre's region."""

    id_number = serializers.CharField(max_length=20, help_text=MASKED_ID_NUMBER_HELP)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), help_text="Region code.")
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User name of the linked login (for “my households”); null for none.",
    )

    class Meta:
        model = Cadre
        fields = ("id", "name", "sex", "id_number", "phone", "unit", "unit_name", "title", "region", "user",
                  "created_at", "updated_at")  # fmt: skip
        read_only_fields = ("id", "unit_name", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["region"].queryset = _writable(Region.objects.all(), self.context)
        fields["unit"].queryset = _writable(Unit.objects.all(), self.context)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        policy = self.context.get("personal")
        data["id_number"] = (
            policy.reveal(instance, instance.region_id, "id_number", data["id_number"]) if policy is not None else None
        )
        return data


class CadreBriefSerializer(serializers.ModelSerializer):
    """A cadre as named beside a pairing, a visit or a team member: no personal data."""

    class Meta:
        model = Cadre
        fields = ("id", "name", "unit", "title")


# Work teams -------------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all())
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    starts_on = DayField(required=False, help_text="Default: the team's start.")
    active = serializers.SerializerMethodField()

    class Meta:
        model = TeamMembership
        fields = ("id", "cadre", "cadre_name", "role", "resident", "starts_on", "ends_on", "active", "version")
        read_only_fields = ("id", "cadre_name", "active", "version")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if not fields["cadre"].read_only:
            fields["cadre"].queryset = _writable(Cadre.objects.all(), self.context)
        return fields

    def get_active(self, membership) -> bool:
        return _active(membership)


class MembershipUpdateSerializer(MembershipSerializer):
    """End a membership (ends_on) or change its role or residence; the cadre stays."""

    cadre = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(MembershipSerializer.Meta):
        read_only_fields = ("id", "cadre", "cadre_name", "starts_on", "active", "version")


class WorkTeamSerializer(serializers.ModelSerializer):
    """A work team with its members (former members too) and what is unusual about it (`warnings`)."""

    village = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=RegionLevel.VILLAGE))
    village_name = serializers.CharField(source="village.name", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    members = MembershipSerializer(many=True, required=False, source="memberships")
    active = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = WorkTeam
        fields = ("id", "village", "village_name", "unit", "unit_name", "starts_on", "ends_on", "active", "members",
                  "warnings", "created_at", "updated_at")  # fmt: skip
        read_only_fields = ("id", "village_name", "unit_name", "active", "warnings", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if not fields["village"].read_only:
            fields["village"].queryset = _writable(Region.objects.filter(level=RegionLevel.VILLAGE), self.context)
        fields["unit"].queryset = _writable(Unit.objects.all(), self.context)
        return fields

    def get_active(self, team) -> bool:
        return _active(team)

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, team) -> list[dict]:
        memberships = [
            rules.MembershipFacts(m.cadre_id, m.role, m.resident, m.starts_on, m.ends_on) for m in team.memberships.all()
        ]
        found = rules.team_warnings(
            starts_on=team.starts_on, ends_on=team.ends_on, memberships=memberships, today=timezone.localdate()
        )
        return [w.as_dict() for w in found]


class WorkTeamUpdateSerializer(WorkTeamSerializer):
    """Change a team's unit or term; members have their own route, the village stays."""

    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    members = MembershipSerializer(many=True, read_only=True, source="memberships")

    class Meta(WorkTeamSerializer.Meta):
        read_only_fields = (*WorkTeamSerializer.Meta.read_only_fields, "village", "members")


# Pairings ---------------------------------------------------------------------------------------


class PairingSerializer(serializers.ModelSerializer):
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all())
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    household_number = serializers.CharField(source="household.number", read_only=True)
    village = serializers.CharField(source="household.village_id", read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = Pairing
        fields = ("id", "cadre", "cadre_name", "household", "household_number", "village", "starts_on", "ends_on",
                  "active", "created_at", "updated_at")  # fmt: skip
        read_only_fields = ("id", "cadre_name", "household_number", "village", "active", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if "cadre" in fields and not fields["cadre"].read_only:
            fields["cadre"].queryset = _writable(Cadre.objects.all(), self.context)
        if "household" in fields and not fields["household"].read_only:
            fields["household"].queryset = _writable(Household.objects.all(), self.context)
        return fields

    def get_active(self, pairing) -> bool:
        return _active(pairing)


class PairingUpdateSerializer(PairingSerializer):
    """End a pairing (ends_on), move its end, or reopen it (ends_on null); cadre, household and start stay."""

    cadre = serializers.PrimaryKeyRelatedField(read_only=True)
    household = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(PairingSerializer.Meta):
        read_only_fields = (*PairingSerializer.Meta.read_only_fields, "cadre", "household", "starts_on")


class HandoverSerializer(serializers.Serializer):
    """包保交接: the household's active pairing ends on `on` and one with `to_cadre` starts on `on`."""

    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    to_cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), help_text="The cadre taking over.")
    on = DayField(help_text="The day of the handover: the old pairing's end and the new one's start.")
    from_cadre = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(),
        required=False,
        allow_null=True,
        help_text="The cadre handing over; needed only when the household has several active pairings.",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["household"].queryset = _writable(Household.objects.all(), self.context)
        for name in ("to_cadre", "from_cadre"):
            fields[name].queryset = _writable(Cadre.objects.all(), self.context)
        return fields


class HandoverResultSerializer(serializers.Serializer):
    ended = PairingSerializer(help_text="The pairing that ended on the day.")
    started = PairingSerializer(help_text="The pairing that began on the day.")


# Visits -----------------------------------------------------------------------------------------


class VisitSerializer(serializers.ModelSerializer):
    cadre = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), help_text="The visiting cadre: paired with the household on the visit's date."
    )
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    household_number = serializers.CharField(source="household.number", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Visit
        fields = ("id", "cadre", "cadre_name", "household", "household_number", "date", "kind", "found", "agreed",
                  "confirmed", "recorded_by", "created_at", "updated_at")  # fmt: skip
        read_only_fields = ("id", "cadre_name", "household_number", "recorded_by", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if not fields["household"].read_only:
            fields["household"].queryset = _writable(Household.objects.all(), self.context, Capability.RECORD_ACTIVITY)
            # A cadre who is (or was) paired with a household where the caller records activity; whether the
            # pairing covers the visit's date is the service's question.
            paired = _writable(Pairing.objects.all(), self.context, Capability.RECORD_ACTIVITY).values("cadre_id")
            fields["cadre"].queryset = Cadre.objects.filter(pk__in=paired)
        return fields


class VisitUpdateSerializer(VisitSerializer):
    cadre = serializers.PrimaryKeyRelatedField(read_only=True)
    household = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(VisitSerializer.Meta):
        read_only_fields = (*VisitSerializer.Meta.read_only_fields, "cadre", "household")


# Portfolio --------------------------------------------------------------------------------------


class PortfolioEntrySerializer(serializers.ModelSerializer):
    """A household in a cadre's portfolio (包保户): the pairing, the household and the cadre's last visit."""

    pairing = serializers.IntegerField(source="id", read_only=True)
    cadre = serializers.PrimaryKeyRelatedField(read_only=True)
    household = serializers.PrimaryKeyRelatedField(read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True)
    village = serializers.CharField(source="household.village_id", read_only=True)
    head_name = serializers.CharField(read_only=True, allow_null=True)
    status = serializers.CharField(source="household.status", read_only=True)
    last_visit_on = DayField(read_only=True, allow_null=True, help_text="The cadre's last visit, if any.")

    class Meta:
        model = Pairing
        fields = ("pairing", "cadre", "household", "household_number", "village", "head_name", "status", "starts_on",
                  "ends_on", "last_visit_on")  # fmt: skip
