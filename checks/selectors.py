"""Reads of cross-checking: findings, rule runs and department comparisons, each scoped to the caller and prefetched for the lists."""

from checks.models import CategorySetting, Comparison, ComparisonMatchCount, Finding, RuleRun
from core.roles import Capability
from core.scope import restrict_to_scope


def findings_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    """Findings of the villages where the user holds the capability, with what the list shows in one query."""
    return restrict_to_scope(
        # household: its number; member: the name; resolved_by: who closed it.
        Finding.objects.select_related("household", "member", "resolved_by"),
        user,
        capability,
    )


def rule_runs_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    """Rule runs over regions inside the user's scope (a run over a wider region is not theirs to see)."""
    return restrict_to_scope(RuleRun.objects.select_related("started_by"), user, capability)  # started_by: the name


def comparisons_in_scope(user):
    """Comparisons of the regions where the user may read the register."""
    return restrict_to_scope(Comparison.objects.select_related("uploaded_by"), user, Capability.READ_REGISTER)


def match_counts(comparison: Comparison) -> list[tuple]:
    """(rule, severity, findings, still open) of the findings the comparison opened: its kept counts
    (ComparisonMatchCount, a row per rule and severity), not a count of its findings."""
    return list(
        ComparisonMatchCount.objects.filter(comparison=comparison, findings__gt=0)
        .order_by("rule", "severity")
        .values_list("rule", "severity", "findings", "open_findings")
    )


def category_settings_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    """Veto settings (一票否决) of the regions where the user holds the capability."""
    return restrict_to_scope(CategorySetting.objects.select_related("region"), user, capability)  # region's name
