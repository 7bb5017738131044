"""Cross-checking (交叉互检): findings, rule runs, department comparisons and cross-check campaigns."""

from checks.models.campaigns import Campaign, CampaignAssignment, CampaignSample, Verification
from checks.models.comparisons import CategorySetting, Comparison, ComparisonMatchCount, ComparisonRow
from checks.models.findings import Finding, RuleRun

__all__ = [
    "Campaign",
    "CampaignAssignment",
    "CampaignSample",
    "CategorySetting",
    "Comparison",
    "ComparisonMatchCount",
    "ComparisonRow",
    "Finding",
    "RuleRun",
    "Verification",
]
