from rest_framework import serializers

from villages.models import Region, VillageProfile, VillagerGroup, VillageYear


class VillageYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = VillageYear
        fields = [
            "year",
            "rural_population",
            "hardened_road",
            "safe_water",
            "power_grid",
            "broadband",
            "clinic",
            "culture_room",
            "collective_income",
        ]


class VillagerGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = VillagerGroup
        fields = ["id", "name"]


class VillageProfileSerializer(serializers.ModelSerializer):
    years = VillageYearSerializer(many=True, source="village.years", read_only=True)
    villager_groups = VillagerGroupSerializer(many=True, source="village.villager_groups", read_only=True)

    class Meta:
        model = VillageProfile
        fields = ["poverty_status", "identified_year", "exit_year", "years", "villager_groups"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True, help_text="Parent code.")
    profile = serializers.SerializerMethodField(help_text="The village profile (村情); null for other levels.")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "profile"]
        read_only_fields = fields

    def get_profile(self, region) -> VillageProfileSerializer(allow_null=True):  # type: ignore[valid-type]
        profile = getattr(region, "profile", None) if region.level == "village" else None
        return VillageProfileSerializer(profile).data if profile is not None else None
