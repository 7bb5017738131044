from rest_framework import serializers

from villages.models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True, help_text="Parent code.")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]
        read_only_fields = fields
