"""Shapes of department comparisons (数据比对) in the API; the services decide, these convert and mask."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from checks import catalog
from checks.choices import DepartmentCategory, Severity
from checks.models import CategorySetting, Comparison, ComparisonRow
from core.masking import MASKED_ID_NUMBER_HELP
from core.roles import Capability
from core.scope import restrict_to_scope
from villages.models import Region


def _rule(category: str) -> str:
    return catalog.COMPARISON_CODES[category].code


@extend_schema_field(OpenApiTypes.STR)
class _CountyRegionField(serializers.SlugRelatedField):
    """A region code the caller administers as county office; any other code does not exist for them."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Region.objects.none()
        return restrict_to_scope(Region.objects.all(), request.user, Capability.COUNTY_ADMINISTRATION)


class ComparisonSerializer(serializers.ModelSerializer):
    """A kept upload: who, when, which department and file, its digest, rows and the people matched."""

    region = serializers.CharField(source="region_id", read_only=True, help_text="Region code.")
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    matched = serializers.IntegerField(read_only=True, help_text="People (active members) the list matched.")

    class Meta:
        model = Comparison
        fields = ("id", "region", "department", "file_name", "digest", "rows", "matched", "uploaded_at", "uploaded_by")
        read_only_fields = fields


class MatchCountSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=DepartmentCategory.choices)
    category_label = serializers.CharField()
    rule = serializers.CharField(help_text="The finding code, e.g. EXT-VEHICLE.")
    severity = serializers.ChoiceField(choices=Severity.choices)
    findings = serializers.IntegerField(help_text="Findings this comparison opened.")
    open = serializers.IntegerField(help_text="Of those, still open.")


class ComparisonDetailSerializer(ComparisonSerializer):
    """A comparison with the findings it opened, counted by category and severity."""

    matches = serializers.SerializerMethodField(
        help_text="Findings opened by this comparison by category and severity. A member whose finding of the same "
        "code was already open keeps that finding and is counted in `matched` only."
    )

    class Meta(ComparisonSerializer.Meta):
        fields = (*ComparisonSerializer.Meta.fields, "matches")
        read_only_fields = fields

    @extend_schema_field(MatchCountSerializer(many=True))
    def get_matches(self, instance):
        counts = self.context.get("match_counts") or []
        by_rule = {code.code: category for category, code in catalog.COMPARISON_CODES.items()}
        rows = [
            {
                "category": by_rule[rule],
                "category_label": str(DepartmentCategory(by_rule[rule]).label),
                "rule": rule,
                "severity": severity,
                "findings": findings,
                "open": still_open,
            }
            for rule, severity, findings, still_open in counts
            if rule in by_rule
        ]
        order = list(DepartmentCategory.values)
        rows.sort(key=lambda r: (order.index(r["category"]), r["severity"]))
        return MatchCountSerializer(rows, many=True).data


class RefusedRemovalSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()


class UploadResultSerializer(ComparisonDetailSerializer):
    """The answer to an upload: the comparison, and what matching did."""

    findings_opened = serializers.SerializerMethodField()
    removals = serializers.SerializerMethodField(help_text="Removal procedures (清退) opened for veto matches.")
    removals_refused = serializers.SerializerMethodField(
        help_text="Veto matches whose removal proposal the lifecycle refused (the error finding still holds them)."
    )

    class Meta(ComparisonDetailSerializer.Meta):
        fields = (*ComparisonDetailSerializer.Meta.fields, "findings_opened", "removals", "removals_refused")
        read_only_fields = fields

    def get_findings_opened(self, instance) -> int:
        return self.context["result"].opened

    def get_removals(self, instance) -> list[int]:
        return list(self.context["result"].removals)

    @extend_schema_field(RefusedRemovalSerializer(many=True))
    def get_removals_refused(self, instance):
        return RefusedRemovalSerializer(self.context["result"].removals_refused, many=True).data


class ComparisonUploadSerializer(serializers.Serializer):
    """The multipart form of an upload."""

    file = serializers.FileField(
        allow_empty_file=True,
        help_text="CSV (UTF-8) or XLSX with the columns 证件号码/id_number, 类别/category and 说明/detail; "
        "category as slug or Chinese label. At most 20 MB and 200,000 rows.",
    )
    department = serializers.CharField(max_length=100, help_text="The department the list comes from, e.g. 县公安局.")
    region = _CountyRegionField(slug_field="code", help_text="Code of the region the list is matched in (your county).")


class ComparisonRowSerializer(serializers.ModelSerializer):
    """A row of a kept list; `id_number` is masked for roles that may not see it."""

    id_number = serializers.CharField(help_text=MASKED_ID_NUMBER_HELP)
    category_label = serializers.CharField(source="get_category_display")

    class Meta:
        model = ComparisonRow
        fields = ("id", "line", "id_number", "category", "category_label", "detail")
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        policy = self.context.get("personal")
        if policy is not None:
            data["id_number"] = policy.reveal(instance, self.context["region_code"], "id_number", data["id_number"])
        return data


class CategorySettingSerializer(serializers.ModelSerializer):
    """A region's setting for a category: whether a match is a veto (一票否决)."""

    region = _CountyRegionField(slug_field="code", help_text="Region code (your county or a region in it).")
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    rule = serializers.SerializerMethodField()

    class Meta:
        model = CategorySetting
        fields = ("id", "region", "category", "category_label", "rule", "veto")
        read_only_fields = ("id", "category_label", "rule")
        extra_kwargs = {"veto": {"required": True}}
        validators = []  # one setting per (region, category): the service updates the existing one

    def get_rule(self, instance) -> str:
        return _rule(instance.category)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["region"] = instance.region_id
        return data


class CategorySettingUpdateSerializer(CategorySettingSerializer):
    """A PATCH changes the veto flag only; region and category name the setting."""

    region = serializers.CharField(source="region_id", read_only=True)
    category = serializers.ChoiceField(choices=DepartmentCategory.choices, read_only=True)

    class Meta(CategorySettingSerializer.Meta):
        read_only_fields = ("id", "region", "category", "category_label", "rule")
